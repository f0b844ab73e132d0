// Typed command definitions: the options a run function receives are exactly what was typed, read from
// the one declaration that also drives --help and completion.
import { describe, expect, it } from "bun:test";
import { definitions } from "../../src/cli/command-table";
import { negated, optionsWith, parserKey, positionalUsage, readOptions, text, toggle } from "../../src/cli/command-model";
import { configurePopulate, setupGit } from "../../src/cli/command-defs";
import { flagValueSources } from "../../src/cli/completion";
import { run } from "../../src/cli/run";
import { testContext } from "../../src/platform/context";
import { makeSandbox } from "../helpers/sandbox";

const defs = {
  profile: text("--profile <name>", "profile"),
  format: text("--format <format>", "format", { default: "process" }),
  json: toggle("--json", "json"),
  browser: negated("--no-browser", "browser"),
};

describe("reading the parser's options into the declared shape", () => {
  it.each([
    [{}, { profile: undefined, format: "process", json: false, browser: true }],
    [
      { profile: "dev", format: "env", json: true, browser: false },
      { profile: "dev", format: "env", json: true, browser: false },
    ],
    [{ profile: ["a", "b"] }, { profile: "b", format: "process", json: false, browser: true }], // the last one wins, as in git and gh
    [{ profile: "" }, { profile: "", format: "process", json: false, browser: true }],
  ])("%p → %p", (parsed, expected) => {
    expect(readOptions(defs, parsed)).toEqual(expected);
  });

  it("names cac's keys the way cac camel-cases flags", () => {
    expect(parserKey(text("--sso-session <name>", ""))).toBe("ssoSession");
    expect(parserKey(negated("--no-input", ""))).toBe("input");
    expect(parserKey(toggle("--use-device-code", ""))).toBe("useDeviceCode");
  });

  it("refuses declarations that would not parse the way they read", () => {
    expect(() => text("--profile", "no value placeholder")).toThrow();
    expect(() => toggle("--no-browser", "a negated flag declared as a plain switch")).toThrow();
    expect(() => negated("--browser", "")).toThrow();
  });

  it("writes positional usage as cac and the help show it", () => {
    expect(positionalUsage([{ name: "repository", required: true }, { name: "directory" }])).toBe("<repository> [directory]");
    expect(positionalUsage([{ name: "command", variadic: true }])).toBe("[...command]");
    expect(positionalUsage(undefined)).toBe("");
  });

  it("fills defaults for the options a caller leaves out", () => {
    expect(optionsWith(setupGit, { local: true })).toEqual({
      profile: undefined,
      global: false,
      system: false,
      local: true,
      uninstall: false,
    });
    expect(optionsWith(configurePopulate).profileTemplate).toBe("{account_name}.{role_name}");
  });
});

describe("the command definitions", () => {
  it("declare each option key as the name cac reads it under (so --help and the value agree)", () => {
    for (const d of definitions)
      for (const [key, o] of Object.entries(d.options)) expect(`${d.path.join(" ")} ${key}`).toBe(`${d.path.join(" ")} ${parserKey(o)}`);
  });

  it("give every command that checks a Region flag the way past the list (--allow-unknown-region)", () => {
    const checking = definitions.filter((d) => Object.values(d.options).some((o) => o.kind === "text" && o.region));
    expect(checking.map((d) => d.path.join(" "))).toEqual([
      "configure sso",
      "configure sso-session",
      "configure populate",
      "clone",
      "repos",
      "console",
      "browse",
    ]);
    for (const d of checking)
      expect({ command: d.path.join(" "), flags: Object.values(d.options).map((o) => o.flag) }).toMatchObject({
        flags: expect.arrayContaining(["--allow-unknown-region"]),
      });
  });

  it("complete a flag's value the same way in every command (the scripts look values up by flag alone)", () => {
    const first = flagValueSources(definitions);
    for (const d of definitions) {
      for (const o of Object.values(d.options)) {
        if (o.kind === "text" && o.completes)
          expect({ flag: o.flag, completes: o.completes }).toEqual({ flag: o.flag, completes: first[o.flag.split(" ")[0]!]! });
      }
    }
  });
});

describe("values reach commands exactly as typed", () => {
  it("keeps a number-like profile name as text, leading zeros and all", async () => {
    const sbx = makeSandbox();
    try {
      const t = testContext({ env: sbx.env });
      expect(await run(["export-credentials", "--profile", "007"], t.ctx)).toBe(1);
      expect(t.stderr()).toContain('profile "007" was not found');
      const u = testContext({ env: sbx.env });
      expect(await run(["export-credentials", "--profile=0042"], u.ctx)).toBe(1);
      expect(u.stderr()).toContain('profile "0042" was not found');
    } finally {
      sbx.cleanup();
    }
  });
});
