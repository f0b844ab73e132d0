// The one place errors become text and exit codes (STYLE.md). One line, no stack trace; --debug adds
// the cause chain, redacted.
import { CcssoError, ExitCode } from "../core/errors";
import { redact } from "../core/redact";
import type { Context } from "../platform/context";

export function renderError(e: unknown, ctx: Context, prefix = "ccsso"): number {
  if (e instanceof CcssoError) {
    const line = e.hint ? `${prefix}: ${e.message} — ${e.hint}` : `${prefix}: ${e.message}`;
    ctx.stderr.write(redact(line) + "\n");
    if (ctx.debug) writeCauses(e, ctx);
    return e.exitCode;
  }
  const message = e instanceof Error ? e.message : String(e);
  ctx.stderr.write(redact(`${prefix}: unexpected error: ${message} — rerun with --debug for details`) + "\n");
  if (ctx.debug && e instanceof Error && e.stack) ctx.stderr.write(redact(e.stack) + "\n");
  return ExitCode.error;
}

function writeCauses(e: Error, ctx: Context): void {
  let cause: unknown = e.cause;
  for (let depth = 0; cause && depth < 5; depth++) {
    const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    ctx.stderr.write(redact(`  caused by: ${text}`) + "\n");
    cause = cause instanceof Error ? cause.cause : undefined;
  }
}
