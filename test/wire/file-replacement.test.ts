// Every file ccsso writes that another process may be reading at that moment — the SSO token, the client
// registration, the role credentials, the AWS config — is replaced whole (a temp file renamed over it),
// never rewritten in place (docs/protocols.md §2.1). A git helper reading a token cache while `sso login`
// rewrites it in place could read half a file. test/e2e/kill-during-write.test.ts shows the consequence
// with the compiled binary; this checks the mechanism in-process, through the real flows: a hard link
// made to the old file before the write still holds the old bytes afterwards only if nobody wrote into
// that file.
import { afterEach, describe, expect, it } from "bun:test";
import { chmodSync, linkSync, readdirSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import { resolveCredentials } from "../../src/auth/credentials";
import { loginSso } from "../../src/auth/login";
import { getSsoToken } from "../../src/auth/sso-token";
import { roleCredentialsCacheKey } from "../../src/core/cache-keys";
import { updateAwsConfig } from "../../src/store/aws-config-files";
import { registrationCachePath } from "../../src/store/registration-cache";
import { roleCredentialsCachePath } from "../../src/store/role-credentials-cache";
import { tokenCachePath } from "../../src/store/token-cache";
import { corp, ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";

let w: SsoWorld;
afterEach(async () => w?.close());

async function loggedIn() {
  w = ssoWorld({ accessTokenTtlSec: 3600, roleCredentialsTtlSec: 3600, deviceInterval: 1, env: { BROWSER: "curl -fsSL" } });
  await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" });
  return w;
}

/** Run `change`, which must rewrite `path`, and prove it replaced the file rather than writing into it. */
async function expectReplaced(path: string, change: () => unknown) {
  const before = readFileSync(path);
  const witness = `${path}.witness`;
  linkSync(path, witness);
  const inode = statSync(path).ino;
  try {
    await change();
    expect(readFileSync(path).equals(before)).toBe(false); // it was rewritten…
    expect(readFileSync(witness).equals(before)).toBe(true); // …but not in place: the old file is intact
    expect(statSync(path).ino).not.toBe(inode);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  } finally {
    unlinkSync(witness);
  }
  expect(readdirSync(dirname(path)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
}

describe("files other processes read are replaced, never rewritten in place", () => {
  it("the SSO token cache, when a second sign-in writes a new token", async () => {
    await loggedIn();
    await expectReplaced(tokenCachePath(w.sbx.env, corp), () => loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" }));
  });

  it("the SSO token cache, when the token is refreshed", async () => {
    await loggedIn();
    w.t.advance(46 * 60_000);
    await expectReplaced(tokenCachePath(w.sbx.env, corp), () => getSsoToken(w.t.ctx, w.cfg, corp, { profile: "dev" }));
  });

  it("the client registration, when switching flows registers a new client", async () => {
    await loggedIn();
    // A PKCE registration cannot serve the device flow: the same file gets a new registration.
    await expectReplaced(registrationCachePath(w.sbx.env, corp), () =>
      loginSso(w.t.ctx, w.cfg, corp, { profile: "dev", deviceCode: true }),
    );
  });

  it("the role credentials, when fresh ones replace ones too close to expiry", async () => {
    await loggedIn();
    await resolveCredentials(w.t.ctx, { profile: "dev" });
    const path = roleCredentialsCachePath(
      w.sbx.env,
      roleCredentialsCacheKey({ login: corp, accountId: "111111111111", roleName: "Developer" }),
    );
    w.t.advance(46 * 60_000);
    await expectReplaced(path, () => resolveCredentials(w.t.ctx, { profile: "dev" }));
  });

  it("the AWS config file, when a section is edited", async () => {
    await loggedIn();
    chmodSync(w.sbx.awsConfig, 0o600);
    await expectReplaced(w.sbx.awsConfig, () => updateAwsConfig(w.sbx.env, "profile dev", { region: "eu-west-1" }));
  });
});
