// What every command receives instead of reaching for globals: environment, clock, output streams.
// Tests build one with fakes (a fixed clock, captured output); src/main.ts builds the real one.

export type Env = Record<string, string | undefined>;

export interface Output {
  write(text: string): void;
  /** True when the stream is a terminal (colour, spinners and pickers only then). */
  readonly isTTY: boolean;
}

export interface Context {
  env: Env;
  /** Milliseconds since the epoch. Injected so refresh windows and expiry are testable. */
  now(): number;
  /** Sleep used by polling loops; tests pass a fake that records the delays and returns at once. */
  sleep(ms: number): Promise<void>;
  stdout: Output;
  stderr: Output;
  cwd: string;
  /** --debug: extra detail on stderr, always through redact(). */
  debug: boolean;
}

export function realContext(opts: { debug?: boolean } = {}): Context {
  // A reader that goes away (`ccsso --help | head`) is not an error worth a stack trace.
  for (const s of [process.stdout, process.stderr]) s.on?.("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
  return {
    env: process.env,
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    stdout: { write: (t) => void process.stdout.write(t), isTTY: Boolean(process.stdout.isTTY) },
    stderr: { write: (t) => void process.stderr.write(t), isTTY: Boolean(process.stderr.isTTY) },
    cwd: process.cwd(),
    debug: opts.debug ?? false,
  };
}

/** A context for tests: captured output, a settable clock, sleeps recorded instead of slept. */
export function testContext(init: { env?: Env; now?: number; debug?: boolean } = {}) {
  let clock = init.now ?? Date.UTC(2026, 0, 2, 3, 4, 5);
  const out: string[] = [];
  const err: string[] = [];
  const sleeps: number[] = [];
  const ctx: Context = {
    env: { ...(init.env ?? {}) },
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    stdout: { write: (t) => void out.push(t), isTTY: false },
    stderr: { write: (t) => void err.push(t), isTTY: false },
    cwd: process.cwd(),
    debug: init.debug ?? false,
  };
  return {
    ctx,
    stdout: () => out.join(""),
    stderr: () => err.join(""),
    sleeps,
    advance(ms: number) {
      clock += ms;
    },
    setNow(ms: number) {
      clock = ms;
    },
  };
}
