// The credential helper's decisions, with the credential chain replaced by a recorder. The compiled binary
// with real git and the real chain is test/e2e/git.test.ts; byte-identity with the AWS CLI is test/interop.
import { afterEach, describe, expect, it } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { runCredentialHelper, PASSWORD_LIFETIME_SEC } from "../../src/cli/credential-helper";
import { LoginRequiredError } from "../../src/core/errors";
import type { AwsCredentials } from "../../src/core/types";
import { testContext } from "../../src/platform/context";
import { settingsPath } from "../../src/platform/paths";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const NOW = Date.UTC(2010, 9, 8, 0, 0, 0);
const HOST = "git-codecommit.us-east-1.amazonaws.com";
const staticKeys: AwsCredentials = { accessKeyId: "foo", secretAccessKey: "bar", source: "static" };

let sbx: Sandbox;
afterEach(() => sbx?.cleanup());

function helper(
  input: string,
  opts: { argv?: string[]; creds?: AwsCredentials | Error; settings?: string; loginWorks?: boolean; env?: Record<string, string> } = {},
) {
  sbx = makeSandbox();
  if (opts.settings) {
    const p = settingsPath(sbx.env);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, opts.settings);
  }
  const t = testContext({ env: { ...sbx.env, ...opts.env }, now: NOW });
  const calls: Array<{ profile?: string; forGit?: boolean }> = [];
  const forgets: Array<{ profile?: string; accessKeyId: string }> = [];
  const logins: Array<{ profile?: string; forGit?: boolean }> = [];
  let loggedIn = false;
  const done = runCredentialHelper(opts.argv ?? ["get"], t.ctx, {
    readStdin: async () => input,
    resolveCredentials: async (_ctx, o) => {
      calls.push(o);
      const c = opts.creds ?? staticKeys;
      if (c instanceof Error && !loggedIn) throw c;
      return c instanceof Error ? staticKeys : c;
    },
    interactiveLogin: async (_ctx, o) => {
      logins.push(o);
      loggedIn = opts.loginWorks ?? false;
      return loggedIn;
    },
    forgetCredentials: async (_ctx, o) => {
      forgets.push(o);
      return true;
    },
  });
  return { t, calls, forgets, logins, done };
}

describe("credential-helper get", () => {
  it("answers a CodeCommit request with the AWS CLI's username and password plus an expiry", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/myrepo\n\n`);
    expect(await h.done).toBe(0);
    expect(h.t.stdout()).toBe(
      "username=foo\n" +
        "password=20101008T000000Zfe1db4a13b1db96501a6b235126e3dd60cc42fadfc2b7a00088f106ed89381d0\n" +
        `password_expiry_utc=${NOW / 1000 + PASSWORD_LIFETIME_SEC}\n`,
    );
    expect(h.t.stderr()).toBe("");
  });

  it("puts the session token in the username after %", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/myrepo\n`, {
      creds: {
        accessKeyId: "ASIAEXAMPLE",
        secretAccessKey: "bar",
        sessionToken: "tok/en+=",
        expiration: new Date(NOW + 3600_000),
        source: "sso",
      },
    });
    await h.done;
    expect(h.t.stdout()).toContain("username=ASIAEXAMPLE%tok/en+=\n");
  });

  it("never lets the password outlive the role credentials", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/myrepo\n`, {
      creds: { accessKeyId: "ASIA1", secretAccessKey: "bar", sessionToken: "t", expiration: new Date(NOW + 60_000), source: "sso" },
    });
    await h.done;
    expect(h.t.stdout()).toContain(`password_expiry_utc=${NOW / 1000 + 60}\n`);
  });

  it("keeps the expiry well inside CodeCommit's 15-minute window", () => {
    expect(PASSWORD_LIFETIME_SEC).toBeLessThanOrEqual(10 * 60);
  });

  it("signs in the host's region (China)", async () => {
    const h = helper("protocol=https\nhost=git-codecommit.cn-north-1.amazonaws.com.cn\npath=v1/repos/myrepo\n");
    await h.done;
    expect(h.t.stdout()).toContain("password=20101008T000000Zba5f3736c4ea1e4328173cedda14b7bddf54eb38a02dacc4eed7cdad59ca8e9f\n");
  });

  it("signs the host without the port git includes", async () => {
    const h = helper(`protocol=https\nhost=${HOST}:443\npath=v1/repos/myrepo\n`);
    await h.done;
    expect(h.t.stdout()).toContain("password=20101008T000000Zfe1db4a13b1db96501a6b235126e3dd60cc42fadfc2b7a00088f106ed89381d0\n");
  });

  it("tolerates capability[] and wwwauth[] lines and unknown keys", async () => {
    const h = helper(
      `capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=${HOST}\npath=v1/repos/myrepo\nwwwauth[]=Basic realm="x"\nfuture_key=1\n`,
    );
    expect(await h.done).toBe(0);
    expect(h.t.stdout()).toStartWith("username=foo\n");
  });

  it.each([
    ["a host that merely contains the CodeCommit name", `protocol=https\nhost=${HOST}.evil.com\npath=v1/repos/x\n`],
    ["another host", "protocol=https\nhost=github.com\npath=o/r\n"],
    ["plain http", `protocol=http\nhost=${HOST}\npath=v1/repos/x\n`],
    ["no protocol", `host=${HOST}\npath=v1/repos/x\n`],
    ["a host after the blank line", `protocol=https\n\nhost=${HOST}\npath=v1/repos/x\n`],
  ])("says nothing and exits 0 for %s", async (_name, input) => {
    const h = helper(input);
    expect(await h.done).toBe(0);
    expect(h.t.stdout()).toBe("");
    expect(h.calls).toHaveLength(0);
  });

  it.each([
    ["a bare CR smuggling a second host", `protocol=https\nhost=evil.com\rhost=${HOST}\npath=v1/repos/x\n`],
    ["a NUL in the path", `protocol=https\nhost=${HOST}\npath=v1/repos/x\0y\n`],
    ["a 64 KiB line", `protocol=https\nhost=${HOST}\npath=${"a".repeat(65536)}\n`],
  ])("refuses %s with one line and no credentials", async (_name, input) => {
    const h = helper(input);
    expect(await h.done).not.toBe(0);
    expect(h.t.stdout()).toBe("");
    expect(h.t.stderr().trim().split("\n")).toHaveLength(1);
    expect(h.calls).toHaveLength(0);
  });

  it("tells git to stop, with a hint, when useHttpPath is off (no path)", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\n`);
    expect(await h.done).toBe(1);
    expect(h.t.stdout()).toBe("quit=1\n");
    expect(h.t.stderr()).toContain("useHttpPath");
    expect(h.t.stderr().trim().split("\n")).toHaveLength(1);
  });

  it("names the login command and tells git to stop when the session is gone", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/x\n`, {
      argv: ["--profile", "dev", "get"],
      creds: new LoginRequiredError('the SSO session for profile "dev" has expired', "ccsso sso login --profile dev"),
    });
    expect(await h.done).toBe(3);
    expect(h.t.stdout()).toBe("quit=1\n");
    expect(h.t.stderr()).toBe('ccsso: the SSO session for profile "dev" has expired — run: ccsso sso login --profile dev\n');
  });

  const expired = () => new LoginRequiredError('the SSO session for profile "dev" has expired', "ccsso sso login --profile dev");
  const allowLogin = "[credential_helper]\nallow_login = true\n";

  it("never starts a login unless the settings allow it", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/x\n`, {
      argv: ["--profile", "dev", "get"],
      creds: expired(),
      loginWorks: true,
      env: { GIT_TERMINAL_PROMPT: "1" },
    });
    expect(await h.done).toBe(3);
    expect(h.logins).toHaveLength(0);
  });

  it("signs in on the terminal and answers when the settings allow it", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/x\n`, {
      argv: ["--profile", "dev", "get"],
      creds: expired(),
      loginWorks: true,
      settings: allowLogin,
      env: { GIT_TERMINAL_PROMPT: "1" },
    });
    expect(await h.done).toBe(0);
    expect(h.logins).toEqual([{ profile: "dev", forGit: true }]);
    expect(h.t.stdout()).toStartWith("username=foo\n");
  });

  it("does not start a login when git was told nobody can answer (GIT_TERMINAL_PROMPT=0)", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/x\n`, {
      argv: ["--profile", "dev", "get"],
      creds: expired(),
      loginWorks: true,
      settings: allowLogin,
      env: { GIT_TERMINAL_PROMPT: "0" },
    });
    expect(await h.done).toBe(3);
    expect(h.logins).toHaveLength(0);
    expect(h.t.stdout()).toBe("quit=1\n");
  });

  it("falls back to the one-line message when no terminal can be opened", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/x\n`, {
      argv: ["--profile", "dev", "get"],
      creds: expired(),
      loginWorks: false,
      settings: allowLogin,
      env: { GIT_TERMINAL_PROMPT: "1" },
    });
    expect(await h.done).toBe(3);
    expect(h.t.stderr()).toContain("run: ccsso sso login --profile dev");
  });

  it("uses --profile before anything else", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/team-a\n`, {
      argv: ["--profile", "flag", "get"],
      settings: '[[repository]]\nurl = "https://git-codecommit.*.amazonaws.com/v1/repos/team-*"\nprofile = "team"\n',
    });
    await h.done;
    expect(h.calls).toEqual([{ profile: "flag", forGit: true }]);
  });

  it("uses the settings file's profile for a matching repository URL", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/team-a\n`, {
      settings: '[[repository]]\nurl = "https://git-codecommit.*.amazonaws.com/v1/repos/team-*"\nprofile = "team"\n',
    });
    await h.done;
    expect(h.calls).toEqual([{ profile: "team", forGit: true }]);
  });

  it("leaves the profile to the credential chain (AWS_PROFILE, default) otherwise", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/other\n`);
    await h.done;
    expect(h.calls).toEqual([{ forGit: true }]);
  });

  it("answers for a host from the settings file, in its region", async () => {
    const h = helper("protocol=https\nhost=git.corp.example\npath=v1/repos/myrepo\n", {
      settings: '[[host]]\nhost = "git.corp.example"\nregion = "cn-north-1"\n',
    });
    expect(await h.done).toBe(0);
    expect(h.t.stdout()).toContain("username=foo\n");
  });

  it("reports a malformed settings file in one line and stops git", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/x\n`, { settings: "[git\n" });
    expect(await h.done).toBe(1);
    expect(h.t.stdout()).toBe("quit=1\n");
    expect(h.t.stderr().trim().split("\n")).toHaveLength(1);
    expect(h.t.stderr()).toContain("config.toml:1");
  });

  it("reports a misspelt settings key in one line and tells git to quit", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/x\n`, { settings: "[credential_helper]\nalow_login = true\n" });
    expect(await h.done).toBe(1);
    expect(h.t.stdout()).toBe("quit=1\n");
    expect(h.t.stderr()).toMatch(/^ccsso: .*config\.toml:2: credential_helper\.alow_login .*\n$/);
  });
});

describe("credential-helper store and erase", () => {
  it("stores nothing", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/x\nusername=foo\npassword=p\n`, { argv: ["store"] });
    expect(await h.done).toBe(0);
    expect(h.t.stdout()).toBe("");
    expect(h.calls).toHaveLength(0);
  });

  it("on erase, drops the rejected role credentials of that profile", async () => {
    const h = helper(`protocol=https\nhost=${HOST}\npath=v1/repos/x\nusername=ASIAOLD%token\npassword=p\n`, {
      argv: ["--profile", "dev", "erase"],
    });
    expect(await h.done).toBe(0);
    expect(h.forgets).toEqual([{ profile: "dev", accessKeyId: "ASIAOLD" }]);
  });

  it("on erase for another host, touches nothing", async () => {
    const h = helper("protocol=https\nhost=github.com\npath=o/r\nusername=x\npassword=p\n", { argv: ["erase"] });
    expect(await h.done).toBe(0);
    expect(h.forgets).toHaveLength(0);
  });

  it("ignores an operation it does not know", async () => {
    const h = helper("", { argv: ["frobnicate"] });
    expect(await h.done).toBe(0);
    expect(h.t.stdout() + h.t.stderr()).toBe("");
  });

  it("is a usage error without an operation", async () => {
    const h = helper("", { argv: [] });
    expect(await h.done).toBe(2);
  });
});
