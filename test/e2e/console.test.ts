// `ccsso console` and `ccsso browse` as a user runs them: the compiled dist/ccsso, real git checkouts,
// an SSO sign-in against the Identity Center stand-in, and the federation stand-in (test/fakes/aws-apis.ts)
// that accepts only the role credentials the Identity Center stand-in issued. Each printed URL is taken
// apart the way a browser follows it (logout → login → Destination), and the login is spent for real.
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sandboxClientEnv, startSandboxServer } from "../fakes/sandbox-server";
import { compiledBinary } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { START_URL } from "../helpers/sso-stand-in";

setDefaultTimeout(60_000);

const CONFIG = `[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
region = eu-west-1

[sso-session corp]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile static]
aws_access_key_id = AKIASTATICEXAMPLE123
aws_secret_access_key = staticSecretKeyExample/abcdefghijklmnopqr
region = us-east-1
`;

let sbx: Sandbox;
let server: ReturnType<typeof startSandboxServer>;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function sh(argv: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const proc = Bun.spawn(argv, {
    cwd: opts.cwd ?? sbx.home,
    env: { ...sbx.env, ...opts.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}
const ccsso = (args: string[], opts: Parameters<typeof sh>[1] = {}) => sh([compiledBinary, ...args], opts);

async function git(cwd: string, ...args: string[]): Promise<void> {
  const r = await sh(["git", ...args], { cwd });
  if (r.code !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
}

/** A checkout on `branch`, one commit holding a file with a space and non-ASCII in its path. */
async function checkout(name: string, remotes: Record<string, string>, branch = "main"): Promise<string> {
  const dir = sbx.path(name);
  mkdirSync(join(dir, "docs", "Release Notes"), { recursive: true });
  writeFileSync(join(dir, "docs", "Release Notes", "ünïcode.md"), "notes\n");
  await git(dir, "init", "-q", "-b", branch);
  await git(dir, "add", ".");
  await git(dir, "commit", "-q", "-m", "first");
  for (const [r, url] of Object.entries(remotes)) await git(dir, "remote", "add", r, url);
  return dir;
}

/** Follow a printed URL as a browser would: the logout redirect, then the login; returns where it lands. */
async function follow(printed: string): Promise<{ destination: string; token: string }> {
  const logout = await fetch(printed.trim(), { redirect: "manual" });
  expect(logout.status).toBe(302);
  const login = logout.headers.get("location")!;
  const loginUrl = new URL(login);
  expect(loginUrl.searchParams.get("Action")).toBe("login");
  expect(loginUrl.searchParams.get("Issuer")).toBe("ccsso");
  const token = loginUrl.searchParams.get("SigninToken")!;
  // The token was minted for the role credentials the Identity Center stand-in issued.
  const minted = server.apis.signinTokens.get(token)!;
  expect(server.identityCenter.issued.has(minted.accessKeyId)).toBe(true);
  const landed = await fetch(login, { redirect: "manual" });
  expect(landed.status).toBe(302);
  const destination = landed.headers.get("location")!;
  expect(destination).toBe(loginUrl.searchParams.get("Destination")!);
  return { destination, token };
}

const page = (origin: string, repo: string, rest: string, region: string) =>
  `${origin}/codesuite/codecommit/repositories/${repo}${rest}?region=${region}`;

beforeAll(async () => {
  if (!existsSync(compiledBinary)) throw new Error("dist/ccsso is missing: run `make build` (make e2e does)");
  sbx = makeSandbox();
  server = startSandboxServer({ repos: ["demo"] });
  sbx.writeConfig(CONFIG);
  const browser = sbx.path("login-browser.sh");
  writeFileSync(browser, '#!/bin/sh\ncurl -fsSL "$1" >/dev/null\n', { mode: 0o755 });
  Object.assign(sbx.env, sandboxClientEnv(server.info), { BROWSER: browser });
  for (const k of ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT", "DISPLAY"]) delete sbx.env[k];
  const login = await ccsso(["sso", "login", "--profile", "dev"]);
  if (login.code !== 0) throw new Error(login.stderr);
});

afterAll(async () => {
  await server?.close();
  sbx?.cleanup();
});

describe("ccsso console (compiled)", () => {
  it("--print: a URL that signs in with the SSO role and lands on the profile Region's console", async () => {
    const r = await ccsso(["console", "--profile", "dev", "--print"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("treat it like a password");
    expect((await follow(r.stdout)).destination).toBe("https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1");
  });

  it("opens through BROWSER when --print is absent, and prints nothing on stdout", async () => {
    const got = sbx.path("browser-got.txt");
    const script = sbx.path("console-browser.sh");
    writeFileSync(script, `#!/bin/sh\nprintf '%s' "$1" > '${got}.tmp' && mv '${got}.tmp' '${got}'\n`, { mode: 0o755 });
    const r = await ccsso(["console", "--profile", "dev", "--service", "codesuite"], { env: { BROWSER: script } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    for (let i = 0; i < 1000 && !existsSync(got); i++) await Bun.sleep(10);
    expect((await follow(readFileSync(got, "utf8"))).destination).toBe(
      "https://eu-west-1.console.aws.amazon.com/codesuite/home?region=eu-west-1",
    );
  });

  it("refuses long-lived IAM user keys in one line", async () => {
    const r = await ccsso(["console", "--profile", "static", "--print"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("long-lived IAM user access keys");
  });
});

describe("ccsso browse (compiled)", () => {
  it("https remote: a file with a space and non-ASCII, from a subdirectory, on a branch with a slash", async () => {
    const dir = await checkout("https", { origin: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo" }, "feature/new-ui");
    const r = await ccsso(["browse", "--profile", "dev", "--print", "Release Notes/ünïcode.md"], { cwd: join(dir, "docs") });
    expect(r.code).toBe(0);
    expect((await follow(r.stdout)).destination).toBe(
      page(
        "https://eu-west-1.console.aws.amazon.com",
        "demo",
        "/browse/refs/heads/feature/new-ui/--/docs/Release%20Notes/%C3%BCn%C3%AFcode.md",
        "eu-west-1",
      ),
    );
  });

  it("codecommit://profile@repo: the URL's profile and Region, a pull request", async () => {
    const dir = await checkout("grc", { origin: "codecommit://dev@demo" });
    const r = await ccsso(["browse", "--print", "--pr", "7"], { cwd: dir });
    expect(r.code).toBe(0);
    expect((await follow(r.stdout)).destination).toBe(
      page("https://eu-west-1.console.aws.amazon.com", "demo", "/pull-requests/7/details", "eu-west-1"),
    );
  });

  it.each([
    [
      "GovCloud (codecommit::REGION://)",
      "codecommit::us-gov-west-1://dev@demo",
      page("https://console.amazonaws-us-gov.com", "demo", "/browse/refs/heads/main", "us-gov-west-1"),
    ],
    [
      "China",
      "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo",
      page("https://console.amazonaws.cn", "demo", "/browse/refs/heads/main", "cn-north-1"),
    ],
    [
      "FIPS",
      "https://git-codecommit-fips.us-east-2.amazonaws.com/v1/repos/demo",
      page("https://us-east-2.console.aws.amazon.com", "demo", "/browse/refs/heads/main", "us-east-2"),
    ],
  ])("%s remote", async (name, url, expected) => {
    const dir = await checkout(`partition-${name.replace(/\W+/g, "-")}`, { origin: url });
    const r = await ccsso(["browse", "--profile", "dev", "--print"], { cwd: dir });
    expect(r.code).toBe(0);
    expect((await follow(r.stdout)).destination).toBe(expected);
  });

  it("one-line errors: several CodeCommit remotes (named), none, and not a checkout without a name", async () => {
    const two = await checkout("two", {
      origin: "codecommit://dev@demo",
      mirror: "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo",
    });
    const several = await ccsso(["browse", "--print"], { cwd: two });
    expect(several.code).toBe(2);
    expect(several.stderr.trim()).toMatch(
      /^ccsso: this checkout has several CodeCommit remotes: origin, mirror — pick one: ccsso browse --remote origin$/,
    );
    const picked = await ccsso(["browse", "--print", "--remote", "mirror", "--profile", "dev"], { cwd: two });
    expect((await follow(picked.stdout)).destination).toBe(
      page("https://us-east-1.console.aws.amazon.com", "demo", "/browse/refs/heads/main", "us-east-1"),
    );
    const none = await ccsso(["browse", "--print"], { cwd: await checkout("github", { origin: "https://github.com/x/y.git" }) });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no CodeCommit remote");
    const outside = sbx.path("outside");
    mkdirSync(outside);
    const nothing = await ccsso(["browse", "--print"], { cwd: outside, env: { GIT_CEILING_DIRECTORIES: sbx.home } });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("not inside a git checkout");
    const named = await ccsso(["browse", "demo", "--profile", "dev", "--print"], {
      cwd: outside,
      env: { GIT_CEILING_DIRECTORIES: sbx.home },
    });
    expect((await follow(named.stdout)).destination).toBe(page("https://eu-west-1.console.aws.amazon.com", "demo", "/browse", "eu-west-1"));
  });

  it("the sign-in token and the session never appear in --debug output or in any file", async () => {
    const dir = await checkout("debug", { origin: "codecommit://dev@demo" });
    const r = await ccsso(["--debug", "browse", "--print", "README.md"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("getSigninToken");
    const { token } = await follow(r.stdout);
    const creds = server.apis.signinTokens.get(token)!;
    const issued = server.identityCenter.issued.get(creds.accessKeyId)!;
    const secrets = [token, encodeURIComponent(token), r.stdout.trim(), issued.secretAccessKey, issued.sessionToken, `"sessionKey"`];
    for (const s of secrets) expect(r.stderr).not.toContain(s);
    // Files: the role credentials are in the AWS CLI's cache by design; the token and URL nowhere.
    const files: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        const st = statSync(p, { throwIfNoEntry: false });
        if (st?.isDirectory()) walk(p);
        else if (st?.isFile() && st.size < 5_000_000) files.push(p);
      }
    };
    walk(sbx.home);
    for (const f of files) {
      const text = readFileSync(f, "latin1");
      expect({ f, has: text.includes(token) || text.includes(encodeURIComponent(token)) || text.includes(`"sessionKey"`) }).toEqual({
        f,
        has: false,
      });
    }
  });
});
