// Role credentials through the stand-in: cached in the AWS CLI's format, reused without a call, one
// call for a crowd, and a refused token handled without clobbering a newer one.
import { afterEach, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { loginSso } from "../../src/auth/login";
import { resolveCredentials } from "../../src/auth/credentials";
import { roleCredentialsCacheKey } from "../../src/core/cache-keys";
import { LoginRequiredError } from "../../src/core/errors";
import { roleCredentialsCachePath } from "../../src/store/role-credentials-cache";
import { corp, legacy, ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";

let w: SsoWorld;
afterEach(async () => w?.close());

const devKey = () => roleCredentialsCacheKey({ login: corp, accountId: "111111111111", roleName: "Developer" });

async function loggedIn(opts: Parameters<typeof ssoWorld>[0] = {}) {
  w = ssoWorld({
    roleCredentialsTtlSec: 3600,
    accessTokenTtlSec: 8 * 3600,
    deviceInterval: 1,
    ...opts,
    env: { BROWSER: "curl -fsSL", ...opts.env },
  });
  await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" });
  return w;
}

describe("SSO role credentials", () => {
  it("fetches them with the token and caches them where the AWS CLI looks", async () => {
    await loggedIn();
    const c = await resolveCredentials(w.t.ctx, { profile: "dev" });
    expect(c).toMatchObject({ source: "sso", accountId: "111111111111" });
    expect(w.fake.issued.get(c.accessKeyId)?.roleName).toBe("Developer");
    const text = readFileSync(roleCredentialsCachePath(w.sbx.env, devKey()), "utf8");
    expect(text).toStartWith(`{"ProviderType": "sso", "Credentials": {"AccessKeyId": "${c.accessKeyId}", `);
    expect(text).toEndWith(`"AccountId": "111111111111"}}`);
  });

  it("reuses cached credentials with 15 minutes or more left and fetches new ones after", async () => {
    await loggedIn();
    const first = await resolveCredentials(w.t.ctx, { profile: "dev" });
    w.t.advance(45 * 60_000);
    expect((await resolveCredentials(w.t.ctx, { profile: "dev" })).accessKeyId).toBe(first.accessKeyId);
    expect(w.fake.counters.GetRoleCredentials).toBe(1);
    w.t.advance(1000);
    expect((await resolveCredentials(w.t.ctx, { profile: "dev" })).accessKeyId).not.toBe(first.accessKeyId);
    expect(w.fake.counters.GetRoleCredentials).toBe(2);
  });

  it("makes one GetRoleCredentials call for 32 callers at once", async () => {
    await loggedIn();
    const got = await Promise.all(Array.from({ length: 32 }, () => resolveCredentials(w.t.ctx, { profile: "dev" })));
    expect(w.fake.counters.GetRoleCredentials).toBe(1);
    expect(new Set(got.map((c) => c.accessKeyId)).size).toBe(1);
  });

  it("refreshes a refused but refreshable token once and retries", async () => {
    await loggedIn();
    const refused = w.tokenFile().accessToken!;
    w.fake.invalidate(refused);
    const c = await resolveCredentials(w.t.ctx, { profile: "dev" });
    expect(w.fake.issued.has(c.accessKeyId)).toBe(true);
    expect(w.tokenFile().accessToken).not.toBe(refused);
  });

  it("asks for a login and marks the token expired when the portal refuses a token that cannot be refreshed", async () => {
    w = ssoWorld({ accessTokenTtlSec: 8 * 3600, deviceInterval: 1, env: { BROWSER: "curl -fsSL" } });
    await loginSso(w.t.ctx, w.cfg, legacy, { profile: "legacy" });
    w.fake.invalidate();
    const e = await resolveCredentials(w.t.ctx, { profile: "legacy" }).catch((x) => x);
    expect(e).toBeInstanceOf(LoginRequiredError);
    expect(`${e.message} — ${e.hint}`).toBe("the SSO session for profile legacy has expired — run: ccsso sso login --profile legacy");
    expect(Date.parse(w.tokenFile(legacy).expiresAt!)).toBeLessThan(w.t.ctx.now());
  });
});
