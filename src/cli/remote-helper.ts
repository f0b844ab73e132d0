// Not built yet: the codecommit:// remote helper (issue: git).
import { CcssoError } from "../core/errors";
import type { Context } from "../platform/context";
import { renderError } from "./render-error";

export async function runRemoteHelper(_argv: string[], ctx: Context): Promise<number> {
  return renderError(new CcssoError("the codecommit:// remote helper is not available yet in this build"), ctx, "git-remote-codecommit");
}
