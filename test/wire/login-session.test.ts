// `aws login` profiles (login_session = ARN): the cache file is written here by Python itself, building
// the dict exactly as the AWS CLI's `aws login` does and dumping it with json.dumps under
// sha256(session) — an independent writer of the key and the format. ccsso reads it, renews it against the
// Sign-In stand-in (which verifies the DPoP proof and the key binding, and rotates refresh tokens), and the
// rewritten file must be byte for byte what botocore's `token.update(...)` + json.dumps would write.
// Then a real git clone through the credential helper with those credentials.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { resolveCredentials } from "../../src/auth/credentials";
import { run } from "../../src/cli/run";
import { LoginRequiredError } from "../../src/core/errors";
import { testContext } from "../../src/platform/context";
import { createFakeAwsApis } from "../fakes/aws-apis";
import { createFakeCodeCommit, type FakeCodeCommit } from "../fakes/codecommit-git";
import { createFakeSignin, type FakeSignin, type FakeSigninSession } from "../fakes/signin";
import type { IssuedRoleCredentials } from "../fakes/identity-center";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let signin: FakeSignin;
let sbx: Sandbox;

/** Python, as `aws login` does it: the token dict, json.dumps, ~/.aws/login/cache/sha256(session).json. */
function pythonWritesCache(env: Record<string, string>, s: FakeSigninSession, c: IssuedRoleCredentials): string {
  const script = `
import datetime, hashlib, json, os, sys
a = json.loads(sys.stdin.read())
token = {
    'accessToken': {
        'accessKeyId': a['akid'], 'secretAccessKey': a['secret'], 'sessionToken': a['token'],
        'accountId': a['account'],
        'expiresAt': datetime.datetime.fromtimestamp(a['exp'] / 1000, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
    },
    'tokenType': 'aws_sigv4',
    'clientId': a['clientId'],
    'refreshToken': a['refreshToken'],
    'idToken': 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhcm4ifQ.sig',
    'dpopKey': a['dpopKey'],
}
d = os.path.expanduser(os.path.join('~', '.aws', 'login', 'cache'))
os.makedirs(d, exist_ok=True)
p = os.path.join(d, hashlib.sha256(a['session'].encode('utf-8')).hexdigest() + '.json')
with os.fdopen(os.open(p, os.O_WRONLY | os.O_CREAT, 0o600), 'w') as f:
    f.truncate(); f.write(json.dumps(token))
print(p)
`;
  const input = JSON.stringify({
    akid: c.accessKeyId,
    secret: c.secretAccessKey,
    token: c.sessionToken,
    account: c.accountId,
    exp: c.expiration,
    clientId: s.clientId,
    refreshToken: s.refreshToken,
    dpopKey: s.dpopKey,
    session: s.session,
  });
  const r = Bun.spawnSync(["python3", "-c", script], { env, stdin: new TextEncoder().encode(input), stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(r.stderr.toString());
  return r.stdout.toString().trim();
}

/** What botocore's refresh_credentials writes for this answer: token.update(...) then json.dumps. */
function pythonExpectedRewrite(before: string, c: IssuedRoleCredentials, refreshToken: string, expiresAt: string): string {
  const script = `
import json, sys
a = json.loads(sys.stdin.read())
token = json.loads(a['before'])
token.update({'accessToken': {'accessKeyId': a['akid'], 'secretAccessKey': a['secret'], 'sessionToken': a['token'], 'accountId': token['accessToken']['accountId'], 'expiresAt': a['expiresAt']}, 'refreshToken': a['refreshToken']})
sys.stdout.write(json.dumps(token))
`;
  const input = JSON.stringify({ before, akid: c.accessKeyId, secret: c.secretAccessKey, token: c.sessionToken, refreshToken, expiresAt });
  const r = Bun.spawnSync(["python3", "-c", script], { stdin: new TextEncoder().encode(input), stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(r.stderr.toString());
  return r.stdout.toString();
}

function setup(expiresInMs: number, extraConfig = "") {
  sbx = makeSandbox({ AWS_ENDPOINT_URL_SIGNIN: signin.url });
  const { session, credentials } = signin.startSession();
  credentials.expiration = Date.now() + expiresInMs;
  sbx.writeConfig(`[profile console]\nlogin_session = ${session.session}\nregion = us-east-1\n${extraConfig}`);
  const path = pythonWritesCache(sbx.env, session, credentials);
  return { session, credentials, path };
}

beforeAll(() => {
  signin = createFakeSignin();
});
afterAll(async () => signin.close());
afterEach(() => sbx?.cleanup());

const ctx = () => testContext({ env: { ...sbx.env }, now: Date.now() }).ctx;

describe("an aws login profile", () => {
  it("uses the cached credentials while more than 5 minutes are left, without a call", async () => {
    const { credentials } = setup(10 * 60_000);
    const before = signin.log.length;
    const got = await resolveCredentials(ctx(), { profile: "console" });
    expect(got).toMatchObject({
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      accountId: "111111111111",
      source: "login",
    });
    expect(signin.log.length).toBe(before);
  });

  it("renews with a DPoP proof and rewrites the file in place exactly as botocore would, twice in a row", async () => {
    const { path } = setup(4 * 60_000);
    for (let round = 0; round < 2; round++) {
      const before = readFileSync(path, "utf8");
      const at = Date.now();
      const got = await resolveCredentials(ctx(), { profile: "console" });
      const req = signin.log.at(-1)!;
      expect(req.status).toBe(200);
      expect(req.userAgent).toMatch(/ app\/ccsso#/);
      expect(req.dpop?.payload).toMatchObject({ htm: "POST", htu: `${signin.url}/v1/token` });
      expect(Object.keys(req.dpop!.header)).toEqual(["typ", "alg", "jwk"]);
      // botocore's key orders (build_dpop_header), so the proof is the same text the AWS CLI would send.
      expect(Object.keys(req.dpop!.payload)).toEqual(["htm", "htu", "iat", "jti"]);
      expect(Object.keys(req.dpop!.header.jwk as object)).toEqual(["kty", "x", "y", "crv"]);
      const issued = signin.issued.get(got.accessKeyId)!;
      expect(got.sessionToken).toBe(issued.sessionToken);
      const after = readFileSync(path, "utf8");
      const written = JSON.parse(after);
      const expiresAt = written.accessToken.expiresAt as string;
      // expiresIn is 900 s from the moment of the call (whole seconds, …Z).
      expect(Math.abs(Date.parse(expiresAt) - (at + 900_000))).toBeLessThan(3000);
      expect(after).toBe(pythonExpectedRewrite(before, issued, written.refreshToken, expiresAt));
      expect(statSync(path).mode & 0o777).toBe(0o600);
      // Force the next round to renew again, with the refresh token just written (the old one is spent).
      written.accessToken.expiresAt = new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
      await Bun.write(path, JSON.stringify(written));
    }
  });

  it("says which command signs in again when Sign-In says the session is over (exit 3)", async () => {
    setup(60_000);
    signin.denyNext("TOKEN_EXPIRED");
    const e = await resolveCredentials(ctx(), { profile: "console" }).catch((x) => x);
    expect(e).toBeInstanceOf(LoginRequiredError);
    expect(e.message).toBe("the aws login session of profile console has ended (TOKEN_EXPIRED)");
    expect(e.hint).toBe("run: aws login --profile console");
  });

  it("says so when the cache file is missing", async () => {
    sbx = makeSandbox();
    sbx.writeConfig("[profile console]\nlogin_session = arn:aws:iam::111111111111:user/bob\nregion = us-east-1\n");
    const e = await resolveCredentials(ctx(), { profile: "console" }).catch((x) => x);
    expect(e).toBeInstanceOf(LoginRequiredError);
    expect(e.message).toStartWith("profile console has no usable aws login session: there is no usable aws login cache file ");
    expect(e.hint).toBe("run: aws login --profile console");
  });

  it("doctor and whoami name the aws login session", async () => {
    setup(10 * 60_000);
    const t = testContext({ env: { ...sbx.env }, now: Date.now() });
    await run(["doctor", "--profile", "console"], t.ctx);
    expect(t.stdout()).toContain("profile console uses an aws login session (111111111111)");
    sbx.writeConfig("[profile console]\nlogin_session = arn:aws:iam::111111111111:user/nobody\nregion = us-east-1\n");
    const t2 = testContext({ env: { ...sbx.env }, now: Date.now() });
    await run(["doctor", "--profile", "console"], t2.ctx);
    expect(t2.stdout()).toContain("profile console uses an aws login session, but there is no usable aws login cache file");
    expect(t2.stdout()).toContain("run: aws login --profile console");
  });

  it("sso status lists the session with its expiry, and exits 3 once its file is gone", async () => {
    const { path } = setup(10 * 60_000, "[profile other]\nlogin_session = arn:aws:iam::222222222222:user/bob\nregion = us-east-1\n");
    const t = testContext({ env: { ...sbx.env }, now: Date.now() });
    expect(await run(["sso", "status", "--profile", "console"], t.ctx)).toBe(0);
    expect(t.stdout()).toMatch(
      /^aws login session {2}arn:aws:iam::111111111111:user\/alice\n {2}profile console {2}account 111111111111 {2}credentials expire in \d+m .*, renewed without a browser\n$/,
    );
    const all = testContext({ env: { ...sbx.env }, now: Date.now() });
    expect(await run(["sso", "status", "--json"], all.ctx)).toBe(3);
    const report = JSON.parse(all.stdout());
    expect(report.loginSessions.map((l: { profile: string; state: string }) => [l.profile, l.state])).toEqual([
      ["console", "valid"],
      ["other", "missing"],
    ]);
    expect(report.loginSessions[0].cacheFile).toBe(path);
  });

  it("comes after the credentials file and before credential_process, as in botocore", async () => {
    const { credentials } = setup(10 * 60_000, "credential_process = false\n");
    expect((await resolveCredentials(ctx(), { profile: "console" })).accessKeyId).toBe(credentials.accessKeyId);
    await Bun.write(sbx.awsCredentials, "[console]\naws_access_key_id = AKIAFILEKEYS\naws_secret_access_key = file-secret-0001\n");
    expect((await resolveCredentials(ctx(), { profile: "console" })).accessKeyId).toBe("AKIAFILEKEYS");
  });
});

describe("git clone with an aws login profile", () => {
  let cc: FakeCodeCommit;
  let apis: { url: string; stop(): void };
  afterEach(async () => {
    apis?.stop();
    await cc?.close();
  });

  it("clones through the credential helper, renewing the session on the way", async () => {
    cc = createFakeCodeCommit({ identityCenter: { issued: signin.issued }, repos: ["demo"] });
    apis = createFakeAwsApis({ issued: signin.issued, repositories: [{ name: "demo" }] }).start();
    const { path, credentials } = setup(2 * 60_000);
    Object.assign(sbx.env, {
      AWS_ENDPOINT_URL_STS: apis.url,
      AWS_ENDPOINT_URL_CODECOMMIT: apis.url,
      HTTPS_PROXY: cc.proxyUrl,
      NO_PROXY: "127.0.0.1",
      GIT_SSL_CAINFO: cc.caFile,
    });
    const seed = sbx.path("seed");
    const git = (args: string[], cwd: string) => {
      const r = Bun.spawnSync(["git", ...args], { cwd, env: sbx.env, stdout: "pipe", stderr: "pipe" });
      if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
    };
    git(["init", "-q", seed], sbx.home);
    await Bun.write(join(seed, "README.md"), "hello from CodeCommit\n");
    git(["add", "README.md"], seed);
    git(["commit", "-qm", "first"], seed);
    git(["push", "-q", cc.createRepo("demo"), "HEAD:refs/heads/main"], seed);

    const t = testContext({ env: { ...sbx.env }, now: Date.now() });
    t.ctx.cwd = sbx.home;
    expect(await run(["clone", "demo", "--profile", "console"], t.ctx)).toBe(0);
    expect(readFileSync(join(sbx.home, "demo", "README.md"), "utf8")).toBe("hello from CodeCommit\n");
    const renewed = JSON.parse(readFileSync(path, "utf8")).accessToken.accessKeyId as string;
    expect(renewed).not.toBe(credentials.accessKeyId);
    expect(cc.authenticatedKeys.length).toBeGreaterThan(0);
    expect(cc.authenticatedKeys.every((k) => k === renewed)).toBe(true);
  }, 30_000);
});
