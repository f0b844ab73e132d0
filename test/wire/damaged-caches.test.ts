// Every cache file ccsso reads may have been left damaged by another tool, a full disk or a person:
// truncated, empty, huge, not JSON, JSON of the wrong shape or types. Each is a cache miss — never a
// crash — with a --debug note saying why, and the next write replaces it with a clean file.
import { afterEach, describe, expect, it } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loginSso } from "../../src/auth/login";
import { getSsoRoleCredentials } from "../../src/auth/role-credentials";
import { getSsoToken } from "../../src/auth/sso-token";
import { roleCredentialsCacheKey } from "../../src/core/cache-keys";
import { LoginRequiredError } from "../../src/core/errors";
import { resolveSsoProfile } from "../../src/core/aws-config";
import { formatCacheTimestamp } from "../../src/core/timestamps";
import { registrationCachePath } from "../../src/store/registration-cache";
import { roleCredentialsCachePath } from "../../src/store/role-credentials-cache";
import { tokenCachePath, writeTokenCache } from "../../src/store/token-cache";
import { corp, ssoWorld, START_URL, type SsoWorld } from "../helpers/sso-stand-in";

let w: SsoWorld;
afterEach(async () => w?.close());

/** What a damaged file may hold, and the reason the debug note gives. */
const damage: Array<[string, string | Uint8Array, RegExp]> = [
  ["truncated JSON", '{"accessToken": "abc", "expiresAt": "2030-', /is not valid JSON/],
  ["an empty file", "", /is empty/],
  ["only whitespace", " \n\t\n", /is empty/],
  ["8 MiB of garbage", "x".repeat(8 * 1024 * 1024), /is not valid JSON/],
  ["binary bytes with NULs", new Uint8Array([0, 1, 2, 0xff, 0xfe, 0, 0x7b]), /is not valid JSON/],
  ["a JSON array", "[1, 2, 3]", /does not hold a JSON object/],
  ["JSON null", "null", /does not hold a JSON object/],
  [
    "fields of the wrong types",
    '{"accessToken": 5, "expiresAt": [], "clientSecret": {}, "Credentials": "x", "ProviderType": 7}',
    /unusable|lacks|has no/,
  ],
  [
    "Credentials with wrong-typed fields",
    '{"ProviderType": "sso", "Credentials": {"AccessKeyId": 1, "SecretAccessKey": null, "Expiration": "soon"}, "accessToken": "t", "expiresAt": "soon", "clientId": 3}',
    /unusable|lacks|has no|not a timestamp|ignoring/,
  ],
];

function plant(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, content, { mode: 0o600 });
}

describe.each(damage)("a cache file holding %s", (_what, content, reason) => {
  it("as the SSO token cache: signed out (exit-3 error), a debug note, and the next login writes a clean file", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    w.t.ctx.debug = true;
    const path = tokenCachePath(w.sbx.env, corp);
    plant(path, content);
    const e = await getSsoToken(w.t.ctx, w.cfg, corp, { profile: "dev" }).catch((x) => x);
    expect(e).toBeInstanceOf(LoginRequiredError);
    expect(w.t.stderr()).toMatch(reason);
    await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" });
    expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ startUrl: START_URL, accessToken: expect.any(String) });
  });

  it("as the client registration cache: registers again, with a debug note, and rewrites it", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    w.t.ctx.debug = true;
    const path = registrationCachePath(w.sbx.env, corp);
    plant(path, content);
    await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" });
    expect(w.fake.counters.RegisterClient).toBe(1);
    expect(w.t.stderr()).toMatch(reason);
    expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ clientId: expect.any(String), clientSecret: expect.any(String) });
  });

  it("as the role-credentials cache: fetched again, with a debug note, and rewritten", async () => {
    w = ssoWorld();
    w.t.ctx.debug = true;
    const minted = w.fake.mintToken();
    writeTokenCache(w.sbx.env, corp, {
      startUrl: START_URL,
      region: "us-east-1",
      accessToken: minted.accessToken,
      expiresAt: formatCacheTimestamp(w.t.ctx.now() + 8 * 3600_000),
    });
    const profile = resolveSsoProfile(w.cfg, "dev")!;
    const path = roleCredentialsCachePath(w.sbx.env, roleCredentialsCacheKey(profile));
    plant(path, content);
    const creds = await getSsoRoleCredentials(w.t.ctx, w.cfg, profile);
    expect(creds.accessKeyId).toStartWith("ASIA");
    expect(w.fake.counters.GetRoleCredentials).toBe(1);
    expect(w.t.stderr()).toMatch(reason);
    expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ ProviderType: "sso", Credentials: { AccessKeyId: creds.accessKeyId } });
  });
});
