// The helpers' stdin reader (src/platform/stdin.ts) with the read call injected: short reads, the cap
// enforced while reading, the end-of-input forms of each OS, and a non-blocking stdin. The compiled
// binary fed 500 MB through a real pipe is test/e2e/hostile-input.test.ts; under Windows (Wine) it is
// test/platform/windows.test.ts.
import { describe, expect, it } from "bun:test";
import { InputTooLargeError, readAllStdin, type ReadChunk } from "../../src/platform/stdin";

/** A reader that hands out `data` in pieces of at most `step` bytes, then the given end. */
function source(data: Uint8Array, step: number, end: () => number = () => 0) {
  let at = 0;
  let reads = 0;
  const read: ReadChunk = (buf, offset, length) => {
    reads++;
    if (at >= data.length) return end();
    const n = Math.min(step, length, data.length - at);
    buf.set(data.subarray(at, at + n), offset);
    at += n;
    return n;
  };
  return { read, consumed: () => at, reads: () => reads };
}

const enc = (s: string) => new TextEncoder().encode(s);
const errno = (code: string) => Object.assign(new Error(code), { code });

describe("readAllStdin", () => {
  it("joins short reads into the whole request, UTF-8 across read boundaries included", () => {
    const text = "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/repos/ünïcødé\n\n";
    const s = source(enc(text), 3);
    expect(readAllStdin({ maxBytes: 1024, read: s.read })).toBe(text);
  });

  it("reads an empty stdin as an empty request", () => {
    expect(readAllStdin({ maxBytes: 1024, read: source(new Uint8Array(0), 1).read })).toBe("");
  });

  it("accepts exactly the cap", () => {
    const data = new Uint8Array(200 * 1024).fill(0x61);
    expect(readAllStdin({ maxBytes: data.length, read: source(data, 7000).read })).toHaveLength(data.length);
  });

  it("refuses one byte past the cap, having read no more than the cap and one byte", () => {
    const cap = 200 * 1024;
    const s = source(new Uint8Array(cap + 1).fill(0x61), 64 * 1024);
    expect(() => readAllStdin({ maxBytes: cap, read: s.read })).toThrow(InputTooLargeError);
    expect(s.consumed()).toBe(cap + 1);
  });

  it("stops reading an endless writer right after the cap instead of buffering it", () => {
    const cap = 1024 * 1024;
    let given = 0;
    const endless: ReadChunk = (buf, offset, length) => {
      buf.fill(0x41, offset, offset + length);
      given += length;
      if (given > 64 * cap) throw new Error("the reader kept going past the cap");
      return length;
    };
    expect(() => readAllStdin({ maxBytes: cap, read: endless })).toThrow("input is larger than 1048576 bytes");
    expect(given).toBe(cap + 1);
  });

  // A Windows pipe whose writer has closed reports an error rather than a 0-byte read.
  for (const code of ["EOF", "EPIPE", "ERROR_BROKEN_PIPE"]) {
    it(`treats ${code} after the data as the end of the request`, () => {
      const s = source(enc("host=x\n"), 100, () => {
        throw errno(code);
      });
      expect(readAllStdin({ maxBytes: 1024, read: s.read })).toBe("host=x\n");
    });
  }

  it("treats a closed stdin (EBADF) as an empty request", () => {
    const closed: ReadChunk = () => {
      throw errno("EBADF");
    };
    expect(readAllStdin({ maxBytes: 1024, read: closed })).toBe("");
  });

  it("waits on a non-blocking stdin (EAGAIN) until the writer has sent everything", () => {
    const parts = [errno("EAGAIN"), enc("protocol=https\n"), errno("EAGAIN"), errno("EWOULDBLOCK"), enc("host=x\n\n")];
    const pauses: number[] = [];
    const read: ReadChunk = (buf, offset) => {
      const p = parts.shift();
      if (p === undefined) return 0;
      if (p instanceof Error) throw p;
      buf.set(p, offset);
      return p.length;
    };
    expect(readAllStdin({ maxBytes: 1024, read, pause: (ms) => void pauses.push(ms) })).toBe("protocol=https\nhost=x\n\n");
    expect(pauses).toEqual([1, 1, 1]);
  });

  it("passes any other read error on", () => {
    const broken: ReadChunk = () => {
      throw errno("EIO");
    };
    expect(() => readAllStdin({ maxBytes: 1024, read: broken })).toThrow("EIO");
  });

  it("reads this process's real stdin when nothing is injected", async () => {
    const script = `import { readAllStdin } from ${JSON.stringify(`${import.meta.dir}/../../src/platform/stdin.ts`)};\nprocess.stdout.write(JSON.stringify(readAllStdin({ maxBytes: 64 })));`;
    const run = async (input: string) => {
      const p = Bun.spawn([process.execPath, "-e", script], { stdin: new TextEncoder().encode(input), stdout: "pipe", stderr: "pipe" });
      const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
      return { out, err, code };
    };
    expect(await run("host=x\n\n")).toEqual({ out: JSON.stringify("host=x\n\n"), err: "", code: 0 });
    const big = await run("x".repeat(65));
    expect(big.code).not.toBe(0);
    expect(big.err).toContain("input is larger than 64 bytes");
  });
});
