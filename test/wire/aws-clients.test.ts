// ccsso's OIDC and portal clients (src/aws/oidc.ts, portal.ts) against the Identity Center stand-in:
// the answers a login or the credential helper needs, every failure as RemoteError/NetworkError, and
// the network rules (deadline, proxy, CA bundle) a corporate user depends on.
import { afterEach, describe, expect, it } from "bun:test";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { createOidcClient, DEVICE_CODE_GRANT } from "../../src/aws/oidc";
import { createPortalClient } from "../../src/aws/portal";
import { NetworkError, RemoteError } from "../../src/core/errors";
import { redact } from "../../src/core/redact";
import { testContext } from "../../src/platform/context";
import { makeTestCertificates } from "../fakes/codecommit-git";
import { createFakeIdentityCenter, type FakeIdentityCenter, type FakeIdentityCenterOptions } from "../fakes/identity-center";

const START_URL = "https://d-1234567890.awsapps.com/start";
let fake: FakeIdentityCenter | undefined;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  for (const c of cleanups.splice(0)) await c();
});

function standIn(opts: FakeIdentityCenterOptions = {}) {
  fake = createFakeIdentityCenter(opts);
  return fake;
}

async function failure(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

describe("createOidcClient", () => {
  // The SDK's model makes every response member optional; the client checks them once, here, so the
  // login code can rely on a verification URL and a user code (docs/protocols.md §3.3).
  it.each(["deviceCode", "userCode", "verificationUri", "verificationUriComplete"])(
    "refuses a StartDeviceAuthorization answer without %s, naming it",
    async (missing) => {
      const answer: Record<string, unknown> = {
        deviceCode: "dc",
        userCode: "ABCD-EFGH",
        verificationUri: "https://device.example/",
        verificationUriComplete: "https://device.example/?user_code=ABCD-EFGH",
        expiresIn: 600,
        interval: 5,
      };
      delete answer[missing];
      const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => Response.json(answer) });
      cleanups.push(() => server.stop(true));
      const { ctx } = testContext();
      const oidc = await createOidcClient({ endpoint: server.url.origin, region: "us-east-1", ctx });
      const e = await failure(oidc.startDeviceAuthorization({ clientId: "c", clientSecret: "s", startUrl: START_URL }));
      expect(e).toBeInstanceOf(RemoteError);
      expect(e.message).toBe(`IAM Identity Center OIDC StartDeviceAuthorization answered without ${missing} (${server.url.origin})`);
    },
  );

  it("registers, starts a device authorization and gets a token once the person approves", async () => {
    const f = standIn();
    const { ctx } = testContext();
    const oidc = await createOidcClient({ endpoint: f.url, region: "us-east-1", ctx });
    const reg = await oidc.registerClient({ clientName: "botocore-client-corp", clientType: "public" });
    expect(reg.clientSecretExpiresAt - reg.clientIdIssuedAt).toBe(90 * 24 * 3600);
    const dev = await oidc.startDeviceAuthorization({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: START_URL });
    expect(dev).toMatchObject({ expiresIn: 600, interval: 1, verificationUri: `${f.url}/device` });
    const poll = () =>
      oidc.createToken({
        clientId: reg.clientId,
        clientSecret: reg.clientSecret,
        grantType: DEVICE_CODE_GRANT,
        deviceCode: dev.deviceCode,
      });

    const pending = await failure(poll());
    expect(pending).toBeInstanceOf(RemoteError);
    expect(pending.details).toMatchObject({
      service: "sso-oidc",
      operation: "CreateToken",
      awsType: "AuthorizationPendingException",
      status: 400,
      endpoint: f.url,
    });
    expect(pending.details.requestId).toBe(f.log.at(-1)!.requestId);

    await fetch(dev.verificationUriComplete);
    const tok = await poll();
    expect(tok).toMatchObject({ tokenType: "Bearer", expiresIn: 3600 });
    expect(tok.refreshToken).toBeString();
    // The client secret and tokens are registered secrets from now on: no message can leak them.
    expect(redact(`x ${tok.accessToken} ${reg.clientSecret} ${tok.refreshToken}`)).toBe("x <redacted> <redacted> <redacted>");
  });

  it.each([
    ["polling too fast", { slowDown: 1 }, "SlowDownException"],
    ["the person clicking Deny", { deny: true }, "AccessDeniedException"],
  ] as const)("maps %s to awsType %s", async (_what, knobs, awsType) => {
    const f = standIn(knobs);
    const oidc = await createOidcClient({ endpoint: f.url, region: "us-east-1", ctx: testContext().ctx });
    const reg = await oidc.registerClient({ clientName: "c", clientType: "public" });
    const dev = await oidc.startDeviceAuthorization({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: START_URL });
    f.approveDevice(dev.userCode);
    const e = await failure(
      oidc.createToken({
        clientId: reg.clientId,
        clientSecret: reg.clientSecret,
        grantType: DEVICE_CODE_GRANT,
        deviceCode: dev.deviceCode,
      }),
    );
    expect(e.details.awsType).toBe(awsType);
  });

  it("reports a refused refresh token as InvalidGrantException with the service's words", async () => {
    const f = standIn();
    const oidc = await createOidcClient({ endpoint: f.url, region: "us-east-1", ctx: testContext().ctx });
    const minted = f.mintToken();
    f.revokeRefreshTokens();
    const e = await failure(
      oidc.createToken({
        clientId: minted.clientId,
        clientSecret: minted.clientSecret,
        grantType: "refresh_token",
        refreshToken: minted.refreshToken!,
      }),
    );
    expect(e).toBeInstanceOf(RemoteError);
    expect(e.details).toMatchObject({ awsType: "InvalidGrantException", status: 400 });
    expect(e.message).toBe(`IAM Identity Center OIDC CreateToken failed: InvalidGrantException: Invalid refresh token provided (${f.url})`);
  });

  it("retries a 500 once the SDK's way and then succeeds", async () => {
    const f = standIn();
    f.failNext("RegisterClient", { type: "InternalServerException", times: 1 });
    const oidc = await createOidcClient({ endpoint: f.url, region: "us-east-1", ctx: testContext().ctx });
    await oidc.registerClient({ clientName: "c", clientType: "public" });
    expect(f.counters.RegisterClient).toBe(2);
  });

  it("turns a dead endpoint into a NetworkError naming it", async () => {
    const f = standIn();
    const dead = f.url;
    await f.close();
    fake = undefined;
    const oidc = await createOidcClient({ endpoint: dead, region: "us-east-1", ctx: testContext().ctx });
    const e = await failure(oidc.registerClient({ clientName: "c", clientType: "public" }));
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.endpoint).toBe(dead);
    expect(e.message).toStartWith(`cannot reach IAM Identity Center OIDC at ${dead}: `);
    expect(e.message).not.toContain("\n");
  });

  it("says the request went direct because of NO_PROXY when HTTPS_PROXY is set but bypassed", async () => {
    const f = standIn();
    const dead = f.url;
    await f.close();
    fake = undefined;
    const env = { HTTPS_PROXY: "http://proxy.invalid:3128", HTTP_PROXY: "http://proxy.invalid:3128", NO_PROXY: "localhost,127.0.0.1" };
    const oidc = await createOidcClient({ endpoint: dead, region: "us-east-1", ctx: testContext({ env }).ctx });
    const e = await failure(oidc.registerClient({ clientName: "c", clientType: "public" }));
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.viaProxy).toBeUndefined();
    expect(e.hint).toBe(
      'request went direct because NO_PROXY entry "127.0.0.1" matches the host (the proxy was not used); check the network, or remove that entry if the host is only reachable through the proxy',
    );
  });

  it("names the variable that chose the proxy, and never repeats a password in the proxy URL", async () => {
    const f = standIn();
    const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(null) });
    const deadProxy = `http://someone:proxyPassword@127.0.0.1:${closed.port}`;
    closed.stop(true);
    const oidc = await createOidcClient({ endpoint: f.url, region: "us-east-1", ctx: testContext({ env: { ALL_PROXY: deadProxy } }).ctx });
    const e = await failure(oidc.registerClient({ clientName: "c", clientType: "public" }));
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.hint).toBe(
      `request went through proxy http://<credentials>@127.0.0.1:${new URL(deadProxy).port} (ALL_PROXY); check the proxy, or list the host in NO_PROXY`,
    );
  });

  it("gives up at the deadline instead of hanging", async () => {
    const f = standIn({ latencyMs: { CreateToken: 2_000 } });
    const oidc = await createOidcClient({ endpoint: f.url, region: "us-east-1", ctx: testContext().ctx, timeoutMs: 100 });
    const m = f.mintToken();
    const e = await failure(
      oidc.createToken({ clientId: m.clientId, clientSecret: m.clientSecret, grantType: "refresh_token", refreshToken: m.refreshToken! }),
    );
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.message).toBe(`IAM Identity Center OIDC CreateToken at ${f.url} did not answer within 100 ms`);
  });
});

describe("createPortalClient", () => {
  it("follows every page of a large organisation's accounts and roles", async () => {
    const f = standIn({ accountCount: 230, rolesPerAccount: 3 });
    const portal = await createPortalClient({ endpoint: f.url, region: "us-east-1", ctx: testContext().ctx });
    const { accessToken } = f.mintToken();
    const accounts = await portal.listAccounts(accessToken);
    expect(accounts.map((a) => a.accountId)).toEqual(f.knobs.accounts.map((a) => a.accountId));
    expect(accounts[0]).toEqual({ accountId: "111111111111", accountName: "dev", emailAddress: "aws+dev@example.com" });
    // The portal's own page size (the stand-in's 20; no max_result is sent, as by the AWS CLI): 12 calls.
    expect(f.counters.ListAccounts).toBe(12);
    expect(await portal.listAccountRoles(accessToken, "222222222222")).toEqual(
      ["Role1", "Role2", "Role3"].map((roleName) => ({ roleName, accountId: "222222222222" })),
    );
  });

  it("returns role credentials with an epoch-millisecond expiration, registered as secrets", async () => {
    const f = standIn({ roleCredentialsTtlSec: 3600 });
    const portal = await createPortalClient({ endpoint: f.url, region: "us-east-1", ctx: testContext().ctx });
    const before = Date.now();
    const rc = await portal.getRoleCredentials({
      accessToken: f.mintToken().accessToken,
      accountId: "111111111111",
      roleName: "Developer",
    });
    expect(rc.expiration).toBeGreaterThanOrEqual(before + 3600_000);
    expect(f.issued.get(rc.accessKeyId)?.sessionToken).toBe(rc.sessionToken);
    expect(redact(rc.sessionToken)).toBe("<redacted>");
    // Unsigned, as the model says: the token rides in its own header and nothing signs the request.
    const sent = f.log.find((l) => l.operation === "GetRoleCredentials")!.headers;
    expect(sent.authorization).toBeUndefined();
    expect(sent["x-amz-sso_bearer_token"]).toBeString();
  });

  it.each([
    ["an invalidated session", "UnauthorizedException", 401],
    ["a role the user is not assigned", "ForbiddenException", 403],
    ["throttling", "TooManyRequestsException", 429],
  ] as const)("maps %s to awsType %s", async (_what, awsType, status) => {
    const f = standIn();
    const portal = await createPortalClient({ endpoint: f.url, region: "us-east-1", ctx: testContext().ctx });
    const { accessToken } = f.mintToken();
    let roleName = "Developer";
    if (awsType === "UnauthorizedException") f.invalidate(accessToken);
    if (awsType === "ForbiddenException") roleName = "NotMine";
    if (awsType === "TooManyRequestsException") f.failNext("GetRoleCredentials", { type: awsType, times: 2 });
    const e = await failure(portal.getRoleCredentials({ accessToken, accountId: "111111111111", roleName }));
    expect(e).toBeInstanceOf(RemoteError);
    expect(e.details).toMatchObject({ service: "sso", operation: "GetRoleCredentials", awsType, status, endpoint: f.url });
  });

  it("logs out, after which the token no longer works", async () => {
    const f = standIn();
    const portal = await createPortalClient({ endpoint: f.url, region: "us-east-1", ctx: testContext().ctx });
    const { accessToken } = f.mintToken();
    await portal.logout(accessToken);
    expect(f.liveAccessTokens()).not.toContain(accessToken);
    expect((await failure(portal.listAccounts(accessToken))).details.awsType).toBe("UnauthorizedException");
  });

  it("reports an HTML error page from something in between without inventing an AWS error type", async () => {
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () => new Response("<html>Bad gateway</html>", { status: 502, headers: { "content-type": "text/html" } }),
    });
    cleanups.push(() => server.stop(true));
    const portal = await createPortalClient({ endpoint: server.url.origin, region: "us-east-1", ctx: testContext().ctx });
    const e = await failure(portal.logout("t".repeat(20)));
    expect(e).toBeInstanceOf(RemoteError);
    expect(e.details.awsType).toBeUndefined();
    expect(e.details.status).toBe(502);
    expect(e.hint).toContain("did not come from IAM Identity Center");
    expect(e.message).toBe(`IAM Identity Center portal Logout failed: HTTP 502 (${server.url.origin})`);
  });
});

describe("network settings for the SDK calls", () => {
  async function forwardProxy() {
    const seen: string[] = [];
    // An HTTP forward proxy: requests arrive in absolute form (RFC 9112 §3.2.2) and are relayed.
    const server: Server = createServer(async (req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !["host", "proxy-connection", "connection", "content-length"].includes(k)),
      ) as Record<string, string>;
      const upstream = await fetch(req.url!, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
      res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const { port } = server.address() as { port: number };
    return { url: `http://127.0.0.1:${port}`, seen };
  }

  it("sends portal calls through HTTP_PROXY", async () => {
    const f = standIn();
    const proxy = await forwardProxy();
    const { ctx } = testContext({ env: { HTTP_PROXY: proxy.url } });
    const portal = await createPortalClient({ endpoint: f.url, region: "us-east-1", ctx });
    expect(await portal.listAccounts(f.mintToken().accessToken)).toHaveLength(2);
    expect(proxy.seen).toEqual([`GET ${f.url}/assignment/accounts`]);
  });

  it("goes direct for a host in NO_PROXY", async () => {
    const f = standIn();
    const proxy = await forwardProxy();
    const { ctx } = testContext({ env: { HTTP_PROXY: proxy.url, NO_PROXY: "example.com,127.0.0.1" } });
    const portal = await createPortalClient({ endpoint: f.url, region: "us-east-1", ctx });
    await portal.listAccounts(f.mintToken().accessToken);
    expect(proxy.seen).toEqual([]);
  });

  it("names the proxy when the proxy itself is down", async () => {
    const f = standIn();
    const { ctx } = testContext({ env: { HTTP_PROXY: "http://127.0.0.1:9" } });
    const portal = await createPortalClient({ endpoint: f.url, region: "us-east-1", ctx });
    const e = await failure(portal.listAccounts(f.mintToken().accessToken));
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.viaProxy).toBe("http://127.0.0.1:9");
    expect(e.hint).toStartWith("request went through proxy http://127.0.0.1:9");
  });

  it("trusts a private CA only through AWS_CA_BUNDLE", async () => {
    // The same private CA and server certificate the git stand-in uses (openssl, made per test).
    const certs = makeTestCertificates(["localhost"]);
    const f = standIn({ tls: { cert: certs.cert, key: certs.key } });
    expect(f.url).toStartWith("https://");

    const untrusted = await createPortalClient({ endpoint: f.url, region: "us-east-1", ctx: testContext().ctx });
    const e = await failure(untrusted.listAccounts(f.mintToken().accessToken));
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.message).toContain("set AWS_CA_BUNDLE");

    const trusted = await createPortalClient({
      endpoint: f.url,
      region: "us-east-1",
      ctx: testContext({ env: { AWS_CA_BUNDLE: certs.caFile } }).ctx,
    });
    expect(await trusted.listAccounts(f.mintToken().accessToken)).toHaveLength(2);
  });
});

describe("lazy loading", () => {
  it("loads no AWS SDK code until a client is created", async () => {
    const probe = `
      await import(${JSON.stringify(join(import.meta.dir, "../../src/aws/oidc.ts"))});
      await import(${JSON.stringify(join(import.meta.dir, "../../src/aws/portal.ts"))});
      await import(${JSON.stringify(join(import.meta.dir, "../../src/aws/endpoints.ts"))});
      const loaded = () => Object.keys(require.cache).filter((k) => k.includes("@aws-sdk")).length;
      const before = loaded();
      await import("@aws-sdk/client-sso");
      console.log(JSON.stringify({ before, after: loaded() }));
    `;
    const proc = Bun.spawn([process.execPath, "-e", probe], { cwd: join(import.meta.dir, "../.."), stdout: "pipe", stderr: "pipe" });
    const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    expect(code).toBe(0);
    const { before, after } = JSON.parse(out);
    expect(before).toBe(0);
    // The probe can see SDK modules when they are loaded, so "0 before" means something.
    expect(after).toBeGreaterThan(0);
  });
});
