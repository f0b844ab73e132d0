// The MFA code for a role with mfa_serial (docs/protocols.md §3.10), asked on the terminal by the commands
// a person runs — never by git's helpers, which do not pass this to resolveCredentials.
import { sanitizeLine } from "../core/terminal-text";
import type { Context } from "../platform/context";

/** For resolveCredentials' `mfaCode`: undefined (nobody to ask) unless stdin is a terminal. */
export function terminalMfaCode(ctx: Context): (serial: string) => Promise<string | undefined> {
  return async (serial) => {
    if (!process.stdin.isTTY) return undefined;
    const { terminalPrompter } = await import("../platform/prompt");
    // The question and the echo go to stderr: stdout may be data (export-credentials under eval).
    const p = terminalPrompter(ctx.stderr, process.stdin, process.stderr);
    try {
      // botocore's prompt, word for word; the serial comes from the config file.
      return await p.readLine(`Enter MFA code for ${sanitizeLine(serial)}: `);
    } finally {
      p.close();
    }
  };
}
