// `sso login --if-needed` (and `ccsso use`): is the cached session good enough to skip the browser? Pure.
//
// The rule, and why:
// - A token with more than the threshold left (default 1 h) is good: the person can work that long
//   without being interrupted, whatever kind of token it is.
// - A token that can be refreshed (refresh token + live client registration) is good while it is
//   outside the 15-minute refresh window: every later command refreshes it silently, as the AWS CLI
//   does, so a browser now would only add a login. Its access token lives an hour at most, so the
//   threshold alone would send a refreshable session to the browser every single time. How long the
//   session itself has left is not knowable here (IAM Identity Center does not say when the refresh
//   token dies), so this is the honest best.
// - A refreshable token inside the refresh window is refreshed now (one CreateToken call, no browser);
//   only if the service refuses does the browser open.
// - Anything else (no token, expired, legacy start-URL token below the threshold) signs in as usual.

export type LoginNeed = "fresh" | "refresh" | "login";

/** The default `[login] if_needed_threshold`. */
export const DEFAULT_IF_NEEDED_THRESHOLD_MS = 60 * 60_000;

export function loginNeed(
  token: { expiresAt: number; refreshable: boolean } | undefined,
  now: number,
  thresholdMs: number,
  refreshWindowMs: number,
): LoginNeed {
  if (!token) return "login";
  const left = token.expiresAt - now;
  if (left > thresholdMs) return "fresh";
  if (token.refreshable && left > refreshWindowMs) return "fresh";
  return token.refreshable ? "refresh" : "login";
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * "90m", "1h", "1h30m", "45s", "2d", "0": a duration as people write it in a settings file; undefined
 * when it is not one. Bare numbers other than 0 are refused: "60" could mean seconds or minutes.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === "0") return 0;
  if (!/^(\d+[smhd])+$/.test(t)) return undefined;
  let ms = 0;
  for (const m of t.matchAll(/(\d+)([smhd])/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms;
}
