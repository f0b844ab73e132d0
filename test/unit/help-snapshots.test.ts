// Every command's --help, snapshotted: a flag renamed, dropped or re-described shows up in review as a
// diff of what users read. After an intended change: bun test test/unit/help-snapshots.test.ts --update-snapshots
import { describe, expect, it } from "bun:test";
import { GROUPS } from "../../src/cli/command-defs";
import { definitions } from "../../src/cli/command-table";
import { run } from "../../src/cli/run";
import { testContext } from "../../src/platform/context";

describe("--help", () => {
  it("for ccsso itself lists every visible command", async () => {
    const t = testContext();
    expect(await run(["--help"], t.ctx)).toBe(0);
    // The first line carries the version, which changes with every release.
    expect(t.stdout().split("\n").slice(1).join("\n")).toMatchSnapshot();
  });

  it.each(definitions.map((c) => [c.path.join(" ")]))("for ccsso %s", async (path) => {
    const t = testContext();
    expect(await run([...path.split(" "), "--help"], t.ctx)).toBe(0);
    expect(t.stderr()).toBe("");
    expect(t.stdout()).toContain(`ccsso ${path}`);
    expect(t.stdout()).toMatchSnapshot();
  });

  it("is the same through `ccsso help <command>`", async () => {
    for (const c of definitions) {
      const a = testContext();
      const b = testContext();
      await run([...c.path, "--help"], a.ctx);
      await run(["help", ...c.path], b.ctx);
      expect(b.stdout()).toBe(a.stdout());
    }
  });

  it.each(Object.keys(GROUPS).map((g) => [g]))("for the group ccsso %s, the same through `ccsso help %s`", async (group) => {
    const a = testContext();
    const b = testContext();
    expect(await run([group, "--help"], a.ctx)).toBe(0);
    expect(await run(["help", group], b.ctx)).toBe(0);
    expect(b.stdout()).toBe(a.stdout());
    expect(a.stdout()).toMatchSnapshot();
  });
});
