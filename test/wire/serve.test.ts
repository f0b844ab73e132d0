// `ccsso serve`'s endpoint against the Identity Center stand-in, read by the AWS SDK for JavaScript's own
// container providers (fromHttp, fromContainerMetadata) and by ccsso's credential chain: what they get,
// what a caller without the token gets, and how many GetRoleCredentials a crowd costs.
import { afterEach, describe, expect, it } from "bun:test";
import { rmSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { fromHttp } from "@aws-sdk/credential-provider-http";
import { fromContainerMetadata } from "@smithy/credential-provider-imds";
import { loginSso } from "../../src/auth/login";
import { resolveCredentials } from "../../src/auth/credentials";
import { startEndpoint, type RunningEndpoint } from "../../src/cli/serve";
import { isLoopback, isPrivate } from "../../src/core/peer-address";
import { testContext } from "../../src/platform/context";
import { tokenCachePath } from "../../src/store/token-cache";
import { corp, ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";

let w: SsoWorld;
let ep: RunningEndpoint | undefined;
afterEach(async () => {
  await ep?.stop();
  ep = undefined;
  await w?.close();
});

/** Signed in (device flow through the stand-in), role credentials not fetched yet. */
async function serving(address = "127.0.0.1") {
  w = ssoWorld({ roleCredentialsTtlSec: 3600, accessTokenTtlSec: 8 * 3600, deviceInterval: 1, env: { BROWSER: "curl -fsSL" } });
  await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" });
  ep = startEndpoint(w.t.ctx, { profile: "dev", address, port: 0, resolve: () => resolveCredentials(w.t.ctx, { profile: "dev" }) });
  return ep;
}

/** Everything secret the stand-in handed out, and the endpoint's token. */
function secrets(): string[] {
  return [...w.fake.issued.values()].flatMap((c) => [c.secretAccessKey, c.sessionToken]).concat(ep ? [ep.token] : []);
}

function withContainerEnv<T>(vars: Record<string, string>, f: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  return f().finally(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

describe("ccsso serve's endpoint", () => {
  it("the JS SDK's fromHttp gets the role credentials (FULL_URI + AUTHORIZATION_TOKEN)", async () => {
    const e = await serving();
    const c = await fromHttp({ awsContainerCredentialsFullUri: e.url, awsContainerAuthorizationToken: e.token })();
    const issued = w.fake.issued.get(c.accessKeyId);
    expect(issued?.roleName).toBe("Developer");
    expect(c.secretAccessKey).toBe(issued!.secretAccessKey);
    expect(c.sessionToken).toBe(issued!.sessionToken);
    expect(c.expiration?.getTime()).toBe(Math.floor((w.t.ctx.now() + 3600_000) / 1000) * 1000);
    expect(w.t.stderr()).toContain("ccsso: serve: GET /credentials from 127.0.0.1 200\n");
  });

  it("the JS SDK's fromContainerMetadata (the older provider) gets them from the environment variables", async () => {
    const e = await serving();
    const c = await withContainerEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: e.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: e.token }, () =>
      fromContainerMetadata()(),
    );
    expect(w.fake.issued.get(c.accessKeyId)?.sessionToken).toBe(c.sessionToken!);
  });

  it("ccsso's own chain, with only the two variables and no AWS config, takes the container source", async () => {
    const e = await serving();
    const inside = testContext({
      env: {
        HOME: w.sbx.path("empty-home"),
        AWS_CONFIG_FILE: w.sbx.path("none"),
        AWS_SHARED_CREDENTIALS_FILE: w.sbx.path("none2"),
        AWS_CONTAINER_CREDENTIALS_FULL_URI: e.url,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: e.token,
      },
    });
    const c = await resolveCredentials(inside.ctx, { forGit: true });
    expect(c.source).toBe("container");
    expect(w.fake.issued.get(c.accessKeyId)?.secretAccessKey).toBe(c.secretAccessKey);
    expect(c.accountId).toBe("111111111111");
  });

  it("ccsso's chain never sends the token through a proxy (HTTP_PROXY set, no NO_PROXY), as the SDKs never do", async () => {
    const e = await serving();
    // serve itself fetches first, before the proxy is set (its own calls to the stand-in are not the point).
    await fromHttp({ awsContainerCredentialsFullUri: e.url, awsContainerAuthorizationToken: e.token })();
    const proxied: string[] = [];
    const proxy = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (req) => (proxied.push(req.url), new Response("proxy", { status: 502 })),
    });
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = `http://127.0.0.1:${proxy.port}`;
    try {
      const inside = testContext({
        env: {
          HOME: w.sbx.path("proxied-home"),
          AWS_CONFIG_FILE: w.sbx.path("none"),
          HTTP_PROXY: `http://127.0.0.1:${proxy.port}`,
          AWS_CONTAINER_CREDENTIALS_FULL_URI: e.url,
          AWS_CONTAINER_AUTHORIZATION_TOKEN: e.token,
        },
      });
      const c = await resolveCredentials(inside.ctx, { forGit: true });
      expect(c.source).toBe("container");
      expect(proxied).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
      await proxy.stop(true);
    }
  });

  it("refuses a request without the token (401) and with a wrong one (403), and nothing secret is in the answer", async () => {
    const e = await serving();
    await fromHttp({ awsContainerCredentialsFullUri: e.url, awsContainerAuthorizationToken: e.token })();
    const none = await fetch(e.url);
    const wrong = await fetch(e.url, { headers: { Authorization: e.token.slice(0, -1) + (e.token.endsWith("A") ? "B" : "A") } });
    const prefixed = await fetch(e.url, { headers: { Authorization: `Bearer ${e.token}` } });
    expect([none.status, wrong.status, prefixed.status]).toEqual([401, 403, 403]);
    const bodies = (await Promise.all([none.text(), wrong.text(), prefixed.text()])).join("\n");
    for (const s of secrets()) expect(bodies).not.toContain(s);
    expect(bodies).not.toContain("ASIA");
    for (const s of secrets()) expect(w.t.stderr()).not.toContain(s);
    expect(w.t.stderr()).toContain("401 (no token)");
    expect(w.t.stderr()).toContain("403 (wrong token)");
  });

  it("refuses a public peer address with 403 even with the right token (the decision the listener makes per request)", async () => {
    const e = await serving();
    const res = await e.handle(new Request(e.url, { headers: { Authorization: e.token } }), "203.0.113.7");
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('{"Code":"Forbidden","Message":"forbidden"}');
    expect(w.fake.counters.GetRoleCredentials).toBe(0);
  });

  // This machine's own non-loopback, non-private address (a documentation or public range), if it has one:
  // a real connection from it to an endpoint on that address.
  const outside = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !isLoopback(a.address) && !isPrivate(a.address))?.address;
  it.if(outside !== undefined)(
    `refuses a real connection from a public address (${outside}) to an endpoint on a bridge address`,
    async () => {
      const e = await serving(outside);
      const res = await fetch(e.url, { headers: { Authorization: e.token } });
      expect(res.status).toBe(403);
      expect(w.t.stderr()).toContain(`from ${outside} 403 (address not allowed)`);
      expect(w.fake.counters.GetRoleCredentials).toBe(0);
    },
  );

  it("refuses ?profile= (one endpoint, one profile) and other paths, after the token check", async () => {
    const e = await serving();
    const other = await fetch(`${e.url}?profile=admin`, { headers: { Authorization: e.token } });
    expect(other.status).toBe(400);
    const elsewhere = await fetch(e.url.replace("/credentials", "/latest/meta-data"), { headers: { Authorization: e.token } });
    expect(elsewhere.status).toBe(404);
    const blind = await fetch(e.url.replace("/credentials", "/latest/meta-data"));
    expect(blind.status).toBe(401);
    expect(w.fake.counters.GetRoleCredentials).toBe(0);
  });

  it("answers 50 requests at once with one GetRoleCredentials, and one more once they near expiry", async () => {
    const e = await serving();
    const crowd = () =>
      Promise.all(
        Array.from({ length: 50 }, () =>
          fetch(e.url, { headers: { Authorization: e.token } }).then((r) => r.json() as Promise<{ AccessKeyId: string }>),
        ),
      );
    const first = await crowd();
    expect(w.fake.counters.GetRoleCredentials).toBe(1);
    expect(new Set(first.map((d) => d.AccessKeyId)).size).toBe(1);
    // 46 minutes on: 14 left, inside botocore's 15-minute refresh window.
    w.t.advance(46 * 60_000);
    const second = await crowd();
    expect(w.fake.counters.GetRoleCredentials).toBe(2);
    expect(new Set(second.map((d) => d.AccessKeyId)).size).toBe(1);
    expect(second[0]!.AccessKeyId).not.toBe(first[0]!.AccessKeyId);
  });

  it("answers 503 with no detail when the session is gone, and says why on its own terminal", async () => {
    const e = await serving();
    rmSync(tokenCachePath(w.sbx.env, corp));
    w.t.advance(2 * 3600_000);
    const res = await fetch(e.url, { headers: { Authorization: e.token } });
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain("sso login");
    expect(w.t.stderr()).toMatch(/GET \/credentials from 127\.0\.0\.1 503 \(.*ccsso sso login/);
  });
});
