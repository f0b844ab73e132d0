// The container source of the credential chain: what the AWS SDKs call the container provider. A process
// inside a container gets credentials by GET on AWS_CONTAINER_CREDENTIALS_FULL_URI (or the ECS agent's
// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) with AWS_CONTAINER_AUTHORIZATION_TOKEN as the Authorization
// header (docs/protocols.md §3.12) — the endpoint `ccsso serve` runs, or ECS/EKS's own.
// Kept out of credentials.ts and loaded only when one of those variables is set, so the warm path does
// not grow.
import { ConfigError, CcssoError, NetworkError } from "../core/errors";
import { registerSecret } from "../core/redact";
import { sanitizeLine } from "../core/terminal-text";
import type { AwsCredentials, Env } from "../core/types";
import type { Context } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { readFileSync } from "node:fs";

/** The ECS agent's address; a RELATIVE_URI is a path on it. */
const ECS_HOST = "169.254.170.2";

/**
 * Hosts the SDKs accept for a plain-http FULL_URI besides loopback: the ECS agent and EKS Pod Identity.
 * Anything else must be https, so a token is never sent in clear text across a network.
 */
const LINK_LOCAL_HOSTS = new Set([ECS_HOST, "169.254.170.23", "[fd00:ec2::23]"]);

/** botocore's ContainerMetadataFetcher waits 2 s per attempt; a local endpoint answers far sooner. */
const ATTEMPT_TIMEOUT_MS = 2000;
/** botocore tries three times, a second apart: enough to ride out an endpoint that is restarting. */
const ATTEMPTS = 3;
const RETRY_DELAY_MS = 1000;
/** A credentials answer is a few hundred bytes; 64 KiB is far past any real one. */
const MAX_BODY_BYTES = 64 * 1024;

/** A plain-http host the SDKs would send the token to: loopback or the ECS/EKS link-local addresses. */
export function isAllowedHttpHost(hostname: string): boolean {
  if (LINK_LOCAL_HOSTS.has(hostname) || hostname === "localhost") return true;
  if (hostname === "[::1]") return true;
  return /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(hostname) && hostname.split(".").every((p) => Number(p) <= 255);
}

/** The endpoint's URL, RELATIVE_URI first (as botocore and the JS SDK), checked like the SDKs check it. */
export function containerEndpointUrl(env: Env): URL {
  const relative = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  const text = relative ? `http://${ECS_HOST}${relative}` : (env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? "");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(
      `AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL: ${sanitizeLine(text)}`,
      "set it to the URL `ccsso serve` printed",
    );
  }
  if (url.protocol === "https:") return url;
  if (url.protocol !== "http:" || !isAllowedHttpHost(url.hostname)) {
    throw new ConfigError(
      `AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http on a loopback address or 169.254.170.2/169.254.170.23: ${sanitizeLine(url.host)}`,
      "use http://127.0.0.1:PORT/… (docker run --network host) as `ccsso serve` prints it",
    );
  }
  return url;
}

/** The Authorization header value: the token file wins over the variable (botocore's order). */
function authorizationToken(env: Env): string | undefined {
  const file = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  let token: string | undefined;
  if (file) {
    try {
      token = readFileSync(file, "utf8");
    } catch (e) {
      throw new ConfigError(
        `cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${sanitizeLine(file)}: ${(e as NodeJS.ErrnoException).code ?? "error"}`,
      );
    }
  } else {
    token = env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
  }
  if (token === undefined) return undefined;
  // A header value cannot hold a line break; the SDKs refuse it too rather than send a split header.
  if (/[\r\n]/.test(token))
    throw new ConfigError("the container authorization token holds a line break", "check AWS_CONTAINER_AUTHORIZATION_TOKEN");
  registerSecret(token);
  return token;
}

export async function containerCredentials(ctx: Context): Promise<AwsCredentials> {
  const url = containerEndpointUrl(ctx.env);
  const token = authorizationToken(ctx.env);
  const where = sanitizeLine(`${url.protocol}//${url.host}${url.pathname}`);
  debugLog(ctx, `credentials: container endpoint ${where}${token ? " with an authorization token" : ""}`);
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let res: { status: number; body: string };
    try {
      res = await getDirect(url, { Accept: "application/json", ...(token ? { Authorization: token } : {}) });
    } catch (e) {
      lastError = e;
      if (attempt < ATTEMPTS) await ctx.sleep(RETRY_DELAY_MS);
      continue;
    }
    if (res.status === 401 || res.status === 403) {
      // Asking again with the same token cannot succeed.
      throw new CcssoError(
        `the container credentials endpoint ${where} refused the request (HTTP ${res.status})`,
        "check AWS_CONTAINER_AUTHORIZATION_TOKEN: it changes each time `ccsso serve` starts",
      );
    }
    if (res.status !== 200) {
      lastError = new Error(`HTTP ${res.status}`);
      if (attempt < ATTEMPTS) await ctx.sleep(RETRY_DELAY_MS);
      continue;
    }
    return parseContainerCredentials(res.body, where);
  }
  if (lastError instanceof Error && lastError.message.startsWith("HTTP ")) {
    throw new CcssoError(
      `the container credentials endpoint ${where} answered ${lastError.message}`,
      "see what the endpoint logged (ccsso serve prints each request)",
    );
  }
  throw new NetworkError(`cannot reach the container credentials endpoint ${where}`, where, undefined, { cause: lastError });
}

/**
 * One GET, never through a proxy: the endpoint is on this host or its link, and the token must not be
 * handed to a proxy. Bun's fetch would send even 127.0.0.1 through HTTP_PROXY; node:http uses none, as
 * botocore's and the JS SDK's container providers use none.
 */
async function getDirect(url: URL, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const mod = url.protocol === "https:" ? await import("node:https") : await import("node:http");
  return new Promise((resolve, reject) => {
    const req = mod.get(url, { headers, timeout: ATTEMPT_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        // Credentials JSON is a few hundred bytes; an endless answer is not one.
        if (size > MAX_BODY_BYTES) req.destroy(new Error("answer too large"));
        else chunks.push(c);
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer in ${ATTEMPT_TIMEOUT_MS} ms`)));
    req.on("error", reject);
  });
}

/** The SDKs' container JSON: AccessKeyId, SecretAccessKey, Token, Expiration (RFC 3339), AccountId. */
export function parseContainerCredentials(body: string, where: string): AwsCredentials {
  let doc: Record<string, unknown>;
  try {
    const parsed = JSON.parse(body);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    doc = parsed;
  } catch {
    throw new CcssoError(`the container credentials endpoint ${where} did not answer with a JSON object`);
  }
  const { AccessKeyId: id, SecretAccessKey: secret, Token: token, Expiration: expiration, AccountId: accountId } = doc;
  if (typeof id !== "string" || !id || typeof secret !== "string" || !secret) {
    throw new CcssoError(`the container credentials endpoint ${where} answered without AccessKeyId and SecretAccessKey`);
  }
  registerSecret(secret);
  const out: AwsCredentials = { accessKeyId: id, secretAccessKey: secret, source: "container" };
  if (typeof token === "string" && token) {
    registerSecret(token);
    out.sessionToken = token;
  }
  if (typeof expiration === "string") {
    const t = Date.parse(expiration);
    if (Number.isNaN(t)) throw new CcssoError(`the container credentials endpoint ${where} answered an unreadable Expiration`);
    out.expiration = new Date(t);
  }
  if (typeof accountId === "string" && /^\d{12}$/.test(accountId)) out.accountId = accountId;
  return out;
}
