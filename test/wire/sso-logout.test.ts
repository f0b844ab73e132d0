// `sso logout`: the selected session only by default (Logout called, its token and the role
// credentials of its profiles removed, others untouched); --all does what `aws sso logout` does.
import { afterEach, describe, expect, it } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { loginSso } from "../../src/auth/login";
import { resolveCredentials } from "../../src/auth/credentials";
import { run } from "../../src/cli/run";
import { roleCredentialsCacheKey } from "../../src/core/cache-keys";
import { registrationCachePath } from "../../src/store/registration-cache";
import { roleCredentialsCachePath } from "../../src/store/role-credentials-cache";
import { tokenCachePath } from "../../src/store/token-cache";
import { corp, legacy, ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";

let w: SsoWorld;
afterEach(async () => w?.close());

const key = (login = corp, accountId = "111111111111", roleName = "Developer") => roleCredentialsCacheKey({ login, accountId, roleName });

async function twoSessions() {
  w = ssoWorld({ deviceInterval: 1, env: { BROWSER: "curl -fsSL" } });
  await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" });
  await loginSso(w.t.ctx, w.cfg, legacy, { profile: "legacy" });
  await resolveCredentials(w.t.ctx, { profile: "dev" });
  await resolveCredentials(w.t.ctx, { profile: "legacy" });
  // An assume-role entry of the AWS CLI's that no logout may touch.
  writeFileSync(roleCredentialsCachePath(w.sbx.env, "assume"), '{"ProviderType": "assume-role", "Credentials": {}}');
}

describe("ccsso sso logout", () => {
  it("with no flag and one sso-session configured, signs out of that session and says it chose it", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    await loginSso(w.t.ctx, w.cfg, corp, {});
    w.sbx.writeConfig(`[sso-session corp]\nsso_start_url = ${corp.startUrl}\nsso_region = ${corp.region}\n`);
    const before = w.t.stderr().length;
    expect(await run(["sso", "logout"], w.t.ctx)).toBe(0);
    expect(w.t.stderr().slice(before)).toBe(
      "ccsso: using SSO session corp, the only one configured (no --profile, AWS_PROFILE or [default] profile)\n",
    );
    expect(existsSync(tokenCachePath(w.sbx.env, corp))).toBe(false);
  });

  it("signs out of the selected session only", async () => {
    await twoSessions();
    const devToken = w.tokenFile(corp).accessToken!;
    expect(await run(["sso", "logout", "--profile", "dev"], w.t.ctx)).toBe(0);
    expect(w.fake.counters.Logout).toBe(1);
    expect(w.fake.liveAccessTokens()).not.toContain(devToken);
    expect(existsSync(tokenCachePath(w.sbx.env, corp))).toBe(false);
    expect(existsSync(roleCredentialsCachePath(w.sbx.env, key(corp)))).toBe(false);
    expect(existsSync(registrationCachePath(w.sbx.env, corp))).toBe(true);
    expect(existsSync(tokenCachePath(w.sbx.env, legacy))).toBe(true);
    expect(existsSync(roleCredentialsCachePath(w.sbx.env, key(legacy)))).toBe(true);
    expect(w.t.stdout()).toBe("Signed out of SSO session corp; removed 1 cached role credential.\n");
  });

  it("still removes the local files when the Logout call fails", async () => {
    await twoSessions();
    w.fake.failNext("Logout", { type: "InternalServerException" });
    expect(await run(["sso", "logout", "--sso-session", "corp"], w.t.ctx)).toBe(0);
    expect(existsSync(tokenCachePath(w.sbx.env, corp))).toBe(false);
  });

  it("with --all, signs out of every session like aws sso logout", async () => {
    await twoSessions();
    expect(await run(["sso", "logout", "--all"], w.t.ctx)).toBe(0);
    expect(w.fake.counters.Logout).toBe(2);
    expect(existsSync(tokenCachePath(w.sbx.env, corp))).toBe(false);
    expect(existsSync(tokenCachePath(w.sbx.env, legacy))).toBe(false);
    expect(existsSync(roleCredentialsCachePath(w.sbx.env, key(legacy)))).toBe(false);
    expect(existsSync(roleCredentialsCachePath(w.sbx.env, "assume"))).toBe(true);
    expect(existsSync(registrationCachePath(w.sbx.env, corp))).toBe(true);
  });

  it("refuses --all together with a profile", async () => {
    w = ssoWorld();
    expect(await run(["sso", "logout", "--all", "--profile", "dev"], w.t.ctx)).toBe(2);
  });
});
