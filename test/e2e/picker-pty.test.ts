import { describe, expect, it } from "bun:test";
import { join } from "node:path";
import { keys, runInPty } from "../helpers/pty";
import { makeSandbox } from "../helpers/sandbox";

const fixture = join(import.meta.dir, "..", "fixtures", "pick-one.ts");
const pick = (steps: Parameters<typeof runInPty>[1]["steps"], count = 300) => {
  const sandbox = makeSandbox();
  return runInPty([process.execPath, fixture, String(count)], { env: sandbox.env, steps }).finally(() => sandbox.cleanup());
};

describe("the picker in a real terminal", () => {
  it("shows ten rows with the first highlighted and picks the third after two arrow-downs", async () => {
    const r = await pick([{ expect: "item-009" }, { send: keys.down + keys.down + keys.enter }, { expect: "picked" }]);
    expect(r.failed).toBeNull();
    expect(r.screen).toContain("> item-000");
    expect(r.screen).not.toContain("item-010\n");
    expect(r.screen).toContain("picked item-002");
    expect(r.code).toBe(0);
  });

  it("narrows the list as the user types and picks from the matches", async () => {
    const r = await pick([
      { expect: "item-009" },
      { send: "item-25" },
      { expect: '10 of 300 match "item-25"' },
      { send: keys.down + keys.enter },
      { expect: "picked" },
    ]);
    expect(r.failed).toBeNull();
    expect(r.screen).toContain("picked item-251");
  });

  it("scrolls past the tenth row", async () => {
    const r = await pick([
      { expect: "item-009" },
      { send: keys.down.repeat(12) },
      { expect: "> item-012" },
      { send: keys.enter },
      { expect: "picked" },
    ]);
    expect(r.failed).toBeNull();
    expect(r.screen).toContain("picked item-012");
  });

  it("stops on Ctrl-C and leaves the terminal usable (cursor shown again)", async () => {
    const r = await pick([{ expect: "item-009" }, { send: keys.ctrlC }, { expect: "stopped" }]);
    expect(r.failed).toBeNull();
    expect(r.code).toBe(130);
    expect(r.output).toContain("\x1b[?25h");
  });
});
