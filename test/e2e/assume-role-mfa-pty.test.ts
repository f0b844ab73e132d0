// A role with mfa_serial, as a person meets it: on a terminal, `ccsso whoami` asks for the code with
// botocore's prompt and assumes the role; git's credential helper (no terminal, never asked) then signs
// with the credentials that left in the AWS CLI's cache. The compiled binary in a real pty.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { createFakeAwsApis } from "../fakes/aws-apis";
import { compiledBinary } from "../helpers/ccsso";
import { runInPty } from "../helpers/pty";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { helperAnswer } from "../helpers/sso-e2e";

const KEY = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", accountId: "111111111111" };
const ROLE = "arn:aws:iam::333333333333:role/GitAccess";
const MFA = "arn:aws:iam::111111111111:mfa/ana";
const apis = createFakeAwsApis({ staticKeys: [KEY], roles: [{ arn: ROLE, mfa: { serial: MFA, code: "123456" } }] });
let server: { url: string; stop(): void };
let sbx: Sandbox;

beforeAll(() => {
  if (!existsSync(compiledBinary)) throw new Error("dist/ccsso is missing: run `make build` (make e2e does)");
  server = apis.start();
  sbx = makeSandbox({ AWS_ENDPOINT_URL_STS: server.url });
  sbx.writeConfig(
    `[profile keys]\nregion = us-east-1\n[profile mfa]\nrole_arn = ${ROLE}\nsource_profile = keys\nmfa_serial = ${MFA}\nregion = us-east-1\n`,
  );
  writeFileSync(sbx.awsCredentials, `[keys]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`);
});
afterAll(() => {
  server?.stop();
  sbx?.cleanup();
});

describe("mfa_serial on a terminal", () => {
  it("refuses a wrong code in one line, then asks again on the next run and assumes the role with the right one", async () => {
    const wrong = await runInPty([compiledBinary, "whoami", "--profile", "mfa"], {
      env: sbx.env,
      steps: [{ expect: `Enter MFA code for ${MFA}: ` }, { send: "000000\r" }, { expect: "MultiFactorAuthentication failed" }],
    });
    expect(wrong.failed).toBeNull();
    expect(wrong.code).toBe(1);
    const right = await runInPty([compiledBinary, "whoami", "--profile", "mfa"], {
      env: sbx.env,
      steps: [{ expect: `Enter MFA code for ${MFA}: ` }, { send: "123456\r" }, { expect: "Account  333333333333" }],
    });
    expect(right.failed).toBeNull();
    expect(right.code).toBe(0);
    expect(right.screen).toContain("Source   profile mfa (role GitAccess in 333333333333, from profile keys (access keys))");
  }, 60_000);

  it("then git's helper signs with the cached role credentials, without asking", async () => {
    const proc = Bun.spawn([compiledBinary, "credential-helper", "--profile", "mfa", "get"], {
      env: sbx.env,
      stdin: new TextEncoder().encode("protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n"),
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toMatch(helperAnswer);
    const akid = /^username=(ASIA[A-Z0-9]+)%/.exec(out)![1]!;
    expect(apis.issued.get(akid)?.roleName).toBe("GitAccess");
  }, 60_000);
});
