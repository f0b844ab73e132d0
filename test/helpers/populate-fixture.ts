// A signed-in sso-session against the Identity Center stand-in, for the populate and wizard tests:
// the [sso-session] section, and a token in the AWS CLI cache that the stand-in accepts.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tokenCacheKey } from "../../src/core/cache-keys";
import type { SsoSessionLogin } from "../../src/core/types";
import type { FakeIdentityCenter } from "../fakes/identity-center";
import type { Sandbox } from "./sandbox";

export const corpLogin: SsoSessionLogin = {
  kind: "session",
  sessionName: "corp",
  startUrl: "https://corp-example.awsapps.com/start",
  region: "us-east-1",
  scopes: ["sso:account:access"],
};

export const corpSessionSection = `[sso-session corp]\nsso_start_url = ${corpLogin.startUrl}\nsso_region = ${corpLogin.region}\nsso_registration_scopes = sso:account:access\n`;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Point the sandbox's SSO traffic at the stand-in (AWS_ENDPOINT_URL_SSO[_OIDC], as the AWS CLI honours them). */
export function useStandIn(sandbox: Sandbox, fake: FakeIdentityCenter): void {
  sandbox.env.AWS_ENDPOINT_URL_SSO = fake.url;
  sandbox.env.AWS_ENDPOINT_URL_SSO_OIDC = fake.url;
}

/** Write a valid cached token for sso-session corp, minted by the stand-in; valid 8 h after `now`. */
export function signInCorp(sandbox: Sandbox, fake: FakeIdentityCenter, now: number): string {
  const minted = fake.mintToken();
  const dir = join(sandbox.home, ".aws", "sso", "cache");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(
    join(dir, `${tokenCacheKey(corpLogin)}.json`),
    JSON.stringify({
      startUrl: corpLogin.startUrl,
      region: corpLogin.region,
      accessToken: minted.accessToken,
      expiresAt: iso(now + 8 * 3600_000),
    }),
    { mode: 0o600 },
  );
  return minted.accessToken;
}
