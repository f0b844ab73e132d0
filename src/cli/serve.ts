// `ccsso serve`: the AWS SDKs' container credentials endpoint on this machine, so a container gets
// short-lived role credentials by two environment variables instead of a mounted ~/.aws (which would hand
// it the long-lived SSO refresh token). The contract: docs/protocols.md §3.12; the threat model:
// docs/security.md "The credentials endpoint".
import { randomBytes, timingSafeEqual, createHash } from "node:crypto";
import { selectProfileName } from "../core/aws-config";
import { CcssoError, ConfigError, UsageError } from "../core/errors";
import { isAllowedPeer, isIpLiteral, isLoopback, isWildcard } from "../core/peer-address";
import { registerSecret } from "../core/redact";
import { shellQuote } from "../core/shell-quote";
import { sanitizeLine } from "../core/terminal-text";
import type { AwsCredentials } from "../core/types";
import type { Context } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { atomicWriteFile, removeFileIfExists } from "../store/atomic-file";
import { loadAwsConfig } from "../store/aws-config-files";
import type { serve } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { chooseCommandProfile } from "./profile-choice";

/** The one path served; anything else is 404 (after the token check, so nothing is learnt without it). */
export const CREDENTIALS_PATH = "/credentials";

/**
 * Served credentials are reused while 15 minutes or more are left: botocore refreshes container
 * credentials 15 minutes before they expire (its advisory window), so anything shorter would make every
 * SDK call in the container ask again. The role-credentials cache uses the same window.
 */
const REUSE_WINDOW_MS = 15 * 60_000;

/** Non-loopback hosts the SDKs' container providers accept over plain http (the ECS agent, EKS Pod Identity). */
const SDK_HTTP_HOSTS = new Set(["169.254.170.2", "169.254.170.23", "fd00:ec2::23"]);

/** 32 random bytes: the token is the only thing between a local process and the role. */
const TOKEN_BYTES = 32;

export interface ServeOptions {
  profile?: string;
  address: string;
  port: number;
  /** The credentials to serve, freshly resolved through the caches (tests pass the stand-ins' chain). */
  resolve: () => Promise<AwsCredentials>;
  /** Credentials already resolved (the start-up check), served until they near expiry. */
  initial?: AwsCredentials;
}

export interface RunningEndpoint {
  url: string;
  token: string;
  port: number;
  /** The decision for one request from `peer` (what the listener calls; tests call it with any address). */
  handle(req: Request, peer: string): Promise<Response>;
  stop(): Promise<void>;
}

/** The SDKs' container JSON (docs/protocols.md §3.12). Expiration in RFC 3339, whole seconds. */
export function containerResponse(c: AwsCredentials): string {
  const doc: Record<string, string> = {
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    Token: c.sessionToken ?? "",
    Expiration: c.expiration ? c.expiration.toISOString().replace(/\.\d{3}Z$/, "Z") : "",
  };
  if (c.accountId) doc.AccountId = c.accountId;
  return JSON.stringify(doc);
}

/** Constant-time: both sides hashed first, so neither the length nor a common prefix shows in the timing. */
function tokenMatches(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

function answer(status: number, body: object | string, extra: Record<string, string> = {}): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...extra },
  });
}

/** Start the endpoint: listening before this returns, so the printed URL works at once. */
export function startEndpoint(ctx: Context, opts: ServeOptions): RunningEndpoint {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  registerSecret(token);
  let held: AwsCredentials | undefined = opts.initial;
  let pending: Promise<AwsCredentials> | undefined;
  // One resolution at a time: fifty requests at once share one GetRoleCredentials.
  const current = (): Promise<AwsCredentials> => {
    if (held?.expiration && held.expiration.getTime() - ctx.now() >= REUSE_WINDOW_MS) return Promise.resolve(held);
    pending ??= opts
      .resolve()
      .then((c) => (held = c))
      .finally(() => (pending = undefined));
    return pending;
  };

  const log = (method: string, path: string, peer: string, status: number, note = "") =>
    ctx.stderr.write(
      `ccsso: serve: ${sanitizeLine(method)} ${sanitizeLine(path)} from ${sanitizeLine(peer)} ${status}${note ? ` (${note})` : ""}\n`,
    );

  let server: ReturnType<typeof Bun.serve>;
  try {
    server = listen();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CcssoError(
      `cannot listen on ${opts.address} port ${opts.port}: ${code === "EADDRINUSE" ? "the port is in use" : code === "EADDRNOTAVAIL" ? "no interface has that address" : sanitizeLine((e as Error).message)}`,
      "choose another --port (0 picks a free one), or an --address this machine has (ip addr)",
    );
  }
  function listen() {
    return Bun.serve({
      hostname: opts.address,
      port: opts.port,
      // The SDKs wait 1-2 s per attempt; a request that has not arrived whole in 10 s is not one of theirs.
      idleTimeout: 10,
      fetch: (req, srv) => handle(req, srv.requestIP(req)?.address ?? "unknown"),
    });
  }

  async function handle(req: Request, peer: string): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname;
    // Refusals say nothing about why: a caller without the token learns only that it lacks it.
    if (!isAllowedPeer(peer, opts.address)) {
      log(req.method, path, peer, 403, "address not allowed");
      return answer(403, { Code: "Forbidden", Message: "forbidden" });
    }
    const given = req.headers.get("authorization");
    if (given === null) {
      log(req.method, path, peer, 401, "no token");
      return answer(401, { Code: "Unauthorized", Message: "unauthorized" });
    }
    if (!tokenMatches(given, token)) {
      log(req.method, path, peer, 403, "wrong token");
      return answer(403, { Code: "Forbidden", Message: "forbidden" });
    }
    if (path !== CREDENTIALS_PATH) {
      log(req.method, path, peer, 404);
      return answer(404, { Code: "NotFound", Message: `the credentials are at ${CREDENTIALS_PATH}` });
    }
    if (req.method !== "GET") {
      log(req.method, path, peer, 405);
      return answer(405, { Code: "MethodNotAllowed", Message: "use GET" }, { Allow: "GET" });
    }
    // One endpoint, one profile: a container cannot pick another of this person's roles.
    if (url.searchParams.has("profile")) {
      log(req.method, path, peer, 400, "?profile= refused");
      return answer(400, { Code: "ProfileNotServed", Message: "this endpoint serves one profile; run another ccsso serve for another" });
    }
    try {
      const c = await current();
      log(req.method, path, peer, 200);
      debugLog(ctx, `serve: credentials ${c.accessKeyId} until ${c.expiration?.toISOString() ?? "?"}`);
      return answer(200, containerResponse(c));
    } catch (e) {
      // The reason goes to this terminal (where the person can sign in again), not to the container.
      const why = e instanceof Error ? e.message : String(e);
      const hint = e instanceof Error && "hint" in e && typeof e.hint === "string" ? ` — ${e.hint}` : "";
      log(req.method, path, peer, 503, sanitizeLine(why + hint));
      return answer(503, { Code: "CredentialsUnavailable", Message: "ccsso serve cannot get credentials; see its terminal" });
    }
  }
  const port = server.port ?? opts.port;
  const host = opts.address.includes(":") ? `[${opts.address}]` : opts.address;
  return { url: `http://${host}:${port}${CREDENTIALS_PATH}`, token, port, handle, stop: () => server.stop(true) };
}

/** docker's --env-file: VAR=value a line, taken literally (no quotes, no expansion). */
export function dockerEnvFile(url: string, token: string): string {
  return `AWS_CONTAINER_CREDENTIALS_FULL_URI=${url}\nAWS_CONTAINER_AUTHORIZATION_TOKEN=${token}\n`;
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
    throw new UsageError(`--port must be a number from 0 to 65535, not ${sanitizeLine(text)}`, "run: ccsso serve --help");
  return Number(text);
}

function checkAddress(address: string): void {
  if (!isIpLiteral(address)) {
    throw new UsageError(
      `--address must be an IP address, not ${sanitizeLine(address)}`,
      "use 127.0.0.1 (the default), or 169.254.170.2 once it is added to the docker bridge (README: Containers)",
    );
  }
  if (isWildcard(address)) {
    throw new UsageError(
      `--address ${address} would listen on every network this machine is on`,
      "use 127.0.0.1 (the default), or 169.254.170.2 once it is added to the docker bridge (README: Containers)",
    );
  }
}

/** Until Ctrl-C (130) or SIGTERM (0). */
function untilStopped(): Promise<number> {
  return new Promise((resolve) => {
    const done = (code: number) => () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(code);
    };
    const onInt = done(130);
    const onTerm = done(0);
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
  });
}

export async function run(opts: OptionsOf<typeof serve>, _args: string[], ctx: Context): Promise<number> {
  checkAddress(opts.address);
  const port = parsePort(opts.port);
  // This process's own credentials never come from a container endpoint: one it once printed into this
  // shell would be itself (or a stopped predecessor).
  for (const k of [
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
  ]) {
    delete ctx.env[k];
  }
  const cfg = loadAwsConfig(ctx.env);
  const profile = (await chooseCommandProfile(ctx, cfg, opts.profile, "credentials")).profileFlag;
  const name = selectProfileName(profile, ctx.env).name;
  const { resolveCredentials } = await import("../auth/credentials");
  const resolve = () => resolveCredentials(ctx, { profile });
  // Before listening: a session that needs a sign-in fails here with the command to run, not per request.
  const first = await resolve();
  if (!first.sessionToken || !first.expiration) {
    throw new ConfigError(
      `profile ${sanitizeLine(name)} has long-lived access keys; ccsso serve hands containers only temporary credentials`,
      "serve an IAM Identity Center profile (ccsso configure sso)",
    );
  }
  const endpoint = startEndpoint(ctx, { profile, address: opts.address, port, resolve, initial: first });
  if (opts.envFile) {
    atomicWriteFile(opts.envFile, dockerEnvFile(endpoint.url, endpoint.token), { mode: 0o600, forceMode: true });
  } else {
    ctx.stdout.write(
      `export AWS_CONTAINER_CREDENTIALS_FULL_URI=${shellQuote(endpoint.url)}\nexport AWS_CONTAINER_AUTHORIZATION_TOKEN=${shellQuote(endpoint.token)}\n`,
    );
  }
  if (!isLoopback(opts.address) && !SDK_HTTP_HOSTS.has(opts.address)) {
    // The SDKs send the token over plain http only to these; any other address works for curl, not for them.
    ctx.stderr.write(
      `ccsso: warning: the AWS SDKs refuse http://${opts.address}: over plain http they accept only loopback, 169.254.170.2 and 169.254.170.23 (README: Containers)\n`,
    );
  }
  const reach = isLoopback(opts.address) ? "containers with --network host" : "containers on this bridge";
  ctx.stderr.write(
    `ccsso: serving ${first.source === "env" ? "the credentials in this environment" : `profile ${sanitizeLine(name)}`} at ${endpoint.url} for ${reach}${opts.envFile ? `; token in ${sanitizeLine(opts.envFile)}` : ""} (Ctrl-C stops)\n`,
  );
  const code = await untilStopped();
  await endpoint.stop();
  if (opts.envFile) removeFileIfExists(opts.envFile);
  ctx.stderr.write(`ccsso: serve stopped${opts.envFile ? `; ${sanitizeLine(opts.envFile)} removed` : ""}; the token no longer works\n`);
  return code;
}
