// The credential chain without any network: environment, static keys, credential_process, cached
// SSO role credentials, and the errors a user sees when nothing works.
import { afterEach, describe, expect, it } from "bun:test";
import { chmodSync, writeFileSync } from "node:fs";
import { resolveCredentials } from "../../src/auth/credentials";
import { roleCredentialsCacheKey } from "../../src/core/cache-keys";
import { ConfigError, LoginRequiredError, ProfileNotFoundError } from "../../src/core/errors";
import { formatCacheTimestamp } from "../../src/core/timestamps";
import { testContext } from "../../src/platform/context";
import { writeRoleCredentialsCache } from "../../src/store/role-credentials-cache";
import { writeTokenCache } from "../../src/store/token-cache";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sbx: Sandbox;
afterEach(() => sbx?.cleanup());

const ssoConfig = `[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
[profile legacy]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111111111111
sso_role_name = Developer
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
`;

function ctxWith(env: Record<string, string> = {}) {
  return testContext({ env: { ...sbx.env, ...env } });
}

describe("the credential chain", () => {
  it("for git with nothing configured, says what to run (git cannot pass --profile)", async () => {
    sbx = makeSandbox();
    const e = await resolveCredentials(ctxWith().ctx, { forGit: true }).catch((x) => x);
    expect(`${e.message} — ${e.hint}`).toBe(
      "no AWS credentials found: no --profile, AWS_PROFILE, [default] profile, SSO profile or AWS_ACCESS_KEY_ID — run: ccsso configure sso (git then uses the profile it creates)",
    );
  });

  it("for git with several SSO profiles and no default, names them and setup-git --profile", async () => {
    sbx = makeSandbox();
    sbx.writeConfig(ssoConfig);
    const e = await resolveCredentials(ctxWith().ctx, { forGit: true }).catch((x) => x);
    expect(`${e.message} — ${e.hint}`).toBe(
      "several SSO profiles and no default profile: dev, legacy — run: ccsso setup-git --profile dev (or another), or export AWS_PROFILE=dev",
    );
  });

  it("uses AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN when no profile is named", async () => {
    sbx = makeSandbox();
    const t = ctxWith({ AWS_ACCESS_KEY_ID: "AKIAENV", AWS_SECRET_ACCESS_KEY: "env-secret-0001", AWS_SESSION_TOKEN: "env-token-0001" });
    expect(await resolveCredentials(t.ctx)).toMatchObject({ accessKeyId: "AKIAENV", sessionToken: "env-token-0001", source: "env" });
  });

  it("ignores environment keys when a profile is named with --profile", async () => {
    sbx = makeSandbox();
    writeFileSync(sbx.awsCredentials, "[static]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file-secret-0001\n");
    const t = ctxWith({ AWS_ACCESS_KEY_ID: "AKIAENV", AWS_SECRET_ACCESS_KEY: "env-secret-0001", AWS_PROFILE: "other" });
    expect(await resolveCredentials(t.ctx, { profile: "static" })).toMatchObject({ accessKeyId: "AKIAFILE", source: "static" });
  });

  // botocore drops the environment provider only for an explicit profile (Session(profile=...) / --profile);
  // checked with botocore 1.43: AWS_PROFILE=static plus AWS_ACCESS_KEY_ID=AKIAENV resolves AKIAENV.
  it.each([["AWS_PROFILE"], ["AWS_DEFAULT_PROFILE"]])("lets environment keys win over %s, as the AWS CLI does", async (variable) => {
    sbx = makeSandbox();
    writeFileSync(sbx.awsCredentials, "[static]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file-secret-0001\n");
    const t = ctxWith({ AWS_ACCESS_KEY_ID: "AKIAENV", AWS_SECRET_ACCESS_KEY: "env-secret-0001", [variable]: "static" });
    expect(await resolveCredentials(t.ctx)).toMatchObject({ accessKeyId: "AKIAENV", source: "env" });
  });

  it("uses the AWS_PROFILE profile when the environment has no keys", async () => {
    sbx = makeSandbox();
    writeFileSync(sbx.awsCredentials, "[static]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file-secret-0001\n");
    const t = ctxWith({ AWS_PROFILE: "static" });
    expect(await resolveCredentials(t.ctx)).toMatchObject({ accessKeyId: "AKIAFILE", source: "static" });
  });

  it("prefers keys in the credentials file to keys in the config file", async () => {
    sbx = makeSandbox();
    sbx.writeConfig("[profile both]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = cfg-secret-0001\n");
    writeFileSync(sbx.awsCredentials, "[both]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file-secret-0001\n");
    expect(await resolveCredentials(ctxWith().ctx, { profile: "both" })).toMatchObject({ accessKeyId: "AKIAFILE" });
  });

  it("runs credential_process without a shell and reads its Version 1 JSON", async () => {
    sbx = makeSandbox();
    const script = sbx.path("creds.sh");
    writeFileSync(
      script,
      `#!/bin/sh\nprintf '{"Version": 1, "AccessKeyId": "AKIAPROC", "SecretAccessKey": "proc-secret-0001", "SessionToken": "%s", "Expiration": "2030-01-01T00:00:00Z"}' "$1"\n`,
    );
    chmodSync(script, 0o755);
    sbx.writeConfig(`[profile proc]\ncredential_process = ${script} "token with spaces; and $HOME"\n`);
    const c = await resolveCredentials(ctxWith().ctx, { profile: "proc" });
    expect(c).toMatchObject({ accessKeyId: "AKIAPROC", sessionToken: "token with spaces; and $HOME", source: "process" });
    expect(c.expiration?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
  });

  it("runs credential_process before keys in the config file, as botocore orders them", async () => {
    sbx = makeSandbox();
    sbx.writeConfig(
      `[profile mixed]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = cfg-secret-0001\ncredential_process = printf '{"Version": 1, "AccessKeyId": "AKIAPROC", "SecretAccessKey": "proc-secret-0001"}'\n`,
    );
    expect(await resolveCredentials(ctxWith().ctx, { profile: "mixed" })).toMatchObject({ accessKeyId: "AKIAPROC", source: "process" });
  });

  it("refuses credential_process output of another version", async () => {
    sbx = makeSandbox();
    sbx.writeConfig(`[profile proc]\ncredential_process = printf '{"Version": 2}'\n`);
    await expect(resolveCredentials(ctxWith().ctx, { profile: "proc" })).rejects.toThrow(
      "Unsupported version '2' for credential process provider",
    );
  });

  it("reports a failing credential_process with its last stderr line", async () => {
    sbx = makeSandbox();
    sbx.writeConfig(`[profile proc]\ncredential_process = sh -c "echo 'vault is sealed' >&2; exit 3"\n`);
    await expect(resolveCredentials(ctxWith().ctx, { profile: "proc" })).rejects.toThrow(
      "credential_process for profile proc failed: vault is sealed",
    );
  });

  it("names the missing profile and the profiles that exist", async () => {
    sbx = makeSandbox();
    sbx.writeConfig(ssoConfig);
    const e = await resolveCredentials(ctxWith().ctx, { profile: "nope" }).catch((x) => x);
    expect(e).toBeInstanceOf(ProfileNotFoundError);
    expect(e.hint).toContain("dev");
  });

  it("says there are no credentials at all when nothing is configured", async () => {
    sbx = makeSandbox();
    await expect(resolveCredentials(ctxWith().ctx)).rejects.toBeInstanceOf(ConfigError);
  });

  it("returns cached SSO role credentials with 15 minutes or more left, without any endpoint to call", async () => {
    sbx = makeSandbox();
    sbx.writeConfig(ssoConfig);
    const t = ctxWith();
    const key = roleCredentialsCacheKey({
      login: { kind: "session", sessionName: "corp", startUrl: "https://corp.awsapps.com/start", region: "us-east-1" },
      accountId: "111111111111",
      roleName: "Developer",
    });
    writeRoleCredentialsCache(sbx.env, key, {
      accessKeyId: "ASIACACHED",
      secretAccessKey: "cached-secret-01",
      sessionToken: "cached-token-01",
      expiration: t.ctx.now() + 15 * 60_000,
    });
    // AWS_ENDPOINT_URL points nowhere: any network call would fail the test.
    t.ctx.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9";
    expect(await resolveCredentials(t.ctx, { profile: "dev" })).toMatchObject({
      accessKeyId: "ASIACACHED",
      accountId: "111111111111",
      source: "sso",
    });
  });

  it("asks for a login naming the profile when an SSO profile has no token", async () => {
    sbx = makeSandbox();
    sbx.writeConfig(ssoConfig);
    const e = await resolveCredentials(ctxWith().ctx, { profile: "dev" }).catch((x) => x);
    expect(e).toBeInstanceOf(LoginRequiredError);
    expect(e.loginCommand).toBe("ccsso sso login --profile dev");
  });

  it("asks for a login when a legacy token has expired, without trying to refresh it", async () => {
    sbx = makeSandbox();
    sbx.writeConfig(ssoConfig);
    const t = ctxWith({ AWS_ENDPOINT_URL: "http://127.0.0.1:9" });
    writeTokenCache(
      sbx.env,
      { kind: "legacy", startUrl: "https://corp.awsapps.com/start", region: "us-east-1" },
      {
        accessToken: "legacy-token-0001",
        expiresAt: formatCacheTimestamp(t.ctx.now() - 1000),
        refreshToken: "would-be-refresh-01",
      },
    );
    const e = await resolveCredentials(t.ctx, { profile: "legacy" }).catch((x) => x);
    expect(e).toBeInstanceOf(LoginRequiredError);
    expect(e.message).toBe("the SSO session for profile legacy has expired");
    expect(e.hint).toBe("run: ccsso sso login --profile legacy");
  });
});
