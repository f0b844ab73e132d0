// The helper value ccsso writes into git config, run by REAL git: a stand-in `ccsso` script placed under
// directory names that need quoting answers `git credential fill` only if git's shell ran it with the
// right words. Both ways the value reaches git are exercised: a config file entry and GIT_CONFIG_KEY/VALUE.
import { afterEach, describe, expect, it } from "bun:test";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { appendGitConfig, helperEnvForHost, helperLineProfile, helperValue, isOurHelper } from "../../src/cli/git-helper-line";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sbx: Sandbox;
afterEach(() => sbx?.cleanup());

const HOST = "git-codecommit.us-east-1.amazonaws.com";

/** A `ccsso` that answers `credential-helper [--profile P] get` with its own arguments as the password. */
function fakeCcsso(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "ccsso");
  writeFileSync(path, `#!/bin/sh\ncat >/dev/null\nprintf 'username=ran\\npassword=%s\\n' "$*"\n`);
  chmodSync(path, 0o755);
  return path;
}

function fill(env: Record<string, string>, args: string[] = []): { code: number; stdout: string; stderr: string } {
  const r = Bun.spawnSync(["git", ...args, "credential", "fill"], {
    env: { ...sbx.env, ...env },
    stdin: new TextEncoder().encode(`url=https://${HOST}/v1/repos/demo\n\n`),
  });
  return { code: r.exitCode ?? 1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const NAMES = ["my tools", "o'brien", "back\\slash", "dollar$HOME", "both ' and \\ and \""];

describe("helperValue: a line git's shell runs as written", () => {
  it.each(NAMES)("runs a ccsso installed under %j from the config file", (name) => {
    sbx = makeSandbox();
    const bin = fakeCcsso(join(sbx.home, name, "bin"));
    const value = helperValue([bin, "credential-helper", "--profile", "dev"], "linux");
    expect(value.startsWith("!")).toBe(true);
    expect(isOurHelper(value)).toBe(true);
    expect(helperLineProfile(value)).toBe("dev");
    const key = `credential.https://git-codecommit.*.amazonaws.com.helper`;
    expect(Bun.spawnSync(["git", "config", "--global", "--add", key, value], { env: sbx.env }).exitCode).toBe(0);
    const r = fill({}, []);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("username=ran\npassword=credential-helper --profile dev get\n");
  });

  it.each(NAMES)("runs a ccsso installed under %j from GIT_CONFIG_KEY/VALUE, after any the user set", (name) => {
    sbx = makeSandbox();
    const bin = fakeCcsso(join(sbx.home, name, "bin"));
    const userEntries = appendGitConfig({}, [["user.name", "someone"]]);
    const env = {
      ...userEntries,
      ...appendGitConfig(userEntries, [
        [`credential.https://${HOST}.helper`, ""],
        [`credential.https://${HOST}.helper`, helperValue([bin, "credential-helper"], "linux")],
      ]),
    };
    expect(env.GIT_CONFIG_COUNT).toBe("3");
    const r = fill(env);
    expect(r.stdout).toContain("password=credential-helper get\n");
  });

  it("writes the old, unprefixed form's failure mode away: a quoted path without `!` is not run", () => {
    // Why the `!` exists: git treats a value that starts with a quote as the name of a git sub-command.
    sbx = makeSandbox();
    const bin = fakeCcsso(join(sbx.home, "my tools", "bin"));
    const old = `'${bin}' credential-helper`;
    const r = fill({}, ["-c", `credential.helper=${old}`]);
    expect(r.stderr).toContain("is not a git command");
    const now = fill({}, ["-c", `credential.helper=${helperValue([bin, "credential-helper"], "linux")}`]);
    expect(now.stdout).toContain("username=ran");
  });

  it("writes a Windows executable with forward slashes, single-quoted for Git for Windows' sh", () => {
    expect(helperValue(["C:\\Users\\me\\bin\\ccsso.exe", "credential-helper"], "win32")).toBe(
      "!C:/Users/me/bin/ccsso.exe credential-helper",
    );
    expect(helperValue(["C:\\Program Files\\ccsso\\ccsso.exe", "credential-helper", "--profile", "dev"], "win32")).toBe(
      "!'C:/Program Files/ccsso/ccsso.exe' credential-helper --profile dev",
    );
    expect(helperValue(["C:\\Users\\o'brien\\ccsso.exe", "credential-helper"], "win32")).toBe(
      "!'C:/Users/o'\\''brien/ccsso.exe' credential-helper",
    );
    // Elsewhere a backslash is part of a directory's name and stays, inside quotes.
    expect(helperValue(["/opt/back\\slash/ccsso", "credential-helper"], "linux")).toBe("!'/opt/back\\slash/ccsso' credential-helper");
  });

  it("helperEnvForHost gives the child git an empty helper, ours, and useHttpPath for that one host", () => {
    const env = helperEnvForHost({ env: { GIT_CONFIG_COUNT: "1" } }, HOST, { profile: "dev", region: "eu-west-1" });
    expect(env.GIT_CONFIG_COUNT).toBe("4");
    expect(env.GIT_CONFIG_KEY_1).toBe(`credential.https://${HOST}.helper`);
    expect(env.GIT_CONFIG_VALUE_1).toBe("");
    expect(env.GIT_CONFIG_VALUE_2).toMatch(/^!.* credential-helper --profile dev --region eu-west-1$/);
    expect(env.GIT_CONFIG_KEY_3).toBe(`credential.https://${HOST}.useHttpPath`);
  });
});
