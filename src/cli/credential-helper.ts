// Not built yet: the git credential helper (issue: git).
import { CcssoError } from "../core/errors";
import type { Context } from "../platform/context";
import { renderError } from "./render-error";

export async function runCredentialHelper(_argv: string[], ctx: Context): Promise<number> {
  return renderError(new CcssoError("the credential helper is not available yet in this build"), ctx);
}

export async function run(_opts: Record<string, unknown>, args: string[], ctx: Context): Promise<number> {
  return runCredentialHelper(args, ctx);
}
