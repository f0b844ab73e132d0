// The rules for a start URL on the organisation's own domain (a "vanity" URL) that redirects to the
// AWS access portal (docs/protocols.md §3.9): which hosts belong to AWS, which portal host names carry
// their Region, and how the URL the redirect names is written down. Pure: the one HEAD request that
// finds the redirect lives in src/aws/start-url-redirect.ts.

/** Host suffixes of AWS access portals and Identity Center issuers, in every partition. */
const awsOwnedSuffixes = [
  ".app.aws",
  ".portal.amazonaws.com",
  ".portal.amazonaws.com.cn",
  ".app.amazonwebservices.com.cn",
  ".portal.amazonaws.eu",
  ".api.amazonwebservices.eu",
  ".awsapps.com",
  ".awsapps.cn",
];

/** Issuer hosts that are AWS's as whole names (not as suffixes: `evil.identitycenter.amazonaws.com` is not listed). */
const awsOwnedExact = [
  "identitycenter.amazonaws.com",
  "identitycenter.amazonaws.com.cn",
  "identitycenter.amazonaws.eu",
  "identitycenter.us-gov.amazonaws.com",
];

/** Portal host names that say their Region: `{instance}.portal.{region}.app.aws` and the like. */
const regionPatterns = [
  /^[^.]+\.portal\.([a-z0-9-]+)\.app\.aws$/,
  /^[^.]+\.([a-z0-9-]+)\.portal\.amazonaws\.com$/,
  /^[^.]+\.([a-z0-9-]+)\.portal\.amazonaws\.com\.cn$/,
  /^[^.]+\.portal\.([a-z0-9-]+)\.app\.amazonwebservices\.com\.cn$/,
  /^[^.]+\.([a-z0-9-]+)\.portal\.amazonaws\.eu$/,
  /^[^.]+\.portal\.([a-z0-9-]+)\.api\.amazonwebservices\.eu$/,
];

/** Status codes that name a redirect target in Location; any other non-2xx status ends the resolution. */
export const redirectStatuses = new Set([301, 302, 303, 307, 308]);

function bareHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, "");
}

/** Whether a host name belongs to AWS's access portals or Identity Center issuers (case and a trailing dot ignored). */
export function isAwsOwnedHost(hostname: string): boolean {
  const host = bareHost(hostname);
  if (awsOwnedExact.includes(host)) return true;
  return awsOwnedSuffixes.some((suffix) => host === suffix.slice(1) || host.endsWith(suffix));
}

/** The Region a portal host name carries, if it is one of the Regional forms. */
export function regionOfPortalHost(hostname: string): string | undefined {
  const host = bareHost(hostname);
  for (const pattern of regionPatterns) {
    const m = pattern.exec(host);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * The URL a redirect names, as it is sent to IAM Identity Center: scheme, host (lower case, default port
 * dropped), path without trailing slashes; no user name, query or fragment.
 */
export function normalizeResolvedUrl(url: URL): string {
  const defaultPort = url.protocol === "https:" ? "443" : url.protocol === "http:" ? "80" : "";
  const port = url.port && url.port !== defaultPort ? `:${url.port}` : "";
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.protocol}//${url.hostname}${port}${path}`;
}

/** What a start URL resolves to: the URL IAM Identity Center is given, and the Region its OIDC calls go to. */
export interface ResolvedStartUrl {
  /** The portal URL sent as `issuerUrl` (RegisterClient) and `startUrl` (StartDeviceAuthorization). */
  url: string;
  region: string;
  /** True when the configured URL was a vanity URL and `url` came from its redirect. */
  redirected: boolean;
}

/**
 * Decide from the configured URL and the URL its one redirect named (the same URL when there was no
 * redirect). Returns the problem as a sentence when the result is not an AWS portal over https.
 */
export function startUrlFromRedirect(
  configured: string,
  final: URL,
  configuredRegion: string | undefined,
): ResolvedStartUrl | { problem: string } {
  const url = normalizeResolvedUrl(final);
  if (!isAwsOwnedHost(final.hostname))
    return { problem: `the sso_start_url ${configured} does not lead to an AWS access portal (it ends at ${url})` };
  if (final.protocol !== "https:") return { problem: `the sso_start_url ${configured} redirects to ${url}, which is not https` };
  const region = regionOfPortalHost(final.hostname) ?? configuredRegion;
  if (!region) return { problem: `cannot tell the SSO region from the start URL ${configured} (it leads to ${url})` };
  return { url, region, redirected: true };
}
