// setup-git against the real git config machinery (a sandbox GIT_CONFIG_GLOBAL), run in-process.
import { afterEach, describe, expect, it } from "bun:test";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setupGit } from "../../src/cli/command-defs";
import { type OptionsOf, optionsWith } from "../../src/cli/command-model";
import { isOurHelper } from "../../src/cli/git-helper-line";
import {
  CODECOMMIT_URL_PATTERNS,
  installHelperPrograms,
  type ProgramFiles,
  realProgramFiles,
  removeHelperPrograms,
  run,
} from "../../src/cli/setup-git";
import { programName } from "../../src/platform/program-name";
import { cliExecutable } from "../../src/platform/self-path";
import { testContext } from "../../src/platform/context";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sbx: Sandbox;
afterEach(() => sbx?.cleanup());

function git(args: string[]): string {
  const r = Bun.spawnSync(["git", ...args], { env: sbx.env });
  return r.stdout.toString();
}

async function setup(given: Partial<OptionsOf<typeof setupGit>> = {}) {
  const t = testContext({ env: sbx.env });
  const code = await run(optionsWith(setupGit, given), [], t.ctx);
  return { code, out: t.stdout(), err: t.stderr() };
}

describe("ccsso setup-git", () => {
  it("writes an empty helper, ours by absolute path, and useHttpPath for all five CodeCommit URL patterns", async () => {
    sbx = makeSandbox();
    expect((await setup()).code).toBe(0);
    for (const p of CODECOMMIT_URL_PATTERNS) {
      const helpers = git(["config", "--global", "--null", "--get-all", `credential.${p}.helper`])
        .split("\0")
        .slice(0, -1);
      expect(helpers).toHaveLength(2);
      expect(helpers[0]).toBe("");
      expect(helpers[1]).toMatch(/^!\/\S+ \/\S+\/src\/main\.ts credential-helper$/);
      expect(git(["config", "--global", `credential.${p}.useHttpPath`]).trim()).toBe("true");
    }
  });

  it("makes git pick our helper, and only ours, for a real CodeCommit URL", async () => {
    sbx = makeSandbox();
    git(["config", "--global", "credential.helper", "store"]);
    await setup();
    const r = git([
      "config",
      "--global",
      "--get-urlmatch",
      "credential.helper",
      "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/x",
    ]);
    expect(r.trim()).toMatch(/credential-helper$/);
    const vpc = git([
      "config",
      "--global",
      "--get-urlmatch",
      "credential.usehttppath",
      "https://vpce-0abc-xyz.git-codecommit.us-east-1.vpce.amazonaws.com/v1/repos/x",
    ]);
    expect(vpc.trim()).toBe("true");
    const other = git(["config", "--global", "--get-urlmatch", "credential.helper", "https://github.com/o/r"]);
    expect(other.trim()).toBe("store");
  });

  it("writes the profile into the helper command, and says which profile each URL pattern uses", async () => {
    sbx = makeSandbox();
    sbx.writeConfig("[profile dev]\nregion = us-east-1\n");
    const r = await setup({ profile: "dev" });
    for (const p of CODECOMMIT_URL_PATTERNS) expect(r.out).toContain(`  ${p} → profile dev (--profile)\n`);
    expect(git(["config", "--global", "--get-all", "credential.https://git-codecommit.*.amazonaws.com.helper"])).toContain(
      "credential-helper --profile dev\n",
    );
  });

  it("is idempotent: a second run changes no byte", async () => {
    sbx = makeSandbox();
    await setup();
    const first = readFileSync(sbx.gitConfig, "utf8");
    const again = await setup();
    expect(readFileSync(sbx.gitConfig, "utf8")).toBe(first);
    expect(again.out).toContain("nothing changed");
  });

  it("refuses a profile that is not in the AWS config, with a did-you-mean, and keeps the working entries", async () => {
    sbx = makeSandbox();
    sbx.writeConfig("[profile dev]\nregion = us-east-1\n\n[profile prod]\nregion = us-east-1\n");
    await setup({ profile: "dev" });
    const before = readFileSync(sbx.gitConfig, "utf8");
    const err = await setup({ profile: "dve" }).catch((e: Error & { hint?: string }) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('profile "dve" was not found in the AWS config');
    expect((err as { hint?: string }).hint).toBe(
      "did you mean dev? available profiles: dev, prod; or run: ccsso configure sso --profile dve",
    );
    expect(readFileSync(sbx.gitConfig, "utf8")).toBe(before);
  });

  it("without --profile, names the profile the environment selects and the settings file's repository rules", async () => {
    sbx = makeSandbox();
    sbx.writeConfig("[profile dev]\nregion = us-east-1\n");
    mkdirSync(join(sbx.home, ".config", "ccsso"), { recursive: true });
    writeFileSync(
      join(sbx.home, ".config", "ccsso", "config.toml"),
      '[[repository]]\nurl = "https://git-codecommit.*.amazonaws.com/v1/repos/team-*"\nprofile = "dev"\n',
    );
    const r = await setup();
    expect(r.out).toContain("  https://git-codecommit.*.amazonaws.com/v1/repos/team-* → profile dev (");
    expect(r.out).toContain(
      "  https://git-codecommit.*.amazonaws.com → profile default (the default profile when git runs, which is not in the AWS config)\n",
    );
    expect(r.out).toContain("To sign with one of dev, run: ccsso setup-git --profile <name> (or set AWS_PROFILE)\n");
  });

  it("replaces its own helper when the profile changes, without duplicating", async () => {
    sbx = makeSandbox();
    sbx.writeConfig("[profile a]\n[profile b]\n");
    await setup({ profile: "a" });
    await setup({ profile: "b" });
    const helpers = git(["config", "--global", "--get-all", "credential.https://git-codecommit.*.amazonaws.com.helper"])
      .split("\n")
      .filter(Boolean);
    expect(helpers).toHaveLength(1);
    expect(helpers[0]).toMatch(/--profile b$/);
  });

  it("replaces a helper line in the old form (no `!`) on upgrade, and --uninstall removes either form", async () => {
    sbx = makeSandbox();
    const key = "credential.https://git-codecommit.*.amazonaws.com.helper";
    git(["config", "--global", "--add", key, ""]);
    git(["config", "--global", "--add", key, "'/old place/bin/ccsso' credential-helper --profile dev"]);
    await setup();
    const helpers = git(["config", "--global", "--null", "--get-all", key]).split("\0").slice(0, -1);
    expect(helpers).toHaveLength(2);
    expect(helpers[0]).toBe("");
    expect(helpers[1]).toMatch(/^!.*credential-helper$/);
    git(["config", "--global", "--add", key, "/usr/local/bin/ccsso credential-helper"]);
    await setup({ uninstall: true });
    expect(git(["config", "--global", "--get-all", key])).toBe("");
  });

  it("--uninstall leaves the file as it was before setup", async () => {
    sbx = makeSandbox();
    git(["config", "--global", "credential.helper", "store"]);
    git(["config", "--global", "credential.https://git-codecommit.*.amazonaws.com.username", "keep-me"]);
    const before = readFileSync(sbx.gitConfig, "utf8");
    await setup();
    expect(readFileSync(sbx.gitConfig, "utf8")).not.toBe(before);
    const r = await setup({ uninstall: true });
    expect(r.code).toBe(0);
    expect(readFileSync(sbx.gitConfig, "utf8")).toBe(before);
  });

  it("offers protocol.codecommit.allow for submodules instead of writing it unasked", async () => {
    sbx = makeSandbox();
    const r = await setup();
    expect(r.out).toContain("git config --global protocol.codecommit.allow always");
    expect(git(["config", "--global", "protocol.codecommit.allow"])).toBe("");
  });

  it("refuses two scopes at once", async () => {
    sbx = makeSandbox();
    await expect(setup({ global: true, system: true })).rejects.toThrow(/choose one/);
  });

  it("needs a repository for --local", async () => {
    sbx = makeSandbox();
    await expect(run(optionsWith(setupGit, { local: true }), [], { ...testContext({ env: sbx.env }).ctx, cwd: sbx.home })).rejects.toThrow(
      /git repository/,
    );
  });
});

describe("recognising ccsso's own helper lines", () => {
  it.each([
    ["/usr/local/bin/ccsso credential-helper", true],
    ["/usr/local/bin/ccsso credential-helper --profile dev", true],
    ["'/Users/a b/bin/ccsso' credential-helper", true],
    ["!'/Users/a b/bin/ccsso' credential-helper --profile dev", true],
    ["!/usr/local/bin/ccsso credential-helper", true],
    ["!'C:/Users/me/bin/ccsso.exe' credential-helper", true],
    ["'C:\\Users\\me\\bin\\ccsso.exe' credential-helper", true],
    ["!/usr/bin/bun /src/ccsso/src/main.ts credential-helper", true],
    ["!/usr/local/bin/notccsso credential-helper", false],
    ["osxkeychain", false],
    ["!aws codecommit credential-helper $@", false],
    ["", false],
  ])("%j → %s", (value, ours) => {
    expect(isOurHelper(value)).toBe(ours);
  });
});

describe("the helper names next to ccsso, per platform (platform injected)", () => {
  /** An executable that answers `--version` like a ccsso of `version` (or like another program). */
  function program(path: string, versionLine: string) {
    writeFileSync(path, `#!/bin/sh\n[ "$1" = --version ] && echo '${versionLine}'\nexit 0\n`);
    chmodSync(path, 0o755);
  }

  function windowsFiles(opts: { hardLinks?: boolean } = {}): ProgramFiles & { made: string[] } {
    const made: string[] = [];
    const real = realProgramFiles(sbx.env, "win32");
    return {
      ...real,
      made,
      hardLink: (t, p) => {
        if (opts.hardLinks === false) throw Object.assign(new Error("cross-device link"), { code: "EXDEV" });
        real.hardLink(t, p);
        made.push("link");
      },
      copy: (t, p) => {
        real.copy(t, p);
        made.push("copy");
      },
    };
  }

  it("Windows: hard links named .exe, never symlinks, recognised as ccsso on the next run", () => {
    sbx = makeSandbox();
    const exe = sbx.path("ccsso.exe");
    program(exe, "ccsso 2.0.0 (commit new, windows-x64)");
    const files = windowsFiles();
    const notes = installHelperPrograms(exe, files);
    expect(notes).toEqual([
      `created ${sbx.path("git-remote-codecommit.exe")} (hard link to ccsso.exe)`,
      `created ${sbx.path("git-credential-ccsso.exe")} (hard link to ccsso.exe)`,
    ]);
    for (const name of ["git-remote-codecommit.exe", "git-credential-ccsso.exe"]) {
      const st = lstatSync(sbx.path(name));
      expect(st.isSymbolicLink()).toBe(false);
      expect(st.ino).toBe(statSync(exe).ino);
    }
    expect(existsSync(sbx.path("git-remote-codecommit"))).toBe(false);
    expect(installHelperPrograms(exe, files)).toEqual([]);
  });

  it("Windows: copies where a hard link cannot be made, and a copy equal in bytes counts as this ccsso", () => {
    sbx = makeSandbox();
    const exe = sbx.path("ccsso.exe");
    program(exe, "ccsso 2.0.0 (commit new, windows-x64)");
    const files = windowsFiles({ hardLinks: false });
    const notes = installHelperPrograms(exe, files);
    expect(notes[0]).toBe(`created ${sbx.path("git-remote-codecommit.exe")} (copy of ccsso.exe)`);
    expect(files.made).toEqual(["copy", "copy"]);
    expect(statSync(sbx.path("git-remote-codecommit.exe")).ino).not.toBe(statSync(exe).ino);
    expect(readFileSync(sbx.path("git-remote-codecommit.exe"), "utf8")).toBe(readFileSync(exe, "utf8"));
    expect(installHelperPrograms(exe, files)).toEqual([]);
  });

  it("Windows: refreshes a stale copy from an older ccsso, and leaves another program's file alone", () => {
    sbx = makeSandbox();
    const exe = sbx.path("ccsso.exe");
    program(exe, "ccsso 2.0.0 (commit new, windows-x64)");
    program(sbx.path("git-credential-ccsso.exe"), "ccsso 1.0.0 (commit old, windows-x64)");
    program(sbx.path("git-remote-codecommit.exe"), "git-remote-codecommit 1.17");
    const notes = installHelperPrograms(exe, windowsFiles());
    expect(notes).toContain(
      `left ${sbx.path("git-remote-codecommit.exe")} alone: it is not ccsso (another git-remote-codecommit is installed there)`,
    );
    expect(notes).toContain(
      `refreshed ${sbx.path("git-credential-ccsso.exe")} (hard link to ccsso.exe; it was ccsso 1.0.0 (commit old, windows-x64))`,
    );
    expect(readFileSync(sbx.path("git-credential-ccsso.exe"), "utf8")).toBe(readFileSync(exe, "utf8"));
    expect(readFileSync(sbx.path("git-remote-codecommit.exe"), "utf8")).toContain("git-remote-codecommit 1.17");
    expect(readdirSync(sbx.home).filter((f) => f.includes(".new-"))).toEqual([]);
    // --uninstall removes ours, stale or current, and nothing else.
    const removed = removeHelperPrograms(exe, windowsFiles());
    expect(removed).toEqual([`removed ${sbx.path("git-credential-ccsso.exe")}`]);
    expect(existsSync(sbx.path("git-remote-codecommit.exe"))).toBe(true);
  });

  it("Unix: relative symlinks named without .exe, removed again by --uninstall", () => {
    sbx = makeSandbox();
    const exe = sbx.path("ccsso");
    program(exe, "ccsso 2.0.0 (commit new, linux-x64)");
    const files = realProgramFiles(sbx.env, "linux");
    expect(installHelperPrograms(exe, files)).toEqual([
      `linked ${sbx.path("git-remote-codecommit")} -> ccsso`,
      `linked ${sbx.path("git-credential-ccsso")} -> ccsso`,
    ]);
    expect(readlinkSync(sbx.path("git-remote-codecommit"))).toBe("ccsso");
    expect(removeHelperPrograms(exe, files)).toHaveLength(2);
    expect(existsSync(sbx.path("git-remote-codecommit"))).toBe(false);
  });
});

describe("which executable runs ccsso's commands (platform injected)", () => {
  it("names ccsso.exe beside a Windows copy started as git-remote-codecommit.exe", () => {
    const exists = (p: string) => p === "C:\\Users\\me\\bin\\ccsso.exe";
    expect(cliExecutable("C:\\Users\\me\\bin\\git-remote-codecommit.exe", "win32", exists)).toBe("C:\\Users\\me\\bin\\ccsso.exe");
    expect(cliExecutable("C:\\Users\\me\\bin\\Git-Credential-Ccsso.EXE", "win32", exists)).toBe("C:\\Users\\me\\bin\\ccsso.exe");
    expect(cliExecutable("C:\\Users\\me\\bin\\ccsso.exe", "win32", exists)).toBe("C:\\Users\\me\\bin\\ccsso.exe");
    // No ccsso.exe beside it: the copy itself is all there is.
    expect(cliExecutable("D:\\tools\\git-remote-codecommit.exe", "win32", () => false)).toBe("D:\\tools\\git-remote-codecommit.exe");
    expect(cliExecutable("/usr/local/bin/git-remote-codecommit", "linux", (p) => p === "/usr/local/bin/ccsso")).toBe(
      "/usr/local/bin/ccsso",
    );
  });

  it("reads the program name as git started it", () => {
    expect(programName("C:\\Users\\me\\bin\\GIT-REMOTE-CODECOMMIT.exe", "win32")).toBe("git-remote-codecommit");
    expect(programName("git-credential-ccsso.exe", "win32")).toBe("git-credential-ccsso");
    expect(programName("/usr/local/bin/git-remote-codecommit", "linux")).toBe("git-remote-codecommit");
  });
});

describe("ccsso setup-git through the `ccsso use` shell function", () => {
  const SEVERAL =
    "[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Developer\n" +
    "[profile ops]\nsso_session = corp\nsso_account_id = 222222222222\nsso_role_name = ReadOnly\n" +
    "[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\n";

  it("with several SSO profiles pins none: git signs with the AWS_PROFILE `ccsso use` sets in each shell", async () => {
    sbx = makeSandbox({ CCSSO_SHELL: "zsh" });
    sbx.writeConfig(SEVERAL);
    const r = await setup();
    expect(r.code).toBe(0);
    for (const p of CODECOMMIT_URL_PATTERNS)
      expect(git(["config", "--global", "--get-all", `credential.${p}.helper`])).not.toContain("--profile");
    expect(r.out).toContain(
      "https://git-codecommit.*.amazonaws.com → the shell's AWS_PROFILE when git runs (set it with: ccsso use PROFILE)",
    );
    expect(r.out).not.toContain("To switch profiles in your shell");
  });

  it("without the function it ends by showing the line that installs it", async () => {
    sbx = makeSandbox({ SHELL: "/bin/bash" });
    delete sbx.env.CCSSO_SHELL;
    const r = await setup();
    expect(r.out).toContain(`To switch profiles in your shell with ccsso use PROFILE, add: eval "$(ccsso shell-init bash)"`);
  });
});
