// --debug lines: stderr, always redacted, never shown otherwise.
import { redact } from "../core/redact";
import type { Context } from "./context";

export type DebugContext = Pick<Context, "debug" | "stderr">;

export function debugLog(ctx: DebugContext, message: string): void {
  if (ctx.debug) ctx.stderr.write(redact(`ccsso: debug: ${message}`) + "\n");
}
