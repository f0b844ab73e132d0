// getSigninToken at the console federation endpoint (docs/console.md §2): role credentials in, a
// sign-in token out. Not SigV4-signed — the credentials travel in the form body, so this goes only over
// HTTPS (or loopback, for the stand-in named by CCSSO_SIGNIN_ENDPOINT), with the same proxy, CA bundle,
// timeout and answer cap as every other AWS call (src/aws/signed-call.ts).
import { CcssoError, ConfigError, RemoteError } from "../core/errors";
import { federationEndpoint, federationSession, parseSigninTokenAnswer, signinTokenForm } from "../core/console-url";
import { registerSecret } from "../core/redact";
import type { AwsCredentials } from "../core/types";
import type { CaBundle, Context, Env } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { DEFAULT_TIMEOUT_MS, fetchFailure, transportOptions } from "./signed-call";

/** The variable that points ccsso at another federation endpoint (tests, a private stand-in). */
export const SIGNIN_ENDPOINT_VARIABLE = "CCSSO_SIGNIN_ENDPOINT";

/**
 * The federation endpoint for `region`, or the one CCSSO_SIGNIN_ENDPOINT names. Like the
 * AWS_ENDPOINT_URL_* variables it is an explicit override only (never read from a config file or a
 * repository): it receives the role credentials. Plain http is accepted only for loopback.
 */
export function resolveFederationEndpoint(region: string, env: Env): string {
  const override = env[SIGNIN_ENDPOINT_VARIABLE]?.trim();
  if (!override) return federationEndpoint(region);
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    throw new ConfigError(`${SIGNIN_ENDPOINT_VARIABLE}="${override}" is not a URL`, `set it to https://host/federation, or unset it`);
  }
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new ConfigError(
      `${SIGNIN_ENDPOINT_VARIABLE} must be an https:// URL (plain http only on loopback): it receives role credentials`,
      `fix or unset ${SIGNIN_ENDPOINT_VARIABLE}`,
    );
  }
  if (url.search || url.hash)
    throw new ConfigError(`${SIGNIN_ENDPOINT_VARIABLE} must not carry a query or fragment`, `set it to https://host/federation`);
  return url.href;
}

/**
 * Trade temporary role credentials for a console sign-in token. The token is a bearer secret for the
 * whole console session: it is registered for redaction before anything else can print it.
 */
export async function getSigninToken(
  ctx: Context,
  endpoint: string,
  creds: AwsCredentials,
  opts: { sessionDuration?: number; timeoutMs?: number /** the profile's ca_bundle (after AWS_CA_BUNDLE) */; caBundle?: CaBundle } = {},
): Promise<string> {
  if (!creds.sessionToken)
    throw new CcssoError(
      "these are long-lived access keys; the console federation endpoint accepts only temporary credentials (a role, SSO)",
      "use an SSO or role_arn profile",
    );
  const url = new URL(endpoint);
  const form = signinTokenForm(
    federationSession({ accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken }),
    opts.sessionDuration,
  );
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = transportOptions(url, ctx.env, opts.caBundle ?? ctx.caBundle);
  debugLog(
    ctx,
    `console: getSigninToken at ${url.origin}${url.pathname}${opts.sessionDuration ? ` (SessionDuration ${opts.sessionDuration})` : ""} with ${creds.source} credentials ${creds.accessKeyId}`,
  );
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      ...transport,
    } as RequestInit);
    const { readTextCapped } = await import("./bounded-body");
    text = await readTextCapped(res, url.origin);
  } catch (e) {
    if (e instanceof CcssoError) throw e;
    throw fetchFailure(`console sign-in request to ${url.origin}`, url, ctx.env, transport.proxy, timeoutMs, e);
  }
  const token = res.status === 200 ? parseSigninTokenAnswer(text) : undefined;
  if (!token) {
    // The endpoint answers a refusal with a bare status (400 for a bad session, 403 for expired
    // credentials); its body is not ours to print.
    throw new RemoteError(
      `the console sign-in endpoint ${url.origin} refused the role credentials (HTTP ${res.status})`,
      { service: "signin", operation: "getSigninToken", status: res.status, endpoint: url.origin },
      res.status === 400 || res.status === 403
        ? "the credentials may have expired: run ccsso sso login, then try again"
        : `check ${SIGNIN_ENDPOINT_VARIABLE} or the network`,
    );
  }
  registerSecret(token);
  debugLog(ctx, `console: sign-in token received (${token.length} characters)`);
  return token;
}
