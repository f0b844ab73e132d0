// botocore uses `credential_process = ccsso export-credentials --profile dev` exactly as it would use
// `aws configure export-credentials`: it runs the compiled binary, parses its JSON and gets the SSO
// role credentials with their expiry.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { appendFileSync } from "node:fs";
import { compiledBinary } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { seedWarmSsoProfile, warmProfile } from "../helpers/warm-sso-profile";

let sbx: Sandbox;
const now = Math.floor(Date.now() / 1000) * 1000;
beforeEach(() => {
  sbx = makeSandbox();
  seedWarmSsoProfile(sbx.env, { now });
  appendFileSync(sbx.awsConfig, `[profile viaproc]\ncredential_process = ${compiledBinary} export-credentials --profile dev\n`);
});
afterEach(() => sbx.cleanup());

const script = `
import json, botocore.session
creds = botocore.session.Session(profile='viaproc').get_credentials()
frozen = creds.get_frozen_credentials()
print(json.dumps({"method": creds.method, "access_key": frozen.access_key, "secret_key": frozen.secret_key,
                  "token": frozen.token, "expiry": creds._expiry_time.isoformat()}))
`;

describe("botocore with ccsso as its credential_process", () => {
  it("gets the SSO role credentials and their expiry", async () => {
    const proc = Bun.spawn(["python3", "-c", script], { env: sbx.env, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      method: "custom-process",
      access_key: warmProfile.accessKeyId,
      secret_key: warmProfile.secretAccessKey,
      token: warmProfile.sessionToken,
      expiry: new Date(now + 8 * 3600_000).toISOString().replace(".000Z", "+00:00"),
    });
  });
});
