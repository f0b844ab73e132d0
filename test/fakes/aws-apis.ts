// A working stand-in for the two SigV4-signed AWS APIs ccsso calls besides IAM Identity Center:
// STS GetCallerIdentity and AssumeRole (awsQuery: form POST, XML answer; botocore data/sts/2011-06-15) and CodeCommit
// ListRepositories/GetRepository (JSON 1.1, X-Amz-Target CodeCommit_20150413.*; data/codecommit/2015-04-13).
//
// Every request's Authorization header is verified here with our own SigV4 implementation (AWS
// "Signature Version 4 signing process": canonical request → string to sign → derived key), against the
// secret of role credentials the identity-center stand-in issued (`issued`) or configured static keys.
// A wrong signature answers 403 SignatureDoesNotMatch, an unknown key 403 InvalidClientTokenId /
// UnrecognizedClientException, and a session token that does not belong to the key is refused too.
//
// `handle(req)` answers a request that is ours and returns undefined otherwise, so the sandbox server
// can mount it next to the other stand-ins; `start()` serves it alone on loopback.
import type { IssuedRoleCredentials } from "./identity-center";
import { createHash, createHmac, randomUUID } from "node:crypto";

export interface FakeStaticKey {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  /** IAM user name for the caller ARN. Default "developer". */
  userName?: string;
}

export interface FakeRepository {
  name: string;
  /** Visible only to callers in this account; all accounts when omitted. */
  accountId?: string;
  /** Visible only in this region; every region when omitted. */
  region?: string;
  description?: string;
  defaultBranch?: string;
}

/** The identity center stand-in's issued role credentials (the only type taken from it: no runtime import). */
export type IssuedCredentialsLike = IssuedRoleCredentials;

export interface FakeAwsApisOptions {
  /** Role credentials handed out by createFakeIdentityCenter (its `issued` map, shared live). */
  issued?: Map<string, IssuedCredentialsLike>;
  staticKeys?: FakeStaticKey[];
  repositories?: FakeRepository[];
  /** ListRepositories page size; small values exercise paging. Default 1000 like CodeCommit. */
  pageSize?: number;
  /** Clock for expiry checks (epoch ms). Default Date.now. */
  now?: () => number;
  /**
   * Roles AssumeRole hands out. Undefined: any well-formed role ARN, no conditions. A role may require an
   * ExternalId, or an MFA device and the code it shows.
   */
  roles?: FakeRole[];
}

export interface FakeRole {
  arn: string;
  externalId?: string;
  mfa?: { serial: string; code: string };
  /** The role's MaxSessionDuration (seconds). Default 3600, as IAM's. */
  maxSessionDuration?: number;
}

export interface FakeAwsApiCall {
  service: "sts" | "codecommit";
  operation: string;
  accessKeyId?: string;
  region?: string;
  status: number;
  awsType?: string;
  /** The caller's User-Agent, to check how clients name themselves. */
  userAgent?: string;
}

export interface FakeAwsApis {
  /** Credentials issued by AssumeRole (and, when shared, the identity center's): access key → credentials. */
  issued: Map<string, IssuedCredentialsLike>;
  /** Answer the request if it is an STS or CodeCommit API call; undefined lets another stand-in try. */
  handle(req: Request): Promise<Response | undefined>;
  calls: FakeAwsApiCall[];
  /** Console sign-in tokens the federation stand-in handed out: token → what it was minted for. */
  signinTokens: Map<string, FakeSigninToken>;
  repositories: FakeRepository[];
  staticKeys: FakeStaticKey[];
  /** Serve alone on 127.0.0.1 (port 0 = any); returns the base URL and a stop function. */
  start(opts?: { port?: number }): { url: string; stop(): void };
}

/** What one sign-in token from the federation stand-in stands for. */
export interface FakeSigninToken {
  accessKeyId: string;
  accountId: string;
  roleName: string;
  sessionDuration?: number;
  /** Set once the token has signed a browser in (a token works once). */
  used?: boolean;
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const sha256Hex = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

/** RFC 3986 unreserved characters stay; everything else %XX (SigV4 canonical encoding). */
function uriEncode(s: string, keepSlash: boolean): string {
  let out = "";
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === "/")) out += c;
    else out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(header: string | null): ParsedAuthorization {
  const m =
    header &&
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      header,
    );
  if (!m)
    throw new ApiError(
      "IncompleteSignature",
      "Authorization header requires a valid AWS4-HMAC-SHA256 Credential, SignedHeaders and Signature.",
      400,
    );
  return { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]!, signedHeaders: m[5]!.split(";"), signature: m[6]! };
}

/** The signature a correct client computes for this request with `secret` (SigV4, header auth). */
export function expectedSignature(
  req: { method: string; url: URL; headers: Headers; body: Uint8Array },
  auth: ParsedAuthorization,
  secret: string,
): string {
  const amzDate = req.headers.get("x-amz-date") ?? "";
  const path = req.url.pathname
    .split("/")
    .map((seg) => uriEncode(decodeURIComponent(seg), false))
    .join("/");
  const query = [...req.url.searchParams]
    .map(([k, v]) => [uriEncode(k, false), uriEncode(v, false)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonicalHeaders = auth.signedHeaders
    .map((h) => `${h}:${(h === "host" ? req.url.host : (req.headers.get(h) ?? "")).trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const payloadHash = req.headers.get("x-amz-content-sha256") ?? sha256Hex(req.body);
  const canonicalRequest = [req.method, path, query, canonicalHeaders, auth.signedHeaders.join(";"), payloadHash].join("\n");
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const kDate = hmac("AWS4" + secret, auth.date);
  const kRegion = hmac(kDate, auth.region);
  const kService = hmac(kRegion, auth.service);
  const kSigning = hmac(kService, "aws4_request");
  return createHmac("sha256", kSigning).update(stringToSign).digest("hex");
}

const roleId = (roleName: string) => `AROA${sha256Hex(roleName).slice(0, 17).toUpperCase()}`;

interface Caller {
  accessKeyId: string;
  accountId: string;
  arn: string;
  userId: string;
}

export function createFakeAwsApis(opts: FakeAwsApisOptions = {}): FakeAwsApis {
  const now = opts.now ?? Date.now;
  const staticKeys = opts.staticKeys ?? [];
  const repositories = opts.repositories ?? [
    { name: "demo", description: "The sandbox repository" },
    { name: "infrastructure" },
    { name: "website" },
  ];
  const pageSize = opts.pageSize ?? 1000;
  const calls: FakeAwsApiCall[] = [];
  const signinTokens = new Map<string, FakeSigninToken>();
  const assumedWithLongTermKeys = new Set<string>();
  const issued: Map<string, IssuedCredentialsLike> = opts.issued ?? new Map();
  const randomText = (n: number, alphabet: string) =>
    Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => alphabet[b % alphabet.length]).join("");

  /** Who signed this request, after checking the signature and session token. */
  function authenticate(
    req: { method: string; url: URL; headers: Headers; body: Uint8Array },
    service: "sts" | "codecommit",
  ): { caller: Caller; region: string } {
    const auth = parseAuthorization(req.headers.get("authorization"));
    const unknownKey = service === "sts" ? "InvalidClientTokenId" : "UnrecognizedClientException";
    if (auth.service !== service)
      throw new ApiError("SignatureDoesNotMatch", `Credential should be scoped to correct service: '${service}'.`, 403);
    if (!req.headers.get("x-amz-date")?.startsWith(auth.date))
      throw new ApiError(
        "SignatureDoesNotMatch",
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP",
        403,
      );
    if (!auth.signedHeaders.includes("host")) throw new ApiError("SignatureDoesNotMatch", "'Host' must be a signed header", 403);
    const issuedKey = issued.get(auth.accessKeyId);
    const staticKey = staticKeys.find((k) => k.accessKeyId === auth.accessKeyId);
    let secret: string;
    let caller: Caller;
    const token = req.headers.get("x-amz-security-token");
    if (issuedKey) {
      if (token !== issuedKey.sessionToken) throw new ApiError(unknownKey, "The security token included in the request is invalid.", 403);
      if (issuedKey.expiration <= now())
        throw new ApiError("ExpiredTokenException", "The security token included in the request is expired", 403);
      secret = issuedKey.secretAccessKey;
      const session = issuedKey.roleSessionName ?? "developer@example.com";
      // Portal credentials are the reserved SSO role; AssumeRole's are the role itself.
      const role = issuedKey.roleSessionName ? issuedKey.roleName : `AWSReservedSSO_${issuedKey.roleName}_0123456789abcdef`;
      caller = {
        accessKeyId: issuedKey.accessKeyId,
        accountId: issuedKey.accountId,
        arn: `arn:aws:sts::${issuedKey.accountId}:assumed-role/${role}/${session}`,
        userId: `${roleId(issuedKey.roleName)}:${session}`,
      };
    } else if (staticKey) {
      if (token) throw new ApiError(unknownKey, "The security token included in the request is invalid.", 403);
      secret = staticKey.secretAccessKey;
      caller = {
        accessKeyId: staticKey.accessKeyId,
        accountId: staticKey.accountId,
        arn: `arn:aws:iam::${staticKey.accountId}:user/${staticKey.userName ?? "developer"}`,
        userId: `AIDA${sha256Hex(staticKey.accessKeyId).slice(0, 17).toUpperCase()}`,
      };
    } else {
      throw new ApiError(unknownKey, "The security token included in the request is invalid.", 403);
    }
    if (expectedSignature(req, auth, secret) !== auth.signature) {
      throw new ApiError("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.", 403);
    }
    return { caller, region: auth.region };
  }

  /** STS AssumeRole: the checks IAM makes that a client can get wrong, then fresh credentials in `issued`. */
  function assumeRole(form: URLSearchParams, caller: Caller, requestId: string): string {
    const arn = form.get("RoleArn") ?? "";
    const sessionName = form.get("RoleSessionName") ?? "";
    const m = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/.exec(arn);
    if (!m) throw new ApiError("ValidationError", `${arn} is invalid`, 400);
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      throw new ApiError(
        "ValidationError",
        "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        400,
      );
    }
    const role = opts.roles ? opts.roles.find((r) => r.arn === arn) : { arn };
    const denied = () =>
      new ApiError("AccessDenied", `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`, 403);
    if (!role) throw denied();
    if (role.externalId !== undefined && form.get("ExternalId") !== role.externalId) throw denied();
    if (role.mfa) {
      const serial = form.get("SerialNumber");
      const code = form.get("TokenCode");
      if (serial !== role.mfa.serial || code === null) throw denied();
      if (code !== role.mfa.code)
        throw new ApiError("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ", 403);
    }
    const max = role.maxSessionDuration ?? 3600;
    const duration = form.has("DurationSeconds") ? Number(form.get("DurationSeconds")) : 3600;
    if (!Number.isInteger(duration) || duration < 900) {
      throw new ApiError(
        "ValidationError",
        "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
        400,
      );
    }
    if (duration > max) {
      throw new ApiError("ValidationError", `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`, 400);
    }
    const accountId = m[1]!;
    const roleName = m[2]!;
    const creds: IssuedCredentialsLike = {
      accessKeyId: `ASIA${randomText(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`,
      secretAccessKey: randomText(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
      sessionToken: `FwoGZXIvYXdzE${randomText(200, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")}`,
      // STS expiry is to the second.
      expiration: Math.floor(now() / 1000) * 1000 + duration * 1000,
      accountId,
      roleName,
      roleSessionName: sessionName,
    };
    // AssumeRole called with an IAM user's long-lived keys: the one case whose console session may be
    // given a SessionDuration (anything else is role chaining, or Identity Center's own role credentials).
    if (!issued.has(caller.accessKeyId)) assumedWithLongTermKeys.add(creds.accessKeyId);
    issued.set(creds.accessKeyId, creds);
    const expiration = new Date(creds.expiration).toISOString().replace(/\.\d{3}Z$/, "Z");
    return (
      `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <AssumeRoleResult>\n    <AssumedRoleUser>\n` +
      `      <AssumedRoleId>${roleId(roleName)}:${sessionName}</AssumedRoleId>\n` +
      `      <Arn>arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}</Arn>\n    </AssumedRoleUser>\n` +
      `    <Credentials>\n      <AccessKeyId>${creds.accessKeyId}</AccessKeyId>\n      <SecretAccessKey>${creds.secretAccessKey}</SecretAccessKey>\n` +
      `      <SessionToken>${creds.sessionToken}</SessionToken>\n      <Expiration>${expiration}</Expiration>\n    </Credentials>\n` +
      `  </AssumeRoleResult>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</AssumeRoleResponse>\n`
    );
  }

  function stsError(e: ApiError, requestId: string): Response {
    const xml =
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n` +
      `    <Code>${e.type}</Code>\n    <Message>${e.message.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</Message>\n  </Error>\n` +
      `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
    return new Response(xml, { status: e.status, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId } });
  }

  function jsonError(e: ApiError, requestId: string): Response {
    return new Response(JSON.stringify({ __type: e.type, message: e.message }), {
      status: e.status,
      headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId, "x-amzn-errortype": e.type },
    });
  }

  function visibleRepos(caller: Caller, region: string): FakeRepository[] {
    return repositories.filter((r) => (!r.accountId || r.accountId === caller.accountId) && (!r.region || r.region === region));
  }

  const repositoryId = (r: FakeRepository) => {
    const h = sha256Hex(r.name);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  };

  /**
   * The console federation endpoint (IAM guide "Enable custom identity broker access to the AWS
   * console"): getSigninToken takes the session JSON and answers {"SigninToken"} only for temporary
   * credentials this sandbox issued, whole and unexpired; SessionDuration (900–43200 s) only for
   * credentials from AssumeRole called with long-lived keys, as the IAM guide says. `login` spends a token and
   * redirects to Destination; `/oauth?Action=logout` redirects to redirect_uri, as the console does.
   */
  async function federation(raw: Request, url: URL): Promise<Response | undefined> {
    if (url.pathname === "/oauth" && raw.method === "GET" && url.searchParams.get("Action") === "logout") {
      const to = url.searchParams.get("redirect_uri");
      return to ? new Response(null, { status: 302, headers: { location: to } }) : new Response("redirect_uri missing", { status: 400 });
    }
    if (url.pathname !== "/federation") return undefined;
    const params = raw.method === "POST" ? new URLSearchParams(await raw.text()) : url.searchParams;
    const action = params.get("Action");
    if (action === "login" && raw.method === "GET") {
      const t = signinTokens.get(params.get("SigninToken") ?? "");
      const destination = params.get("Destination") ?? "";
      if (!t || t.used || !/^https:\/\//.test(destination) || !params.get("Issuer"))
        return new Response("Invalid sign-in request", { status: 400 });
      t.used = true;
      return new Response(null, { status: 302, headers: { location: destination } });
    }
    if (action !== "getSigninToken") return new Response("unknown Action", { status: 400 });
    let session: Record<string, unknown>;
    try {
      session = JSON.parse(params.get("Session") ?? "") as Record<string, unknown>;
    } catch {
      return new Response("Session is not JSON", { status: 400 });
    }
    const keys = Object.keys(session).sort().join(",");
    const creds = typeof session.sessionId === "string" ? issued.get(session.sessionId) : undefined;
    if (
      keys !== "sessionId,sessionKey,sessionToken" ||
      !creds ||
      creds.secretAccessKey !== session.sessionKey ||
      creds.sessionToken !== session.sessionToken
    ) {
      return new Response("", { status: 400 });
    }
    if (creds.expiration <= now()) return new Response("", { status: 403 });
    const durationText = params.get("SessionDuration");
    let sessionDuration: number | undefined;
    if (durationText !== null) {
      sessionDuration = Number(durationText);
      if (
        !Number.isInteger(sessionDuration) ||
        sessionDuration < 900 ||
        sessionDuration > 43200 ||
        !assumedWithLongTermKeys.has(creds.accessKeyId)
      )
        return new Response("", { status: 400 });
    }
    const token = `fake-signin-${randomUUID()}-${randomUUID()}`;
    signinTokens.set(token, { accessKeyId: creds.accessKeyId, accountId: creds.accountId, roleName: creds.roleName, sessionDuration });
    return Response.json({ SigninToken: token });
  }

  async function handle(raw: Request): Promise<Response | undefined> {
    const url = new URL(raw.url);
    const fed = await federation(raw, url);
    if (fed) return fed;
    if (raw.method !== "POST") return undefined;
    const target = raw.headers.get("x-amz-target");
    const contentType = raw.headers.get("content-type") ?? "";
    const isCodeCommit = target?.startsWith("CodeCommit_20150413.") ?? false;
    const isSts = !target && contentType.startsWith("application/x-www-form-urlencoded");
    if (!isCodeCommit && !isSts) return undefined;
    const body = new Uint8Array(await raw.arrayBuffer());
    const req = { method: raw.method, url, headers: raw.headers, body };
    const requestId = randomUUID();
    if (isSts) {
      const form = new URLSearchParams(new TextDecoder().decode(body));
      const operation = form.get("Action") ?? "";
      try {
        if ((operation !== "GetCallerIdentity" && operation !== "AssumeRole") || form.get("Version") !== "2011-06-15") {
          throw new ApiError("InvalidAction", `Could not find operation ${operation} for version ${form.get("Version")}`, 400);
        }
        const { caller, region } = authenticate(req, "sts");
        const userAgent = raw.headers.get("user-agent") ?? undefined;
        if (operation === "AssumeRole") {
          const xml = assumeRole(form, caller, requestId);
          calls.push({ service: "sts", operation, accessKeyId: caller.accessKeyId, region, status: 200, userAgent });
          return new Response(xml, { status: 200, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId } });
        }
        calls.push({ service: "sts", operation, accessKeyId: caller.accessKeyId, region, status: 200, userAgent });
        const xml =
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <GetCallerIdentityResult>\n` +
          `    <Arn>${caller.arn}</Arn>\n    <UserId>${caller.userId}</UserId>\n    <Account>${caller.accountId}</Account>\n` +
          `  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n`;
        return new Response(xml, { status: 200, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId } });
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError("InternalFailure", String(e), 500);
        calls.push({ service: "sts", operation, status: err.status, awsType: err.type });
        return stsError(err, requestId);
      }
    }
    const operation = target!.slice("CodeCommit_20150413.".length);
    try {
      if (!contentType.startsWith("application/x-amz-json-1.1"))
        throw new ApiError("SerializationException", "Expected application/x-amz-json-1.1", 400);
      const input = JSON.parse(new TextDecoder().decode(body) || "{}") as Record<string, unknown>;
      const { caller, region } = authenticate(req, "codecommit");
      let out: unknown;
      if (operation === "ListRepositories") {
        const all = visibleRepos(caller, region).sort((a, b) => a.name.localeCompare(b.name));
        const start = input.nextToken === undefined ? 0 : Number(/^page-(\d+)$/.exec(String(input.nextToken))?.[1] ?? NaN);
        if (!Number.isInteger(start))
          throw new ApiError("InvalidContinuationTokenException", "The specified continuation token is not valid.", 400);
        const page = all.slice(start, start + pageSize);
        out = {
          repositories: page.map((r) => ({ repositoryName: r.name, repositoryId: repositoryId(r) })),
          ...(start + pageSize < all.length ? { nextToken: `page-${start + pageSize}` } : {}),
        };
      } else if (operation === "GetRepository") {
        const name = input.repositoryName;
        if (typeof name !== "string" || name === "")
          throw new ApiError("RepositoryNameRequiredException", "A repository name is required, but was not specified.", 400);
        const repo = visibleRepos(caller, region).find((r) => r.name === name);
        if (!repo) throw new ApiError("RepositoryDoesNotExistException", `${name} does not exist`, 400);
        const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        out = {
          repositoryMetadata: {
            accountId: caller.accountId,
            repositoryId: repositoryId(repo),
            repositoryName: repo.name,
            ...(repo.description ? { repositoryDescription: repo.description } : {}),
            defaultBranch: repo.defaultBranch ?? "main",
            lastModifiedDate: 1767323045.123,
            creationDate: 1767323045.123,
            cloneUrlHttp: `https://git-codecommit.${region}.${suffix}/v1/repos/${repo.name}`,
            cloneUrlSsh: `ssh://git-codecommit.${region}.${suffix}/v1/repos/${repo.name}`,
            Arn: `arn:aws:codecommit:${region}:${caller.accountId}:${repo.name}`,
          },
        };
      } else {
        throw new ApiError("UnknownOperationException", `Unknown operation ${operation}`, 400);
      }
      calls.push({ service: "codecommit", operation, accessKeyId: caller.accessKeyId, region, status: 200 });
      return new Response(JSON.stringify(out), {
        status: 200,
        headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId },
      });
    } catch (e) {
      const err =
        e instanceof ApiError
          ? e
          : e instanceof SyntaxError
            ? new ApiError("SerializationException", e.message, 400)
            : new ApiError("InternalFailure", String(e), 500);
      calls.push({ service: "codecommit", operation, status: err.status, awsType: err.type });
      return jsonError(err, requestId);
    }
  }

  return {
    handle,
    issued,
    calls,
    signinTokens,
    repositories,
    staticKeys,
    start(startOpts = {}) {
      const server = Bun.serve({
        hostname: "127.0.0.1",
        port: startOpts.port ?? 0,
        fetch: async (req) => (await handle(req)) ?? new Response("not an STS or CodeCommit API call", { status: 404 }),
      });
      return { url: server.url.origin, stop: () => server.stop(true) };
    },
  };
}
