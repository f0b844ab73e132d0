import { describe, expect, it } from "bun:test";
import { codeChallengeS256, constantTimeEqual, generateCodeVerifier, generateState } from "../../src/core/pkce";

describe("PKCE", () => {
  it("derives the AWS CLI's vector challenge from 'A'*64, without padding", () => {
    expect(codeChallengeS256("A".repeat(64))).toBe("1T7aemN8mcx_tWbZbp-hCb8VxHhBCj9etNTE4mzQgfY");
  });
  it("makes 64-character verifiers from the unreserved characters only", () => {
    for (let i = 0; i < 50; i++) expect(generateCodeVerifier()).toMatch(/^[A-Za-z0-9\-._~]{64}$/);
  });
  it("makes a different verifier each time", () => {
    expect(generateCodeVerifier()).not.toBe(generateCodeVerifier());
  });
  it("never uses a byte past the fair range, so no character is favoured", () => {
    // 66 characters: bytes from 198 up would favour the first 58; they are skipped, not folded in.
    let calls = 0;
    const v = generateCodeVerifier((n) => (calls++ === 0 ? new Uint8Array(n).fill(255) : new Uint8Array(n).fill(0)));
    expect(v).toBe("A".repeat(64));
  });
  it("uses a uuid4 as state", () => {
    expect(generateState()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it("compares states exactly", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
  });
});
