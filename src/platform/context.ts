// What every command receives instead of reaching for globals: environment, clock, output streams.
// Tests build one with fakes (a fixed clock, captured output); src/main.ts builds the real one.
import { fstatSync, statSync } from "node:fs";
import type { Env } from "../core/types";

export type { Env };

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
  /**
   * The CA bundle of the profile this work is for (its `ca_bundle` key), used when AWS_CA_BUNDLE is not
   * set (docs/protocols.md §1.6); set by withProfileCaBundle, never by the entry point.
   */
  caBundle?: CaBundle;
  /** Tests pin what place-facts.ts would read from the machine (kernel release, /.dockerenv). */
  placeFacts?: { kernelRelease?: string; dockerEnvFile: boolean };
}

/** A PEM file to trust, and where it was named, for messages. */
export interface CaBundle {
  path: string;
  /** "ca_bundle in profile dev", "--ca-bundle". */
  from: string;
}

// Output without Node streams when stdout/stderr are pipes or files. Touching process.stdout or
// process.stderr in a compiled Bun binary loads node:stream: +9 ms on a 3.5 ms hello world (measured with
// --cpu-prof and hyperfine, bench/results.md), which the credential helper — run by git on every fetch
// — cannot afford. Pipes and files get Bun.write through one queue (so stdout and stderr keep their
// order); terminals get the Node stream, because pickers and spinners write to it directly.
let pendingOutput: Promise<unknown> = Promise.resolve();
const terminalFd = new Map<number, boolean>();

function maybeTerminal(fd: 1 | 2): boolean {
  let t = terminalFd.get(fd);
  if (t === undefined) {
    // Only a character device can be a terminal; /dev/null is one too but is not, and any other is
    // left to Node's isTTY.
    try {
      const st = fstatSync(fd);
      t = st.isCharacterDevice() && !(process.platform !== "win32" && st.rdev === statSync("/dev/null").rdev);
    } catch {
      t = false;
    }
    terminalFd.set(fd, t);
  }
  return t;
}

function nodeStream(fd: 1 | 2): NodeJS.WriteStream {
  const s = fd === 1 ? process.stdout : process.stderr;
  // A reader that goes away (`ccsso --help | head`) is not an error worth a stack trace.
  if (!s.listenerCount("error"))
    s.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") throw e;
    });
  return s;
}

function realOutput(fd: 1 | 2): Output {
  return {
    write(text) {
      if (maybeTerminal(fd)) {
        nodeStream(fd).write(text);
        return;
      }
      const file = fd === 1 ? Bun.stdout : Bun.stderr;
      pendingOutput = pendingOutput.then(() => Bun.write(file, text)).catch(() => undefined); // EPIPE: the reader left
    },
    get isTTY() {
      return maybeTerminal(fd) && Boolean(nodeStream(fd).isTTY);
    },
  };
}

/** Resolves when everything written through realContext() has reached the OS; main awaits it before exit. */
export function flushOutput(): Promise<unknown> {
  return pendingOutput;
}

export function realContext(opts: { debug?: boolean } = {}): Context {
  return {
    env: process.env,
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    stdout: realOutput(1),
    stderr: realOutput(2),
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
    // A plain Linux desktop or server, whatever machine the tests run on (a container, WSL).
    placeFacts: { dockerEnvFile: false },
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
