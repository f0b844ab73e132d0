// ccsso as a `credential_process` (`credential_process = ccsso export-credentials --profile dev`), used
// exactly as `aws configure export-credentials` is: botocore and the AWS SDK for JavaScript v3
// (fromProcess: Version 1 JSON, expiry honoured) each run the compiled binary and get the cached SSO
// role credentials with their expiry.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { appendFileSync } from "node:fs";
import { compiledBinary, repoRoot } from "../helpers/ccsso";
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

const botocoreScript = `
import json, botocore.session
creds = botocore.session.Session(profile='viaproc').get_credentials()
frozen = creds.get_frozen_credentials()
print(json.dumps({"method": creds.method, "access_key": frozen.access_key, "secret_key": frozen.secret_key,
                  "token": frozen.token, "expiry": creds._expiry_time.isoformat()}))
`;

describe("botocore with ccsso as its credential_process", () => {
  it("gets the SSO role credentials and their expiry", async () => {
    const proc = Bun.spawn(["python3", "-c", botocoreScript], { env: sbx.env, stdout: "pipe", stderr: "pipe" });
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

// Run in a child process so the SDK reads the sandbox's AWS_CONFIG_FILE as it would for any user.
const script = (profile: string) => `
import { fromProcess } from "@aws-sdk/credential-provider-process";
const c = await fromProcess({ profile: ${JSON.stringify(profile)} })();
console.log(JSON.stringify({ ...c, expiration: c.expiration?.toISOString() }));
`;

async function sdk(profile: string) {
  const proc = Bun.spawn([process.execPath, "-e", script(profile)], { cwd: repoRoot, env: sbx.env, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { out, err, code };
}

describe("the AWS SDK for JavaScript with ccsso as its credential_process", () => {
  it("gets the SSO role credentials and their expiry", async () => {
    const r = await sdk("viaproc");
    if (r.code !== 0) throw new Error(r.err);
    const got = JSON.parse(r.out) as Record<string, string>;
    expect(got.accessKeyId).toBe(warmProfile.accessKeyId);
    expect(got.secretAccessKey).toBe(warmProfile.secretAccessKey);
    expect(got.sessionToken).toBe(warmProfile.sessionToken);
    // seedWarmSsoProfile caches credentials valid for 8 hours from `now`.
    expect(got.expiration).toBe(new Date(now + 8 * 3600_000).toISOString());
  });

  it("fails with ccsso's one-line message when the process names a missing profile", async () => {
    appendFileSync(sbx.awsConfig, `[profile broken]\ncredential_process = ${compiledBinary} export-credentials --profile nosuch\n`);
    const r = await sdk("broken");
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('profile "nosuch" was not found');
  });
});
