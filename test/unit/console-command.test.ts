// `ccsso console` and `ccsso browse` as a user calls them, with real git and the federation stand-in
// (test/fakes/aws-apis.ts) in this process: which page, which Region, which errors, and that the sign-in
// token never reaches --debug output.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../src/cli/run";
import { resolveFederationEndpoint } from "../../src/aws/signin-federation";
import { testContext } from "../../src/platform/context";
import { createFakeAwsApis } from "../fakes/aws-apis";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const CREDS = {
  accessKeyId: "ASIACONSOLEEXAMPLE01",
  secretAccessKey: "consoleSecretKeyExample/abcdefghijklmnop",
  sessionToken: "ConsoleSessionTokenExample//////////EXAMPLE",
};

const STATIC = { accessKeyId: "AKIASTATICEXAMPLE123", secretAccessKey: "staticSecretKeyExample/abcdefghijklmnopqr" };

let sbx: Sandbox;
let apis: ReturnType<typeof createFakeAwsApis>;
let server: { url: string; stop(): void };

beforeAll(() => {
  sbx = makeSandbox();
  apis = createFakeAwsApis({ staticKeys: [{ ...STATIC, accountId: "111111111111" }] });
  apis.issued.set(CREDS.accessKeyId, { ...CREDS, expiration: Date.now() + 3600_000, accountId: "111111111111", roleName: "Developer" });
  server = apis.start();
});
afterAll(() => {
  server?.stop();
  sbx?.cleanup();
});

function git(cwd: string, ...args: string[]) {
  const r = Bun.spawnSync(["git", ...args], { cwd, env: sbx.env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
}

/** A checkout with one commit on `branch` and the given remotes. */
function checkout(name: string, remotes: Record<string, string>, branch = "main"): string {
  const dir = sbx.path(name);
  mkdirSync(join(dir, "docs", "Release Notes"), { recursive: true });
  writeFileSync(join(dir, "docs", "Release Notes", "ünïcode.md"), "x\n");
  git(dir, "init", "-q", "-b", branch);
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "first");
  for (const [r, url] of Object.entries(remotes)) git(dir, "remote", "add", r, url);
  return dir;
}

function context(cwd: string, extra: Record<string, string> = {}, debug = false) {
  const t = testContext({
    env: {
      ...sbx.env,
      AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDS.sessionToken,
      CCSSO_SIGNIN_ENDPOINT: `${server.url}/federation`,
      ...extra,
    },
    debug,
  });
  t.ctx.cwd = cwd;
  return t;
}

/** The console page a printed URL lands on, after the logout redirect and the login. */
function destinationOf(printed: string): string {
  const outer = new URL(printed.trim());
  expect(outer.pathname).toBe("/oauth");
  expect(outer.searchParams.get("Action")).toBe("logout");
  const login = new URL(outer.searchParams.get("redirect_uri")!);
  expect(login.searchParams.get("Action")).toBe("login");
  expect(apis.signinTokens.has(login.searchParams.get("SigninToken")!)).toBe(true);
  return login.searchParams.get("Destination")!;
}

describe("ccsso browse", () => {
  it("opens a file with spaces and non-ASCII on a branch with a slash, from a subdirectory of an https checkout", async () => {
    const dir = checkout("https", { origin: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo" }, "feature/new-ui");
    const t = context(join(dir, "docs"));
    expect(await run(["browse", "--print", "Release Notes/ünïcode.md"], t.ctx)).toBe(0);
    expect(destinationOf(t.stdout())).toBe(
      "https://eu-west-1.console.aws.amazon.com/codesuite/codecommit/repositories/demo/browse/refs/heads/feature/new-ui/--/docs/Release%20Notes/%C3%BCn%C3%AFcode.md?region=eu-west-1",
    );
    expect(t.stderr()).toContain("treat it like a password");
  });

  it("takes the Region from a codecommit::REGION:// remote and opens a pull request", async () => {
    const dir = checkout("grc", { origin: "codecommit::us-gov-west-1://demo" });
    const t = context(dir);
    expect(await run(["browse", "--print", "--pr", "42"], t.ctx)).toBe(0);
    expect(destinationOf(t.stdout())).toBe(
      "https://console.amazonaws-us-gov.com/codesuite/codecommit/repositories/demo/pull-requests/42/details?region=us-gov-west-1",
    );
  });

  it("opens a FIPS remote in its Region's ordinary console, and a commit page", async () => {
    const dir = checkout("fips", { origin: "https://git-codecommit-fips.us-east-2.amazonaws.com/v1/repos/lib" });
    const t = context(dir);
    expect(await run(["browse", "--print", "--commit", "0123abcd"], t.ctx)).toBe(0);
    expect(destinationOf(t.stdout())).toBe(
      "https://us-east-2.console.aws.amazon.com/codesuite/codecommit/repositories/lib/commit/0123abcd?region=us-east-2",
    );
  });

  it("opens a China repository", async () => {
    const dir = checkout("cn", { origin: "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo" });
    const t = context(dir);
    expect(await run(["browse", "--print", "--branch", "release/1.0"], t.ctx)).toBe(0);
    expect(destinationOf(t.stdout())).toBe(
      "https://console.amazonaws.cn/codesuite/codecommit/repositories/demo/browse/refs/heads/release/1.0?region=cn-north-1",
    );
  });

  it("names the remotes when several are CodeCommit, and --remote picks one", async () => {
    const dir = checkout("two", {
      origin: "codecommit::eu-west-1://demo",
      backup: "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo-backup",
      gh: "https://github.com/x/y",
    });
    const t = context(dir);
    expect(await run(["browse", "--print"], t.ctx)).toBe(2);
    expect(t.stderr()).toContain("several CodeCommit remotes: origin, backup");
    const u = context(dir);
    expect(await run(["browse", "--print", "--remote", "backup"], u.ctx)).toBe(0);
    expect(destinationOf(u.stdout())).toContain("/repositories/demo-backup/browse/refs/heads/main?region=us-east-1");
  });

  it("says so when the checkout has no CodeCommit remote", async () => {
    const dir = checkout("github", { origin: "https://github.com/x/y" });
    const t = context(dir);
    expect(await run(["browse", "--print"], t.ctx)).toBe(2);
    expect(t.stderr()).toContain("no CodeCommit remote");
    expect(t.stdout()).toBe("");
  });

  it("outside a checkout, needs a repository name and opens it", async () => {
    const dir = sbx.path("not-a-checkout");
    mkdirSync(dir);
    const t = context(dir, { GIT_CEILING_DIRECTORIES: sbx.home });
    expect(await run(["browse", "--print"], t.ctx)).toBe(2);
    expect(t.stderr()).toContain("not inside a git checkout");
    const u = context(dir, { GIT_CEILING_DIRECTORIES: sbx.home, AWS_REGION: "ap-east-1" });
    expect(await run(["browse", "--print", "demo"], u.ctx)).toBe(0);
    expect(destinationOf(u.stdout())).toBe(
      "https://ap-east-1.console.aws.amazon.com/codesuite/codecommit/repositories/demo/browse?region=ap-east-1",
    );
  });
});

describe("ccsso console", () => {
  it("signs in to a service's console, and --debug shows neither the token nor the session", async () => {
    const t = context(sbx.home, { AWS_REGION: "eu-central-1" }, true);
    expect(await run(["console", "--print", "--service", "s3"], t.ctx)).toBe(0);
    expect(destinationOf(t.stdout())).toBe("https://eu-central-1.console.aws.amazon.com/s3/home?region=eu-central-1");
    const token = new URL(new URL(t.stdout().trim()).searchParams.get("redirect_uri")!).searchParams.get("SigninToken")!;
    expect(t.stderr()).toContain("getSigninToken");
    for (const secret of [token, encodeURIComponent(token), CREDS.secretAccessKey, CREDS.sessionToken, t.stdout().trim()])
      expect(t.stderr()).not.toContain(secret);
  });

  it("refuses long-lived IAM user keys in one line", async () => {
    const t = context(sbx.home, { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKIASTATICEXAMPLE123", AWS_SESSION_TOKEN: "" });
    expect(await run(["console", "--print"], t.ctx)).not.toBe(0);
    expect(t.stderr()).toContain("long-lived IAM user access keys");
    expect(t.stderr().trim().split("\n")).toHaveLength(1);
  });

  it("hands the URL to BROWSER when --print is absent", async () => {
    const out = sbx.path("browser-got.txt");
    const script = sbx.path("browser.sh");
    // Written aside, then renamed: the test must never read a half-written file.
    writeFileSync(script, `#!/bin/sh\nprintf '%s' "$1" > '${out}.tmp' && mv '${out}.tmp' '${out}'\n`, { mode: 0o755 });
    const t = context(sbx.home, { AWS_REGION: "us-east-1", BROWSER: script });
    expect(await run(["console"], t.ctx)).toBe(0);
    expect(t.stdout()).toBe("");
    for (let i = 0; i < 1000 && !(await Bun.file(out).exists()); i++) await Bun.sleep(10);
    expect(destinationOf(await Bun.file(out).text())).toBe("https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1");
  });

  it("a refused session is one line naming the next step", async () => {
    const t = context(sbx.home, { AWS_REGION: "us-east-1", AWS_SESSION_TOKEN: "not-the-issued-token-at-all" });
    expect(await run(["console", "--print"], t.ctx)).not.toBe(0);
    expect(t.stderr()).toContain("refused the role credentials (HTTP 400)");
  });
});

describe("--duration (SessionDuration)", () => {
  const roles = () => {
    writeFileSync(
      sbx.awsConfig,
      `[profile base]\naws_access_key_id = ${STATIC.accessKeyId}\naws_secret_access_key = ${STATIC.secretAccessKey}\nregion = us-east-1\n\n` +
        `[profile admin]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = base\nregion = us-east-1\n\n` +
        `[profile chained]\nrole_arn = arn:aws:iam::333333333333:role/ReadOnly\nsource_profile = admin\nregion = us-east-1\n`,
    );
    return { AWS_ENDPOINT_URL_STS: server.url, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_SESSION_TOKEN: "" };
  };

  it("is sent for a role assumed with an IAM user's long-lived keys", async () => {
    const t = context(sbx.home, roles());
    expect(await run(["console", "--profile", "admin", "--duration", "7200", "--print"], t.ctx)).toBe(0);
    const token = new URL(new URL(t.stdout().trim()).searchParams.get("redirect_uri")!).searchParams.get("SigninToken")!;
    expect(apis.signinTokens.get(token)?.sessionDuration).toBe(7200);
  });

  it("is refused in one line, before any request, for a chained role and for other temporary credentials", async () => {
    const t = context(sbx.home, roles());
    expect(await run(["console", "--profile", "chained", "--duration", "3600", "--print"], t.ctx)).toBe(2);
    expect(t.stderr()).toContain("role chaining");
    expect(t.stdout()).toBe("");
    const u = context(sbx.home, { AWS_REGION: "us-east-1" });
    const before = apis.signinTokens.size;
    expect(await run(["console", "--duration", "3600", "--print"], u.ctx)).toBe(2);
    expect(u.stderr()).toContain("--duration cannot be used");
    expect(apis.signinTokens.size).toBe(before);
    const v = context(sbx.home, { AWS_REGION: "us-east-1" });
    expect(await run(["console", "--duration", "60", "--print"], v.ctx)).toBe(2);
    expect(v.stderr()).toContain("from 900 to 43200");
  });
});

describe("completion", () => {
  it("offers the checkout's branches and its remotes' branches for --branch", async () => {
    const dir = checkout("complete", {}, "feature/a");
    git(dir, "branch", "release/1.0");
    git(dir, "update-ref", "refs/remotes/origin/main", "HEAD");
    git(dir, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main");
    const t = context(dir);
    expect(await run(["__complete", "branches"], t.ctx)).toBe(0);
    expect(t.stdout()).toBe("feature/a\nmain\nrelease/1.0\n");
  });
});

describe("CCSSO_SIGNIN_ENDPOINT", () => {
  it("is AWS's endpoint unless set, https only (http on loopback)", () => {
    expect(resolveFederationEndpoint("eu-west-1", {})).toBe("https://eu-west-1.signin.aws.amazon.com/federation");
    expect(resolveFederationEndpoint("eu-west-1", { CCSSO_SIGNIN_ENDPOINT: "http://127.0.0.1:9/federation" })).toBe(
      "http://127.0.0.1:9/federation",
    );
    expect(() => resolveFederationEndpoint("eu-west-1", { CCSSO_SIGNIN_ENDPOINT: "http://evil.example/federation" })).toThrow(/https/);
    expect(() => resolveFederationEndpoint("eu-west-1", { CCSSO_SIGNIN_ENDPOINT: "https://x.example/federation?a=b" })).toThrow(/query/);
  });
});
