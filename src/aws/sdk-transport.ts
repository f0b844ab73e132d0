// How the AWS SDK clients (sso-oidc, sso) reach IAM Identity Center, and how their failures become
// ccsso errors. Shared by src/aws/oidc.ts and src/aws/portal.ts; imports no SDK code itself.
//
// Why a request handler of our own: the SDK's default handler in Bun is NodeHttpHandler (node:https),
// which knows nothing of HTTPS_PROXY/NO_PROXY and would need an agent package to tunnel, and reads CA
// settings from process globals. Bun's fetch takes `proxy` and `tls.ca` per request, so a ~40-line
// handler on fetch gives the SDK calls exactly the proxy and CA rules every other ccsso request uses
// (docs/protocols.md §1.6; transportOptions in src/aws/signed-call.ts), driven by ctx.env so tests can
// steer it, and lets one deadline cover the whole call including reading the body.
import type { HttpHandlerOptions, HttpRequest, HttpResponse } from "@smithy/types";
import { isCcssoError, NetworkError, RemoteError, type CcssoError } from "../core/errors";
import { redact } from "../core/redact";
import { debugLog } from "../platform/debug-log";
import type { Context } from "../platform/context";
import { MAX_RESPONSE_BYTES, readBodyCapped } from "./bounded-body";
import { proxyDecision, transportOptions } from "./signed-call";
import { userAgentAppId } from "../platform/user-agent";

/** smithy's extendedEncodeURIComponent: RFC 3986 unreserved only (`!'()*` escaped too). */
function encodeQueryPart(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function buildUrl(request: HttpRequest): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value === null || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${encodeQueryPart(key)}=${encodeQueryPart(v)}`);
  }
  const port = request.port ? `:${request.port}` : "";
  return `${request.protocol}//${request.hostname}${port}${request.path}${parts.length ? `?${parts.join("&")}` : ""}`;
}

/** A smithy HttpHandler on Bun's fetch with the user's proxy and CA bundle (see the file comment). */
export function fetchRequestHandler(ctx: Context, maxResponseBytes = MAX_RESPONSE_BYTES) {
  return {
    async handle(request: HttpRequest, options: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
      const url = buildUrl(request);
      const headers = new Headers();
      for (const [k, v] of Object.entries(request.headers)) {
        // fetch computes these from the URL and body itself; sending both would duplicate them.
        if (k.toLowerCase() !== "host" && k.toLowerCase() !== "content-length") headers.set(k, v);
      }
      const method = request.method.toUpperCase();
      const body = method === "GET" || method === "HEAD" ? undefined : (request.body as string | Uint8Array | undefined);
      const res = await fetch(url, {
        method,
        headers,
        body,
        signal: options.abortSignal as AbortSignal | undefined,
        ...transportOptions(new URL(url), ctx.env, ctx.caBundle),
      } as RequestInit);
      // Read the whole (small, JSON) body here so the caller's deadline covers it too, and never more than the cap.
      const bytes = await readBodyCapped(res, new URL(url).origin, maxResponseBytes);
      const responseHeaders: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        responseHeaders[k] = v;
      });
      return { response: { statusCode: res.status, reason: res.statusText, headers: responseHeaders, body: bytes } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
  };
}

/** The SDK client settings ccsso pins, so nothing in the environment or ~/.aws/config re-routes a call
 *  whose endpoint src/aws/endpoints.ts already resolved (FIPS/dual-stack are part of that URL). */
export function pinnedClientConfig(ctx: Context, endpoint: string, region: string, maxAttempts: number) {
  return {
    region,
    endpoint,
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    maxAttempts,
    retryMode: "standard",
    requestHandler: fetchRequestHandler(ctx),
    // The SDK's app id (`app/ccsso#<version>` in User-Agent, as the AWS CLI's sdk_ua_app_id): an
    // organisation finds ccsso's calls in CloudTrail's userAgent (docs/protocols.md §3.1).
    userAgentAppId,
  };
}

export interface CallSite {
  /** "IAM Identity Center OIDC" or "IAM Identity Center portal", for messages. */
  serviceLabel: string;
  /** The service name in RemoteError.details (docs/architecture.md §10 "AWS calls"): "sso-oidc" | "sso". */
  service: "sso-oidc" | "sso";
  operation: string;
  endpoint: string;
  timeoutMs: number;
}

/** Text the SDK exposes for a service error: the OAuth error_description (OIDC) or message (portal). */
function serviceMessage(e: Record<string, unknown>): string {
  const d = e.error_description ?? e.message;
  return typeof d === "string" && d !== "" && d !== "UnknownError" ? d : "";
}

// Bun fetch error codes (and OpenSSL names) that mean "the certificate chain is not trusted".
const certificateCodes = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|TLS|SSL/i;

/** Turn anything an SDK call threw into RemoteError (the service answered) or NetworkError (it did not). */
export function toCcssoError(e: unknown, site: CallSite, ctx: Context, timedOut: boolean): CcssoError {
  if (isCcssoError(e)) return e;
  const err = (e ?? {}) as Record<string, unknown> & { $metadata?: { httpStatusCode?: number; requestId?: string } };
  const route = proxyDecision(new URL(site.endpoint), ctx.env);
  const proxy = route.proxy;
  const status = err.$metadata?.httpStatusCode;
  if (typeof status === "number" && !timedOut) {
    const name = typeof err.name === "string" ? err.name : "";
    // Only a parsed service exception (the SDK marks those with $fault) carries an AWS type; a proxy's
    // HTML error page surfaces as a JSON SyntaxError with a status, and must not be mistaken for one.
    const awsType =
      typeof err.$fault === "string" && /^[A-Z]\w*(Exception|Error)$/.test(name) && name !== "UnknownError" ? name : undefined;
    const message = awsType ? serviceMessage(err) : "";
    const what = awsType ?? `HTTP ${status}`;
    // 5xx and throttling survived the SDK's retries: transient on AWS's side, worth another try later.
    const transient = awsType && (status >= 500 || status === 429 || awsType === "TooManyRequestsException");
    const via = proxy ? `through proxy ${proxy}` : "direct, no proxy";
    return new RemoteError(
      redact(`${site.serviceLabel} ${site.operation} failed: ${what}${message ? `: ${message}` : ""} (${site.endpoint})`),
      { service: site.service, operation: site.operation, awsType, status, requestId: err.$metadata?.requestId, endpoint: site.endpoint },
      awsType
        ? transient
          ? `IAM Identity Center is failing or throttling (${via}); try again in a minute`
          : undefined
        : `the answer did not come from IAM Identity Center${proxy ? `; check the proxy ${proxy}` : ""}`,
      { cause: e },
    );
  }
  if (timedOut) {
    const limit = site.timeoutMs >= 1000 ? `${site.timeoutMs / 1000} s` : `${site.timeoutMs} ms`;
    return new NetworkError(
      `${site.serviceLabel} ${site.operation} at ${site.endpoint} did not answer within ${limit}`,
      site.endpoint,
      proxy,
      { cause: e, variable: route.variable, bypassedBy: route.bypassedBy },
    );
  }
  const code = typeof err.code === "string" ? err.code : "";
  // Bun appends advice meant for the programmer ("For more information, pass `verbose: true`…"): not for users.
  const raw = typeof err.message === "string" && err.message ? err.message : code || String(e);
  const detail = redact(raw.replace(/\s*For more information, pass `verbose: true`.*$/s, ""));
  const certificate = certificateCodes.test(code) || /certificate/i.test(detail);
  return new NetworkError(
    `cannot reach ${site.serviceLabel} at ${site.endpoint}: ${detail}${certificate ? " (certificate not trusted: set AWS_CA_BUNDLE to your organisation's CA bundle)" : ""}`,
    site.endpoint,
    proxy,
    { cause: e, variable: route.variable, bypassedBy: route.bypassedBy },
  );
}

/** Run one SDK call under a deadline; every failure leaves as a ccsso error. */
export async function callWithDeadline<T>(ctx: Context, site: CallSite, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, site.timeoutMs);
  try {
    const out = await call(controller.signal);
    debugLog(ctx, `${site.service} ${site.operation} ${site.endpoint}: ok`);
    return out;
  } catch (e) {
    const mapped = toCcssoError(e, site, ctx, timedOut);
    debugLog(ctx, `${site.service} ${site.operation} ${site.endpoint}: ${mapped.message}`);
    throw mapped;
  } finally {
    clearTimeout(timer);
  }
}
