// Reading git's request from stdin, synchronously and with a cap.
//
// Why not `await Bun.stdin.text()`: in a Windows build of Bun 1.4 a pending stdin read does not keep the
// process alive, so the helper exits 0 with nothing read and nothing answered, and git falls back to a
// username prompt (oven-sh/bun#41850). A blocking `readSync(0)` loop has no pending promise to lose, and
// costs nothing extra here: node:fs is already loaded by src/platform/context.ts on every start.
//
// Why a cap while reading: git's request is a few hundred bytes; anything past the cap is not from git, and
// buffering it all first (a 500 MB pipe took 838 MB of memory) would let any caller make the helper huge.
import { readSync } from "node:fs";

export class InputTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`input is larger than ${maxBytes} bytes`);
    this.name = "InputTooLargeError";
  }
}

/** One read of up to `length` bytes into `buf` at `offset`; 0 at end of input. Injected by tests. */
export type ReadChunk = (buf: Uint8Array, offset: number, length: number) => number;

export interface ReadAllOptions {
  maxBytes: number;
  read?: ReadChunk;
  /** Wait before trying a non-blocking stdin again (EAGAIN). Injected by tests. */
  pause?: (ms: number) => void;
}

const CHUNK = 64 * 1024;

function readStdinChunk(buf: Uint8Array, offset: number, length: number): number {
  return readSync(0, buf, offset, length, null);
}

/**
 * Everything on stdin as UTF-8 text (invalid bytes become U+FFFD, as `Bun.stdin.text()` did), or an
 * `InputTooLargeError` as soon as more than `maxBytes` have arrived — the rest is never read, so memory
 * stays near `maxBytes` whatever the writer sends.
 */
export function readAllStdin(opts: ReadAllOptions): string {
  const read = opts.read ?? readStdinChunk;
  const pause = opts.pause ?? ((ms: number) => Bun.sleepSync(ms));
  // One byte of room past the cap tells "exactly the cap" from "more than the cap".
  const limit = opts.maxBytes + 1;
  const chunks: Uint8Array[] = [];
  let total = 0;
  // total ≤ maxBytes whenever a new buffer is made, so it always has room for at least one byte.
  let buf = new Uint8Array(Math.min(CHUNK, limit));
  let used = 0;
  for (;;) {
    if (used === buf.length) {
      chunks.push(buf);
      buf = new Uint8Array(Math.min(CHUNK, limit - total));
      used = 0;
    }
    let n: number;
    try {
      n = read(buf, used, buf.length - used);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A writer that has closed its end: Windows pipes report it as an error, not as a 0-byte read.
      if (code === "EOF" || code === "EPIPE" || code === "ERROR_BROKEN_PIPE") break;
      // stdin left non-blocking by whoever started us (a shell or parent that set O_NONBLOCK on a shared
      // pipe): nothing has arrived yet. Poll; git writes the whole request at once, so this is rare and short.
      if (code === "EAGAIN" || code === "EWOULDBLOCK") {
        pause(1);
        continue;
      }
      // No stdin at all (closed descriptor): the same as an empty request.
      if (code === "EBADF") break;
      throw e;
    }
    if (n === 0) break;
    used += n;
    total += n;
    if (total > opts.maxBytes) throw new InputTooLargeError(opts.maxBytes);
  }
  chunks.push(buf.subarray(0, used));
  return Buffer.concat(chunks).toString("utf8");
}
