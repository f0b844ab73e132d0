// Not built yet: see the open issue that covers `ccsso exec`.
import { CcssoError } from "../core/errors";
import type { Context } from "../platform/context";

export async function run(_opts: Record<string, unknown>, _args: string[], _ctx: Context): Promise<number> {
  throw new CcssoError("this command is not available yet in this build");
}
