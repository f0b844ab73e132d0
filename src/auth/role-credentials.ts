// Role credentials for an SSO profile (docs/protocols.md §3.6, §2.5): the AWS CLI's cache when they have
// ≥ 15 minutes left — no network, no SDK import — else GetRoleCredentials with the session's token,
// under a per-profile lock with a re-check so concurrent git helpers make one call.
import { join } from "node:path";
import { roleCredentialsCacheKey } from "../core/cache-keys";
import { ConfigError, RemoteError } from "../core/errors";
import { commandLine } from "../core/shell-quote";
import { registerSecret } from "../core/redact";
import type { AwsCredentials, SsoProfile } from "../core/types";
import type { AwsConfig } from "../core/aws-config";
import type { Context } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { withLock } from "../store/lock";
import {
  readRoleCredentialsCache,
  roleCredentialsCachePath,
  writeRoleCredentialsCache,
  type CachedRoleCredentials,
} from "../store/role-credentials-cache";
import { readTokenCache, writeTokenCache } from "../store/token-cache";
import { formatCacheTimestamp } from "../core/timestamps";
import { expiredSessionError, getSsoToken, lockDir, lockOptions } from "./sso-token";

/** `CachedCredentialFetcher.DEFAULT_EXPIRY_WINDOW_SECONDS`: reuse cached credentials with ≥ 15 min left. */
export const roleCredentialsReuseWindowMs = 15 * 60_000;

function toAwsCredentials(c: CachedRoleCredentials, accountId: string): AwsCredentials {
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    sessionToken: c.sessionToken,
    expiration: new Date(c.expiration),
    accountId: c.accountId ?? accountId,
    source: "sso",
  };
}

function sessionName(p: SsoProfile): string {
  return p.login.kind === "session" ? `sso-session ${p.login.sessionName}` : `start URL ${p.login.startUrl}`;
}

export async function getSsoRoleCredentials(ctx: Context, cfg: AwsConfig, p: SsoProfile): Promise<AwsCredentials> {
  const key = roleCredentialsCacheKey(p);
  const fresh = () => {
    const c = readRoleCredentialsCache(ctx, key);
    return c && c.expiration - ctx.now() >= roleCredentialsReuseWindowMs ? c : undefined;
  };
  const warm = fresh();
  if (ctx.debug)
    debugLog(
      ctx,
      `credentials: SSO role ${p.roleName} in ${p.accountId} (${sessionName(p)}); role credentials cache ${roleCredentialsCachePath(ctx.env, key)}`,
    );
  if (warm) {
    if (ctx.debug)
      debugLog(ctx, `credentials: cached role credentials valid until ${formatCacheTimestamp(warm.expiration)}; no network call`);
    return toAwsCredentials(warm, p.accountId);
  }

  return withLock(join(lockDir(ctx.env), `role-${key}.lock`), lockOptions(ctx, "fetching role credentials"), async () => {
    const again = fresh();
    if (again) return toAwsCredentials(again, p.accountId);
    const got = await fetchRoleCredentials(ctx, cfg, p);
    writeRoleCredentialsCache(ctx.env, key, got);
    return toAwsCredentials(got, p.accountId);
  });
}

async function fetchRoleCredentials(ctx: Context, cfg: AwsConfig, p: SsoProfile): Promise<CachedRoleCredentials> {
  let portal: Awaited<ReturnType<typeof import("../aws/portal").createPortalClient>> | undefined;
  // One retry: after a 401 the token may have been refreshed by another process, or become refreshable.
  for (let attempt = 0; ; attempt++) {
    // The token first: a missing or expired session needs no SDK to say so.
    const token = await getSsoToken(ctx, cfg, p.login, { profile: p.profile });
    if (!portal) {
      const { resolveSsoEndpoints } = await import("../aws/endpoints");
      const { createPortalClient } = await import("../aws/portal");
      const endpoint = resolveSsoEndpoints(cfg, p.profile, p.login.region, ctx.env).portal;
      debugLog(ctx, `IAM Identity Center portal: ${endpoint}`);
      portal = await createPortalClient({ endpoint, region: p.login.region, ctx });
    }
    try {
      debugLog(ctx, `GetRoleCredentials for ${p.roleName} in ${p.accountId}`);
      const rc = await portal.getRoleCredentials({ accessToken: token.accessToken, accountId: p.accountId, roleName: p.roleName });
      registerSecret(rc.secretAccessKey);
      registerSecret(rc.sessionToken);
      // Whole seconds, as botocore's SSOCredentialFetcher keeps them (strftime of the millisecond time), so
      // a fresh fetch and the cache give export-credentials the same Expiration, as in the AWS CLI.
      const expiration = Math.floor(rc.expiration / 1000) * 1000;
      return {
        accessKeyId: rc.accessKeyId,
        secretAccessKey: rc.secretAccessKey,
        sessionToken: rc.sessionToken,
        expiration,
        accountId: p.accountId,
      };
    } catch (e) {
      if (e instanceof RemoteError && (e.details.awsType === "ForbiddenException" || e.details.awsType === "ResourceNotFoundException")) {
        // The portal's "No access": the session is fine, the account or role in the profile is not one this
        // person has (a typo, or an assignment removed). Signing in again would not help; choosing would.
        throw new ConfigError(
          `profile ${p.profile}: IAM Identity Center gives you no role ${p.roleName} in account ${p.accountId} (GetRoleCredentials: ${e.details.awsType})`,
          `check sso_account_id and sso_role_name, or choose from your roles: ${commandLine(["ccsso", "configure", "sso", "--profile", p.profile])}`,
          { cause: e },
        );
      }
      if (!(e instanceof RemoteError && (e.details.awsType === "UnauthorizedException" || e.details.status === 401))) throw e;
      const current = readTokenCache(ctx, p.login);
      if (current && current.token.accessToken === token.accessToken) {
        // Still the token that was refused: mark it expired so nobody sends it again. The refresh token
        // is kept: it may still be good (the portal can end an access token early, aws-cli#4987).
        debugLog(ctx, "the portal refused the cached SSO token; marking it expired");
        writeTokenCache(ctx.env, p.login, { ...current.token, expiresAt: formatCacheTimestamp(ctx.now() - 1000) });
      }
      if (attempt >= 1) throw expiredSessionError(p.login, p.profile, e);
      // Retrying only helps if another token can be had: a newer one on disk, or a refresh.
      const after = readTokenCache(ctx, p.login);
      const canRetry = after && (after.token.accessToken !== token.accessToken || (p.login.kind === "session" && after.token.refreshToken));
      if (!canRetry) throw expiredSessionError(p.login, p.profile, e);
    }
  }
}
