// A profile's own `ca_bundle`: the stand-ins (IAM Identity Center and STS) serve TLS from a private test
// CA that the sandbox trusts ONLY through one profile's ca_bundle key (no AWS_CA_BUNDLE). The compiled
// binary: that profile signs in, fetches role credentials and reaches STS; the same SSO role through a
// profile without the key is refused; a role profile with the key covers its source's calls too, as
// botocore's session-wide ca_bundle does.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, rmSync } from "node:fs";
import { compiledBinary } from "../helpers/ccsso";
import { createFakeAwsApis } from "../fakes/aws-apis";
import { makeTestCertificates } from "../fakes/codecommit-git";
import { SSO_CONFIG } from "../helpers/sso-stand-in";
import { e2eWorld, finished, spawnCcsso, type E2eWorld } from "../helpers/sso-e2e";

let w: E2eWorld;
let stopSts: () => void;
let certDir: string;
let caFile: string;

beforeAll(async () => {
  if (!existsSync(compiledBinary) && !process.env.CCSSO_BIN) throw new Error("dist/ccsso is missing: run `make build` first");
  const certs = makeTestCertificates(["localhost"]);
  certDir = certs.dir;
  caFile = certs.caFile;
  w = e2eWorld({ tls: { cert: certs.cert, key: certs.key } });
  const apis = createFakeAwsApis({ issued: w.fake.issued });
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    tls: { cert: certs.cert, key: certs.key },
    fetch: async (req) => (await apis.handle(req)) ?? new Response("not an STS call", { status: 404 }),
  });
  stopSts = () => server.stop(true);
  const identityCenter = `https://127.0.0.1:${w.fake.port}`;
  Object.assign(w.sbx.env, {
    AWS_ENDPOINT_URL_SSO_OIDC: identityCenter,
    AWS_ENDPOINT_URL_SSO: identityCenter,
    AWS_ENDPOINT_URL_STS: `https://127.0.0.1:${server.port}`,
  });
  delete w.sbx.env.AWS_CA_BUNDLE;
  w.sbx.writeConfig(
    SSO_CONFIG.replace("[profile dev]\n", `[profile dev]\nca_bundle = ${certs.caFile}\n`) +
      `[profile cross]\nrole_arn = arn:aws:iam::222222222222:role/GitAccess\nsource_profile = ops\nca_bundle = ${certs.caFile}\n`,
  );
  w.browserScript(`curl -fsSL --cacert '${certs.caFile}' "$1" >/dev/null`);
});

afterAll(async () => {
  await w?.close();
  stopSts?.();
  rmSync(certDir, { recursive: true, force: true });
});

const run = (args: string[]) => finished(spawnCcsso(args, w.sbx.env));

describe("a profile's ca_bundle", () => {
  it("lets that profile sign in and reach STS, and only that profile", async () => {
    const login = await run(["sso", "login", "--profile", "dev"]);
    expect(login.stderr).not.toContain("certificate");
    expect(login.code).toBe(0);
    const who = await run(["whoami", "--profile", "dev"]);
    expect(who.code).toBe(0);
    expect(who.stdout).toContain("Account  111111111111");
    // ops shares dev's session (the token is cached) but has no ca_bundle: its own calls are refused.
    const other = await run(["whoami", "--profile", "ops"]);
    expect(other.code).toBe(1);
    expect(other.stderr.trim().split("\n")).toHaveLength(1);
    expect(other.stderr).toContain("certificate");
  }, 60_000);

  it("covers every call made for a role profile that has it, its source profile's included", async () => {
    const who = await run(["whoami", "--profile", "cross"]);
    expect(who.stderr).toBe("");
    expect(who.stdout).toContain("Source   profile cross (role GitAccess in 222222222222, from profile ops (SSO))");
  }, 60_000);

  it("--ca-bundle outranks the profile's key: it rescues a profile without one, and a wrong one is refused in one line", async () => {
    const rescued = await run(["whoami", "--profile", "ops", "--ca-bundle", caFile]);
    expect(rescued.stderr).toBe("");
    expect(rescued.stdout).toContain("Account  222222222222");
    const wrong = await run(["whoami", "--profile", "dev", "--ca-bundle", `${certDir}/missing.pem`]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toStartWith(`ccsso: cannot read the CA bundle ${certDir}/missing.pem (--ca-bundle): `);
    expect(wrong.stderr.trim().split("\n")).toHaveLength(1);
  }, 60_000);
});
