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

  it("shows a group's commands when the group is given alone, as a usage error", async () => {
    const t = testContext();
    expect(await run(["sso"], t.ctx)).toBe(2);
    expect(t.stdout()).toContain("  sso login   Sign in to IAM Identity Center");
  });

  it("rejects an unknown flag with exit 2", async () => {
    const t = testContext();
    expect(await run(["sso", "login", "--frob"], t.ctx)).toBe(2);
    expect(t.stderr()).toBe("ccsso: unknown option --frob for ccsso sso login — run: ccsso help sso login\n");
  });

  it("shows per-command help with the command's flags", async () => {
    const t = testContext();
    expect(await run(["sso", "login", "--help"], t.ctx)).toBe(0);
    expect(t.stdout()).toContain("--use-device-code");
    expect(t.stdout()).toContain("ccsso sso login");
  });
});

/** Runs argv and gives back exactly what a person sees. */
async function typed(...argv: string[]) {
  const t = testContext();
  const code = await run(argv, t.ctx);
  return { code, stdout: t.stdout(), stderr: t.stderr() };
}

describe("groups", () => {
  it.each([[["sso", "--help"]], [["sso", "-h"]], [["help", "sso"]]])("%p lists the sso commands and exits 0", async (argv) => {
    const r = await typed(...argv);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n").slice(0, 9)).toEqual([
      "ccsso sso — sign in to and out of IAM Identity Center",
      "",
      "Usage:",
      "  ccsso sso <command> [options]",
      "",
      "Commands:",
      "  sso login   Sign in to IAM Identity Center and cache the token (shared with the AWS CLI)",
      "  sso logout  Sign out and delete the cached token and role credentials",
      "  sso status  Show every SSO session, its expiry and cached role credentials (no secrets)",
    ]);
  });

  it("`ccsso configure --help` and `ccsso help configure` list the configure commands", async () => {
    for (const argv of [
      ["configure", "--help"],
      ["help", "configure"],
    ]) {
      const r = await typed(...argv);
      expect(r.code).toBe(0);
      expect(r.stdout.split("\n").filter((l) => l.startsWith("  configure "))).toEqual([
        "  configure sso          Create or update an SSO profile (the `aws configure sso` wizard)",
        "  configure sso-session  Create or update only an [sso-session] section",
        "  configure populate     Write one profile per account and role you can reach",
      ]);
    }
  });
});

describe("did you mean", () => {
  it.each([
    [["whomai"], 'ccsso: unknown command "whomai" — did you mean "ccsso whoami"? (ccsso --help lists them)'],
    [["sso", "lgoin"], 'ccsso: unknown command "sso lgoin" — did you mean "ccsso sso login"? (ccsso help sso lists them)'],
    [["help", "whomai"], 'ccsso: unknown command "whomai" — did you mean "ccsso whoami"? (ccsso --help lists them)'],
    [
      ["configure", "sso-sesion"],
      'ccsso: unknown command "configure sso-sesion" — did you mean "ccsso configure sso-session"? (ccsso help configure lists them)',
    ],
    [["frobnicate"], 'ccsso: unknown command "frobnicate" — run: ccsso --help'],
    [["sso", "frobnicate"], 'ccsso: unknown command "sso frobnicate" — run: ccsso help sso'],
    [["whoami", "--porfile", "dev"], "ccsso: unknown option --porfile for ccsso whoami — did you mean --profile?"],
    [["whoami", "--porfile=dev"], "ccsso: unknown option --porfile for ccsso whoami — did you mean --profile?"],
    [["sso", "login", "--use-device"], "ccsso: unknown option --use-device for ccsso sso login — did you mean --use-device-code?"],
    [["--verison"], "ccsso: unknown option --verison — did you mean --version?"],
    [["verison"], 'ccsso: unknown command "verison" — did you mean "ccsso version"? (ccsso --help lists them)'],
    [["exec", "--porfile", "dev", "aws"], "ccsso: unknown option --porfile for ccsso exec — did you mean --profile?"],
    [
      ["exec", "--profile", "dev", "aws", "s3", "ls", "--recursive"],
      "ccsso: unknown option --recursive for ccsso exec — run: ccsso exec --profile dev -- aws s3 ls --recursive",
    ],
    [
      ["exec", "--profile=dev", "sh", "-c", "echo it's"],
      "ccsso: unknown option -c for ccsso exec — run: ccsso exec --profile=dev -- sh -c 'echo it'\\''s'",
    ],
  ])("%p → one line with the suggestion, exit 2", async (argv, line) => {
    const r = await typed(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(line + "\n");
  });
});

describe("positional arguments", () => {
  it.each([
    [["whoami", "--profile", "dev", "extra"], 'ccsso: unexpected argument "extra" — usage: ccsso whoami [options]'],
    [["sso", "status", "now"], 'ccsso: unexpected argument "now" — usage: ccsso sso status [options]'],
    [["clone", "repo", "dir", "more"], 'ccsso: unexpected argument "more" — usage: ccsso clone <repository> [directory] [options]'],
    [["doctor", "--", "x"], 'ccsso: unexpected argument "x" — usage: ccsso doctor [options]'],
  ])("%p is a usage error naming the first extra word", async (argv, line) => {
    const r = await typed(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(line + "\n");
  });

  it("`ccsso completion` without a shell prints the error, then its usage, and exits 2", async () => {
    const r = await typed("completion");
    expect(r.code).toBe(2);
    const lines = r.stderr.split("\n");
    expect(lines[0]).toBe("ccsso: missing <shell> (bash, zsh, fish, powershell) — usage: ccsso completion <shell>");
    expect(lines).toContain("  $ ccsso completion <shell>");
    expect(lines).toContain('eval "$(ccsso completion bash)"');
    expect(r.stdout).toBe("");
  });

  it("passes everything after `--` to exec, however many words", async () => {
    const r = await typed("exec", "--", "nosuch-command-for-ccsso-test", "a", "b");
    expect(r.stderr).not.toContain("unexpected argument");
  });
});

describe("option values", () => {
  it.each([
    [["whoami", "--profile"], "ccsso: --profile needs a value — usage: --profile <name>"],
    [["whoami", "--profile", "--json"], "ccsso: --profile needs a value — usage: --profile <name>"],
    [["whoami", "--json=yes"], "ccsso: --json takes no value — run: ccsso help whoami"],
    [["sso", "login", "--no-browser=1"], "ccsso: --no-browser takes no value — run: ccsso help sso login"],
  ])("%p is a usage error naming the flag", async (argv, line) => {
    const r = await typed(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(line + "\n");
  });

  it("takes --debug before the command, as git takes its own options", async () => {
    const t = testContext();
    expect(await run(["--debug", "sso", "--help"], t.ctx)).toBe(0);
    expect(t.ctx.debug).toBe(true);
    expect(t.stdout()).toContain("  sso login ");
  });
});
