// `aws login` sessions (AWS CLI >= 2.32; docs/protocols.md §3.11): a profile with `login_session = <ARN>`
// gets short-lived credentials from `~/.aws/login/cache/<sha256(session)>.json`, renewed through AWS
// Sign-In's CreateOAuth2Token with a refresh token bound (DPoP, RFC 9449) to the EC key in the same file.
// Pure: the file's shape, its key, the Sign-In host and the DPoP proof's text; signing, files and
// network live above.
import { formatCacheTimestamp } from "./timestamps";

/** botocore generate_login_cache_key: the file name is sha256 of the session name (its ARN). */
export function loginCacheKey(session: string): string {
  // Bun.CryptoHasher, not node:crypto: this runs on the credential helper's warm path (docs/architecture.md §3).
  return new Bun.CryptoHasher("sha256").update(session).digest("hex");
}

/** The credentials part of the cache file, as botocore reads it. */
export interface LoginCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId?: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface LoginToken {
  credentials: LoginCredentials;
  clientId: string;
  refreshToken: string;
  /** PEM, `-----BEGIN EC PRIVATE KEY-----` (SEC1) as the AWS CLI writes it. */
  dpopKey: string;
  /** The whole file as read, so a rewrite keeps every other key (idToken, tokenType…) in its place. */
  raw: Record<string, unknown>;
}

/** botocore LoginCredentialFetcher: accessToken, refreshToken, dpopKey and clientId must all be there. */
export function parseLoginToken(raw: Record<string, unknown>): LoginToken | { problem: string } {
  const access = raw.accessToken;
  const str = (o: Record<string, unknown>, k: string) => (typeof o[k] === "string" && o[k] !== "" ? (o[k] as string) : undefined);
  if (typeof access !== "object" || access === null || Array.isArray(access)) return { problem: "it has no accessToken" };
  const a = access as Record<string, unknown>;
  const clientId = str(raw, "clientId");
  const refreshToken = str(raw, "refreshToken");
  const dpopKey = str(raw, "dpopKey");
  if (!clientId || !refreshToken || !dpopKey) return { problem: "it is missing one of accessToken, refreshToken, dpopKey, clientId" };
  const accessKeyId = str(a, "accessKeyId");
  const secretAccessKey = str(a, "secretAccessKey");
  const sessionToken = str(a, "sessionToken");
  const expiresAt = Date.parse(str(a, "expiresAt") ?? "");
  if (!accessKeyId || !secretAccessKey || !sessionToken || !Number.isFinite(expiresAt))
    return { problem: "its accessToken lacks keys or expiresAt" };
  return {
    credentials: { accessKeyId, secretAccessKey, sessionToken, accountId: str(a, "accountId"), expiresAt },
    clientId,
    refreshToken,
    dpopKey,
    raw,
  };
}

/**
 * The file after a refresh, as botocore writes it: `token.update({"accessToken": …, "refreshToken": …})`
 * on the dict it read — the other keys stay where they were; accountId is carried over; expiresAt is
 * now + expiresIn in whole seconds, `…Z`.
 */
export function refreshedLoginFile(
  token: LoginToken,
  answer: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiresIn: number; refreshToken: string },
  nowMs: number,
): Record<string, unknown> {
  const expiresAt = Math.floor(nowMs / 1000) * 1000 + answer.expiresIn * 1000;
  const out: Record<string, unknown> = { ...token.raw };
  out.accessToken = {
    accessKeyId: answer.accessKeyId,
    secretAccessKey: answer.secretAccessKey,
    sessionToken: answer.sessionToken,
    accountId: (token.raw.accessToken as Record<string, unknown>).accountId ?? null,
    expiresAt: formatCacheTimestamp(expiresAt),
  };
  out.refreshToken = answer.refreshToken;
  return out;
}

/** Sign-In's host per partition (the service's endpoint rule set, no FIPS or dual-stack variant). */
export function signinHost(region: string, partition: string, dnsSuffix: string): string {
  const byPartition: Record<string, string> = {
    aws: "signin.aws.amazon.com",
    "aws-cn": "signin.amazonaws.cn",
    "aws-us-gov": "signin.amazonaws-us-gov.com",
    "aws-iso": "signin.c2shome.ic.gov",
    "aws-iso-b": "signin.sc2shome.sgov.gov",
    "aws-iso-f": "signin.csphome.hci.ic.gov",
    "aws-iso-e": "signin.csphome.adc-e.uk",
    "aws-eusc": "signin.amazonaws-eusc.eu",
  };
  return `${region}.${byPartition[partition] ?? `signin.${dnsSuffix}`}`;
}

function base64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString("base64url");
}

/**
 * The DPoP proof's header and payload (botocore build_dpop_header: compact JSON, these key orders),
 * base64url-joined: the text the ES256 signature covers.
 */
export function dpopSigningInput(jwk: { x: string; y: string }, url: string, iat: number, jti: string): string {
  const header = { typ: "dpop+jwt", alg: "ES256", jwk: { kty: "EC", x: jwk.x, y: jwk.y, crv: "P-256" } };
  const payload = { htm: "POST", htu: url, iat, jti };
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
}

/** The proof: signing input and the raw 64-byte r‖s signature. */
export function dpopProof(signingInput: string, signature: Uint8Array): string {
  return `${signingInput}.${base64url(signature)}`;
}
