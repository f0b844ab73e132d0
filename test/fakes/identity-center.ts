// A working, in-memory IAM Identity Center for tests, e2e and `make demo`: the OIDC service
// (sso-oidc 2019-06-10) and the access portal (sso 2019-06-10) on one loopback server, plus the two
// browser pages a person would use (`/authorize` for PKCE, `/device` for the device code).
//
// The wire format follows botocore's service models (data/sso-oidc, data/sso) and
// docs/protocols.md §3.1: rest-json, unsigned, OAuth `error`/`error_description` bodies for OIDC
// errors, `message` + `__type` for portal errors, `x-amzn-ErrorType` and `x-amzn-RequestId` on every
// answer, epoch seconds for clientIdIssuedAt/clientSecretExpiresAt and epoch MILLISECONDS for
// roleCredentials.expiration. Real clients (botocore, the AWS SDK for JS) are the oracles that prove it:
// test/interop/identity-center-botocore.test.ts, test/wire/identity-center-sdk.test.ts.
//
// Run standalone: `bun test/fakes/identity-center.ts ['{"accounts":3}']` prints one JSON line
// `{"url":…}` and serves until killed. A separate process steers it through `/__fake/*` (see below).

import { createHash, randomBytes, randomUUID } from "node:crypto";

export type OidcOperation = "RegisterClient" | "StartDeviceAuthorization" | "CreateToken";
export type PortalOperation = "GetRoleCredentials" | "ListAccounts" | "ListAccountRoles" | "Logout";
/** The browser pages are counted too, so a test can assert that "the person" was (or was not) involved. */
export type PageOperation = "Authorize" | "DeviceVerification";
export type Operation = OidcOperation | PortalOperation | PageOperation;

export interface FakeAccount {
  accountId: string;
  accountName: string;
  emailAddress: string;
  roles: string[];
}

export interface ForcedError {
  /** Bare exception name, e.g. "InternalServerException", "TooManyRequestsException". */
  type: string;
  /** Defaults to the model's status for the type (500, 429, 401, ... else 400). */
  status?: number;
  message?: string;
  /** How many calls fail before the operation works again (default 1). */
  times?: number;
}

/** Everything a test may change while the server runs (`fake.knobs.x = …`). */
export interface FakeIdentityCenterKnobs {
  /** Accounts with their permission sets, as ListAccounts/ListAccountRoles return them. */
  accounts: FakeAccount[];
  /** Delay before every answer, or per operation (real sleeping: only for tests of timeouts). */
  latencyMs: number | Partial<Record<Operation, number>>;
  /** `/authorize` and `/device` approve on a plain GET (the person clicks "Allow" at once). */
  autoApprove: boolean;
  /** The person clicks "Deny": `/authorize` redirects with `error=access_denied`, device codes answer AccessDeniedException. */
  deny: boolean;
  /** CreateToken(device_code) answers SlowDownException this many more times (across device codes). */
  slowDown: number;
  /** After approval, CreateToken(device_code) still answers AuthorizationPendingException this many times per device code. */
  pendingPolls: number;
  /** CreateToken expiresIn, seconds. */
  accessTokenTtlSec: number;
  /** Whether CreateToken returns a refreshToken (and so whether refresh_token grants can work). */
  refreshTokens: boolean;
  /** GetRoleCredentials lifetime, seconds. */
  roleCredentialsTtlSec: number;
  /** clientSecretExpiresAt - clientIdIssuedAt, seconds. */
  registrationTtlSec: number;
  /** StartDeviceAuthorization expiresIn, seconds. */
  deviceCodeTtlSec: number;
  /** StartDeviceAuthorization interval, seconds. */
  deviceInterval: number;
  /** Page size when the request has no max_result. */
  defaultPageSize: number;
  /** The clock every expiry is computed against (epoch ms). Replace it to age tokens without sleeping. */
  now: () => number;
  /** A hostile endpoint: StartDeviceAuthorization answers these fields instead of its own (security tests). */
  deviceAuthorizationOverrides: Partial<Record<"userCode" | "verificationUri" | "verificationUriComplete", string>>;
}

export interface FakeIdentityCenterOptions extends Partial<FakeIdentityCenterKnobs> {
  /** Number of generated accounts (ignored when `accounts` is given). Default 2. */
  accountCount?: number;
  /** Role names for generated accounts, or how many to generate. Default ["Developer", "ReadOnly"]. */
  rolesPerAccount?: number | string[];
  port?: number;
  hostname?: string;
  /** Serve HTTPS with this certificate (PEM strings); the URL then starts with https://. */
  tls?: { cert: string; key: string };
}

export interface IssuedRoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds, as on the wire. */
  expiration: number;
  accountId: string;
  roleName: string;
  /** Set for credentials from STS AssumeRole (test/fakes/aws-apis.ts): the session name in the caller's ARN. */
  roleSessionName?: string;
}

export interface LoggedRequest {
  operation: Operation | "Unknown" | "Control";
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON body (or raw text); secrets left in place — tests only. */
  body: unknown;
  status: number;
  awsType?: string;
  requestId: string;
}

export interface FakeIdentityCenter {
  url: string;
  port: number;
  knobs: FakeIdentityCenterKnobs;
  counters: Record<Operation, number>;
  log: LoggedRequest[];
  /** Role credentials handed out, by access key id (the CodeCommit stand-in checks session tokens here). */
  issued: Map<string, IssuedRoleCredentials>;
  /** The next `times` calls of `operation` fail with this error. */
  failNext(operation: OidcOperation | PortalOperation, error: ForcedError): void;
  /** Make an access token (or every token when omitted) answer 401 UnauthorizedException from the portal. */
  invalidate(accessToken?: string): void;
  /** Revoke a refresh token (or all): refresh_token grants then answer InvalidGrantException. */
  revokeRefreshTokens(refreshToken?: string): void;
  /** Approve a device code as the person would, without a browser. */
  approveDevice(userCode: string): void;
  /** Access tokens currently valid (not expired, invalidated or logged out). */
  liveAccessTokens(): string[];
  /** A signed-in session without the dance, for tests that start at the portal: a fresh device-flow
   *  registration and its token, exactly what CreateToken would have returned. */
  mintToken(): { clientId: string; clientSecret: string; accessToken: string; refreshToken?: string; expiresIn: number };
  close(): Promise<void>;
}

// docs/protocols.md §3.1: the model's httpStatusCode for each exception.
const errorStatus: Record<string, number> = {
  InternalServerException: 500,
  InvalidClientException: 401,
  UnauthorizedException: 401,
  ResourceNotFoundException: 404,
  TooManyRequestsException: 429,
  ForbiddenException: 403,
};

// The model documents the OAuth `error` value each OIDC exception carries.
const oauthError: Record<string, string> = {
  AccessDeniedException: "access_denied",
  AuthorizationPendingException: "authorization_pending",
  ExpiredTokenException: "expired_token",
  InternalServerException: "server_error",
  InvalidClientException: "invalid_client",
  InvalidClientMetadataException: "invalid_client_metadata",
  InvalidGrantException: "invalid_grant",
  InvalidRedirectUriException: "invalid_redirect_uri",
  InvalidRequestException: "invalid_request",
  InvalidRequestRegionException: "invalid_request",
  InvalidScopeException: "invalid_scope",
  SlowDownException: "slow_down",
  UnauthorizedClientException: "unauthorized_client",
  UnsupportedGrantTypeException: "unsupported_grant_type",
};

const oidcOps = new Set<string>(["RegisterClient", "StartDeviceAuthorization", "CreateToken"]);

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = errorStatus[type] ?? 400,
  ) {
    super(message);
  }
}

interface ClientRecord {
  clientId: string;
  clientSecret: string;
  clientName: string;
  expiresAtMs: number;
  grantTypes?: string[];
  redirectUris?: string[];
  scopes?: string[];
  issuerUrl?: string;
}

interface DeviceRecord {
  deviceCode: string;
  userCode: string;
  clientId: string;
  startUrl: string;
  expiresAtMs: number;
  approved: boolean;
  denied: boolean;
  pendingLeft: number;
  consumed: boolean;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  expiresAtMs: number;
  used: boolean;
  scopes: string[];
}

interface TokenRecord {
  clientId: string;
  expiresAtMs: number;
  revoked: boolean;
}

function makeAccounts(count: number, roles: number | string[]): FakeAccount[] {
  const roleNames = typeof roles === "number" ? Array.from({ length: roles }, (_, i) => `Role${i + 1}`) : roles;
  const names = ["dev", "prod", "staging", "sandbox", "shared", "audit", "logs", "network"];
  return Array.from({ length: count }, (_, i) => {
    const name = names[i] ?? `account-${i + 1}`;
    return {
      // 12 digits, stable and readable: 111111111111, 222222222222, … then 100000000010, …
      accountId: i < 9 ? String(i + 1).repeat(12) : String(100000000000 + i + 1),
      accountName: name,
      emailAddress: `aws+${name}@example.com`,
      roles: [...roleNames],
    };
  });
}

const token = (bytes: number) => randomBytes(bytes).toString("base64url");
const upperAlnum = (n: number) => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const b = randomBytes(n);
  return Array.from(b, (x) => alphabet[x % 32]).join("");
};

/** base64url(sha256(verifier)) without padding: RFC 7636 §4.2 S256. */
function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

/** RFC 8252 §7.3: a loopback redirect URI matches the registered one whatever its port. */
function redirectMatches(registered: string[] | undefined, requested: string): boolean {
  if (!registered) return false;
  let r: URL;
  try {
    r = new URL(requested);
  } catch {
    return false;
  }
  return registered.some((reg) => {
    try {
      const g = new URL(reg);
      return g.protocol === r.protocol && g.hostname === r.hostname && g.pathname === r.pathname && (g.port === "" || g.port === r.port);
    } catch {
      return false;
    }
  });
}

function html(title: string, body: string, status = 200): Response {
  return new Response(`<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>\n`, {
    status,
    headers: { "content-type": "text/html; charset=utf-8" },
  });
}

export function createFakeIdentityCenter(opts: FakeIdentityCenterOptions = {}): FakeIdentityCenter {
  const knobs: FakeIdentityCenterKnobs = {
    accounts: opts.accounts ?? makeAccounts(opts.accountCount ?? 2, opts.rolesPerAccount ?? ["Developer", "ReadOnly"]),
    latencyMs: opts.latencyMs ?? 0,
    autoApprove: opts.autoApprove ?? true,
    deny: opts.deny ?? false,
    slowDown: opts.slowDown ?? 0,
    pendingPolls: opts.pendingPolls ?? 0,
    // An hour with a refresh token: what sso-session logins get (docs/protocols.md §3.5).
    accessTokenTtlSec: opts.accessTokenTtlSec ?? 3600,
    refreshTokens: opts.refreshTokens ?? true,
    roleCredentialsTtlSec: opts.roleCredentialsTtlSec ?? 3600,
    // 90 days: the registration lifetime the AWS CLI caches.
    registrationTtlSec: opts.registrationTtlSec ?? 90 * 24 * 3600,
    // RFC 8628 device codes last 600 s at AWS (docs/protocols.md §3.3).
    deviceCodeTtlSec: opts.deviceCodeTtlSec ?? 600,
    deviceInterval: opts.deviceInterval ?? 1,
    defaultPageSize: opts.defaultPageSize ?? 20,
    now: opts.now ?? (() => Date.now()),
    deviceAuthorizationOverrides: opts.deviceAuthorizationOverrides ?? {},
  };

  const counters = Object.fromEntries(
    [
      "RegisterClient",
      "StartDeviceAuthorization",
      "CreateToken",
      "GetRoleCredentials",
      "ListAccounts",
      "ListAccountRoles",
      "Logout",
      "Authorize",
      "DeviceVerification",
    ].map((k) => [k, 0]),
  ) as Record<Operation, number>;
  const log: LoggedRequest[] = [];
  const issued = new Map<string, IssuedRoleCredentials>();
  const forced = new Map<string, ForcedError[]>();
  const clients = new Map<string, ClientRecord>();
  const devices = new Map<string, DeviceRecord>();
  const codes = new Map<string, CodeRecord>();
  const accessTokens = new Map<string, TokenRecord>();
  const refreshTokens = new Map<string, { clientId: string; revoked: boolean }>();

  const now = () => knobs.now();

  function latencyFor(op: Operation): number {
    const l = knobs.latencyMs;
    return typeof l === "number" ? l : (l[op] ?? 0);
  }

  function requireClient(clientId: unknown, clientSecret: unknown): ClientRecord {
    const c = typeof clientId === "string" ? clients.get(clientId) : undefined;
    if (!c || c.clientSecret !== clientSecret) throw new ServiceError("InvalidClientException", "Invalid client provided");
    if (c.expiresAtMs <= now()) throw new ServiceError("InvalidClientException", "Client credentials have expired");
    return c;
  }

  function requireString(body: Record<string, unknown>, key: string): string {
    const v = body[key];
    if (typeof v !== "string" || v === "") throw new ServiceError("InvalidRequestException", `Missing required parameter: ${key}`);
    return v;
  }

  function issueToken(clientId: string): Record<string, unknown> {
    const accessToken = `aoa${token(48)}`;
    accessTokens.set(accessToken, { clientId, expiresAtMs: now() + knobs.accessTokenTtlSec * 1000, revoked: false });
    const out: Record<string, unknown> = { accessToken, tokenType: "Bearer", expiresIn: knobs.accessTokenTtlSec };
    if (knobs.refreshTokens) {
      const refreshToken = `aor${token(48)}`;
      refreshTokens.set(refreshToken, { clientId, revoked: false });
      out.refreshToken = refreshToken;
    }
    return out;
  }

  function requireAccessToken(headers: Headers): string {
    const t = headers.get("x-amz-sso_bearer_token");
    const rec = t ? accessTokens.get(t) : undefined;
    if (!t || !rec || rec.revoked || rec.expiresAtMs <= now())
      throw new ServiceError("UnauthorizedException", "Session token not found or invalid");
    return t;
  }

  function pageOf<T>(items: T[], query: URLSearchParams): { page: T[]; nextToken?: string } {
    const max = query.get("max_result");
    let size = knobs.defaultPageSize;
    if (max !== null) {
      size = Number(max);
      // MaxResultType: integer, min 1, max 100.
      if (!Number.isInteger(size) || size < 1 || size > 100)
        throw new ServiceError("InvalidRequestException", "max_result must be between 1 and 100");
    }
    let start = 0;
    const next = query.get("next_token");
    if (next !== null) {
      const m = /^page-(\d+)$/.exec(Buffer.from(next, "base64url").toString());
      if (!m) throw new ServiceError("InvalidRequestException", "Invalid next token");
      start = Number(m[1]);
    }
    const page = items.slice(start, start + size);
    const end = start + size;
    return end < items.length ? { page, nextToken: Buffer.from(`page-${end}`).toString("base64url") } : { page };
  }

  // --- OIDC -----------------------------------------------------------------------------------------

  function registerClient(body: Record<string, unknown>): Record<string, unknown> {
    const clientName = requireString(body, "clientName");
    const clientType = requireString(body, "clientType");
    if (clientType !== "public") throw new ServiceError("InvalidClientMetadataException", "Invalid client type");
    const grantTypes = body.grantTypes as string[] | undefined;
    const redirectUris = body.redirectUris as string[] | undefined;
    const scopes = body.scopes as string[] | undefined;
    if (grantTypes) {
      for (const g of grantTypes) {
        if (g !== "authorization_code" && g !== "refresh_token" && g !== DEVICE_GRANT)
          throw new ServiceError("UnsupportedGrantTypeException", `Unsupported grant type: ${g}`);
      }
      if (grantTypes.includes("authorization_code")) {
        if (!redirectUris?.length) throw new ServiceError("InvalidRequestException", "redirectUris is required for authorization_code");
        if (typeof body.issuerUrl !== "string")
          throw new ServiceError("InvalidRequestException", "issuerUrl is required for authorization_code");
      }
    }
    for (const u of redirectUris ?? []) {
      // Public clients may only redirect to the loopback interface (RFC 8252 §7.3).
      let parsed: URL | undefined;
      try {
        parsed = new URL(u);
      } catch {}
      if (parsed?.protocol !== "http:" || !["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname)) {
        throw new ServiceError("InvalidRedirectUriException", `Invalid redirect URI: ${u}`);
      }
    }
    for (const s of scopes ?? []) {
      if (!/^[\w-]+(:[\w*-]+)+$/.test(s)) throw new ServiceError("InvalidScopeException", `Invalid scope: ${s}`);
    }
    const issuedAt = Math.floor(now() / 1000);
    const client: ClientRecord = {
      clientId: `cid${token(24)}`,
      clientSecret: `cse${token(96)}`,
      clientName,
      expiresAtMs: (issuedAt + knobs.registrationTtlSec) * 1000,
    };
    if (grantTypes) client.grantTypes = grantTypes;
    if (redirectUris) client.redirectUris = redirectUris;
    if (scopes) client.scopes = scopes;
    if (typeof body.issuerUrl === "string") client.issuerUrl = body.issuerUrl;
    clients.set(client.clientId, client);
    // LongTimeStampType: epoch seconds.
    return {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      clientIdIssuedAt: issuedAt,
      clientSecretExpiresAt: issuedAt + knobs.registrationTtlSec,
    };
  }

  function startDeviceAuthorization(body: Record<string, unknown>): Record<string, unknown> {
    const client = requireClient(body.clientId, body.clientSecret);
    const startUrl = requireString(body, "startUrl");
    if (client.grantTypes && !client.grantTypes.includes(DEVICE_GRANT)) {
      throw new ServiceError("UnauthorizedClientException", "Client is not authorized for the device code grant");
    }
    const rec: DeviceRecord = {
      deviceCode: `dc${token(48)}`,
      userCode: `${upperAlnum(4)}-${upperAlnum(4)}`,
      clientId: client.clientId,
      startUrl,
      expiresAtMs: now() + knobs.deviceCodeTtlSec * 1000,
      approved: false,
      denied: false,
      pendingLeft: knobs.pendingPolls,
      consumed: false,
    };
    devices.set(rec.deviceCode, rec);
    return {
      deviceCode: rec.deviceCode,
      userCode: rec.userCode,
      verificationUri: `${server.url.origin}/device`,
      verificationUriComplete: `${server.url.origin}/device?user_code=${rec.userCode}`,
      expiresIn: knobs.deviceCodeTtlSec,
      interval: knobs.deviceInterval,
      ...knobs.deviceAuthorizationOverrides,
    };
  }

  function createToken(body: Record<string, unknown>): Record<string, unknown> {
    const client = requireClient(body.clientId, body.clientSecret);
    const grantType = requireString(body, "grantType");
    // A registration without grantTypes is a device-flow client (docs/protocols.md §2.4).
    const allowed = client.grantTypes ?? [DEVICE_GRANT, "refresh_token"];
    if (grantType !== DEVICE_GRANT && grantType !== "authorization_code" && grantType !== "refresh_token") {
      throw new ServiceError("UnsupportedGrantTypeException", `Unsupported grant type: ${grantType}`);
    }
    if (!allowed.includes(grantType))
      throw new ServiceError("UnauthorizedClientException", `Client is not authorized for grant type ${grantType}`);

    if (grantType === DEVICE_GRANT) {
      const deviceCode = requireString(body, "deviceCode");
      const rec = devices.get(deviceCode);
      if (!rec || rec.clientId !== client.clientId || rec.consumed)
        throw new ServiceError("InvalidGrantException", "Invalid device code provided");
      if (rec.expiresAtMs <= now()) throw new ServiceError("ExpiredTokenException", "Device code has expired");
      if (knobs.slowDown > 0) {
        knobs.slowDown--;
        throw new ServiceError("SlowDownException", "Client is polling too quickly");
      }
      if (rec.denied) throw new ServiceError("AccessDeniedException", "Authorization was denied by the user");
      if (!rec.approved) throw new ServiceError("AuthorizationPendingException", "Authorization is still pending");
      if (rec.pendingLeft > 0) {
        rec.pendingLeft--;
        throw new ServiceError("AuthorizationPendingException", "Authorization is still pending");
      }
      rec.consumed = true;
      return issueToken(client.clientId);
    }

    if (grantType === "authorization_code") {
      const code = requireString(body, "code");
      const rec = codes.get(code);
      // RFC 6749 §5.2: unknown, used, expired or misbound codes are all invalid_grant.
      if (!rec || rec.used || rec.clientId !== client.clientId)
        throw new ServiceError("InvalidGrantException", "Invalid authorization code provided");
      if (rec.expiresAtMs <= now()) throw new ServiceError("InvalidGrantException", "Authorization code has expired");
      if (body.redirectUri !== rec.redirectUri)
        throw new ServiceError("InvalidGrantException", "Redirect URI does not match the authorization request");
      if (typeof body.codeVerifier !== "string" || s256(body.codeVerifier) !== rec.codeChallenge) {
        throw new ServiceError("InvalidGrantException", "Code verifier does not match the code challenge");
      }
      rec.used = true;
      return issueToken(client.clientId);
    }

    const refreshToken = requireString(body, "refreshToken");
    const rec = refreshTokens.get(refreshToken);
    if (!rec || rec.revoked || rec.clientId !== client.clientId)
      throw new ServiceError("InvalidGrantException", "Invalid refresh token provided");
    return issueToken(client.clientId);
  }

  // --- Browser pages ----------------------------------------------------------------------------------

  function authorize(q: URLSearchParams, approvedByClick: boolean): Response {
    const client = clients.get(q.get("client_id") ?? "");
    const redirectUri = q.get("redirect_uri") ?? "";
    // Errors that cannot be trusted to a redirect are shown on the page (RFC 6749 §4.1.2.1).
    if (!client) return html("Unknown client", "<p>client_id is not registered</p>", 400);
    if (!client.grantTypes?.includes("authorization_code"))
      return html("Unauthorized client", "<p>client is not registered for authorization_code</p>", 400);
    if (!redirectMatches(client.redirectUris, redirectUri)) return html("Invalid redirect", "<p>redirect_uri is not registered</p>", 400);
    const target = new URL(redirectUri);
    const state = q.get("state");
    const fail = (error: string, description: string) => {
      target.searchParams.set("error", error);
      target.searchParams.set("error_description", description);
      if (state !== null) target.searchParams.set("state", state);
      return new Response(null, { status: 302, headers: { location: target.toString() } });
    };
    if (q.get("response_type") !== "code") return fail("unsupported_response_type", "response_type must be code");
    const challenge = q.get("code_challenge");
    if (q.get("code_challenge_method") !== "S256" || !challenge) return fail("invalid_request", "PKCE S256 code_challenge is required");
    if (!approvedByClick && !knobs.autoApprove) {
      const approve = `/authorize/approve?${q.toString()}`;
      return html("Allow access?", `<p><a href="${approve}">Allow</a></p>`);
    }
    if (knobs.deny) return fail("access_denied", "The user denied the request");
    const code = `code${token(32)}`;
    codes.set(code, {
      clientId: client.clientId,
      redirectUri,
      codeChallenge: challenge,
      // Authorization codes are short-lived (RFC 6749 §4.1.2 recommends at most 10 minutes).
      expiresAtMs: now() + 600_000,
      used: false,
      scopes: (q.get("scopes") ?? "").split(" ").filter(Boolean),
    });
    target.searchParams.set("code", code);
    if (state !== null) target.searchParams.set("state", state);
    return new Response(null, { status: 302, headers: { location: target.toString() } });
  }

  function approveDevice(userCode: string): boolean {
    for (const rec of devices.values()) {
      if (rec.userCode === userCode && !rec.consumed && rec.expiresAtMs > now()) {
        if (knobs.deny) rec.denied = true;
        else rec.approved = true;
        return true;
      }
    }
    return false;
  }

  function deviceVerification(q: URLSearchParams): Response {
    const userCode = q.get("user_code");
    if (!userCode) return html("Enter the code", '<form method="get"><input name="user_code"><button>Next</button></form>');
    if (!knobs.autoApprove) return html("Waiting for approval", "<p>approval is controlled by the test</p>");
    if (!approveDevice(userCode)) return html("Invalid code", "<p>the code is unknown or expired</p>", 404);
    return html(knobs.deny ? "Request denied" : "Request approved", "<p>you may close this window</p>");
  }

  // --- Portal -------------------------------------------------------------------------------------------

  function findAccount(accountId: string): FakeAccount | undefined {
    return knobs.accounts.find((a) => a.accountId === accountId);
  }

  function getRoleCredentials(q: URLSearchParams, headers: Headers): Record<string, unknown> {
    requireAccessToken(headers);
    const roleName = q.get("role_name");
    const accountId = q.get("account_id");
    if (!roleName || !accountId) throw new ServiceError("InvalidRequestException", "role_name and account_id are required");
    const account = findAccount(accountId);
    // What the real portal answers for a role the user is not assigned (not in the model's error list,
    // but the documented real-world answer: "ForbiddenException ... No access").
    if (!account?.roles.includes(roleName)) throw new ServiceError("ForbiddenException", "No access", 403);
    const creds: IssuedRoleCredentials = {
      accessKeyId: `ASIA${upperAlnum(16)}`,
      secretAccessKey: token(30),
      sessionToken: `IQoJb3JpZ2luX2Vj${token(180)}`,
      expiration: now() + knobs.roleCredentialsTtlSec * 1000,
      accountId,
      roleName,
    };
    issued.set(creds.accessKeyId, creds);
    return {
      roleCredentials: {
        accessKeyId: creds.accessKeyId,
        secretAccessKey: creds.secretAccessKey,
        sessionToken: creds.sessionToken,
        expiration: creds.expiration,
      },
    };
  }

  function listAccounts(q: URLSearchParams, headers: Headers): Record<string, unknown> {
    requireAccessToken(headers);
    const { page, nextToken } = pageOf(knobs.accounts, q);
    const out: Record<string, unknown> = {
      accountList: page.map((a) => ({ accountId: a.accountId, accountName: a.accountName, emailAddress: a.emailAddress })),
    };
    if (nextToken) out.nextToken = nextToken;
    return out;
  }

  function listAccountRoles(q: URLSearchParams, headers: Headers): Record<string, unknown> {
    requireAccessToken(headers);
    const accountId = q.get("account_id");
    if (!accountId) throw new ServiceError("InvalidRequestException", "account_id is required");
    const account = findAccount(accountId);
    if (!account) throw new ServiceError("ResourceNotFoundException", "Account not found");
    const { page, nextToken } = pageOf(account.roles, q);
    const out: Record<string, unknown> = { roleList: page.map((roleName) => ({ roleName, accountId })) };
    if (nextToken) out.nextToken = nextToken;
    return out;
  }

  function logout(headers: Headers): void {
    const t = requireAccessToken(headers);
    const rec = accessTokens.get(t)!;
    rec.revoked = true;
    // Logging out ends the portal session: its refresh tokens stop working too.
    for (const r of refreshTokens.values()) if (r.clientId === rec.clientId) r.revoked = true;
  }

  // --- Control API for a separate process (e2e, demo): /__fake/* -------------------------------------

  function control(path: string, body: Record<string, unknown>): Response {
    switch (path) {
      case "/__fake/state":
        return Response.json({ counters, issued: Object.fromEntries(issued), knobs: { ...knobs, now: undefined } });
      case "/__fake/knobs":
        for (const [k, v] of Object.entries(body)) if (k !== "now" && k in knobs) (knobs as unknown as Record<string, unknown>)[k] = v;
        if (typeof body.accountCount === "number")
          knobs.accounts = makeAccounts(
            body.accountCount,
            (body.rolesPerAccount as number | string[] | undefined) ?? ["Developer", "ReadOnly"],
          );
        if (typeof body.clockOffsetMs === "number") {
          const offset = body.clockOffsetMs;
          knobs.now = () => Date.now() + offset;
        }
        return Response.json({ ok: true });
      case "/__fake/fail":
        failNext(body.operation as OidcOperation, body as unknown as ForcedError);
        return Response.json({ ok: true });
      case "/__fake/invalidate":
        invalidate(typeof body.accessToken === "string" ? body.accessToken : undefined);
        return Response.json({ ok: true });
      case "/__fake/approve":
        return Response.json({ ok: approveDevice(String(body.userCode)) });
      case "/__fake/log":
        return Response.json(log);
      default:
        return new Response("unknown control path\n", { status: 404 });
    }
  }

  // --- Dispatch -----------------------------------------------------------------------------------------

  function route(method: string, path: string): Operation | undefined {
    const table: Record<string, Operation> = {
      "POST /client/register": "RegisterClient",
      "POST /device_authorization": "StartDeviceAuthorization",
      "POST /token": "CreateToken",
      "GET /federation/credentials": "GetRoleCredentials",
      "GET /assignment/accounts": "ListAccounts",
      "GET /assignment/roles": "ListAccountRoles",
      "POST /logout": "Logout",
      "GET /authorize": "Authorize",
      "GET /authorize/approve": "Authorize",
      "GET /device": "DeviceVerification",
      "GET /device/": "DeviceVerification",
    };
    return table[`${method} ${path}`];
  }

  function errorResponse(op: string, e: ServiceError, requestId: string): Response {
    const headers = {
      "content-type": "application/json",
      "x-amzn-requestid": requestId,
      // Same shape as the observed OIDC header (docs/protocols.md §3.1).
      "x-amzn-errortype": oidcOps.has(op)
        ? `${e.type}:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/`
        : `${e.type}:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/`,
    };
    const body = oidcOps.has(op)
      ? { error: oauthError[e.type] ?? "invalid_request", error_description: e.message }
      : { message: e.message, __type: `com.amazonaws.switchboard.portal#${e.type}` };
    return new Response(JSON.stringify(body), { status: e.status, headers });
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const requestId = randomUUID();
    const text = req.method === "POST" ? await req.text() : "";
    const entry: LoggedRequest = {
      operation: "Unknown",
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(req.headers),
      body: text,
      status: 0,
      requestId,
    };
    log.push(entry);
    let body: Record<string, unknown> = {};
    let badJson = false;
    if (text !== "") {
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
        else badJson = true;
      } catch {
        badJson = true;
      }
      if (!badJson) entry.body = body;
    }

    const finish = (r: Response): Response => {
      entry.status = r.status;
      const t = r.headers.get("x-amzn-errortype");
      if (t) entry.awsType = t.split(":")[0];
      // Real AWS endpoints send an HTTP Date header (RFC 9110 §6.6.1); `ccsso doctor` reads it for clock skew.
      // It follows the stand-in's own clock so tests that age tokens see a consistent server time.
      if (!r.headers.has("date")) r.headers.set("date", new Date(now()).toUTCString());
      return r;
    };

    if (url.pathname.startsWith("/__fake/")) {
      entry.operation = "Control";
      return finish(control(url.pathname, body));
    }

    const op = route(req.method, url.pathname);
    if (!op) {
      return finish(
        new Response(JSON.stringify({ message: `No operation at ${req.method} ${url.pathname}` }), {
          status: 404,
          headers: { "content-type": "application/json", "x-amzn-requestid": requestId, "x-amzn-errortype": "UnknownOperationException" },
        }),
      );
    }
    entry.operation = op;
    counters[op]++;
    const delay = latencyFor(op);
    if (delay > 0) await Bun.sleep(delay);

    if (op === "Authorize") return finish(authorize(url.searchParams, url.pathname === "/authorize/approve"));
    if (op === "DeviceVerification") return finish(deviceVerification(url.searchParams));

    try {
      const queue = forced.get(op);
      const f = queue?.[0];
      if (f) {
        f.times = (f.times ?? 1) - 1;
        if (f.times <= 0) queue!.shift();
        throw new ServiceError(f.type, f.message ?? `Forced ${f.type}`, f.status ?? errorStatus[f.type] ?? 400);
      }
      if (badJson) throw new ServiceError("InvalidRequestException", "Request body is not a JSON object");
      let out: Record<string, unknown> | undefined;
      switch (op) {
        case "RegisterClient":
          out = registerClient(body);
          break;
        case "StartDeviceAuthorization":
          out = startDeviceAuthorization(body);
          break;
        case "CreateToken":
          out = createToken(body);
          break;
        case "GetRoleCredentials":
          out = getRoleCredentials(url.searchParams, req.headers);
          break;
        case "ListAccounts":
          out = listAccounts(url.searchParams, req.headers);
          break;
        case "ListAccountRoles":
          out = listAccountRoles(url.searchParams, req.headers);
          break;
        case "Logout":
          logout(req.headers);
          break;
      }
      if (out === undefined) return finish(new Response(null, { status: 200, headers: { "x-amzn-requestid": requestId } }));
      return finish(
        new Response(JSON.stringify(out), { status: 200, headers: { "content-type": "application/json", "x-amzn-requestid": requestId } }),
      );
    } catch (e) {
      if (e instanceof ServiceError) return finish(errorResponse(op, e, requestId));
      return finish(errorResponse(op, new ServiceError("InternalServerException", String(e), 500), requestId));
    }
  }

  function failNext(operation: OidcOperation | PortalOperation, error: ForcedError): void {
    const queue = forced.get(operation) ?? [];
    queue.push({ type: error.type, status: error.status, message: error.message, times: error.times ?? 1 } as ForcedError);
    forced.set(operation, queue);
  }

  function invalidate(accessToken?: string): void {
    for (const [t, rec] of accessTokens) if (accessToken === undefined || t === accessToken) rec.revoked = true;
  }

  const server = Bun.serve({
    hostname: opts.hostname ?? "127.0.0.1",
    port: opts.port ?? 0,
    ...(opts.tls ? { tls: opts.tls } : {}),
    fetch: handle,
  });
  const url = server.url.origin;

  return {
    url,
    port: server.port!,
    knobs,
    counters,
    log,
    issued,
    failNext,
    invalidate,
    revokeRefreshTokens(refreshToken?: string) {
      for (const [t, rec] of refreshTokens) if (refreshToken === undefined || t === refreshToken) rec.revoked = true;
    },
    approveDevice(userCode: string) {
      if (!approveDevice(userCode)) throw new Error(`no pending device authorization with user code ${userCode}`);
    },
    mintToken() {
      const reg = registerClient({ clientName: "fake-minted", clientType: "public" });
      const tok = issueToken(reg.clientId as string);
      return {
        clientId: reg.clientId as string,
        clientSecret: reg.clientSecret as string,
        accessToken: tok.accessToken as string,
        ...(tok.refreshToken ? { refreshToken: tok.refreshToken as string } : {}),
        expiresIn: tok.expiresIn as number,
      };
    },
    liveAccessTokens() {
      return [...accessTokens].filter(([, r]) => !r.revoked && r.expiresAtMs > now()).map(([t]) => t);
    },
    async close() {
      await server.stop(true);
    },
  };
}

if (import.meta.main) {
  const opts = (process.argv[2] ? JSON.parse(process.argv[2]) : {}) as FakeIdentityCenterOptions;
  const fake = createFakeIdentityCenter(opts);
  console.log(JSON.stringify({ url: fake.url }));
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
