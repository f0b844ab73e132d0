import { describe, expect, it } from "bun:test";
import { run } from "../../src/cli/run";
import { testContext } from "../../src/platform/context";

describe("the command line", () => {
  it("prints the command list for --help and exits 0", async () => {
    const t = testContext();
    expect(await run(["--help"], t.ctx)).toBe(0);
    expect(t.stdout()).toContain("sso login");
    expect(t.stdout()).toContain("credential-helper");
  });

  it("treats an unknown command as a usage error with one line naming the fix", async () => {
    const t = testContext();
    expect(await run(["frobnicate"], t.ctx)).toBe(2);
    expect(t.stderr().trim().split("\n")).toHaveLength(1);
    expect(t.stderr()).toContain('unknown command "frobnicate"');
  });

  it("asks for a subcommand when a group is given alone", async () => {
    const t = testContext();
    expect(await run(["sso"], t.ctx)).toBe(2);
    expect(t.stderr()).toContain("needs a subcommand");
  });

  it("rejects an unknown flag with exit 2", async () => {
    const t = testContext();
    expect(await run(["sso", "login", "--frob"], t.ctx)).toBe(2);
    expect(t.stderr()).toMatch(/Unknown option `--frob`/);
  });

  it("shows per-command help with the command's flags", async () => {
    const t = testContext();
    expect(await run(["sso", "login", "--help"], t.ctx)).toBe(0);
    expect(t.stdout()).toContain("--use-device-code");
    expect(t.stdout()).toContain("ccsso sso login");
  });
});
