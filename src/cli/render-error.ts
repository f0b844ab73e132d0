// The one place errors become text and exit codes (docs/architecture.md §5). One line, no stack
// trace; --debug adds the cause chain, redacted. Messages carry text from servers, files and URLs, so
// every line also goes through the output policy: no escape sequence or stray line break reaches the
// terminal.
import { CcssoError, ExitCode } from "../core/errors";
import { redact } from "../core/redact";
import { sanitizeForTerminal, sanitizeLine } from "../core/terminal-text";
import type { Context } from "../platform/context";

export function renderError(e: unknown, ctx: Context, prefix = "ccsso"): number {
  if (e instanceof CcssoError) {
    const line = e.hint ? `${prefix}: ${e.message} — ${e.hint}` : `${prefix}: ${e.message}`;
    ctx.stderr.write(sanitizeLine(redact(line)) + "\n");
    if (ctx.debug) writeCauses(e, ctx);
    return e.exitCode;
  }
  const message = e instanceof Error ? e.message : String(e);
  ctx.stderr.write(sanitizeLine(redact(`${prefix}: unexpected error: ${message} — rerun with --debug for details`)) + "\n");
  if (ctx.debug && e instanceof Error && e.stack) ctx.stderr.write(sanitizeForTerminal(redact(e.stack)) + "\n");
  return ExitCode.error;
}

function writeCauses(e: Error, ctx: Context): void {
  let cause: unknown = e.cause;
  for (let depth = 0; cause && depth < 5; depth++) {
    const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    ctx.stderr.write(sanitizeLine(redact(`  caused by: ${text}`)) + "\n");
    cause = cause instanceof Error ? cause.cause : undefined;
  }
}
