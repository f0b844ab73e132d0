// Line prompts for the configure wizards (`SSO start URL [None]: `, as the AWS CLI's PTKPrompt shows
// them, docs/protocols.md §1.4). Read from stdin only when it is a terminal; Ctrl-C or Ctrl-D is an
// InterruptedError (exit 130) so the caller never writes a half-answered configuration.
import { InterruptedError } from "../core/errors";
import type { Output } from "./context";
import { interruptMessage } from "./interrupt";

export interface Prompter {
  /** Whether asking is possible at all (stdin is a terminal). */
  readonly interactive: boolean;
  /** Print `text` and read one line, without its line ending. */
  readLine(text: string): Promise<string>;
  close(): void;
}

export interface AskOptions {
  /** Shown as `[default]` and returned for an empty answer; `[None]` when absent, like the CLI. */
  default?: string;
  /** Refuse an empty answer when there is no default ("A value is required"). */
  required?: boolean;
  /** An error message for an unacceptable answer, or undefined to accept it. */
  validate?: (answer: string) => string | undefined;
  /** Print `text: ` with no `[default]` part (the CLI's `SSO session name: `). */
  bare?: boolean;
}

/** Ask until the answer is acceptable: stripped, empty → default (which may be undefined). */
export async function ask(p: Prompter, out: Output, label: string, opts: AskOptions = {}): Promise<string | undefined> {
  const text = opts.bare && opts.default === undefined ? `${label}: ` : `${label} [${opts.default ?? "None"}]: `;
  for (;;) {
    const answer = (await p.readLine(text)).trim();
    if (answer === "") {
      if (opts.default !== undefined) return opts.default;
      if (opts.required) {
        out.write("A value is required\n");
        continue;
      }
      return undefined;
    }
    const problem = opts.validate?.(answer);
    if (problem) {
      out.write(`${problem}\n`);
      continue;
    }
    return answer;
  }
}

/**
 * Prompts on a terminal: `out` shows the question, stdin gives the line; `echo` is where readline echoes
 * the typing (stderr for a command whose stdout is data, such as export-credentials under `eval`).
 */
export function terminalPrompter(
  out: Output,
  input: NodeJS.ReadStream = process.stdin,
  echo: NodeJS.WriteStream = process.stdout,
): Prompter {
  const interactive = Boolean(input.isTTY);
  let rl: import("node:readline").Interface | undefined;
  return {
    interactive,
    async readLine(text) {
      if (!interactive) throw new InterruptedError("no terminal to ask on");
      const readline = await import("node:readline");
      rl ??= readline.createInterface({ input, output: echo, terminal: true });
      const iface = rl;
      out.write(text);
      return new Promise<string>((resolve, reject) => {
        const onLine = (line: string) => {
          cleanup();
          resolve(line);
        };
        const onInterrupt = () => {
          cleanup();
          out.write("\n");
          reject(new InterruptedError(interruptMessage()));
        };
        const cleanup = () => {
          iface.off("line", onLine);
          iface.off("SIGINT", onInterrupt);
          iface.off("close", onInterrupt);
        };
        iface.on("line", onLine);
        iface.on("SIGINT", onInterrupt);
        iface.on("close", onInterrupt);
      });
    },
    close() {
      rl?.close();
      rl = undefined;
    },
  };
}

/** A prompter that answers from a list (tests, and scripted input); running out is Ctrl-D. */
export function scriptedPrompter(answers: string[], out?: Output): Prompter & { asked: string[] } {
  const queue = [...answers];
  const asked: string[] = [];
  return {
    interactive: true,
    asked,
    async readLine(text) {
      asked.push(text);
      out?.write(text);
      const next = queue.shift();
      if (next === undefined) throw new InterruptedError("interrupted: nothing was written");
      return next;
    },
    close() {},
  };
}
