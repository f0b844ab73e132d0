// The terminal edge: colour and a spinner for waits with a deadline (the device-flow QR code is in
// src/platform/qr-text.ts). Everything writes to an injected Output so tests see exactly what a user
// would, and nothing decorative is ever written to a pipe (a script reading ccsso's output gets plain
// text).
import type { Env, Output } from "./context";

/** Colour only on a terminal, never with NO_COLOR set to anything non-empty (no-color.org), never on TERM=dumb. */
export function colorEnabled(stream: Output, env: Env): boolean {
  return stream.isTTY && !env.NO_COLOR && env.TERM !== "dumb";
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const plain = (s: string) => s;
const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export function createStyle(enabled: boolean): Style {
  if (!enabled) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) };
}

/** Style for a stream in an environment: `styleFor(ctx.stdout, ctx.env).green("✓")`. */
export function styleFor(stream: Output, env: Env): Style {
  return createStyle(colorEnabled(stream, env));
}

// ---------------------------------------------------------------------------------------------------
// Spinner

export interface Spinner {
  /** Redraw now (the timer calls this; tests call it after moving the fake clock). */
  render(): void;
  /** Change the text shown next to the spinner. */
  setText(text: string): void;
  /** Clear the spinner line; print `finalLine` (with a newline) in its place when given. */
  stop(finalLine?: string): void;
}

export interface SpinnerOptions {
  /** Where to draw: stderr, so stdout stays clean for pipes. Nothing is drawn unless it is a TTY. */
  stream: Output;
  /** Milliseconds since the epoch (ctx.now), for the time left. */
  now: () => number;
  text: string;
  /** When the wait gives up (epoch ms), e.g. the device code's expiry; shown as "4:59 left". */
  deadline?: number;
  env?: Env;
  /** Start a repaint timer; tests pass false and call render() themselves. Default true. */
  animate?: boolean;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
// 100 ms per frame: smooth enough to look alive, rare enough to cost nothing over SSH.
const FRAME_MS = 100;

export function createSpinner(opts: SpinnerOptions): Spinner {
  const active = opts.stream.isTTY && opts.env?.TERM !== "dumb";
  const style = createStyle(active && !opts.env?.NO_COLOR);
  let text = opts.text;
  let frame = 0;
  let drawn = false;
  let stopped = false;
  const render = () => {
    if (!active || stopped) return;
    const left = opts.deadline === undefined ? "" : style.dim(` (${formatCountdown(opts.deadline - opts.now())} left)`);
    // \r + erase-line rather than cursor saving: works in every terminal and in tmux.
    opts.stream.write(`\r\x1b[2K${style.cyan(FRAMES[frame % FRAMES.length]!)} ${text}${left}`);
    frame++;
    drawn = true;
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  if (active && opts.animate !== false) {
    timer = setInterval(render, FRAME_MS);
    // A spinner must never keep the process alive on its own.
    (timer as { unref?: () => void }).unref?.();
  }
  render();
  return {
    render,
    setText(t) {
      text = t;
      render();
    },
    stop(finalLine) {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      if (drawn) opts.stream.write("\r\x1b[2K");
      if (finalLine !== undefined && active) opts.stream.write(finalLine + "\n");
    },
  };
}

/** "4:05" for a countdown under an hour, "1:02:03" above; never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}
