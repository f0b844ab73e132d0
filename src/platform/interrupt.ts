// Ctrl-C, one behaviour for every command: the terminal is put back (no spinner line left, cursor shown),
// one line says what was and was not written, and the process exits 130 by a normal exit. A process that
// dies by SIGINT makes the shell stop too (`ccsso sso login; echo after` would not print "after"), and
// leaves a half-drawn spinner behind.
//
// Waits that can end cleanly on their own (the PKCE loopback wait closes its listener; `exec` lets the
// child decide) add their own SIGINT listener; this handler then stays out of their way. Everything
// else — the device-code polling, a sign-in inside the wizard, an API call — ends here.
import { flushOutput, type Context } from "./context";

let note = "nothing was written";

/**
 * What a Ctrl-C at this point leaves behind, in a few words ("sign-in interrupted; nothing was saved").
 * Commands that write in stages update it as they go.
 */
export function setInterruptNote(text: string): void {
  note = text;
}

/** The InterruptedError message for a Ctrl-C now (prompts and pickers throw it; renderError prints it). */
export function interruptMessage(): string {
  return `interrupted: ${note}`;
}

export function interruptLine(): string {
  return `ccsso: ${interruptMessage()}`;
}

/** Install the fallback handler (once per process); returns a function that removes it. */
export function installInterruptHandler(ctx: Pick<Context, "stderr">): () => void {
  const onSigint = () => {
    // Another listener is handling this Ctrl-C gracefully (it will throw InterruptedError itself).
    if (process.listenerCount("SIGINT") > 1) return;
    // \r + erase line: whatever a spinner drew, and the terminal's own "^C", go away; then the cursor.
    if (ctx.stderr.isTTY) ctx.stderr.write("\r\x1b[2K\x1b[?25h");
    ctx.stderr.write(`${interruptLine()}\n`);
    void flushOutput().then(() => process.exit(130));
  };
  process.on("SIGINT", onSigint);
  return () => void process.off("SIGINT", onSigint);
}
