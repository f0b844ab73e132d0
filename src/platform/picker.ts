// The terminal side of the arrow-key picker: raw-mode keystrokes from stdin, drawing on stderr (or
// /dev/tty when stderr is redirected), and the terminal restored however it ends. The behaviour is
// the pure state machine in src/core/picker-state.ts.
import { closeSync, writeSync } from "node:fs";
import { consoleDevice, openConsoleOutput } from "./console";
import { InterruptedError } from "../core/errors";
import {
  applyKey,
  createPicker,
  fitWidth,
  parseKeys,
  PICKER_HEIGHT,
  statusLine,
  visibleRows,
  type PickerState,
} from "../core/picker-state";

export interface PickOptions {
  /** Where keys come from; must be a TTY (callers check before offering a picker). */
  input?: NodeJS.ReadStream;
  /** Where the menu is drawn; default stderr when it is a terminal, else /dev/tty. */
  output?: { write(text: string): void; columns?: number; close?(): void };
  /** Reverse-video highlight for the current row (off when NO_COLOR is set). */
  color?: boolean;
  height?: number;
}

const HIDE_CURSOR = "\x1b[?25l";
const SHOW_CURSOR = "\x1b[?25h";
const CLEAR_BELOW = "\x1b[J";

function terminalOutput(): NonNullable<PickOptions["output"]> {
  if (process.stderr.isTTY) {
    return { write: (t) => void process.stderr.write(t), columns: process.stderr.columns };
  }
  // stderr is redirected (e.g. to a log): draw on the controlling terminal instead, like ssh and gpg do
  // (the console, CONOUT$, on Windows).
  const fd = openConsoleOutput();
  if (fd === undefined) throw new Error(`no terminal to draw the menu on (${consoleDevice().output} cannot be opened)`);
  return { write: (t) => void writeSync(fd, t), columns: process.stdout.columns, close: () => closeSync(fd) };
}

/** Render the visible rows and the status line, each trimmed so nothing wraps (wrapping breaks redraws). */
export function renderPicker(state: PickerState, columns: number, color: boolean): string[] {
  const width = Math.max(10, columns - 1);
  const rows = visibleRows(state).map((row) => {
    const text = fitWidth(`${row.selected ? ">" : " "} ${row.label}`, width);
    return row.selected && color ? `\x1b[7m${text}\x1b[0m` : text;
  });
  const status = fitWidth(statusLine(state), width);
  return [...rows, color ? `\x1b[2m${status}\x1b[0m` : status];
}

/**
 * Let the user choose one of `items`; resolves with its index. Ctrl-C (or the input closing) rejects
 * with InterruptedError after the terminal has been restored and the menu erased.
 */
export function pickFromList(items: readonly string[], opts: PickOptions = {}): Promise<number> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? terminalOutput();
  const columns = output.columns ?? 80;
  const color = opts.color ?? !process.env.NO_COLOR;
  let state = createPicker(items, opts.height ?? PICKER_HEIGHT);
  let drawnLines = 0;
  const wasRaw = Boolean(input.isRaw);

  const draw = () => {
    const lines = renderPicker(state, columns, color);
    const up = drawnLines > 0 ? `\x1b[${drawnLines}A` : "";
    output.write(`${up}\r${CLEAR_BELOW}${lines.join("\r\n")}\r\n`);
    drawnLines = lines.length;
  };

  return new Promise<number>((resolve, reject) => {
    let finished = false;
    const restore = () => {
      if (finished) return;
      finished = true;
      input.off("data", onData);
      input.off("end", onEnd);
      process.off("exit", restore);
      try {
        input.setRawMode?.(wasRaw);
      } catch {
        // The terminal went away; nothing left to restore.
      }
      input.pause();
      // Erase the menu when done, as select_menu does (erase_when_done=True).
      output.write(`${drawnLines > 0 ? `\x1b[${drawnLines}A` : ""}\r${CLEAR_BELOW}${SHOW_CURSOR}`);
      output.close?.();
    };
    const onData = (chunk: Buffer | string) => {
      for (const key of parseKeys(typeof chunk === "string" ? chunk : chunk.toString("utf8"))) {
        const step = applyKey(state, key);
        state = step.state;
        if (step.outcome?.kind === "selected") {
          restore();
          resolve(step.outcome.index);
          return;
        }
        if (step.outcome?.kind === "interrupted") {
          restore();
          reject(new InterruptedError());
          return;
        }
      }
      draw();
    };
    const onEnd = () => {
      restore();
      reject(new InterruptedError("input closed while choosing"));
    };
    // If the process exits some other way (a signal handler, an uncaught error) the shell must not be
    // left in raw mode with a hidden cursor.
    process.on("exit", restore);
    try {
      input.setRawMode?.(true);
    } catch (e) {
      restore();
      reject(e);
      return;
    }
    input.setEncoding?.("utf8");
    input.on("data", onData);
    input.on("end", onEnd);
    input.resume();
    output.write(HIDE_CURSOR);
    draw();
  });
}
