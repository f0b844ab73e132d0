// What `ccsso console` and `ccsso browse` share (docs/console.md): role credentials → sign-in token →
// the login URL (behind the console logout, so a browser signed in as someone else switches), then
// either printed (--print) or handed to the browser exactly as `ccsso sso login` hands over its page.
import { ConfigError, CcssoError, UsageError } from "../core/errors";
import { loginUrl, logoutThen } from "../core/console-url";
import { registerSecret } from "../core/redact";
import { sanitizeLine } from "../core/terminal-text";
import type { AwsCredentials } from "../core/types";
import type { CaBundle, Context } from "../platform/context";

/** Shown by the console as who signed the session in (the `Issuer` of the login URL). */
const ISSUER = "ccsso";

export interface ConsoleSignIn {
  /** Region whose sign-in endpoint mints the token (opt-in Regions refuse tokens from another). */
  region: string;
  /** The console page to land on. */
  destination: string;
  credentials: AwsCredentials;
  /** Who the session is for, in words: "profile dev". */
  who: string;
  /** --duration as typed: checked against the documented rule before anything is sent. */
  duration?: string;
  /** The profile's ca_bundle: the sign-in request trusts what the profile's other requests trust. */
  caBundle?: CaBundle;
}

/** Temporary credentials only: the federation endpoint has no use for an IAM user's long-lived keys. */
export function requireTemporary(creds: AwsCredentials, who: string): void {
  if (!creds.sessionToken) {
    throw new ConfigError(
      `${who} has long-lived IAM user access keys, which cannot sign in to the console (the federation endpoint takes only temporary role credentials)`,
      "use an SSO profile or a role_arn profile, or sign in to the console with your IAM user's password",
    );
  }
}

/**
 * --duration becomes SessionDuration only where the federation endpoint accepts it (docs/console.md §2):
 * credentials from AssumeRole called with an IAM user's long-lived keys. For role chaining and Identity
 * Center roles it refuses the whole request, so ccsso says why instead of sending it.
 */
export function checkedDuration(text: string, creds: AwsCredentials, who: string): number {
  if (!/^\d{3,5}$/.test(text) || Number(text) < 900 || Number(text) > 43200)
    throw new UsageError(`--duration must be a number of seconds from 900 to 43200, not "${sanitizeLine(text)}"`, "e.g. --duration 3600");
  if (creds.source !== "assume-role" || creds.assumedWithLongTermKeys !== true) {
    const what =
      creds.source === "sso"
        ? "IAM Identity Center role credentials"
        : creds.source === "assume-role"
          ? "a role assumed with temporary credentials (role chaining)"
          : `${creds.source} credentials`;
    throw new UsageError(
      `--duration cannot be used with ${who}: it has ${what}, and the console accepts a session length only for a role assumed with an IAM user's access keys`,
      "drop --duration: the console session then lasts as long as the role credentials",
    );
  }
  return Number(text);
}

/** The signed-in URL for `s`: a bearer secret, registered for redaction before it exists anywhere. */
export async function signedInConsoleUrl(ctx: Context, s: ConsoleSignIn): Promise<string> {
  requireTemporary(s.credentials, s.who);
  const { getSigninToken, resolveFederationEndpoint } = await import("../aws/signin-federation");
  const federation = resolveFederationEndpoint(s.region, ctx.env);
  const sessionDuration = s.duration === undefined ? undefined : checkedDuration(s.duration, s.credentials, s.who);
  const token = await getSigninToken(ctx, federation, s.credentials, { caBundle: s.caBundle, sessionDuration });
  // The token also appears percent-encoded inside the URLs below; both spellings are secrets.
  registerSecret(encodeURIComponent(token));
  registerSecret(new URLSearchParams({ t: token }).toString().slice(2));
  const login = loginUrl(federation, { issuer: ISSUER, destination: s.destination, token });
  const url = logoutThen(federation, login);
  registerSecret(new URLSearchParams({ t: login }).toString().slice(2));
  return url;
}

/** Print or open `url`; `what` names the page in the one line on stderr. */
export async function deliverConsoleUrl(
  ctx: Context,
  url: string,
  opts: { print: boolean; browser?: string; what: string },
): Promise<number> {
  if (opts.print) {
    ctx.stdout.write(url + "\n");
    ctx.stderr.write(
      sanitizeLine(
        `ccsso: this URL signs whoever opens it in to the AWS console as ${opts.what} for the next 15 minutes — treat it like a password`,
      ) + "\n",
    );
    return 0;
  }
  const { noBrowserReason, openBrowser } = await import("../platform/browser");
  const ctxForBrowser: Context = opts.browser ? { ...ctx, env: { ...ctx.env, BROWSER: opts.browser } } : ctx;
  const why = noBrowserReason(ctxForBrowser.env);
  if (why)
    throw new CcssoError(
      `no browser can be opened here: ${why}`,
      "run it again with --print and open the URL yourself (it is a secret: do not share it)",
    );
  if (!openBrowser(ctxForBrowser, url))
    throw new CcssoError("the browser could not be started", "set BROWSER, pass --browser <command>, or use --print");
  ctx.stderr.write(sanitizeLine(`ccsso: opening the AWS console as ${opts.what}`) + "\n");
  return 0;
}
