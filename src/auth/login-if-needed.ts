// `sso login --if-needed` and `ccsso use`: sign in only when the cached session will not carry the person
// through the next while (the rule and its reasons: src/core/login-freshness.ts).
import { LoginRequiredError } from "../core/errors";
import { loginNeed } from "../core/login-freshness";
import type { AwsConfig } from "../core/aws-config";
import type { SsoLogin } from "../core/types";
import type { Context } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { readTokenCache } from "../store/token-cache";
import { loginSso, type LoginOptions } from "./login";
import { getSsoToken, refreshable, tokenRefreshWindowMs } from "./sso-token";

export interface IfNeededResult {
  /** fresh: the cached token was good enough; refreshed: renewed with its refresh token; signed-in: a full login ran. */
  outcome: "fresh" | "refreshed" | "signed-in";
  /** Epoch ms. */
  expiresAt: number;
  /** The token renews itself silently (so expiresAt is not the end of the session). */
  refreshable: boolean;
}

export async function loginIfNeeded(
  ctx: Context,
  cfg: AwsConfig,
  login: SsoLogin,
  opts: LoginOptions & { thresholdMs: number },
): Promise<IfNeededResult> {
  const { thresholdMs, ...loginOpts } = opts;
  const cached = readTokenCache(ctx, login);
  const canRefresh = cached !== undefined && login.kind === "session" && refreshable(cached, ctx.now());
  const need = loginNeed(cached && { expiresAt: cached.expiresAt, refreshable: canRefresh }, ctx.now(), thresholdMs, tokenRefreshWindowMs);
  if (need === "fresh") return { outcome: "fresh", expiresAt: cached!.expiresAt, refreshable: canRefresh };
  if (need === "refresh") {
    try {
      // getSsoToken refreshes under the session lock (one CreateToken however many shells ask at once).
      const t = await getSsoToken(ctx, cfg, login, { profile: opts.profile });
      // A refresh that failed for a passing reason (5xx, network) hands back the old token, still inside
      // the window: then a login is what makes the next hour work.
      if (t.expiresAt - ctx.now() > tokenRefreshWindowMs) return { outcome: "refreshed", expiresAt: t.expiresAt, refreshable: true };
    } catch (e) {
      if (!(e instanceof LoginRequiredError)) throw e;
      debugLog(ctx, `the session could not be refreshed (${e.message}); signing in`);
    }
  }
  const r = await loginSso(ctx, cfg, login, loginOpts);
  const after = readTokenCache(ctx, login);
  return {
    outcome: "signed-in",
    expiresAt: r.expiresAt,
    refreshable: after !== undefined && login.kind === "session" && refreshable(after, ctx.now()),
  };
}
