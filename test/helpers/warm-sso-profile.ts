// An SSO profile whose role credentials are already cached, written as the AWS CLI would leave it
// after `aws sso login` + one command (docs/protocols.md §2.3, §2.5): the credential helper's warm
// path. Used by the start-up test (which modules load) and by scripts/bench.ts (how fast).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { appendFileSync } from "node:fs";
import { assumeRoleCacheKey, roleCredentialsCacheKey, tokenCacheKey } from "../../src/core/cache-keys";
import type { SsoSessionLogin } from "../../src/core/types";

export const warmProfile = {
  profile: "dev",
  accountId: "111122223333",
  roleName: "Developer",
  accessKeyId: "ASIAWARMCACHEEXAMPLE",
  secretAccessKey: "warmSecretKeyExample/EXAMPLEKEYabcdefghij",
  sessionToken: "WarmSessionTokenExample//////////EXAMPLE",
  login: {
    kind: "session",
    sessionName: "corp",
    startUrl: "https://corp-example.awsapps.com/start",
    region: "us-east-1",
    scopes: ["sso:account:access"],
  } as SsoSessionLogin,
};

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * Writes the profile, the token and the role credentials under `home` (the AWS CLI's file names and
 * formats). Everything expires `validForMs` after `now` — hours, so the helper never needs the network.
 */
export function seedWarmSsoProfile(env: Record<string, string>, opts: { now?: number; validForMs?: number } = {}): void {
  const home = env.HOME!;
  const now = opts.now ?? Date.now();
  const expires = now + (opts.validForMs ?? 8 * 3600_000);
  const p = warmProfile;
  writeFileSync(
    env.AWS_CONFIG_FILE ?? join(home, ".aws", "config"),
    `[profile ${p.profile}]\nsso_session = ${p.login.sessionName}\nsso_account_id = ${p.accountId}\nsso_role_name = ${p.roleName}\nregion = us-east-1\n\n` +
      `[sso-session ${p.login.sessionName}]\nsso_start_url = ${p.login.startUrl}\nsso_region = ${p.login.region}\nsso_registration_scopes = sso:account:access\n`,
    { mode: 0o600 },
  );
  const ssoCache = join(home, ".aws", "sso", "cache");
  const cliCache = join(home, ".aws", "cli", "cache");
  mkdirSync(ssoCache, { recursive: true, mode: 0o700 });
  mkdirSync(cliCache, { recursive: true, mode: 0o700 });
  writeFileSync(
    join(ssoCache, `${tokenCacheKey(p.login)}.json`),
    JSON.stringify({ startUrl: p.login.startUrl, region: p.login.region, accessToken: "warm-access-token", expiresAt: iso(expires) }),
    { mode: 0o600 },
  );
  writeFileSync(
    join(cliCache, `${roleCredentialsCacheKey({ login: p.login, accountId: p.accountId, roleName: p.roleName })}.json`),
    JSON.stringify({
      ProviderType: "sso",
      Credentials: {
        AccessKeyId: p.accessKeyId,
        SecretAccessKey: p.secretAccessKey,
        SessionToken: p.sessionToken,
        Expiration: iso(expires),
        AccountId: p.accountId,
      },
    }),
    { mode: 0o600 },
  );
}

/** A role assumed from the warm SSO profile (source_profile = dev), its assume-role cache entry warm too. */
export const warmRole = {
  profile: "repo",
  roleArn: "arn:aws:iam::222222222222:role/GitAccess",
  accessKeyId: "ASIAWARMROLEEXAMPLE1",
  secretAccessKey: "warmRoleSecretExample/EXAMPLEKEYabcdefghij",
  sessionToken: "WarmRoleSessionTokenExample//////EXAMPLE",
};

/** seedWarmSsoProfile plus `[profile repo]` assuming a role from it, cached as botocore caches AssumeRole. */
export function seedWarmChainedRole(env: Record<string, string>, opts: { now?: number; validForMs?: number } = {}): void {
  seedWarmSsoProfile(env, opts);
  const home = env.HOME!;
  const expires = (opts.now ?? Date.now()) + (opts.validForMs ?? 8 * 3600_000);
  const r = warmRole;
  appendFileSync(
    env.AWS_CONFIG_FILE ?? join(home, ".aws", "config"),
    `
[profile ${r.profile}]
role_arn = ${r.roleArn}
source_profile = ${warmProfile.profile}
region = us-east-1
`,
  );
  writeFileSync(
    join(home, ".aws", "cli", "cache", `${assumeRoleCacheKey({ RoleArn: r.roleArn })}.json`),
    JSON.stringify({
      Credentials: {
        AccessKeyId: r.accessKeyId,
        SecretAccessKey: r.secretAccessKey,
        SessionToken: r.sessionToken,
        Expiration: iso(expires).replace(/Z$/, "UTC"),
        AccountId: "222222222222",
      },
      AssumedRoleUser: {
        AssumedRoleId: "AROAEXAMPLE:ccsso-session-1",
        Arn: "arn:aws:sts::222222222222:assumed-role/GitAccess/ccsso-session-1",
      },
    }),
    { mode: 0o600 },
  );
}

/** git's request for a CodeCommit repository (credential.useHttpPath = true). */
export const codeCommitRequest = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n";
