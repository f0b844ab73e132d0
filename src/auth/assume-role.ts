// Credentials of a profile that assumes an IAM role (docs/protocols.md §3.10, §2.7): the chain of roles
// from src/core/role-chain.ts, each step's credentials from the AWS CLI's assume-role cache when they have
// ≥ 15 minutes left — no network, no aws4fetch — else STS AssumeRole signed with the step below's
// credentials, under a per-step lock with a re-check so concurrent git helpers make one call.
import { join } from "node:path";
import { assumeRoleCacheKey } from "../core/cache-keys";
import { ConfigError, MfaRequiredError } from "../core/errors";
import { registerSecret } from "../core/redact";
import { describeRole, parseRoleArn, resolveRoleChain, type RoleChain, type RoleStep } from "../core/role-chain";
import { commandLine } from "../core/shell-quote";
import { formatCacheTimestamp } from "../core/timestamps";
import { profileValues, type AwsConfig } from "../core/aws-config";
import type { AwsCredentials } from "../core/types";
import type { Context } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { withLock } from "../store/lock";
import {
  readRoleCredentialsCache,
  roleCredentialsCachePath,
  writeAssumedRoleCache,
  type CachedRoleCredentials,
} from "../store/role-credentials-cache";
import { roleCredentialsReuseWindowMs } from "./role-credentials";
import { lockDir, lockOptions } from "./sso-token";

export interface AssumeRoleOptions {
  /** Asks the person for an MFA code; absent, or answering undefined, where nobody can answer (git's helpers, no terminal). */
  mfaCode?: (serial: string, profile: string) => Promise<string | undefined>;
  /** Credentials of a profile that does not assume a role itself (SSO, keys, credential_process). */
  profileCredentials: (profile: string) => Promise<AwsCredentials>;
  /** The environment's keys, for `credential_source = Environment`. */
  environmentCredentials: () => AwsCredentials | undefined;
}

function toAwsCredentials(c: CachedRoleCredentials, step: RoleStep, from: string, longTermSource: boolean): AwsCredentials {
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    sessionToken: c.sessionToken,
    expiration: new Date(c.expiration),
    accountId: c.accountId ?? parseRoleArn(step.args.RoleArn)?.account,
    source: "assume-role",
    assumedWithLongTermKeys: longTermSource,
    description: `${describeRole(step.args.RoleArn)}, from ${from}`,
  };
}

export async function getAssumedRoleCredentials(
  ctx: Context,
  cfg: AwsConfig,
  profile: string,
  opts: AssumeRoleOptions,
): Promise<AwsCredentials> {
  // The whole chain is checked before anything is read or fetched: a loop or a missing source_profile is
  // a configuration error whatever the caches hold.
  const chain = resolveRoleChain(cfg, profile);
  if (chain.source.kind === "unsupported") {
    throw new ConfigError(
      `profile ${chain.steps[0]!.profile}: credential_source = ${chain.source.credentialSource} is not supported by ccsso yet (only Environment is)`,
      "use source_profile, or credential_source = Environment with AWS_ACCESS_KEY_ID set",
    );
  }
  return stepCredentials(ctx, cfg, profile, chain, chain.steps.length - 1, opts);
}

/** What the config says a source profile holds, without resolving it (the warm path reads no more files). */
function sourceDescription(cfg: AwsConfig, chain: RoleChain, index: number): string {
  if (index > 0) return `profile ${chain.steps[index - 1]!.profile} (${describeRole(chain.steps[index - 1]!.args.RoleArn)})`;
  if (chain.source.kind !== "profile") return "the environment (credential_source = Environment)";
  const v = profileValues(cfg, chain.source.profile) ?? {};
  // botocore's order for a source profile: SSO, access keys, credential_process.
  const kind =
    v.sso_account_id !== undefined || v.sso_role_name !== undefined
      ? "SSO"
      : v.aws_access_key_id !== undefined
        ? "access keys"
        : v.credential_process !== undefined
          ? "credential_process"
          : "no credentials";
  return `profile ${chain.source.profile} (${kind})`;
}

/** Whether step `index` is assumed with long-lived access keys (not role chaining), from the config alone. */
function assumedWithLongTermKeys(ctx: Context, cfg: AwsConfig, chain: RoleChain, index: number): boolean {
  if (index > 0) return false;
  if (chain.source.kind === "environment") return Boolean(ctx.env.AWS_ACCESS_KEY_ID) && !ctx.env.AWS_SESSION_TOKEN;
  if (chain.source.kind !== "profile") return false;
  const v = profileValues(cfg, chain.source.profile) ?? {};
  if (v.sso_account_id !== undefined || v.sso_role_name !== undefined || v.sso_session !== undefined) return false;
  const inCredentialsFile = cfg.credentialProfiles.get(chain.source.profile);
  const keys = inCredentialsFile?.aws_access_key_id !== undefined ? inCredentialsFile : v;
  return keys.aws_access_key_id !== undefined && keys.aws_session_token === undefined;
}

async function stepCredentials(
  ctx: Context,
  cfg: AwsConfig,
  topProfile: string,
  chain: RoleChain,
  index: number,
  opts: AssumeRoleOptions,
): Promise<AwsCredentials> {
  const step = chain.steps[index]!;
  const key = assumeRoleCacheKey(step.args);
  const fresh = () => {
    const c = readRoleCredentialsCache(ctx, key);
    return c && c.expiration - ctx.now() >= roleCredentialsReuseWindowMs ? c : undefined;
  };
  const from = sourceDescription(cfg, chain, index);
  const longTerm = assumedWithLongTermKeys(ctx, cfg, chain, index);
  if (ctx.debug)
    debugLog(
      ctx,
      `credentials: ${describeRole(step.args.RoleArn)} for profile ${step.profile}, from ${from}; assume-role cache ${roleCredentialsCachePath(ctx.env, key)}`,
    );
  const warm = fresh();
  if (warm) {
    if (ctx.debug)
      debugLog(ctx, `credentials: cached assumed-role credentials valid until ${formatCacheTimestamp(warm.expiration)}; no network call`);
    return toAwsCredentials(warm, step, from, longTerm);
  }
  return withLock(join(lockDir(ctx.env), `role-${key}.lock`), lockOptions(ctx, "assuming a role"), async () => {
    const again = fresh();
    if (again) return toAwsCredentials(again, step, from, longTerm);
    let source: AwsCredentials;
    if (index > 0) source = await stepCredentials(ctx, cfg, topProfile, chain, index - 1, opts);
    else if (chain.source.kind === "profile") source = await opts.profileCredentials(chain.source.profile);
    else {
      const env = opts.environmentCredentials();
      if (!env) {
        throw new ConfigError(
          `profile ${step.profile} takes its credentials from the environment (credential_source = Environment), but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set`,
          "set them, or use source_profile",
        );
      }
      source = env;
    }
    let tokenCode: string | undefined;
    if (step.args.SerialNumber !== undefined) {
      const code = await opts.mfaCode?.(step.args.SerialNumber, step.profile);
      if (code === undefined) {
        throw new MfaRequiredError(
          `profile ${step.profile} needs an MFA code from ${step.args.SerialNumber} to assume ${describeRole(step.args.RoleArn)}, and nobody can be asked here`,
          `run on a terminal: ${commandLine(["ccsso", "whoami", "--profile", topProfile])} (it asks for the code and caches the role's credentials for git)`,
        );
      }
      tokenCode = code.trim();
    }
    const { resolveAssumeRoleEndpoint } = await import("../aws/endpoints");
    const { assumeRole } = await import("../aws/sts");
    // The STS client is the one of the profile being resolved, for every step of its chain (botocore's
    // AssumeRoleProvider shares one client creator).
    const endpoint = resolveAssumeRoleEndpoint(cfg, topProfile, ctx.env);
    // A session name shows in CloudTrail; a generated one names ccsso, as botocore's names botocore.
    const sessionName = step.args.RoleSessionName ?? `ccsso-session-${Math.floor(ctx.now() / 1000)}`;
    debugLog(
      ctx,
      `STS AssumeRole ${step.args.RoleArn} at ${endpoint.url} (region ${endpoint.region}) with ${source.source} credentials ${source.accessKeyId}`,
    );
    const got = await assumeRole(
      ctx,
      { region: endpoint.region, endpoint: endpoint.url, credentials: source },
      { ...step.args, RoleSessionName: sessionName, TokenCode: tokenCode },
    );
    registerSecret(got.secretAccessKey);
    registerSecret(got.sessionToken);
    // botocore adds the account of the assumed role's ARN to what it caches.
    const accountId = /^arn:[^:]+:sts::(\d{12}):/.exec(got.assumedRoleArn)?.[1];
    const cached = { ...got, accountId };
    writeAssumedRoleCache(ctx.env, key, cached);
    return toAwsCredentials(cached, step, from, longTerm);
  });
}
