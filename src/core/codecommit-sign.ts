// The CodeCommit git password: a SigV4 signature of a pretend `GIT` request (docs/protocols.md §5.2).
// No signing library produces this form (method GIT, no x-amz-date header, an EMPTY hashed-payload field),
// so it is a small pure function here. HMAC comes from Bun.CryptoHasher, not node:crypto: loading
// node:crypto costs ~3 ms of start-up in a compiled binary, on every git operation (docs/architecture.md §3).

export interface CodeCommitSignInput {
  /** The host git talks to; a `:port` suffix is dropped, as the AWS CLI does ("we don't want to include the port"). */
  host: string;
  /** Canonical URI. git's `path` attribute has no leading slash (`v1/repos/x`); one is added when missing. */
  path: string;
  region: string;
  secretAccessKey: string;
  /** Signing time, milliseconds since the epoch. */
  now: number;
  /**
   * Sign `host:port` instead of the bare host. The AWS CLI (and so ccsso's helper) strips the port; the
   * Rust git-remote-codecommit and grc's CODE_COMMIT_ENDPOINT keep it (docs/protocols.md §5.4).
   */
  includePort?: boolean;
}

// digest() with no argument returns a Buffer, whose first use initialises Node's buffer module on the
// helper's warm path; digesting into a Uint8Array (or straight to hex) avoids it.
function hmac(key: string | Uint8Array, data: string): Uint8Array {
  // Bun requires room for the largest digest (64 bytes); SHA-256 fills the first 32.
  const out = new Uint8Array(64);
  new Bun.CryptoHasher("sha256", key).update(data).digest(out);
  return out.subarray(0, 32);
}

function hmacHex(key: Uint8Array, data: string): string {
  return new Bun.CryptoHasher("sha256", key).update(data).digest("hex");
}

/** `YYYYMMDDTHHMMSS` in UTC, no trailing Z (botocore's SIGV4_TIMESTAMP without the Z). */
export function codeCommitTimestamp(now: number): string {
  return new Date(now).toISOString().replace(/[-:]/g, "").slice(0, 15);
}

/** The exact canonical request; exported so the contract test can check it against the upstream string. */
export function codeCommitCanonicalRequest(host: string, path: string, includePort = false): string {
  const hostname = includePort ? host : host.replace(/:\d*$/, "");
  const uri = path.startsWith("/") ? path : `/${path}`;
  return `GIT\n${uri}\n\nhost:${hostname}\n\nhost\n`;
}

/** `<YYYYMMDDTHHMMSS>Z<64 hex>`: the password git sends as HTTP Basic auth to CodeCommit. */
export function signCodeCommitPassword(input: CodeCommitSignInput): string {
  const timestamp = codeCommitTimestamp(input.now);
  const day = timestamp.slice(0, 8);
  const scope = `${day}/${input.region}/codecommit/aws4_request`;
  const canonical = codeCommitCanonicalRequest(input.host, input.path, input.includePort);
  const canonicalHash = new Bun.CryptoHasher("sha256").update(canonical).digest("hex");
  const stringToSign = `AWS4-HMAC-SHA256\n${timestamp}\n${scope}\n${canonicalHash}`;
  const kDate = hmac(`AWS4${input.secretAccessKey}`, day);
  const kRegion = hmac(kDate, input.region);
  const kService = hmac(kRegion, "codecommit");
  const kSigning = hmac(kService, "aws4_request");
  return `${timestamp}Z${hmacHex(kSigning, stringToSign)}`;
}

/** `AKID%TOKEN`, or the bare key id for long-lived keys (aws-cli codecommit.py, unencoded). */
export function codeCommitUsername(accessKeyId: string, sessionToken?: string): string {
  return sessionToken ? `${accessKeyId}%${sessionToken}` : accessKeyId;
}
