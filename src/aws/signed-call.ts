// SigV4-signed calls to the AWS APIs ccsso uses besides IAM Identity Center: STS (query protocol) and
// CodeCommit (JSON 1.1). aws4fetch signs (imported lazily: the credential helper never needs it); the
// request itself goes through fetch with a timeout, the user's proxy and CA bundle (docs/protocols.md §1.6).
import { readFileSync } from "node:fs";
import { CcssoError, ConfigError, NetworkError } from "../core/errors";
import type { AwsCredentials } from "../core/types";
import type { CaBundle, Context, Env } from "../platform/context";
import { userAgent } from "../platform/user-agent";

export interface SignedCallTarget {
  /** Signing name: "sts", "codecommit". */
  service: string;
  region: string;
  /** Base URL, e.g. https://sts.eu-west-1.amazonaws.com */
  endpoint: string;
  credentials: AwsCredentials;
  /** The profile's CA bundle when the call is made outside resolveCredentials' context (whoami, repos). */
  caBundle?: CaBundle;
}

export interface SignedResponse {
  status: number;
  headers: Headers;
  text: string;
}

// 10 s: an AWS API answers in well under a second; longer means a dead proxy or endpoint, and the
// user is waiting at a prompt.
export const DEFAULT_TIMEOUT_MS = 10_000;

/** How a request to one URL travels, and why: the answer to "did it use my proxy?" behind a firewall. */
export interface ProxyDecision {
  /** The proxy URL, when the request goes through one. */
  proxy?: string;
  /** The variable that named it (HTTPS_PROXY, https_proxy, ALL_PROXY…), or that was set but bypassed. */
  variable?: string;
  /** The NO_PROXY entry that sent the request direct although a proxy is set. */
  bypassedBy?: string;
}

/** HTTPS_PROXY/HTTP_PROXY/ALL_PROXY and NO_PROXY as curl reads them: suffix match, `*` = every host. */
export function proxyDecision(url: URL, env: Env): ProxyDecision {
  const names =
    url.protocol === "https:"
      ? ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
      : ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];
  const variable = names.find((n) => env[n]);
  if (!variable) return {};
  const noProxy = env.NO_PROXY || env.no_proxy || "";
  const host = url.hostname.toLowerCase();
  for (const raw of noProxy.split(",")) {
    const entry = raw.trim().toLowerCase().replace(/:\d+$/, "");
    if (!entry) continue;
    if (entry === "*") return { variable, bypassedBy: raw.trim() };
    const bare = entry.replace(/^\*?\./, "");
    if (host === bare || host.endsWith("." + bare)) return { variable, bypassedBy: raw.trim() };
  }
  return { proxy: env[variable], variable };
}

/**
 * A request that got no answer (refused, reset, TLS, or none within `timeoutMs`) as the one-line
 * NetworkError every direct fetch raises: `subject` says what was asked ("STS request to https://…"),
 * and the error carries the proxy decision so the hint can name the variable that chose it.
 */
export function fetchFailure(subject: string, url: URL, env: Env, proxy: string | undefined, timeoutMs: number, e: unknown): NetworkError {
  const err = e as Error;
  const timedOut = err.name === "TimeoutError" || err.name === "AbortError";
  const route = proxyDecision(url, env);
  // Bun's advice to the programmer ("For more information, pass `verbose: true`…") is not for users.
  const reason = String(err.message).replace(/\s*For more information, pass `verbose: true`.*$/s, "");
  const what = timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s` : `failed: ${reason}`;
  return new NetworkError(`${subject} ${what}`, url.origin, proxy, { cause: e, variable: route.variable, bypassedBy: route.bypassedBy });
}

/** The proxy for a URL, or undefined for a direct request (see proxyDecision). */
export function proxyFor(url: URL, env: Env): string | undefined {
  return proxyDecision(url, env).proxy;
}

/** The decision in words, credentials in a proxy URL hidden: "through proxy … (HTTPS_PROXY)", "direct: …". */
export function describeProxyDecision(d: ProxyDecision): string {
  if (d.proxy) return `through proxy ${d.proxy.replace(/\/\/[^@/]*@/, "//<credentials>@")} (${d.variable})`;
  if (d.bypassedBy) return `direct: NO_PROXY entry "${d.bypassedBy}" matches the host, so ${d.variable} is not used`;
  return "direct (no proxy set)";
}

/** The CA bundle a request trusts: --ca-bundle, AWS_CA_BUNDLE, else the profile's `ca_bundle` (the AWS CLI's order). */
export function effectiveCaBundle(env: Env, profileBundle?: CaBundle): CaBundle | undefined {
  if (profileBundle?.from === "--ca-bundle") return profileBundle;
  if (env.AWS_CA_BUNDLE) return { path: env.AWS_CA_BUNDLE, from: "AWS_CA_BUNDLE" };
  return profileBundle;
}

/** fetch options for the user's proxy and CA bundle (Bun's fetch extensions). */
export function transportOptions(url: URL, env: Env, profileBundle?: CaBundle): { proxy?: string; tls?: { ca: string } } {
  const out: { proxy?: string; tls?: { ca: string } } = {};
  const proxy = proxyFor(url, env);
  if (proxy) out.proxy = proxy;
  const bundle = effectiveCaBundle(env, profileBundle);
  if (bundle) {
    try {
      out.tls = { ca: readFileSync(bundle.path, "utf8") };
    } catch (e) {
      const named = bundle.from === "AWS_CA_BUNDLE" ? `AWS_CA_BUNDLE=${bundle.path}` : `${bundle.path} (${bundle.from})`;
      throw new ConfigError(
        `cannot read the CA bundle ${named}: ${(e as Error).message}`,
        bundle.from === "AWS_CA_BUNDLE"
          ? "point AWS_CA_BUNDLE at a PEM file or unset it"
          : `point ${bundle.from} at a PEM file or remove it`,
        { cause: e },
      );
    }
  }
  return out;
}

/** Sign and send one POST; transport failures and timeouts become NetworkError. */
export async function signedPost(
  ctx: Context,
  target: SignedCallTarget,
  req: {
    path?: string;
    headers: Record<string, string>;
    body: string;
    timeoutMs?: number /** tests lower the cap */;
    maxResponseBytes?: number;
  },
): Promise<SignedResponse> {
  const { AwsClient } = await import("aws4fetch");
  const client = new AwsClient({
    accessKeyId: target.credentials.accessKeyId,
    secretAccessKey: target.credentials.secretAccessKey,
    sessionToken: target.credentials.sessionToken,
    service: target.service,
    region: target.region,
    retries: 0,
  });
  const url = new URL(req.path ?? "/", target.endpoint.endsWith("/") ? target.endpoint : target.endpoint + "/");
  // Sign with the context's clock so a test's fake clock and the signature agree.
  const datetime = new Date(ctx.now()).toISOString().replace(/[:-]|\.\d{3}/g, "");
  // ccsso names itself as the SDK clients do (`app/ccsso#<version>`), so CloudTrail's userAgent shows it.
  const headers = { ...req.headers, "user-agent": userAgent };
  const signed = await client.sign(url.toString(), { method: "POST", headers, body: req.body, aws: { datetime } });
  const transport = transportOptions(url, ctx.env, target.caBundle ?? ctx.caBundle);
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    const res = await fetch(signed, { signal: AbortSignal.timeout(timeoutMs), ...transport } as RequestInit);
    const { readTextCapped } = await import("./bounded-body");
    return { status: res.status, headers: res.headers, text: await readTextCapped(res, url.origin, req.maxResponseBytes) };
  } catch (e) {
    if (e instanceof CcssoError) throw e;
    throw fetchFailure(`${target.service} request to ${url.origin}`, url, ctx.env, transport.proxy, timeoutMs, e);
  }
}
