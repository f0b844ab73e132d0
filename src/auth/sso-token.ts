// The SSO access token for a session: from the AWS CLI's cache, refreshed with its refresh token when
// it is within 15 minutes of expiry (docs/protocols.md §3.5), under a per-session lock so a crowd of
// git helpers makes one CreateToken call between them.
import { join } from "node:path";
import { CcssoError, LoginRequiredError, NetworkError, RemoteError } from "../core/errors";
import { registerSecret } from "../core/redact";
import { formatCacheTimestamp } from "../core/timestamps";
import type { SsoLogin, SsoTokenFile } from "../core/types";
import type { AwsConfig } from "../core/aws-config";
import type { Context, Env } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { homeDir } from "../platform/paths";
import { withLock } from "../store/lock";
import { readTokenCache, tokenCachePath, writeTokenCache, type CachedToken } from "../store/token-cache";
import { tokenCacheKey } from "../core/cache-keys";
import { loginCommandFor, sessionSubject } from "./login-command";

/** The AWS CLI's refresh window (botocore `_REFRESH_WINDOW`): refresh a token with under 15 min left. */
export const tokenRefreshWindowMs = 15 * 60_000;
/** CreateToken(refresh_token) deadline; see refreshToken. */
const refreshTimeoutMs = 5_000;

// OIDC answers meaning the refresh token or the client registration is dead: only a new login helps.
const loginRequiredTypes = new Set([
  "InvalidGrantException",
  "InvalidClientException",
  "UnauthorizedClientException",
  "ExpiredTokenException",
  "AccessDeniedException",
]);

export interface SsoAccessToken {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** ccsso's lock files live outside ~/.aws so the AWS CLI's cache sweeps never see them. */
export function lockDir(env: Env): string {
  return join(env.XDG_CACHE_HOME || join(homeDir(env), ".cache"), "ccsso", "locks");
}

export function lockOptions(ctx: Context, what: string) {
  return {
    now: ctx.now,
    sleep: ctx.sleep,
    onWait: (h: { pid: number } | undefined) =>
      ctx.stderr.write(`ccsso: waiting for another ccsso${h ? ` (pid ${h.pid})` : ""} that is ${what}…\n`),
  };
}

/** The token can be renewed without a browser: refresh token, client id/secret and a live registration. */
export function refreshable(t: CachedToken, now: number): boolean {
  return Boolean(
    t.token.refreshToken &&
      t.token.clientId &&
      t.token.clientSecret &&
      t.registrationExpiresAt !== undefined &&
      t.registrationExpiresAt > now,
  );
}

export function missingSessionError(login: SsoLogin, profile: string | undefined): LoginRequiredError {
  return new LoginRequiredError(
    `you are not signed in to IAM Identity Center for ${sessionSubject(login, profile)}`,
    loginCommandFor(login, profile),
  );
}

export function expiredSessionError(login: SsoLogin, profile: string | undefined, cause?: unknown): LoginRequiredError {
  return new LoginRequiredError(`the SSO session for ${sessionSubject(login, profile)} has expired`, loginCommandFor(login, profile), {
    cause,
  });
}

/**
 * A usable access token for `login`, refreshing it when it is close to expiry and refreshable.
 * Throws LoginRequiredError (with the exact `ccsso sso login …`) when the session is gone.
 */
export async function getSsoToken(ctx: Context, cfg: AwsConfig, login: SsoLogin, opts: { profile?: string } = {}): Promise<SsoAccessToken> {
  const first = readTokenCache(ctx, login);
  if (ctx.debug)
    debugLog(
      ctx,
      `SSO token cache ${tokenCachePath(ctx.env, login)}: ${first ? `expires ${formatCacheTimestamp(first.expiresAt)}` : "missing"}`,
    );
  if (!first) throw missingSessionError(login, opts.profile);
  const usable = (t: CachedToken) => t.expiresAt - ctx.now() > tokenRefreshWindowMs;
  if (usable(first)) return { accessToken: first.token.accessToken, expiresAt: first.expiresAt };
  // Legacy tokens are never refreshed (docs/protocols.md §3.5): use it while it lasts.
  if (login.kind === "legacy" || !refreshable(first, ctx.now())) return stillValidOrExpired(ctx, first, login, opts.profile);

  return withLock(join(lockDir(ctx.env), `token-${tokenCacheKey(login)}.lock`), lockOptions(ctx, "refreshing the SSO token"), async () => {
    // Another process may have refreshed it while we waited for the lock.
    const current = readTokenCache(ctx, login);
    if (!current) throw missingSessionError(login, opts.profile);
    if (usable(current)) return { accessToken: current.token.accessToken, expiresAt: current.expiresAt };
    // A token someone else refreshed while we waited is as fresh as the service will make it (its
    // lifetime may be under the window): refreshing again would only multiply the calls.
    if (current.token.accessToken !== first.token.accessToken && current.expiresAt > ctx.now()) {
      return { accessToken: current.token.accessToken, expiresAt: current.expiresAt };
    }
    if (!refreshable(current, ctx.now())) return stillValidOrExpired(ctx, current, login, opts.profile);
    return refreshToken(ctx, cfg, login, current, opts.profile);
  });
}

function stillValidOrExpired(ctx: Context, t: CachedToken, login: SsoLogin, profile: string | undefined): SsoAccessToken {
  if (t.expiresAt > ctx.now()) return { accessToken: t.token.accessToken, expiresAt: t.expiresAt };
  throw expiredSessionError(login, profile);
}

async function refreshToken(
  ctx: Context,
  cfg: AwsConfig,
  login: SsoLogin,
  current: CachedToken,
  profile: string | undefined,
): Promise<SsoAccessToken> {
  const old = current.token;
  // The SDK is loaded only here, never on the warm path (docs/architecture.md §3).
  const { resolveSsoEndpoints } = await import("../aws/endpoints");
  const { createOidcClient } = await import("../aws/oidc");
  let res: { accessToken?: string; expiresIn?: number; refreshToken?: string };
  try {
    const endpoints = resolveSsoEndpoints(cfg, profile, login.region, ctx.env);
    // 5 s, not the login's 10 s: a refresh usually runs under git (credential helper), which is blocked
    // on us, and a failed refresh still leaves the current token (and GetRoleCredentials' own 5 s).
    const oidc = await createOidcClient({ endpoint: endpoints.oidc, region: login.region, ctx, timeoutMs: refreshTimeoutMs });
    debugLog(ctx, `refreshing the SSO token for ${sessionSubject(login, profile)} at ${endpoints.oidc}`);
    res = await oidc.createToken({
      clientId: old.clientId!,
      clientSecret: old.clientSecret!,
      grantType: "refresh_token",
      refreshToken: old.refreshToken!,
    });
  } catch (e) {
    if (e instanceof RemoteError && loginRequiredTypes.has(e.details.awsType ?? "")) {
      debugLog(ctx, `the refresh token was refused (${e.details.awsType})`);
      throw expiredSessionError(login, profile, e);
    }
    // 5xx, throttling, network: keep the token and its refresh token for the next try (docs/protocols.md §3.5).
    if (current.expiresAt > ctx.now()) {
      debugLog(ctx, `token refresh failed (${(e as Error).message}); using the current token until it expires`);
      return { accessToken: old.accessToken, expiresAt: current.expiresAt };
    }
    if (e instanceof CcssoError || e instanceof NetworkError) throw e;
    throw new CcssoError(`could not refresh the SSO token for ${sessionSubject(login, profile)}: ${(e as Error).message}`, undefined, {
      cause: e,
    });
  }
  return saveCreateTokenAnswer(ctx, login, res, old, { previousRefreshToken: old.refreshToken, hint: loginCommandFor(login, profile) });
}

/**
 * Writes a CreateToken answer — from a login or a refresh — as the AWS CLI's token file
 * (docs/protocols.md §2.3) and returns the token with its expiry as written (whole seconds).
 */
export function saveCreateTokenAnswer(
  ctx: Context,
  login: SsoLogin,
  answer: { accessToken?: string; expiresIn?: number; refreshToken?: string },
  client: { clientId?: string; clientSecret?: string; registrationExpiresAt?: string },
  opts: { previousRefreshToken?: string; hint?: string } = {},
): { accessToken: string; expiresAt: number } {
  if (!answer.accessToken || !answer.expiresIn)
    throw new CcssoError("IAM Identity Center answered CreateToken without an access token", opts.hint);
  registerSecret(answer.accessToken);
  registerSecret(answer.refreshToken);
  const expiresAt = Math.floor((ctx.now() + answer.expiresIn * 1000) / 1000) * 1000;
  const token: SsoTokenFile = {
    startUrl: login.startUrl,
    region: login.region,
    accessToken: answer.accessToken,
    expiresAt: formatCacheTimestamp(expiresAt),
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    registrationExpiresAt: client.registrationExpiresAt,
  };
  // A refresh answer may omit the refresh token: keep the old one (the CLI drops it; keeping it is harmless).
  const refreshToken = answer.refreshToken ?? opts.previousRefreshToken;
  if (refreshToken) token.refreshToken = refreshToken;
  writeTokenCache(ctx.env, login, token);
  return { accessToken: answer.accessToken, expiresAt };
}
