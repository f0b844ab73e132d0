// The real AWS SDK for JavaScript v3 (the clients ccsso ships) is the second oracle for the Identity
// Center stand-in: every answer must deserialize into the modelled shapes and exception classes, in Bun.
import { afterEach, describe, expect, it } from "bun:test";
import {
  AccessDeniedException,
  AuthorizationPendingException,
  CreateTokenCommand,
  ExpiredTokenException,
  InvalidClientException,
  InvalidGrantException,
  RegisterClientCommand,
  SlowDownException,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from "@aws-sdk/client-sso-oidc";
import {
  GetRoleCredentialsCommand,
  LogoutCommand,
  paginateListAccountRoles,
  paginateListAccounts,
  SSOClient,
  TooManyRequestsException,
  UnauthorizedException,
} from "@aws-sdk/client-sso";
import { createFakeIdentityCenter, type FakeIdentityCenter, type FakeIdentityCenterOptions } from "../fakes/identity-center";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const START_URL = "https://d-1234567890.awsapps.com/start";

let fake: FakeIdentityCenter;
afterEach(async () => {
  await fake?.close();
});

function clients(opts: FakeIdentityCenterOptions = {}) {
  fake = createFakeIdentityCenter(opts);
  // maxAttempts 1: a forced 429/500 must surface, not be retried away.
  const common = { region: "us-east-1", endpoint: fake.url, maxAttempts: 1 };
  return { oidc: new SSOOIDCClient(common), portal: new SSOClient(common) };
}

async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

describe("@aws-sdk/client-sso-oidc against the stand-in", () => {
  it("registers with epoch-second timestamps and completes the device flow after the verification page", async () => {
    const { oidc } = clients({ slowDown: 1, pendingPolls: 1 });
    const reg = await oidc.send(new RegisterClientCommand({ clientName: "sdk", clientType: "public" }));
    expect(typeof reg.clientSecretExpiresAt).toBe("number");
    expect(reg.clientSecretExpiresAt! - reg.clientIdIssuedAt!).toBe(90 * 24 * 3600);
    const dev = await oidc.send(
      new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: START_URL }),
    );
    const poll = () =>
      oidc.send(
        new CreateTokenCommand({
          grantType: DEVICE_GRANT,
          clientId: reg.clientId,
          clientSecret: reg.clientSecret,
          deviceCode: dev.deviceCode,
        }),
      );

    const slow = await rejection(poll());
    expect(slow).toBeInstanceOf(SlowDownException);
    expect(slow.error).toBe("slow_down");
    expect(await rejection(poll())).toBeInstanceOf(AuthorizationPendingException);

    expect((await fetch(dev.verificationUriComplete!)).status).toBe(200);
    const pending = await rejection(poll());
    expect(pending).toBeInstanceOf(AuthorizationPendingException);
    expect(pending.$metadata.httpStatusCode).toBe(400);
    expect(pending.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const tok = await poll();
    expect(tok).toMatchObject({ tokenType: "Bearer", expiresIn: 3600 });
    expect(tok.refreshToken).toBeString();

    const refreshed = await oidc.send(
      new CreateTokenCommand({
        grantType: "refresh_token",
        clientId: reg.clientId,
        clientSecret: reg.clientSecret,
        refreshToken: tok.refreshToken,
      }),
    );
    expect(refreshed.accessToken).not.toBe(tok.accessToken);
  });

  it("omits the refresh token when the knob turns refresh tokens off", async () => {
    const { oidc } = clients({ refreshTokens: false });
    const reg = await oidc.send(new RegisterClientCommand({ clientName: "sdk", clientType: "public" }));
    const dev = await oidc.send(
      new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: START_URL }),
    );
    fake.approveDevice(dev.userCode!);
    const tok = await oidc.send(
      new CreateTokenCommand({
        grantType: DEVICE_GRANT,
        clientId: reg.clientId,
        clientSecret: reg.clientSecret,
        deviceCode: dev.deviceCode,
      }),
    );
    expect(tok.refreshToken).toBeUndefined();
  });

  it("answers ExpiredTokenException for an expired device code and AccessDeniedException after Deny", async () => {
    const { oidc } = clients({ deny: true });
    const reg = await oidc.send(new RegisterClientCommand({ clientName: "sdk", clientType: "public" }));
    const start = () =>
      oidc.send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: START_URL }));
    const poll = (deviceCode?: string) =>
      oidc.send(new CreateTokenCommand({ grantType: DEVICE_GRANT, clientId: reg.clientId, clientSecret: reg.clientSecret, deviceCode }));

    const denied = await start();
    await fetch(denied.verificationUriComplete!);
    expect(await rejection(poll(denied.deviceCode))).toBeInstanceOf(AccessDeniedException);

    const late = await start();
    const t0 = Date.now();
    fake.knobs.now = () => t0 + 601_000;
    expect(await rejection(poll(late.deviceCode))).toBeInstanceOf(ExpiredTokenException);
  });

  it("rejects an expired registration with InvalidClientException (401) and a revoked refresh token with InvalidGrantException", async () => {
    const { oidc } = clients({ registrationTtlSec: 60 });
    const reg = await oidc.send(new RegisterClientCommand({ clientName: "sdk", clientType: "public" }));
    const own = await oidc.send(
      new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: START_URL }),
    );
    fake.approveDevice(own.userCode!);
    const tok = await oidc.send(
      new CreateTokenCommand({
        grantType: DEVICE_GRANT,
        clientId: reg.clientId,
        clientSecret: reg.clientSecret,
        deviceCode: own.deviceCode,
      }),
    );
    fake.revokeRefreshTokens(tok.refreshToken);
    const grant = await rejection(
      oidc.send(
        new CreateTokenCommand({
          grantType: "refresh_token",
          clientId: reg.clientId,
          clientSecret: reg.clientSecret,
          refreshToken: tok.refreshToken,
        }),
      ),
    );
    expect(grant).toBeInstanceOf(InvalidGrantException);
    expect(grant.error_description).toBe("Invalid refresh token provided");

    const t0 = Date.now();
    fake.knobs.now = () => t0 + 61_000;
    const expired = await rejection(
      oidc.send(
        new CreateTokenCommand({
          grantType: "refresh_token",
          clientId: reg.clientId,
          clientSecret: reg.clientSecret,
          refreshToken: tok.refreshToken,
        }),
      ),
    );
    expect(expired).toBeInstanceOf(InvalidClientException);
    expect(expired.$metadata.httpStatusCode).toBe(401);
  });
});

describe("@aws-sdk/client-sso against the stand-in", () => {
  it("follows every page of accounts and roles with the SDK paginators", async () => {
    const { portal } = clients({ accountCount: 12, rolesPerAccount: 5 });
    const { accessToken } = fake.mintToken();
    const accounts = [];
    for await (const page of paginateListAccounts({ client: portal, pageSize: 5 }, { accessToken }))
      accounts.push(...(page.accountList ?? []));
    expect(accounts.map((a) => a.accountId)).toEqual(fake.knobs.accounts.map((a) => a.accountId));
    expect(fake.counters.ListAccounts).toBe(3);
    const roles = [];
    for await (const page of paginateListAccountRoles({ client: portal, pageSize: 2 }, { accessToken, accountId: "222222222222" }))
      roles.push(...(page.roleList ?? []));
    expect(roles).toEqual(["Role1", "Role2", "Role3", "Role4", "Role5"].map((roleName) => ({ roleName, accountId: "222222222222" })));
  });

  it("returns role credentials whose expiration is epoch milliseconds and which the stand-in remembers as issued", async () => {
    const { portal } = clients({ roleCredentialsTtlSec: 900 });
    const { accessToken } = fake.mintToken();
    const before = Date.now();
    const { roleCredentials: rc } = await portal.send(
      new GetRoleCredentialsCommand({ accessToken, accountId: "111111111111", roleName: "Developer" }),
    );
    expect(rc!.expiration).toBeGreaterThanOrEqual(before + 900_000);
    expect(rc!.expiration).toBeLessThan(before + 960_000);
    expect(fake.issued.get(rc!.accessKeyId!)).toMatchObject({
      sessionToken: rc!.sessionToken,
      secretAccessKey: rc!.secretAccessKey,
      roleName: "Developer",
    });
    // The bearer token travels in x-amz-sso_bearer_token, never as Authorization.
    const logged = fake.log.find((l) => l.operation === "GetRoleCredentials")!;
    expect(logged.headers["x-amz-sso_bearer_token"]).toBe(accessToken);
    expect(logged.headers.authorization).toBeUndefined();
  });

  it("answers UnauthorizedException after logout or invalidation, and a forced TooManyRequestsException once", async () => {
    const { portal } = clients();
    const a = fake.mintToken().accessToken;
    const b = fake.mintToken().accessToken;
    await portal.send(new LogoutCommand({ accessToken: a }));
    const loggedOut = await rejection(
      portal.send(new GetRoleCredentialsCommand({ accessToken: a, accountId: "111111111111", roleName: "Developer" })),
    );
    expect(loggedOut).toBeInstanceOf(UnauthorizedException);
    expect(loggedOut.message).toBe("Session token not found or invalid");

    fake.failNext("GetRoleCredentials", { type: "TooManyRequestsException" });
    const call = () => portal.send(new GetRoleCredentialsCommand({ accessToken: b, accountId: "111111111111", roleName: "Developer" }));
    expect(await rejection(call())).toBeInstanceOf(TooManyRequestsException);
    expect((await call()).roleCredentials?.accessKeyId).toStartWith("ASIA");

    fake.invalidate(b);
    expect(await rejection(call())).toBeInstanceOf(UnauthorizedException);
  });
});

describe("the stand-in as a separate process", () => {
  it("prints its URL as one JSON line and serves the portal until killed", async () => {
    const proc = Bun.spawn([process.execPath, `${import.meta.dir}/../fakes/identity-center.ts`, '{"accountCount":3}'], { stdout: "pipe" });
    try {
      const reader = proc.stdout.getReader();
      let line = "";
      while (!line.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) break;
        line += new TextDecoder().decode(value);
      }
      const { url } = JSON.parse(line);
      const portal = new SSOClient({ region: "us-east-1", endpoint: url, maxAttempts: 1 });
      // A separate process has no fake object to call: the /__fake control routes stand in for it.
      const reg = (await (
        await fetch(`${url}/client/register`, { method: "POST", body: JSON.stringify({ clientName: "p", clientType: "public" }) })
      ).json()) as { clientId: string; clientSecret: string };
      const oidc = new SSOOIDCClient({ region: "us-east-1", endpoint: url, maxAttempts: 1 });
      const dev = await oidc.send(
        new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: START_URL }),
      );
      await fetch(dev.verificationUriComplete!);
      const tok = await oidc.send(
        new CreateTokenCommand({
          grantType: DEVICE_GRANT,
          clientId: reg.clientId,
          clientSecret: reg.clientSecret,
          deviceCode: dev.deviceCode,
        }),
      );
      const accounts = [];
      for await (const page of paginateListAccounts({ client: portal }, { accessToken: tok.accessToken }))
        accounts.push(...(page.accountList ?? []));
      expect(accounts).toHaveLength(3);
      const state = (await (await fetch(`${url}/__fake/state`)).json()) as { counters: Record<string, number> };
      expect(state.counters).toMatchObject({ RegisterClient: 1, CreateToken: 1, ListAccounts: 1, DeviceVerification: 1 });
    } finally {
      proc.kill();
      await proc.exited;
    }
  });
});
