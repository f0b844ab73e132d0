// What `ccsso prompt` prints for a shell prompt: the profile and how long its session has left. Pure.
//
//   dev 5h12m      the SSO session's token has 5 h 12 min left
//   dev 40m+       40 min left on a token that renews itself silently (refresh token), so work goes on
//   dev renews     the token has run out but will be renewed silently by the next command
//   dev expired    the session has ended: `ccsso use dev` signs in again
//   dev signed out no session was ever cached for it
//   dev            a profile without SSO (keys, credential_process): no clock to show
// A session-less shell (no AWS_PROFILE) prints nothing, so the prompt segment disappears.

export type PromptSession =
  | { kind: "no-sso" }
  | { kind: "signed-out" }
  | { kind: "token"; expiresAt: number; refreshable: boolean }
  /** Role credentials put in the environment by `ccsso use --export`: they end when they end. */
  | { kind: "environment"; expiresAt: number };

export function promptText(profile: string, session: PromptSession, now: number): string {
  switch (session.kind) {
    case "no-sso":
      return profile;
    case "signed-out":
      return `${profile} signed out`;
    case "environment": {
      const left = session.expiresAt - now;
      return left > 0 ? `${profile} ${compactSpan(left)}` : `${profile} expired`;
    }
    case "token": {
      const left = session.expiresAt - now;
      if (left > 0) return `${profile} ${compactSpan(left)}${session.refreshable ? "+" : ""}`;
      return session.refreshable ? `${profile} renews` : `${profile} expired`;
    }
  }
}

/** "5h12m", "1d3h", "45m", "30s": a span compact enough for a prompt (the two largest units, no spaces). */
export function compactSpan(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d}d${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${s}s`;
}
