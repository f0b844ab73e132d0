// Run a program in a real pseudo-terminal (python3's pty module) and type at it: each step waits for
// text on the screen, then sends keystrokes. This is how the wizard's prompts, pickers and Ctrl-C are
// tested as a person meets them.
import { join } from "node:path";

export type PtyStep = { expect: string; timeout?: number } | { send: string };

export interface PtyResult {
  code: number;
  /** Everything the program wrote to the terminal, escape sequences included. */
  output: string;
  /** The same with escape sequences and carriage returns removed. */
  screen: string;
  /** The step that never happened (its expect text did not appear), or null. */
  failed: PtyStep | { exit: string } | null;
}

export const keys = {
  up: "\x1b[A",
  down: "\x1b[B",
  enter: "\r",
  ctrlC: "\x03",
  backspace: "\x7f",
};

export async function runInPty(
  argv: string[],
  opts: { env: Record<string, string>; steps: PtyStep[]; cwd?: string; columns?: number; timeoutSeconds?: number },
): Promise<PtyResult> {
  const spec = JSON.stringify({
    argv,
    env: { TERM: "xterm-256color", ...opts.env },
    cwd: opts.cwd,
    columns: opts.columns ?? 100,
    rows: 30,
    timeout: opts.timeoutSeconds ?? 20,
    steps: opts.steps,
  });
  const proc = Bun.spawn(["python3", join(import.meta.dir, "pty-driver.py")], {
    stdin: new TextEncoder().encode(spec),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`pty driver failed (${code}): ${err}`);
  return JSON.parse(out) as PtyResult;
}
