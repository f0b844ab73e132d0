// A corporate network: every request ccsso makes goes through HTTPS_PROXY (a real tinyproxy on
// loopback, whose log proves the CONNECT) unless NO_PROXY names the host, and trusts a private CA given
// ONLY through AWS_CA_BUNDLE (the stand-ins serve TLS signed by a throw-away test CA). The compiled
// binary: sso login (PKCE), the credential helper's GetRoleCredentials, and whoami (STS).
import { afterEach, beforeAll, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { compiledBinary } from "../helpers/ccsso";
import { createFakeAwsApis } from "../fakes/aws-apis";
import { makeTestCertificates } from "../fakes/codecommit-git";
import { startTinyProxy, type TinyProxy } from "../fakes/tinyproxy";
import { e2eWorld, finished, helperAnswer, helperRequest, spawnCcsso, START_URL, type E2eWorld } from "../helpers/sso-e2e";

let w: E2eWorld | undefined;
let proxy: TinyProxy | undefined;
let sts: { stop(): void } | undefined;
let certDir: string | undefined;
afterEach(async () => {
  await w?.close();
  await proxy?.close();
  sts?.stop();
  if (certDir) (await import("node:fs")).rmSync(certDir, { recursive: true, force: true });
  w = proxy = sts = certDir = undefined;
});

beforeAll(() => {
  if (!existsSync(compiledBinary) && !process.env.CCSSO_BIN) throw new Error("dist/ccsso is missing: run `make build` first");
});

/** Identity Center and STS stand-ins over TLS from a test CA; the sandbox knows the CA only via AWS_CA_BUNDLE. */
async function corporateWorld(): Promise<{ world: E2eWorld; ca: string; identityCenter: string; stsUrl: string }> {
  const certs = makeTestCertificates(["localhost"]);
  certDir = certs.dir;
  const world = e2eWorld({ tls: { cert: certs.cert, key: certs.key } });
  w = world;
  const apis = createFakeAwsApis({ issued: world.fake.issued });
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    tls: { cert: certs.cert, key: certs.key },
    fetch: async (req) => (await apis.handle(req)) ?? new Response("not an STS call", { status: 404 }),
  });
  sts = { stop: () => server.stop(true) };
  const identityCenter = `https://127.0.0.1:${world.fake.port}`;
  const stsUrl = `https://127.0.0.1:${server.port}`;
  Object.assign(world.sbx.env, {
    AWS_ENDPOINT_URL_SSO_OIDC: identityCenter,
    AWS_ENDPOINT_URL_SSO: identityCenter,
    AWS_ENDPOINT_URL_STS: stsUrl,
    AWS_CA_BUNDLE: certs.caFile,
  });
  // The "person" reaches the sign-in page directly, trusting the test CA; only ccsso's own traffic is
  // in the proxy's log.
  world.browserScript(`unset HTTPS_PROXY https_proxy HTTP_PROXY http_proxy\ncurl -fsSL --cacert '${certs.caFile}' "$1" >/dev/null`);
  return { world, ca: certs.caFile, identityCenter, stsUrl };
}

const run = (world: E2eWorld, args: string[], stdin?: string) => finished(spawnCcsso(args, world.sbx.env, stdin));

describe("behind an HTTPS proxy with TLS inspection by a private CA", () => {
  it("sso login, the credential helper and whoami all tunnel through the proxy and trust AWS_CA_BUNDLE", async () => {
    const { world, identityCenter, stsUrl } = await corporateWorld();
    proxy = await startTinyProxy();
    Object.assign(world.sbx.env, { HTTPS_PROXY: proxy.url });
    const target = identityCenter.replace("https://", "");

    const login = await run(world, ["sso", "login", "--profile", "dev"]);
    expect(login.stderr).not.toContain("ccsso:");
    expect(login.code).toBe(0);
    expect(login.stdout).toBe(`Successfully logged into Start URL: ${START_URL}\n`);
    const afterLogin = proxy.connects().length;
    expect(proxy.connects()).toContain(target);
    expect(world.fake.counters.CreateToken).toBe(1);

    const helper = await run(world, ["credential-helper", "--profile", "dev", "get"], helperRequest);
    expect(helper.code).toBe(0);
    expect(helper.stdout).toMatch(helperAnswer);
    expect(world.fake.counters.GetRoleCredentials).toBe(1);
    const afterHelper = proxy.connects().length;
    expect(afterHelper).toBeGreaterThan(afterLogin);

    const whoami = await run(world, ["whoami", "--profile", "dev"]);
    expect(whoami.stderr).toBe("");
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toContain("111111111111");
    expect(proxy.connects().slice(afterHelper)).toContain(stsUrl.replace("https://", ""));
  }, 60_000);

  it("NO_PROXY sends those hosts direct: the proxy sees nothing and everything still works", async () => {
    const { world } = await corporateWorld();
    proxy = await startTinyProxy();
    Object.assign(world.sbx.env, { HTTPS_PROXY: proxy.url, NO_PROXY: "example.com,127.0.0.1" });
    expect((await run(world, ["sso", "login", "--profile", "dev"])).code).toBe(0);
    const helper = await run(world, ["credential-helper", "--profile", "dev", "get"], helperRequest);
    expect(helper.stdout).toMatch(helperAnswer);
    expect((await run(world, ["whoami", "--profile", "dev"])).code).toBe(0);
    expect(proxy.connects()).toEqual([]);
  }, 60_000);

  it("without AWS_CA_BUNDLE the private CA is not trusted, and the line says what to set", async () => {
    const { world, identityCenter } = await corporateWorld();
    delete world.sbx.env.AWS_CA_BUNDLE;
    const r = await run(world, ["sso", "login", "--profile", "dev"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toStartWith(`ccsso: cannot reach IAM Identity Center OIDC at ${identityCenter}: `);
    expect(r.stderr).toContain("set AWS_CA_BUNDLE");
    expect(world.fake.counters.RegisterClient).toBe(0);
  });
});
