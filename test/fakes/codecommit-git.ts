// A working CodeCommit git endpoint for e2e, interop and `make demo`: HTTPS on loopback with a test CA,
// HTTP Basic auth whose password is checked by recomputing CodeCommit's SigV4 `GIT` signature
// (docs/protocols.md §5.2) server-side, and a real `git http-backend` CGI behind it serving bare
// repositories at /v1/repos/<name>. Push works (http.receivepack), request bodies may be gzip or chunked.
//
// The signature is recomputed here with node:crypto — deliberately NOT ccsso's own signer — so a bug there
// cannot be mirrored by the stand-in. Anonymous requests get 401 + WWW-Authenticate (so git asks its
// helpers); a wrong or stale signature, or a session token the identity center never issued, gets 403 —
// the answers docs/protocols.md §4.2 infers for CodeCommit.
//
// git reaches it under the REAL CodeCommit host names, with URLs unchanged, through `proxyUrl`: a tiny
// HTTP CONNECT proxy that tunnels every host to the TLS server (set HTTPS_PROXY for git). That keeps
// the default port 443 in the URL, which matters: git's credential.<url> patterns (what setup-git
// writes) only match URLs with the default port. The TLS port is exposed too, for
// `git -c http.curloptResolve=<host>:<port>:127.0.0.1 https://<host>:<port>/…`.
import { createHmac, createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from "node:fs";
import { createServer as createTcpServer, connect as tcpConnect, type Server as TcpServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FakeIdentityCenter } from "./identity-center";

export const DEFAULT_CODECOMMIT_HOSTS = [
  "git-codecommit.us-east-1.amazonaws.com",
  "git-codecommit.eu-west-1.amazonaws.com",
  "git-codecommit-fips.us-east-1.amazonaws.com",
  "git-codecommit.cn-north-1.amazonaws.com.cn",
  "git-codecommit.us-gov-west-1.amazonaws.com",
  "vpce-0123456789abcdef0-abcdefgh.git-codecommit.us-east-1.vpce.amazonaws.com",
];

/** CodeCommit's signatures are good for about 15 minutes (docs/protocols.md §5.2). */
export const SIGNATURE_WINDOW_MS = 15 * 60_000;

export interface StaticKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface FakeCodeCommitOptions {
  /** Role credentials this identity center issued are accepted (session token must match, not expired). */
  identityCenter?: Pick<FakeIdentityCenter, "issued">;
  /** Long-lived (or fixed) keys also accepted. */
  staticKeys?: StaticKey[];
  /** Names on the server certificate. Default DEFAULT_CODECOMMIT_HOSTS. */
  hostNames?: string[];
  /** Region for host names that do not carry one (custom domains). */
  hostRegions?: Record<string, string>;
  /** Bare repositories to create at start. */
  repos?: string[];
  /** Where the repositories live; default a fresh temp dir. */
  reposDir?: string;
  /** Server clock for the signature window (epoch ms). */
  now?: () => number;
  /** Delay before each git http-backend answer (real sleeping: only for tests that watch a running push). */
  latencyMs?: number;
}

export interface FakeCodeCommitCounters {
  requests: number;
  /** 401: no Authorization header. */
  unauthenticated: number;
  /** 403: bad signature, unknown key, stale timestamp, wrong region or token. */
  forbidden: number;
  /** Authenticated requests that reached git http-backend. */
  authorized: number;
  /** POST git-receive-pack (pushes). */
  pushes: number;
  /** POST git-upload-pack (fetches/clones). */
  fetches: number;
  /** CONNECT tunnels opened through proxyUrl. */
  tunnels: number;
}

export interface FakeCodeCommit {
  /** TLS port on 127.0.0.1. */
  port: number;
  /** `http://127.0.0.1:<port>`: CONNECT proxy to the TLS server, for HTTPS_PROXY. */
  proxyUrl: string;
  /** PEM of the test CA: GIT_SSL_CAINFO / AWS_CA_BUNDLE. */
  caFile: string;
  reposDir: string;
  hostNames: string[];
  counters: FakeCodeCommitCounters;
  /** Why each 403 was given (newest last), for test failure messages. */
  rejections: string[];
  /** Access key ids that authenticated, in order. */
  authenticatedKeys: string[];
  staticKeys: StaticKey[];
  /** Change while running: delay before each authorized answer, ms. */
  knobs: { latencyMs: number };
  /** Create a bare repository (idempotent). */
  createRepo(name: string): string;
  /** `git -c http.curloptResolve=…` arguments for reaching `host` at the TLS port directly. */
  resolveArgs(host: string): string[];
  close(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
  const r = Bun.spawnSync(["openssl", ...args], { cwd, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr.toString()}`);
}

/** A throw-away CA and a server certificate for `names`, made with the real openssl. */
export function makeTestCertificates(names: string[], dir = mkdtempSync(join(tmpdir(), "ccsso-ca-"))) {
  mkdirSync(dir, { recursive: true });
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      "-subj",
      "/CN=ccsso test CA",
    ],
    dir,
  );
  openssl(
    [
      "req",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      "server.key",
      "-out",
      "server.csr",
      "-subj",
      `/CN=${names[0]}`,
    ],
    dir,
  );
  const san = [...names.map((n) => `DNS:${n}`), "DNS:localhost", "IP:127.0.0.1"].join(",");
  writeFileSync(
    join(dir, "ext.cnf"),
    `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.pem",
      "-days",
      "2",
      "-extfile",
      "ext.cnf",
    ],
    dir,
  );
  return {
    dir,
    caFile: join(dir, "ca.pem"),
    cert: readFileSync(join(dir, "server.pem"), "utf8"),
    key: readFileSync(join(dir, "server.key"), "utf8"),
  };
}

// The region a CodeCommit host name signs for — written out independently of ccsso's matcher.
function regionOfHost(host: string, extra: Record<string, string>): string | undefined {
  if (extra[host]) return extra[host];
  const labels = host.split(".");
  const i = labels.findIndex((l) => l === "git-codecommit" || l === "git-codecommit-fips");
  return i >= 0 ? labels[i + 1] : undefined;
}

function expectedSignature(secret: string, timestamp: string, region: string, host: string, path: string): string {
  const canonical = ["GIT", path, "", `host:${host}`, "", "host", ""].join("\n");
  const day = timestamp.slice(0, 8);
  const toSign = [
    "AWS4-HMAC-SHA256",
    timestamp,
    `${day}/${region}/codecommit/aws4_request`,
    createHash("sha256").update(canonical).digest("hex"),
  ].join("\n");
  let key: Buffer = createHmac("sha256", `AWS4${secret}`).update(day).digest();
  for (const part of [region, "codecommit", "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  return createHmac("sha256", key).update(toSign).digest("hex");
}

function parseTimestamp(ts: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(ts);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

export function createFakeCodeCommit(opts: FakeCodeCommitOptions = {}): FakeCodeCommit {
  const hostNames = opts.hostNames ?? DEFAULT_CODECOMMIT_HOSTS;
  const certs = makeTestCertificates(hostNames);
  const reposDir = opts.reposDir ?? mkdtempSync(join(tmpdir(), "ccsso-repos-"));
  mkdirSync(reposDir, { recursive: true });
  const now = opts.now ?? (() => Date.now());
  const staticKeys = [...(opts.staticKeys ?? [])];
  const counters: FakeCodeCommitCounters = {
    requests: 0,
    unauthenticated: 0,
    forbidden: 0,
    authorized: 0,
    pushes: 0,
    fetches: 0,
    tunnels: 0,
  };
  const rejections: string[] = [];
  const authenticatedKeys: string[] = [];
  const knobs = { latencyMs: opts.latencyMs ?? 0 };

  function createRepo(name: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(name) || name === "." || name === "..") throw new Error(`bad repository name ${name}`);
    const dir = join(reposDir, name);
    if (!existsSync(join(dir, "HEAD"))) {
      const r = Bun.spawnSync(["git", "init", "--quiet", "--bare", "--initial-branch=main", dir], { stderr: "pipe", env: gitEnv() });
      if (r.exitCode !== 0) throw new Error(`git init failed: ${r.stderr.toString()}`);
    }
    return dir;
  }
  for (const r of opts.repos ?? []) createRepo(r);

  function forbid(reason: string): Response {
    counters.forbidden++;
    rejections.push(reason);
    // CodeCommit's 403 carries no challenge: git does not erase or re-ask on it (docs/protocols.md §4.2).
    return new Response("Forbidden\n", { status: 403 });
  }

  /** undefined when authorized, else the 401/403 answer. */
  function authenticate(req: Request, host: string, signedPath: string): Response | string {
    const auth = req.headers.get("authorization");
    if (!auth || !/^Basic /i.test(auth)) {
      counters.unauthenticated++;
      return new Response("Unauthorized\n", { status: 401, headers: { "WWW-Authenticate": 'Basic realm="AWS CodeCommit"' } });
    }
    const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return forbid("no password");
    // Basic auth carries the username raw: `AKID%TOKEN` with a literal % (curl decodes a URL's %25 first).
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const pct = username.indexOf("%");
    const akid = pct >= 0 ? username.slice(0, pct) : username;
    const token = pct >= 0 ? username.slice(pct + 1) : undefined;
    const m = /^(\d{8}T\d{6})Z([0-9a-f]{64})$/.exec(password);
    if (!m) return forbid("password is not <timestamp>Z<signature>");
    const [, ts, sig] = m;
    const at = parseTimestamp(ts!);
    if (at === undefined || Math.abs(now() - at) > SIGNATURE_WINDOW_MS)
      return forbid(`signature time ${ts} is outside the 15-minute window`);
    let secret: string | undefined;
    const issued = opts.identityCenter?.issued.get(akid);
    if (issued) {
      if (issued.sessionToken !== token) return forbid(`session token does not match the one issued with ${akid}`);
      if (issued.expiration <= now()) return forbid(`role credentials ${akid} have expired`);
      secret = issued.secretAccessKey;
    } else {
      const key = staticKeys.find((k) => k.accessKeyId === akid);
      if (!key) return forbid(`unknown access key ${akid}`);
      if ((key.sessionToken ?? undefined) !== token) return forbid(`session token mismatch for ${akid}`);
      secret = key.secretAccessKey;
    }
    const region = regionOfHost(host, opts.hostRegions ?? {});
    if (!region) return forbid(`no region for host ${host}`);
    if (expectedSignature(secret, ts!, region, host, signedPath) !== sig)
      return forbid(`signature mismatch for ${akid} on ${host}${signedPath} in ${region}`);
    authenticatedKeys.push(akid);
    return akid;
  }

  async function handle(req: Request): Promise<Response> {
    counters.requests++;
    const url = new URL(req.url);
    const host = (req.headers.get("host") ?? url.host).replace(/:\d+$/, "").toLowerCase();
    const m = /^\/v1\/repos\/([A-Za-z0-9._-]+)(\/.*)?$/.exec(url.pathname);
    if (!m) return new Response("Not Found\n", { status: 404 });
    const repo = m[1]!;
    // CodeCommit signs the repository URL git was given (git's `path` = v1/repos/<name>), not the
    // smart-HTTP sub-path of each request.
    const auth = authenticate(req, host, `/v1/repos/${repo}`);
    if (auth instanceof Response) return auth;
    counters.authorized++;
    if (!existsSync(join(reposDir, repo, "HEAD"))) return new Response("Repository not found\n", { status: 404 });
    const rest = m[2] ?? "/";
    if (req.method === "POST" && rest.endsWith("/git-receive-pack")) counters.pushes++;
    if (req.method === "POST" && rest.endsWith("/git-upload-pack")) counters.fetches++;
    if (knobs.latencyMs > 0) await Bun.sleep(knobs.latencyMs);
    return cgi(req, repo, rest, url, auth);
  }

  function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: reposDir,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      ...extra,
    };
  }

  async function cgi(req: Request, repo: string, rest: string, url: URL, user: string): Promise<Response> {
    const body = req.method === "POST" ? new Uint8Array(await req.arrayBuffer()) : undefined;
    const env = gitEnv({
      GIT_PROJECT_ROOT: reposDir,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: `/${repo}${rest}`,
      REQUEST_METHOD: req.method,
      QUERY_STRING: url.search.replace(/^\?/, ""),
      CONTENT_TYPE: req.headers.get("content-type") ?? "",
      REMOTE_USER: user,
      REMOTE_ADDR: "127.0.0.1",
      SERVER_PROTOCOL: "HTTP/1.1",
      GATEWAY_INTERFACE: "CGI/1.1",
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.receivepack",
      GIT_CONFIG_VALUE_0: "true",
    });
    // Bun hands over the body de-chunked; http-backend inflates gzip itself when told.
    if (body) env.CONTENT_LENGTH = String(body.byteLength);
    const enc = req.headers.get("content-encoding");
    if (enc) env.HTTP_CONTENT_ENCODING = enc;
    const proto = req.headers.get("git-protocol");
    if (proto) env.GIT_PROTOCOL = proto;
    const proc = Bun.spawn(["git", "http-backend"], { env, stdin: body ?? "ignore", stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).arrayBuffer(), new Response(proc.stderr).text(), proc.exited]);
    const buf = Buffer.from(out);
    let sep = buf.indexOf("\r\n\r\n");
    let sepLen = 4;
    if (sep < 0) {
      sep = buf.indexOf("\n\n");
      sepLen = 2;
    }
    if (sep < 0) return new Response(`http-backend failed (${code}): ${err}`, { status: 500 });
    const headers = new Headers();
    let status = 200;
    for (const line of buf.subarray(0, sep).toString("latin1").split(/\r?\n/)) {
      const i = line.indexOf(":");
      if (i < 0) continue;
      const k = line.slice(0, i).trim();
      const v = line.slice(i + 1).trim();
      if (k.toLowerCase() === "status") status = Number.parseInt(v, 10);
      else headers.append(k, v);
    }
    return new Response(buf.subarray(sep + sepLen), { status, headers });
  }

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    tls: { cert: certs.cert, key: certs.key },
    fetch: handle,
  });
  const tlsPort = server.port!;

  // HTTP CONNECT proxy: every tunnel goes to the TLS server whatever host was asked for.
  const sockets = new Set<Socket>();
  const proxy: TcpServer = createTcpServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        if (head.length > 16384) client.destroy();
        return;
      }
      client.off("data", onData);
      const first = head.subarray(0, head.indexOf("\r\n")).toString("latin1");
      if (!/^CONNECT \S+ HTTP\/1\.[01]$/.test(first)) {
        client.end("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      counters.tunnels++;
      const upstream = tcpConnect(tlsPort, "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection established\r\n\r\n");
        const restBytes = head.subarray(end + 4);
        if (restBytes.length > 0) upstream.write(restBytes);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      sockets.add(upstream);
      upstream.on("close", () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
    };
    client.on("data", onData);
  });
  proxy.listen(0, "127.0.0.1");
  const proxyPort = (proxy.address() as { port: number } | null)?.port;
  if (!proxyPort) throw new Error("CONNECT proxy did not start");

  return {
    port: tlsPort,
    proxyUrl: `http://127.0.0.1:${proxyPort}`,
    caFile: certs.caFile,
    reposDir,
    hostNames,
    counters,
    rejections,
    authenticatedKeys,
    staticKeys,
    knobs,
    createRepo,
    resolveArgs: (host) => ["-c", `http.curloptResolve=${host}:${tlsPort}:127.0.0.1`],
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => proxy.close(() => r()));
      await server.stop(true);
      rmSync(certs.dir, { recursive: true, force: true });
      if (!opts.reposDir) rmSync(reposDir, { recursive: true, force: true });
    },
  };
}
