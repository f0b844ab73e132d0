// The rename at the end of every atomic write, with the platform, the rename and the wait injected:
// Windows sharing violations are waited out within a bound, then reported as a file in use; nothing
// else is retried, and nothing at all is retried off Windows. A real Windows process holding a file
// open is test/platform/windows.test.ts (under Wine).
import { afterEach, describe, expect, it } from "bun:test";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { FileInUseError, RENAME_RETRY_DELAYS_MS, atomicWriteFile, replaceFile, type ReplaceDeps } from "../../src/store/atomic-file";
import { renderError } from "../../src/cli/render-error";
import { testContext } from "../../src/platform/context";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const errno = (code: string) => Object.assign(new Error(`${code}: operation not permitted, rename`), { code });

/** A rename that fails with `failures` in turn, then succeeds. */
function scripted(platform: string, failures: string[]) {
  const calls: Array<[string, string]> = [];
  const waits: number[] = [];
  const deps: ReplaceDeps = {
    platform,
    rename(from, to) {
      calls.push([from, to]);
      const f = failures.shift();
      if (f) throw errno(f);
    },
    sleep: (ms) => void waits.push(ms),
  };
  return { deps, calls, waits };
}

describe("replaceFile on Windows", () => {
  for (const code of ["EPERM", "EACCES", "EBUSY"]) {
    it(`waits out a short ${code} and replaces the file`, () => {
      const s = scripted("win32", [code, code, code]);
      replaceFile("a.tmp", "config", s.deps);
      expect(s.calls).toHaveLength(4);
      expect(s.waits).toEqual([10, 20, 40]);
    });
  }

  it("gives up after the last wait with an error that names the file and the real cause", () => {
    const s = scripted("win32", Array(100).fill("EPERM"));
    let err: unknown;
    try {
      replaceFile("a.tmp", "C:\\Users\\alice\\.aws\\config", s.deps);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FileInUseError);
    expect(s.waits).toEqual([...RENAME_RETRY_DELAYS_MS]);
    expect(s.calls).toHaveLength(RENAME_RETRY_DELAYS_MS.length + 1);
    const t = testContext();
    expect(renderError(err, t.ctx)).toBe(1);
    expect(t.stderr()).toBe(
      "ccsso: C:\\Users\\alice\\.aws\\config is open in another program, so it could not be replaced; nothing was changed — close the program that has it open (an editor, another AWS tool) and run the command again\n",
    );
    expect(t.stderr()).not.toContain("permission");
  });

  it("keeps the whole wait bounded and growing", () => {
    const total = RENAME_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(1000);
    expect(total).toBeLessThanOrEqual(2000);
    for (let i = 1; i < RENAME_RETRY_DELAYS_MS.length; i++)
      expect(RENAME_RETRY_DELAYS_MS[i]!).toBeGreaterThanOrEqual(RENAME_RETRY_DELAYS_MS[i - 1]!);
  });

  it("does not retry other errors", () => {
    const s = scripted("win32", ["ENOENT"]);
    expect(() => replaceFile("a.tmp", "config", s.deps)).toThrow("ENOENT");
    expect(s.calls).toHaveLength(1);
    expect(s.waits).toEqual([]);
  });
});

describe("replaceFile elsewhere", () => {
  for (const platform of ["linux", "darwin"]) {
    it(`${platform}: an EACCES is a permission problem, reported at once`, () => {
      const s = scripted(platform, ["EACCES"]);
      expect(() => replaceFile("a.tmp", "config", s.deps)).toThrow("EACCES");
      expect(s.calls).toHaveLength(1);
      expect(s.waits).toEqual([]);
    });
  }
});

describe("atomicWriteFile with a held target", () => {
  let sbx: Sandbox | undefined;
  afterEach(() => sbx?.cleanup());

  it("writes once the holder lets go, leaving no temp file", () => {
    sbx = makeSandbox();
    const path = sbx.path(".aws", "config");
    const real = require("node:fs") as typeof import("node:fs");
    let held = 2;
    atomicWriteFile(
      path,
      "[default]\n",
      {},
      {
        platform: "win32",
        rename(from, to) {
          if (held-- > 0) throw errno("EPERM");
          real.renameSync(from, to);
        },
        sleep: () => {},
      },
    );
    expect(readFileSync(path, "utf8")).toBe("[default]\n");
    expect(readdirSync(sbx.path(".aws"))).toEqual(["config"]);
  });

  it("leaves the old file and no temp file when the holder never lets go", () => {
    sbx = makeSandbox();
    const path = sbx.path(".aws", "config");
    atomicWriteFile(path, "old\n");
    expect(() =>
      atomicWriteFile(
        path,
        "new\n",
        {},
        {
          platform: "win32",
          rename: () => {
            throw errno("EBUSY");
          },
          sleep: () => {},
        },
      ),
    ).toThrow(FileInUseError);
    expect(readFileSync(path, "utf8")).toBe("old\n");
    expect(readdirSync(sbx.path(".aws"))).toEqual(["config"]);
    expect(existsSync(path)).toBe(true);
  });
});
