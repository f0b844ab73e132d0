// botocore's assume-role provider is the oracle twice over: it must chain through the STS stand-in's
// AssumeRole (so the stand-in behaves like STS for a real client), and it must share the assume-role
// cache with ccsso — the same file name for the same profile, and each reading what the other wrote.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveCredentials } from "../../src/auth/credentials";
import { assumeRoleCacheKey } from "../../src/core/cache-keys";
import type { AssumeRoleArgs } from "../../src/core/role-chain";
import { testContext } from "../../src/platform/context";
import { createFakeAwsApis } from "../fakes/aws-apis";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const KEY = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", accountId: "111111111111" };
const ROLE_A = "arn:aws:iam::222222222222:role/RoleA";
const ROLE_B = "arn:aws:iam::333333333333:role/team/GitAccess";
const apis = createFakeAwsApis({
  staticKeys: [KEY],
  roles: [
    { arn: ROLE_A, externalId: "shared-secret" },
    { arn: ROLE_B, maxSessionDuration: 7200 },
  ],
});
let server: { url: string; stop(): void };
beforeAll(() => {
  server = apis.start();
});
afterAll(() => server.stop());

const CONFIG = `[profile dev]
region = eu-west-1

[profile a]
role_arn = ${ROLE_A}
source_profile = dev
external_id = shared-secret

[profile repo]
role_arn = ${ROLE_B}
source_profile = a
duration_seconds = 7200
role_session_name = ana
region = eu-central-1
`;
const CREDENTIALS = `[dev]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`;

function world(): Sandbox {
  const sbx = makeSandbox({ AWS_ENDPOINT_URL_STS: server.url });
  sbx.writeConfig(CONFIG);
  writeFileSync(sbx.awsCredentials, CREDENTIALS);
  return sbx;
}

// What the AWS CLI does (awscli customizations/assumerole.py): the assume-role provider's cache is a
// JSONFileCache in ~/.aws/cli/cache. Then the caller identity with the credentials it resolved.
const botoScript = `
import boto3, json, os, sys
from botocore.utils import JSONFileCache
s = boto3.session.Session(profile_name=sys.argv[1])
provider = s._session.get_component("credential_provider").get_provider("assume-role")
provider.cache = JSONFileCache(os.path.expanduser(os.path.join("~", ".aws", "cli", "cache")))
creds = s.get_credentials().get_frozen_credentials()
ident = s.client("sts").get_caller_identity()
print(json.dumps({"accessKeyId": creds.access_key, "arn": ident["Arn"], "account": ident["Account"]}))
`;

async function python(sbx: Sandbox, script: string, ...args: string[]) {
  // Asynchronous: the stand-in runs in this process and must keep answering while python waits.
  const proc = Bun.spawn(["python3", "-c", script, ...args], { env: sbx.env, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(err);
  return JSON.parse(out);
}

const assumeRoleCalls = () => apis.calls.filter((c) => c.operation === "AssumeRole" && c.status === 200).length;
const cacheFiles = (sbx: Sandbox) => readdirSync(join(sbx.home, ".aws", "cli", "cache")).sort();

describe("assumed roles, with botocore as the oracle", () => {
  it("botocore chains dev → RoleA → GitAccess through the stand-in, and the stand-in enforces the external id", async () => {
    const sbx = world();
    const out = await python(sbx, botoScript, "repo");
    expect(out).toMatchObject({ arn: "arn:aws:sts::333333333333:assumed-role/GitAccess/ana", account: "333333333333" });
    sbx.cleanup();
    const wrong = world();
    wrong.writeConfig(CONFIG.replace("external_id = shared-secret", "external_id = wrong"));
    await expect(python(wrong, botoScript, "repo")).rejects.toThrow(/AccessDenied/);
    wrong.cleanup();
  }, 30_000);

  it("ccsso reads the cache botocore wrote: same files, no AssumeRole call", async () => {
    const sbx = world();
    const boto = await python(sbx, botoScript, "repo");
    const files = cacheFiles(sbx);
    const before = assumeRoleCalls();
    const t = testContext({ env: sbx.env, now: Date.now() });
    const c = await resolveCredentials(t.ctx, { profile: "repo" });
    expect(c.accessKeyId).toBe(boto.accessKeyId);
    expect(c).toMatchObject({ source: "assume-role", accountId: "333333333333" });
    expect(c.description).toBe("role GitAccess in 333333333333, from profile a (role RoleA in 222222222222)");
    expect(assumeRoleCalls()).toBe(before);
    expect(cacheFiles(sbx)).toEqual(files);
    sbx.cleanup();
  }, 30_000);

  it("botocore reads the cache ccsso wrote: the same two file names, no AssumeRole call", async () => {
    const sbx = world();
    const t = testContext({ env: sbx.env, now: Date.now() });
    const c = await resolveCredentials(t.ctx, { profile: "repo" });
    const files = cacheFiles(sbx);
    expect(files).toHaveLength(2);
    const before = assumeRoleCalls();
    const boto = await python(sbx, botoScript, "repo");
    expect(boto.accessKeyId).toBe(c.accessKeyId);
    expect(boto.arn).toBe("arn:aws:sts::333333333333:assumed-role/GitAccess/ana");
    expect(assumeRoleCalls()).toBe(before);
    expect(cacheFiles(sbx)).toEqual(files);
    // And the file holds what botocore would have written for the response.
    const doc = JSON.parse(
      readFileSync(
        join(
          sbx.home,
          ".aws",
          "cli",
          "cache",
          files.find((f) => readFileSync(join(sbx.home, ".aws", "cli", "cache", f), "utf8").includes(c.accessKeyId))!,
        ),
        "utf8",
      ),
    );
    expect(doc.Credentials).toMatchObject({ AccessKeyId: c.accessKeyId, AccountId: "333333333333" });
    expect(doc.Credentials.Expiration).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}UTC$/);
    expect(doc.AssumedRoleUser.Arn).toBe("arn:aws:sts::333333333333:assumed-role/GitAccess/ana");
    sbx.cleanup();
  }, 30_000);
});

describe("the assume-role cache key, computed by botocore's own fetcher", () => {
  const cases: AssumeRoleArgs[] = [
    { RoleArn: ROLE_A },
    { RoleArn: ROLE_B, RoleSessionName: "ana", DurationSeconds: 7200 },
    { RoleArn: ROLE_A, ExternalId: 'ünïcode "quoted" \\ id', SerialNumber: "arn:aws:iam::111111111111:mfa/ana" },
    { RoleArn: ROLE_A, ExternalId: "", RoleSessionName: "s@x.y=z,w-1" },
  ];
  it("matches BaseAssumeRoleCredentialFetcher._create_cache_key for every case", async () => {
    const sbx = makeSandbox();
    const script = `
import json, sys
from botocore.credentials import AssumeRoleCredentialFetcher
out = []
for args in json.loads(sys.argv[1]):
    role = args.pop("RoleArn")
    f = AssumeRoleCredentialFetcher(client_creator=None, source_credentials=None, role_arn=role, extra_args=args)
    out.append(f._cache_key)
print(json.dumps(out))
`;
    const keys = await python(sbx, script, JSON.stringify(cases));
    expect(cases.map(assumeRoleCacheKey)).toEqual(keys);
    sbx.cleanup();
  }, 30_000);
});

describe("where AssumeRole goes, as botocore's assume-role provider creates its STS client", () => {
  const cases: { name: string; config: string; env?: Record<string, string> }[] = [
    { name: "no region anywhere: the global endpoint", config: "[profile p]\nrole_arn = x\n" },
    { name: "the profile's region", config: "[profile p]\nregion = eu-central-1\n" },
    // (AWS_REGION too, in the AWS CLI v2; this botocore reads only AWS_DEFAULT_REGION.)
    {
      name: "AWS_DEFAULT_REGION over the profile's",
      config: "[profile p]\nregion = eu-central-1\n",
      env: { AWS_DEFAULT_REGION: "ap-southeast-2" },
    },
    { name: "legacy, a legacy-global region", config: "[profile p]\nregion = us-west-2\nsts_regional_endpoints = legacy\n" },
    { name: "legacy, a newer region", config: "[profile p]\nregion = ap-east-1\nsts_regional_endpoints = legacy\n" },
    { name: "legacy from the environment", config: "[profile p]\nregion = eu-west-1\n", env: { AWS_STS_REGIONAL_ENDPOINTS: "legacy" } },
    { name: "FIPS", config: "[profile p]\nregion = us-east-1\nuse_fips_endpoint = true\n" },
    { name: "China", config: "[profile p]\nregion = cn-north-1\n" },
  ];
  it("resolves each case to botocore's endpoint and signing region", async () => {
    const { resolveAssumeRoleEndpoint } = await import("../../src/aws/endpoints");
    const { parseAwsConfig } = await import("../../src/core/aws-config");
    // The request botocore would send: its URL and the region in its signature's credential scope.
    const script = `
import botocore.session, json, re
s = botocore.session.Session(profile="p")
region = s.get_config_variable("region")
c = s.create_client("sts", region_name=region, aws_access_key_id="a", aws_secret_access_key="b")
seen = {}
class Stop(Exception): pass
def capture(request, **kw):
    seen["url"] = request.url.rstrip("/")
    seen["region"] = re.search(r"Credential=a/\\d{8}/([^/]+)/", request.headers["Authorization"].decode()).group(1)
    raise Stop()
c.meta.events.register("before-send.sts", capture)
try:
    c.assume_role(RoleArn="arn:aws:iam::222222222222:role/R", RoleSessionName="session")
except Stop:
    pass
print(json.dumps(seen))
`;
    for (const c of cases) {
      const sbx = makeSandbox(c.env);
      sbx.writeConfig(c.config);
      const boto = await python(sbx, script);
      expect({ case: c.name, ...resolveAssumeRoleEndpoint(parseAwsConfig(c.config), "p", c.env ?? {}) }).toEqual({ case: c.name, ...boto });
      sbx.cleanup();
    }
  }, 60_000);
});
