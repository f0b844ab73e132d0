// The JS SDK's fromIni is a second oracle for the STS stand-in's AssumeRole: it must chain access keys →
// RoleA → GitAccess through it, send the external id and MFA code where the roles ask for them, and be
// refused as STS refuses. (fromIni keeps assumed-role credentials in memory only, so it shares no cache
// file with ccsso or the AWS CLI; botocore is the cache oracle, test/interop/assume-role-botocore.test.ts.)
import { afterAll, afterEach, beforeAll, describe, expect, it } from "bun:test";
import { fromIni } from "@aws-sdk/credential-provider-ini";
import { createFakeAwsApis } from "../fakes/aws-apis";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const KEY = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", accountId: "111111111111" };
const ROLE_A = "arn:aws:iam::222222222222:role/RoleA";
const ROLE_B = "arn:aws:iam::333333333333:role/GitAccess";
const MFA = "arn:aws:iam::111111111111:mfa/ana";
const apis = createFakeAwsApis({
  staticKeys: [KEY],
  roles: [
    { arn: ROLE_A, externalId: "shared-secret" },
    { arn: ROLE_B, mfa: { serial: MFA, code: "123456" } },
  ],
});
let server: { url: string; stop(): void };
let sbx: Sandbox;
beforeAll(() => {
  server = apis.start();
});
afterAll(() => server.stop());
afterEach(() => sbx?.cleanup());

function configure(externalId: string) {
  sbx = makeSandbox();
  sbx.writeConfig(
    `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = dev\nexternal_id = ${externalId}\n[profile repo]\nrole_arn = ${ROLE_B}\nsource_profile = a\nmfa_serial = ${MFA}\nregion = eu-west-1\n`,
  );
  return Bun.write(sbx.awsCredentials, `[dev]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`);
}

// fromIni reads the files and endpoint from process.env; the sandbox's values are put there for one call.
async function withSandboxEnv<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_CONFIG_FILE: sbx.awsConfig,
    AWS_SHARED_CREDENTIALS_FILE: sbx.awsCredentials,
    AWS_ENDPOINT_URL_STS: server.url,
  });
  try {
    return await fn();
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe("the STS stand-in, as the JS SDK's fromIni sees it", () => {
  it("chains access keys → RoleA → GitAccess, with the external id and the MFA code the roles require", async () => {
    await configure("shared-secret");
    const asked: string[] = [];
    const c = await withSandboxEnv(() => fromIni({ profile: "repo", mfaCodeProvider: async (serial) => (asked.push(serial), "123456") })());
    expect(asked).toEqual([MFA]);
    expect(apis.issued.get(c.accessKeyId)).toMatchObject({ accountId: "333333333333", roleName: "GitAccess" });
    expect(c.expiration!.getTime()).toBe(apis.issued.get(c.accessKeyId)!.expiration);
  });

  it("is refused with STS's AccessDenied for a wrong external id", async () => {
    await configure("wrong");
    const e = await withSandboxEnv(() => fromIni({ profile: "repo", mfaCodeProvider: async () => "123456" })()).catch((x) => x);
    expect(e.name).toBe("AccessDenied");
  });
});
