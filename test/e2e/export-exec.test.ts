// `ccsso export-credentials` and `ccsso exec` as a user runs them: the compiled binary against an SSO
// profile whose role credentials are cached (no network), static keys, and a credential_process loop.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { appendFileSync, writeFileSync } from "node:fs";
import { compiledBinary, runCcsso } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { seedWarmSsoProfile, warmProfile } from "../helpers/warm-sso-profile";

let sbx: Sandbox;
// Whole seconds, so the cached Expiration round-trips exactly.
const now = Math.floor(Date.now() / 1000) * 1000;
const expiry = new Date(now + 8 * 3600_000).toISOString().replace(".000Z", "+00:00");
const ccsso = (args: string[], env: Record<string, string> = sbx.env) => runCcsso(args, { env, compiled: true });

beforeEach(() => {
  sbx = makeSandbox();
  seedWarmSsoProfile(sbx.env, { now });
  writeFileSync(
    sbx.awsCredentials,
    "[static]\naws_access_key_id = AKIASTATICEXAMPLE123\naws_secret_access_key = staticSecretExample/abcdefghijklmnopqrstu\n",
  );
  appendFileSync(
    sbx.awsConfig,
    `[profile static]\nregion = eu-central-1\n[profile loop]\ncredential_process = ${compiledBinary} export-credentials --profile loop\n`,
  );
});
afterEach(() => sbx.cleanup());

describe("ccsso export-credentials", () => {
  it("prints an SSO profile's cached role credentials as credential_process JSON", async () => {
    const r = await ccsso(["export-credentials", "--profile", "dev"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `{\n  "Version": 1,\n  "AccessKeyId": "${warmProfile.accessKeyId}",\n  "SecretAccessKey": "${warmProfile.secretAccessKey}",\n` +
        `  "SessionToken": "${warmProfile.sessionToken}",\n  "Expiration": "${expiry}"\n}\n`,
    );
  });

  it("prints shell exports for eval, with the expiry in the AWS CLI's +00:00 form", async () => {
    const r = await ccsso(["export-credentials", "--profile", "dev", "--format", "env"]);
    expect(r.stdout).toBe(
      `export AWS_ACCESS_KEY_ID=${warmProfile.accessKeyId}\nexport AWS_SECRET_ACCESS_KEY=${warmProfile.secretAccessKey}\n` +
        `export AWS_SESSION_TOKEN=${warmProfile.sessionToken}\nexport AWS_CREDENTIAL_EXPIRATION=${expiry}\n`,
    );
  });

  it("exports static keys without a session token or expiry", async () => {
    const r = await ccsso(["export-credentials", "--profile", "static", "--format", "env-no-export"]);
    expect(r.stdout).toBe("AWS_ACCESS_KEY_ID=AKIASTATICEXAMPLE123\nAWS_SECRET_ACCESS_KEY=staticSecretExample/abcdefghijklmnopqrstu\n");
  });

  it("stops a credential_process that exports its own profile, in one line naming the cycle", async () => {
    const r = await ccsso(["export-credentials", "--profile", "loop"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("profile cycle: loop -> loop");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses an unknown format as a usage error", async () => {
    const r = await ccsso(["export-credentials", "--profile", "dev", "--format", "yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("process, env, env-no-export, powershell, windows-cmd, fish");
  });
});

describe("ccsso exec", () => {
  const show =
    'printf "%s|%s|%s|%s|%s|%s|%s\\n" "$AWS_ACCESS_KEY_ID" "$AWS_SESSION_TOKEN" "$AWS_CREDENTIAL_EXPIRATION" "$AWS_REGION" "$AWS_DEFAULT_REGION" "${AWS_PROFILE-unset}" "${AWS_DEFAULT_PROFILE-unset}"';

  it("runs the command with the profile's credentials and region, and no profile selector", async () => {
    const r = await ccsso(["exec", "--profile", "dev", "--", "sh", "-c", show], { ...sbx.env, AWS_DEFAULT_PROFILE: "dev" });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${warmProfile.accessKeyId}|${warmProfile.sessionToken}|${expiry}|us-east-1|us-east-1|unset|unset\n`);
  });

  it("uses AWS_PROFILE when no --profile is given", async () => {
    const r = await ccsso(["exec", "--", "sh", "-c", show], { ...sbx.env, AWS_PROFILE: "static" });
    expect(r.stdout).toBe("AKIASTATICEXAMPLE123|||eu-central-1|eu-central-1|unset|unset\n");
  });

  it("passes the command's exit code through", async () => {
    expect((await ccsso(["exec", "--profile", "static", "--", "sh", "-c", "exit 42"])).code).toBe(42);
  });

  it("reports a command killed by a signal as 128 + the signal number", async () => {
    expect((await ccsso(["exec", "--profile", "static", "--", "sh", "-c", "kill -TERM $$"])).code).toBe(143);
  });

  it("passes the command's own flags through untouched", async () => {
    const r = await ccsso(["exec", "--profile", "static", "--", "sh", "-c", 'echo "$@"', "sh", "--profile", "x", "--help"]);
    expect(r.stdout).toBe("--profile x --help\n");
  });

  it("says so in one line when the command does not exist, and exits 127 as a shell does", async () => {
    const r = await ccsso(["exec", "--profile", "static", "--", "no-such-command-xyz"]);
    expect(r.code).toBe(127);
    expect(r.stderr).toBe("ccsso: command not found: no-such-command-xyz — check the name and your PATH\n");
  });

  it("exits 126 for a file it cannot run: no execute permission, or a #! interpreter that does not exist", async () => {
    const plain = sbx.path("plain.sh");
    writeFileSync(plain, "#!/bin/sh\necho hi\n", { mode: 0o644 });
    const noPermission = await ccsso(["exec", "--profile", "static", "--", plain]);
    expect(noPermission.code).toBe(126);
    expect(noPermission.stderr).toBe(`ccsso: cannot run ${plain}: it is not executable — run: chmod +x ${plain}\n`);
    const broken = sbx.path("broken");
    writeFileSync(broken, "#!/nonexistent/interpreter\n", { mode: 0o755 });
    const badInterpreter = await ccsso(["exec", "--profile", "static", "--", broken]);
    expect(badInterpreter.code).toBe(126);
    expect(badInterpreter.stderr).toStartWith(`ccsso: cannot run ${broken}: `);
    expect(badInterpreter.stdout).toBe("");
  });

  it("asks for a command when none is given", async () => {
    const r = await ccsso(["exec", "--profile", "static"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("exec needs a command to run");
  });
});
