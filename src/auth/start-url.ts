// Which portal URL and Region a sign-in uses (docs/protocols.md §3.9). A start URL on an AWS host is
// used as configured, with the configured Region, without any request. Any other start URL is taken for
// a vanity URL: one HEAD finds where it redirects, and the sign-in goes ahead only when that is an AWS
// access portal over https. The configured URL stays the name of the session everywhere else (token
// cache file name and its `startUrl`, registration cache key, messages), exactly as the AWS CLI keeps it.
import { ConfigError } from "../core/errors";
import { isAwsOwnedHost, startUrlFromRedirect, type ResolvedStartUrl } from "../core/start-url";
import { sanitizeLine } from "../core/terminal-text";
import type { Context } from "../platform/context";
import { debugLog } from "../platform/debug-log";

export type { ResolvedStartUrl } from "../core/start-url";

/**
 * Resolve `startUrl`. `configuredRegion` is the sso_region from the config (absent while `configure`
 * is still deciding whether to ask for it); `hint` is what to run when the URL is refused.
 */
export async function resolveStartUrl(
  ctx: Context,
  startUrl: string,
  configuredRegion: string | undefined,
  hint: string,
): Promise<ResolvedStartUrl> {
  const url = new URL(startUrl);
  if (isAwsOwnedHost(url.hostname)) {
    if (!configuredRegion) throw new ConfigError("Missing the following required SSO configuration values: sso_region.", hint);
    return { url: startUrl, region: configuredRegion, redirected: false };
  }
  debugLog(ctx, `${url.hostname} is not an AWS access portal host; asking it where it redirects`);
  const { followStartUrlRedirect } = await import("../aws/start-url-redirect");
  const final = await followStartUrlRedirect(ctx, startUrl, hint);
  const result = startUrlFromRedirect(startUrl, final, configuredRegion);
  if ("problem" in result) throw new ConfigError(sanitizeLine(result.problem), hint);
  debugLog(ctx, `start URL ${startUrl} resolves to ${result.url} (SSO region ${result.region})`);
  return result;
}
