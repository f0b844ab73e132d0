// `ccsso sso login [--profile P | --sso-session S] [--use-device-code | --use-browser] [--redirect-port N]
// [--copy] [--no-browser] [--if-needed]`
// (docs/protocols.md §3.2–3.4). Instructions go to stderr; only the success line goes to stdout.
import { resolveSsoLogin, resolveSsoProfile, selectProfileName, type AwsConfig } from "../core/aws-config";
import type { SsoLogin } from "../core/types";
import type { Context, Output } from "../platform/context";
import type { ssoLogin } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { loadAwsConfig } from "../store/aws-config-files";
import { loadSettings } from "../store/settings";
import { type LoginOptions, loginSso } from "../auth/login";
import { withCaBundleFlag, withProfileCaBundle } from "../auth/profile-ca-bundle";
import { loginIfNeeded, type IfNeededResult } from "../auth/login-if-needed";
import { formatRelative, isoSeconds } from "./time-text";
import { chooseCommandProfile } from "./profile-choice";
import { sanitizeLine } from "../core/terminal-text";
import { signInFlags } from "./sign-in-flags";

export async function run(opts: OptionsOf<typeof ssoLogin>, _args: string[], outer: Context): Promise<number> {
  const cfg = loadAwsConfig(outer.env);
  const ssoSession = opts.ssoSession;
  // With neither flag, the one profile or sso-session configured may decide (chooseProfile).
  const chosen = ssoSession ? undefined : await chooseCommandProfile(outer, cfg, opts.profile, "session");
  // The AWS CLI's session profile decides the CA bundle: the profile signed in with, else AWS_PROFILE/default.
  const ctx = withProfileCaBundle(
    withCaBundleFlag(outer, opts.caBundle),
    cfg,
    chosen?.name ?? selectProfileName(undefined, outer.env).name,
  );
  const session = ssoSession ?? chosen?.ssoSession;
  const login = resolveSsoLogin(cfg, session ? { ssoSession: session } : { profile: chosen!.name });
  const loginOpts = {
    ...signInFlags(opts),
    browser: opts.browser,
    // Messages name what the user typed (or what was chosen for them): the session, else the profile.
    profile: session ? undefined : chosen!.name,
  };
  if (opts.ifNeeded) {
    await signInIfNeeded(ctx, cfg, login, loginOpts, ctx.stdout);
    return 0;
  }
  await loginSso(ctx, cfg, login, loginOpts);
  ctx.stdout.write(`Successfully logged into Start URL: ${sanitizeLine(login.startUrl)}\n`);
  return 0;
}

/**
 * Sign in unless the cached session is good enough (`[login] if_needed_threshold`), then write one line
 * to `out` saying who is signed in and until when. `ccsso use` passes stderr: its stdout is for the shell.
 */
export async function signInIfNeeded(
  ctx: Context,
  cfg: AwsConfig,
  login: SsoLogin,
  opts: Omit<LoginOptions, "callbackTimeoutMs">,
  out: Output,
): Promise<IfNeededResult> {
  const settings = await loadSettings(ctx.env);
  const r = await loginIfNeeded(ctx, cfg, login, { ...opts, thresholdMs: settings.login.ifNeededThresholdMs });
  if (r.outcome === "signed-in") out.write(`Successfully logged into Start URL: ${sanitizeLine(login.startUrl)}\n`);
  else out.write(sanitizeLine(sessionLine(ctx, cfg, login, opts.profile, r)) + "\n");
  return r;
}

/** "Signed in to URL (sso-session corp), profile dev = 111111111111/Developer, until … (in 5h 12m); no browser needed." */
export function sessionLine(ctx: Context, cfg: AwsConfig, login: SsoLogin, profile: string | undefined, r: IfNeededResult): string {
  const session = login.kind === "session" ? `sso-session ${login.sessionName}` : "legacy start URL";
  let who = "";
  if (profile !== undefined) {
    let role: string | undefined;
    try {
      const p = resolveSsoProfile(cfg, profile);
      if (p) role = `${p.accountId}/${p.roleName}`;
    } catch {
      // A profile that only names the session (no account or role yet) still signs in.
    }
    who = `, profile ${profile}${role ? ` = ${role}` : ""}`;
  }
  const verb = r.outcome === "refreshed" ? "Renewed the session without a browser:" : "Signed in to";
  const renews = r.refreshable ? ", renewed silently after that" : "";
  return `${verb} ${login.startUrl} (${session})${who}, until ${isoSeconds(r.expiresAt)} (${formatRelative(r.expiresAt, ctx.now())}${renews}); no browser needed.`;
}
