// RFC 7636 PKCE as the AWS CLI does it (docs/protocols.md §3.4): a 64-character verifier drawn from
// the unreserved set, an S256 challenge without base64 padding, and a uuid4 state.

const unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
// The verifier length the AWS CLI uses; RFC 7636 allows 43..128.
const verifierLength = 64;

export function generateCodeVerifier(randomBytes: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  let out = "";
  // Rejection sampling keeps every character equally likely: 256 is not a multiple of 66.
  const limit = 256 - (256 % unreserved.length);
  while (out.length < verifierLength) {
    for (const b of randomBytes(verifierLength * 2)) {
      if (b < limit && out.length < verifierLength) out += unreserved[b % unreserved.length];
    }
  }
  return out;
}

/** base64url(sha256(verifier)) with the trailing `=` removed: 43 characters. */
export function codeChallengeS256(verifier: string): string {
  return new Bun.CryptoHasher("sha256").update(verifier).digest("base64url").replace(/=+$/, "");
}

export function generateState(): string {
  return crypto.randomUUID();
}

/** Compare two strings without an early exit, so a wrong `state` reveals nothing through timing. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
