// Role chaining through the stand-ins: an SSO profile's role credentials sign STS AssumeRole for role A,
// A's sign it for role B; each step cached where the AWS CLI caches it, reused without a call, one call
// per step for a crowd; loops, MFA and unsupported sources end in one line that says what to do.
import { afterEach, describe, expect, it } from "bun:test";
import { loginSso } from "../../src/auth/login";
import { resolveCredentials } from "../../src/auth/credentials";
import { forgetCachedRoleCredentials } from "../../src/auth/forget-credentials";
import { CcssoError, ConfigError, MfaRequiredError } from "../../src/core/errors";
import { createFakeAwsApis, type FakeAwsApis, type FakeRole } from "../fakes/aws-apis";
import { corp, SSO_CONFIG, ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";

const ROLE_A = "arn:aws:iam::222222222222:role/RoleA";
const ROLE_B = "arn:aws:iam::333333333333:role/GitAccess";
const MFA = "arn:aws:iam::111111111111:mfa/ana";
const CHAIN = `[profile a]
role_arn = ${ROLE_A}
source_profile = dev
[profile repo]
role_arn = ${ROLE_B}
source_profile = a
[profile mfa]
role_arn = ${ROLE_B}
source_profile = dev
mfa_serial = ${MFA}
[profile loop1]
role_arn = ${ROLE_A}
source_profile = loop2
[profile loop2]
role_arn = ${ROLE_B}
source_profile = loop1
[profile from-env]
role_arn = ${ROLE_A}
credential_source = Environment
[profile from-ecs]
role_arn = ${ROLE_A}
credential_source = EcsContainer
`;

let w: SsoWorld;
let apis: FakeAwsApis;
let stop: () => void;
afterEach(async () => {
  stop?.();
  await w?.close();
});

async function world(roles?: FakeRole[], env: Record<string, string> = {}) {
  w = ssoWorld({ roleCredentialsTtlSec: 3600, accessTokenTtlSec: 8 * 3600, env: { BROWSER: "curl -fsSL", ...env } });
  w.sbx.writeConfig(SSO_CONFIG + CHAIN);
  apis = createFakeAwsApis({
    issued: w.fake.issued,
    now: w.t.ctx.now,
    roles,
    staticKeys: [{ accessKeyId: "AKIAENVKEY0000000000", secretAccessKey: "env-secret", accountId: "111111111111" }],
  });
  const server = apis.start();
  stop = server.stop;
  w.t.ctx.env.AWS_ENDPOINT_URL_STS = server.url;
  await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" });
}

const assumeRoleCalls = () => apis.calls.filter((c) => c.operation === "AssumeRole");

describe("assumed roles", () => {
  it("chains SSO → role A → role B, each AssumeRole signed with the credentials below it", async () => {
    await world();
    const c = await resolveCredentials(w.t.ctx, { profile: "repo" });
    expect(c).toMatchObject({
      source: "assume-role",
      accountId: "333333333333",
      description: "role GitAccess in 333333333333, from profile a (role RoleA in 222222222222)",
    });
    const issued = apis.issued.get(c.accessKeyId)!;
    expect(issued).toMatchObject({ accountId: "333333333333", roleName: "GitAccess" });
    const [first, second] = assumeRoleCalls();
    // The first was signed with the portal's role credentials, the second with role A's.
    expect(w.fake.issued.get(first!.accessKeyId!)?.roleName).toBe("Developer");
    expect(apis.issued.get(second!.accessKeyId!)?.roleName).toBe("RoleA");
    expect(assumeRoleCalls()).toHaveLength(2);
  });

  it("reuses cached credentials while 15 minutes or more are left, then assumes the roles again", async () => {
    await world();
    const first = await resolveCredentials(w.t.ctx, { profile: "repo" });
    w.t.advance(45 * 60_000);
    expect((await resolveCredentials(w.t.ctx, { profile: "repo" })).accessKeyId).toBe(first.accessKeyId);
    expect(assumeRoleCalls()).toHaveLength(2);
    w.t.advance(1000);
    const later = await resolveCredentials(w.t.ctx, { profile: "repo" });
    expect(later.accessKeyId).not.toBe(first.accessKeyId);
    expect(apis.issued.has(later.accessKeyId)).toBe(true);
    expect(assumeRoleCalls()).toHaveLength(4);
  });

  it("on git's erase, drops the rejected top role's cached credentials only, so the next call re-assumes just that role", async () => {
    await world();
    const c = await resolveCredentials(w.t.ctx, { profile: "repo" });
    expect(await forgetCachedRoleCredentials(w.t.ctx, { profile: "repo", accessKeyId: "ASIANOTTHEONEUSED000" })).toBe(false);
    expect(await forgetCachedRoleCredentials(w.t.ctx, { profile: "repo", accessKeyId: c.accessKeyId })).toBe(true);
    const again = await resolveCredentials(w.t.ctx, { profile: "repo" });
    expect(again.accessKeyId).not.toBe(c.accessKeyId);
    expect(assumeRoleCalls()).toHaveLength(3);
  });

  it("makes one AssumeRole call per role for 16 callers at once", async () => {
    await world();
    const got = await Promise.all(Array.from({ length: 16 }, () => resolveCredentials(w.t.ctx, { profile: "repo" })));
    expect(new Set(got.map((c) => c.accessKeyId)).size).toBe(1);
    expect(assumeRoleCalls()).toHaveLength(2);
  });

  it("refuses a source_profile loop in one line, before any call", async () => {
    await world();
    const e = await resolveCredentials(w.t.ctx, { profile: "loop1" }).catch((x) => x);
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe("profile loop1: source_profile loop loop1 → loop2 → loop1");
    expect(e.message).not.toContain("\n");
    expect(assumeRoleCalls()).toHaveLength(0);
  });

  it("asks for the MFA code only through the prompt it is given, and caches the result for the helpers", async () => {
    await world([{ arn: ROLE_B, mfa: { serial: MFA, code: "123456" } }]);
    const e = await resolveCredentials(w.t.ctx, { profile: "mfa", forGit: true }).catch((x) => x);
    expect(e).toBeInstanceOf(MfaRequiredError);
    expect(e.exitCode).toBe(3);
    expect(`${e.message} — ${e.hint}`).toBe(
      `profile mfa needs an MFA code from ${MFA} to assume role GitAccess in 333333333333, and nobody can be asked here — run on a terminal: ccsso whoami --profile mfa (it asks for the code and caches the role's credentials for git)`,
    );
    expect(assumeRoleCalls()).toHaveLength(0);
    const asked: string[] = [];
    const c = await resolveCredentials(w.t.ctx, { profile: "mfa", mfaCode: async (serial) => (asked.push(serial), "123456\n") });
    expect(asked).toEqual([MFA]);
    // The helper now finds them cached: no code needed while they last.
    expect((await resolveCredentials(w.t.ctx, { profile: "mfa", forGit: true })).accessKeyId).toBe(c.accessKeyId);
  });

  it("a wrong MFA code is STS's refusal, in one line", async () => {
    await world([{ arn: ROLE_B, mfa: { serial: MFA, code: "123456" } }]);
    const e = await resolveCredentials(w.t.ctx, { profile: "mfa", mfaCode: async () => "000000" }).catch((x) => x);
    expect(e).toBeInstanceOf(CcssoError);
    expect(e.message).toBe("STS AssumeRole failed: AccessDenied: MultiFactorAuthentication failed with invalid MFA one time pass code.");
  });

  it("credential_source = Environment signs with the environment's keys; the container and instance sources say they are not supported", async () => {
    await world(undefined, {});
    w.t.ctx.env.AWS_ACCESS_KEY_ID = "AKIAENVKEY0000000000";
    w.t.ctx.env.AWS_SECRET_ACCESS_KEY = "env-secret";
    const c = await resolveCredentials(w.t.ctx, { profile: "from-env" });
    expect(c).toMatchObject({
      accountId: "222222222222",
      description: "role RoleA in 222222222222, from the environment (credential_source = Environment)",
    });
    expect(assumeRoleCalls()[0]!.accessKeyId).toBe("AKIAENVKEY0000000000");
    const e = await resolveCredentials(w.t.ctx, { profile: "from-ecs" }).catch((x) => x);
    expect(e.message).toBe("profile from-ecs: credential_source = EcsContainer is not supported by ccsso yet (only Environment is)");
  });
});
