// One sandbox + the in-process Identity Center stand-in + a fake-clock context pointed at it: the
// setting of every wire test of sessions, login and role credentials.
import { readFileSync } from "node:fs";
import { parseAwsConfig, type AwsConfig } from "../../src/core/aws-config";
import type { SsoLogin } from "../../src/core/types";
import { testContext } from "../../src/platform/context";
import { tokenCachePath } from "../../src/store/token-cache";
import { createFakeIdentityCenter, type FakeIdentityCenter, type FakeIdentityCenterOptions } from "../fakes/identity-center";
import { makeSandbox, type Sandbox } from "./sandbox";

export const START_URL = "https://d-1234567890.awsapps.com/start";

export const SSO_CONFIG = `[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
[profile ops]
sso_session = corp
sso_account_id = 222222222222
sso_role_name = ReadOnly
[profile legacy]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_account_id = 111111111111
sso_role_name = Developer
[sso-session corp]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`;

export const corp: SsoLogin = {
  kind: "session",
  sessionName: "corp",
  startUrl: START_URL,
  region: "us-east-1",
  scopes: ["sso:account:access"],
};
export const legacy: SsoLogin = { kind: "legacy", startUrl: START_URL, region: "us-east-1" };

export interface SsoWorld {
  sbx: Sandbox;
  fake: FakeIdentityCenter;
  t: ReturnType<typeof testContext>;
  cfg: AwsConfig;
  tokenFile(login?: SsoLogin): Record<string, string>;
  close(): Promise<void>;
}

export function ssoWorld(opts: FakeIdentityCenterOptions & { env?: Record<string, string> } = {}): SsoWorld {
  const sbx = makeSandbox();
  sbx.writeConfig(SSO_CONFIG);
  const { env, ...fakeOpts } = opts;
  const fake = createFakeIdentityCenter(fakeOpts);
  const t = testContext({ env: { ...sbx.env, AWS_ENDPOINT_URL_SSO_OIDC: fake.url, AWS_ENDPOINT_URL_SSO: fake.url, ...env } });
  // One clock for both sides, so expiry windows line up without sleeping.
  fake.knobs.now = t.ctx.now;
  return {
    sbx,
    fake,
    t,
    cfg: parseAwsConfig(SSO_CONFIG),
    tokenFile: (login = corp) => JSON.parse(readFileSync(tokenCachePath(sbx.env, login), "utf8")),
    async close() {
      await fake.close();
      sbx.cleanup();
    },
  };
}
