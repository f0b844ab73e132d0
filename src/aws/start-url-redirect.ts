// The one request that turns a vanity start URL into the AWS access portal it redirects to
// (docs/protocols.md §3.9): a HEAD (a GET when the server does not do HEAD), redirects not followed,
// through the user's proxy and CA bundle with the usual timeout. One hop only, as the AWS CLI does: the
// portal the redirect names is not contacted here; IAM Identity Center checks it at RegisterClient.
import { ConfigError } from "../core/errors";
import { redirectStatuses } from "../core/start-url";
import { sanitizeLine } from "../core/terminal-text";
import type { Context } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { DEFAULT_TIMEOUT_MS, fetchFailure, transportOptions } from "./signed-call";

/** The URL the start URL redirects to, or the start URL itself when the server answers without a redirect. */
export async function followStartUrlRedirect(ctx: Context, startUrl: string, hint: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<URL> {
  const url = new URL(startUrl);
  let res = await send(ctx, url, "HEAD", timeoutMs);
  if (res.status === 405 || res.status === 501) {
    debugLog(ctx, `HEAD ${url.origin} answered ${res.status}; asking with GET`);
    res = await send(ctx, url, "GET", timeoutMs);
  }
  if (redirectStatuses.has(res.status)) {
    const location = res.headers.get("location");
    if (!location) throw new ConfigError(`the start URL ${sanitizeLine(startUrl)} answered HTTP ${res.status} without a Location`, hint);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new ConfigError(
        `the start URL ${sanitizeLine(startUrl)} redirects to something that is not a URL (${JSON.stringify(sanitizeLine(location))})`,
        hint,
      );
    }
    debugLog(ctx, `the start URL redirects (HTTP ${res.status}) to ${next.href}`);
    return next;
  }
  if (res.status >= 200 && res.status < 300) return url;
  throw new ConfigError(`the start URL ${sanitizeLine(startUrl)} could not be resolved: HTTP ${res.status}`, hint);
}

async function send(ctx: Context, url: URL, method: "HEAD" | "GET", timeoutMs: number): Promise<Response> {
  const transport = transportOptions(url, ctx.env, ctx.caBundle);
  try {
    const res = await fetch(url, { method, redirect: "manual", signal: AbortSignal.timeout(timeoutMs), ...transport } as RequestInit);
    // Only the status line and headers matter; a GET's page is not read.
    await res.body?.cancel().catch(() => {});
    return res;
  } catch (e) {
    throw fetchFailure(`resolving the start URL at ${url.origin}`, url, ctx.env, transport.proxy, timeoutMs, e);
  }
}
