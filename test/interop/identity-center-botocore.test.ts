// botocore is the oracle for the Identity Center stand-in: its real sso-oidc and sso clients, built
// from the service models, talk to the stand-in (UNSIGNED, endpoint_url) and must parse every answer
// and raise the modelled exception classes. If the stand-in drifts from the wire format, these fail.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { createFakeIdentityCenter, type FakeIdentityCenter, type FakeIdentityCenterOptions } from "../fakes/identity-center";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const script = join(import.meta.dir, "botocore-identity-center.py");

let fake: FakeIdentityCenter;
let sandbox: Sandbox;

function start(opts: FakeIdentityCenterOptions = {}) {
  fake = createFakeIdentityCenter(opts);
  return fake;
}

// Async spawn: the stand-in lives in this process and must keep answering while python runs.
async function botocore(scenario: string, ...args: string[]): Promise<any> {
  const proc = Bun.spawn(["python3", script, scenario, fake.url, ...args], { env: sandbox.env, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`botocore scenario ${scenario} failed (${code}):\n${err}`);
  return JSON.parse(out);
}

beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(async () => {
  await fake?.close();
  sandbox.cleanup();
});

describe("botocore sso-oidc against the stand-in", () => {
  it("completes the device flow: pending before approval, a token after the browser page, then a refresh", async () => {
    start();
    const before = Math.floor(Date.now() / 1000);
    const r = await botocore("device");
    // LongTimeStampType: epoch seconds, parsed by botocore as integers.
    expect(r.registrationTypes).toEqual(["int", "int"]);
    expect(r.registration.clientIdIssuedAt).toBeGreaterThanOrEqual(before);
    expect(r.registration.clientSecretExpiresAt - r.registration.clientIdIssuedAt).toBe(90 * 24 * 3600);
    expect(r.device.verificationUriComplete).toBe(`${fake.url}/device?user_code=${r.device.userCode}`);
    expect(r.device.userCode).toMatch(/^[A-Z2-7]{4}-[A-Z2-7]{4}$/);
    expect(r.beforeApproval).toMatchObject({ class: "AuthorizationPendingException", status: 400, oauthError: "authorization_pending" });
    expect(r.beforeApproval.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.page).toBe(200);
    expect(r.seen).toEqual([]);
    expect(r.token).toEqual({ tokenType: "Bearer", expiresIn: 3600 });
    expect(r.hasRefreshToken).toBe(true);
    expect(r.reuseDeviceCode.class).toBe("InvalidGrantException");
    expect(r.refreshedDiffers).toBe(true);
    expect(r.refreshAfterLogout).toMatchObject({ class: "InvalidGrantException", message: "Invalid refresh token provided" });
    expect(fake.counters.DeviceVerification).toBe(1);
  });

  it("raises SlowDownException, then AuthorizationPendingException while the person is slow, then succeeds", async () => {
    start({ slowDown: 1, pendingPolls: 2 });
    const r = await botocore("device-errors");
    expect(r.seen).toEqual(["SlowDownException", "AuthorizationPendingException", "AuthorizationPendingException"]);
    expect(r.gotToken).toBe(true);
    expect(r.badSecret).toMatchObject({ class: "InvalidClientException", status: 401 });
    expect(r.badGrant).toMatchObject({ class: "UnsupportedGrantTypeException", status: 400 });
  });

  it("raises ExpiredTokenException once the device code has expired", async () => {
    start();
    const r = await botocore("device-expired");
    expect(r.expired).toMatchObject({ class: "ExpiredTokenException", oauthError: "expired_token" });
  });

  it("raises AccessDeniedException when the person clicks Deny", async () => {
    start({ deny: true });
    const r = await botocore("device-denied");
    expect(r.page).toBe(200);
    expect(r.denied).toMatchObject({ class: "AccessDeniedException", status: 400, oauthError: "access_denied" });
  });

  it("exchanges a PKCE authorization code only with the right verifier and redirect URI, once", async () => {
    start();
    const r = await botocore("pkce");
    // The registered redirect has no port; the loopback port is accepted (RFC 8252 §7.3).
    expect(r.redirectedTo).toBe("http://127.0.0.1:55555/oauth/callback");
    expect(r.query).toEqual({ state: "00000000-0000-0000-0000-000000000000" });
    expect(r.hasCode).toBe(true);
    expect(r.wrongVerifier.class).toBe("InvalidGrantException");
    expect(r.wrongRedirect.class).toBe("InvalidGrantException");
    expect(r.hasRefreshToken).toBe(true);
    expect(r.codeReused.class).toBe("InvalidGrantException");
    expect(r.deviceOnPkceClient.class).toBe("UnauthorizedClientException");
  });

  it("redirects with error=access_denied and the state when the person denies the PKCE request", async () => {
    start({ deny: true });
    const r = await botocore("pkce-denied");
    expect(r.hasCode).toBe(false);
    expect(r.query).toMatchObject({ error: "access_denied", state: "00000000-0000-0000-0000-000000000000" });
  });
});

describe("botocore sso (portal) against the stand-in", () => {
  it("pages accounts and roles, parses millisecond expirations and surfaces the modelled errors", async () => {
    start({ accountCount: 25, rolesPerAccount: ["Developer", "ReadOnly", "Admin"], roleCredentialsTtlSec: 3600 });
    const { accessToken } = fake.mintToken();
    const before = Date.now();
    const r = await botocore("portal", accessToken);
    expect(r.accountPages).toBe(3);
    expect(r.accountIds).toHaveLength(25);
    expect(new Set(r.accountIds).size).toBe(25);
    expect(r.firstAccount).toEqual({ accountId: "111111111111", accountName: "dev", emailAddress: "aws+dev@example.com" });
    expect(r.roles.map((x: any) => x.roleName)).toEqual(["Developer", "ReadOnly", "Admin"]);
    // Three roles at PageSize 2: the paginator followed nextToken once.
    expect(fake.log.filter((l) => l.operation === "ListAccountRoles" && l.query.account_id === "111111111111")).toHaveLength(2);
    // ExpirationTimestampType is a long in epoch milliseconds; botocore keeps it as an int.
    expect(r.credentials.expirationType).toBe("int");
    expect(r.credentials.expiration).toBeGreaterThanOrEqual(before + 3600_000);
    expect(r.credentials.expiration).toBeLessThan(before + 3700_000);
    expect(fake.issued.get(r.credentials.accessKeyId)).toMatchObject({ accountId: "111111111111", roleName: "Developer" });
    expect(r.unknownAccount).toMatchObject({ class: "ResourceNotFoundException", status: 404 });
    expect(r.badNextToken).toMatchObject({ class: "InvalidRequestException", status: 400 });
    expect(r.notAssigned).toMatchObject({ code: "ForbiddenException", status: 403, message: "No access" });
    expect(r.throttled).toMatchObject({ class: "TooManyRequestsException", status: 429 });
    expect(r.afterInvalidate).toMatchObject({ class: "UnauthorizedException", status: 401, message: "Session token not found or invalid" });
    expect(r.logoutAfterInvalidate.class).toBe("UnauthorizedException");
  });
});
