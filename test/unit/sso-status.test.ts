import { afterEach, describe, expect, it } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../src/cli/run";
import { roleCredentialsCacheKey, sha1Hex } from "../../src/core/cache-keys";
import { testContext } from "../../src/platform/context";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

// The test clock: 2026-01-02T03:04:05Z.
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const SECRETS = {
  corpAccess: "aoaAAAAcorpAccessTokenSECRET1234567890",
  corpRefresh: "aorAAAAcorpRefreshTokenSECRET1234567890",
  corpClientSecret: "eyJraWQiOiJjb3JwQ2xpZW50U2VjcmV0U0VDUkVUIn0",
  legacyAccess: "aoaAAAAlegacyAccessTokenSECRET123456789",
  oldAccess: "aoaAAAAoldAccessTokenSECRET1234567890",
  oldRefresh: "aorAAAAoldRefreshTokenSECRET1234567890",
  orphanAccess: "aoaAAAAorphanAccessTokenSECRET12345678",
  roleSecret: "wJalrXUtnFEMIK7MDENGbPxRfiCYroleSECRET",
  roleSession: "IQoJb3JpZ2luX2VjroleSessionTokenSECRET",
  registrationSecret: "eyJraWQiOiJyZWdpc3RyYXRpb25TRUNSRVQifQ",
};

let sandbox: Sandbox;
afterEach(() => sandbox?.cleanup());

function setup() {
  sandbox = makeSandbox();
  sandbox.writeConfig(
    [
      "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
      "[sso-session old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\n",
      "[sso-session fresh]\nsso_start_url = https://fresh.awsapps.com/start\nsso_region = us-east-1\n",
      "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\n",
      "[profile ro]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n",
      "[profile classic]\nsso_start_url = https://classic.awsapps.com/start\nsso_region = us-west-2\nsso_account_id = 444455556666\nsso_role_name = Admin\n",
    ].join(""),
  );
  const cache = sandbox.path(".aws", "sso", "cache");
  mkdirSync(cache, { recursive: true, mode: 0o700 });
  const put = (key: string, body: string) => writeFileSync(join(cache, `${key}.json`), body, { mode: 0o600 });
  // AWS CLI format, one line; the legacy token in the CLI < 2.1.14 "UTC" timestamp form.
  put(
    sha1Hex("corp"),
    `{"startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": "${SECRETS.corpAccess}", "expiresAt": "2026-01-02T11:04:05Z", "clientId": "cid-corp", "clientSecret": "${SECRETS.corpClientSecret}", "registrationExpiresAt": "2026-04-02T03:04:05Z", "refreshToken": "${SECRETS.corpRefresh}"}`,
  );
  put(
    sha1Hex("https://classic.awsapps.com/start"),
    `{"startUrl": "https://classic.awsapps.com/start", "region": "us-west-2", "accessToken": "${SECRETS.legacyAccess}", "expiresAt": "2026-01-01T03:04:05UTC"}`,
  );
  put(
    sha1Hex("old"),
    `{"startUrl": "https://old.awsapps.com/start", "region": "us-east-1", "accessToken": "${SECRETS.oldAccess}", "expiresAt": "2026-01-02T03:00:00Z", "clientId": "cid-old", "clientSecret": "x-old-client-secret-1234", "registrationExpiresAt": "2025-12-01T00:00:00Z", "refreshToken": "${SECRETS.oldRefresh}"}`,
  );
  put(
    sha1Hex("someone-elses-session"),
    `{"startUrl": "https://elsewhere.awsapps.com/start", "region": "us-east-1", "accessToken": "${SECRETS.orphanAccess}", "expiresAt": "2026-01-03T00:00:00.000Z"}`,
  );
  // A client registration lives in the same directory and is not a session.
  put(
    sha1Hex("registration"),
    `{"clientId": "cid", "clientSecret": "${SECRETS.registrationSecret}", "expiresAt": "2026-04-02T03:04:05Z", "scopes": ["sso:account:access"]}`,
  );
  const cli = sandbox.path(".aws", "cli", "cache");
  mkdirSync(cli, { recursive: true, mode: 0o700 });
  const key = roleCredentialsCacheKey({
    login: { kind: "session", sessionName: "corp", startUrl: "https://corp.awsapps.com/start", region: "eu-west-1" },
    accountId: "111122223333",
    roleName: "Developer",
  });
  writeFileSync(
    join(cli, `${key}.json`),
    `{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAEXAMPLEROLEKEY01", "SecretAccessKey": "${SECRETS.roleSecret}", "SessionToken": "${SECRETS.roleSession}", "Expiration": "2026-01-02T03:59:05Z", "AccountId": "111122223333"}}`,
  );
  return testContext({ env: sandbox.env, now: NOW });
}

describe("ccsso sso status", () => {
  it("shows a signed-in session with its expiry, refreshability and each profile's cached credentials", async () => {
    const t = setup();
    // Other sessions in this config need a login (see the exit status tests below).
    expect(await run(["sso", "status"], t.ctx)).toBe(3);
    const out = t.stdout();
    expect(out).toContain("sso-session corp  https://corp.awsapps.com/start (eu-west-1)");
    expect(out).toContain("signed in, token expires in 8h (2026-01-02T11:04:05Z)");
    expect(out).toContain("refreshable: yes (client registration until 2026-04-02T03:04:05Z)");
    expect(out).toContain("profile dev  111122223333/Developer  role credentials expire in 55m (2026-01-02T03:59:05Z)");
    expect(out).toContain("profile ro  111122223333/ReadOnly  no cached role credentials");
  });

  it("says an expired legacy token cannot refresh and names the login command", async () => {
    const t = setup();
    await run(["sso", "status"], t.ctx);
    expect(t.stdout()).toContain("legacy start URL  https://classic.awsapps.com/start (us-west-2)");
    expect(t.stdout()).toContain("token expired 1d ago (2026-01-01T03:04:05Z)");
    expect(t.stdout()).toContain("refreshable: no (legacy profile (no sso-session)) — run: ccsso sso login --profile classic");
  });

  it("says a token whose client registration expired cannot refresh", async () => {
    const t = setup();
    await run(["sso", "status", "--json"], t.ctx);
    const old = JSON.parse(t.stdout()).sessions.find((s: { name?: string }) => s.name === "old");
    expect(old.token).toMatchObject({ state: "expired", refreshable: false, whyNotRefreshable: "client registration expired" });
  });

  it("lists a configured session with no token as not signed in", async () => {
    const t = setup();
    await run(["sso", "status"], t.ctx);
    expect(t.stdout()).toContain("sso-session fresh");
    expect(t.stdout()).toContain("not signed in — run: ccsso sso login --sso-session fresh");
  });

  it("lists tokens no configured session points at, and not client registrations", async () => {
    const t = setup();
    await run(["sso", "status", "--json"], t.ctx);
    const report = JSON.parse(t.stdout());
    expect(report.otherTokens).toHaveLength(1);
    expect(report.otherTokens[0]).toMatchObject({
      startUrl: "https://elsewhere.awsapps.com/start",
      expiresAt: "2026-01-03T00:00:00Z",
      expired: false,
    });
  });

  it("never prints a token, refresh token, client secret or role secret", async () => {
    const t = setup();
    await run(["sso", "status"], t.ctx);
    await run(["sso", "status", "--json"], t.ctx);
    const all = t.stdout() + t.stderr();
    for (const secret of Object.values(SECRETS)) expect(all).not.toContain(secret);
    expect(all).not.toContain("ASIAEXAMPLEROLEKEY01");
  });

  it("points a newcomer at configure sso when nothing is configured, and exits 1 as gh auth status does", async () => {
    sandbox = makeSandbox();
    const t = testContext({ env: sandbox.env, now: NOW });
    expect(await run(["sso", "status"], t.ctx)).toBe(1);
    expect(t.stdout()).toBe("No SSO sessions are configured. Get started: ccsso configure sso\n");
  });
});

describe("ccsso sso status exit status (for scripts)", () => {
  const status = async (argv: string[], now = NOW) => {
    setup();
    const u = testContext({ env: sandbox.env, now });
    const code = await run(["sso", "status", ...argv], u.ctx);
    return { code, out: u.stdout(), err: u.stderr() };
  };

  it.each([
    [[], 3, "some listed session needs a login"],
    [["--json"], 3, "the same with --json"],
    [["--sso-session", "corp"], 0, "the session asked about is signed in"],
    [["--profile", "dev"], 0, "the profile asked about uses a signed-in session"],
    [["--profile", "dev", "--json"], 0, "the same with --json"],
    [["--sso-session", "old"], 3, "expired, and its registration expired too"],
    [["--sso-session", "fresh"], 3, "never signed in"],
    [["--profile", "classic"], 3, "an expired legacy token cannot renew itself"],
  ])("%p exits %d: %s", async (argv, code) => {
    expect((await status(argv)).code).toBe(code);
  });

  it("shows only the session asked about", async () => {
    const r = await status(["--profile", "ro"]);
    expect(r.out.split("\n")[0]).toBe("sso-session corp  https://corp.awsapps.com/start (eu-west-1)");
    expect(r.out).not.toContain("sso-session old");
    expect(r.out).not.toContain("token not in your config");
  });

  it("exits 0 for an expired token that renews itself with its refresh token", async () => {
    // 12:00, after corp's token expired at 11:04, with its client registration good until April.
    const r = await status(["--sso-session", "corp"], Date.UTC(2026, 0, 2, 12, 0, 0));
    expect(r.out).toContain("token expired");
    expect(r.out).toContain("refreshable: yes");
    expect(r.code).toBe(0);
  });

  it("refuses a profile that is not configured, and both flags at once", async () => {
    const missing = await status(["--profile", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('profile "nope" was not found');
    const both = await status(["--profile", "dev", "--sso-session", "corp"]);
    expect(both.code).toBe(2);
    expect(both.err).toBe("ccsso: --profile and --sso-session each name a session; give one — run: ccsso sso status --profile <name>\n");
  });
});
