// Where the credential helper signs in and the picker draws when stdin/stdout are not the person's:
// /dev/tty on Linux and macOS, the console devices on Windows — with the platform and open() injected.
// (A real Windows console cannot be driven here: docs/platforms.md.)
import { describe, expect, it } from "bun:test";
import { consoleDevice, openConsoleOutput } from "../../src/platform/console";

describe("the person's terminal", () => {
  it("is the console on Windows, opened as an existing device", () => {
    expect(consoleDevice("win32")).toEqual({ input: "CONIN$", output: "CONOUT$", outputFlags: "r+" });
    const opened: Array<[string, string]> = [];
    expect(openConsoleOutput("win32", (p, f) => (opened.push([p, f]), 7))).toBe(7);
    expect(opened).toEqual([["CONOUT$", "r+"]]);
  });

  for (const platform of ["linux", "darwin"]) {
    it(`is /dev/tty on ${platform}`, () => {
      expect(consoleDevice(platform)).toEqual({ input: "/dev/tty", output: "/dev/tty", outputFlags: "w" });
      const opened: string[] = [];
      expect(openConsoleOutput(platform, (p) => (opened.push(p), 5))).toBe(5);
      expect(opened).toEqual(["/dev/tty"]);
    });
  }

  it("is absent (undefined, not an exception) when the device cannot be opened", () => {
    const fail = () => {
      throw Object.assign(new Error("ENXIO: no such device or address, open '/dev/tty'"), { code: "ENXIO" });
    };
    expect(openConsoleOutput("linux", fail)).toBeUndefined();
    expect(openConsoleOutput("win32", fail)).toBeUndefined();
  });

  it("is absent for a process without a controlling terminal (setsid), on this machine for real", () => {
    const script = `import { openConsoleOutput } from ${JSON.stringify(`${import.meta.dir}/../../src/platform/console.ts`)}; console.log(String(openConsoleOutput()));`;
    const r = Bun.spawnSync(["setsid", "-w", process.execPath, "-e", script], { stdin: "ignore" });
    expect(r.stdout.toString().trim()).toBe("undefined");
  });
});
