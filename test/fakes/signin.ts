// A stand-in for AWS Sign-In's token endpoint as `aws login` sessions use it (docs/protocols.md §3.11):
// `POST /v1/token` with grantType refresh_token, answering rest-json `tokenOutput` fields. It checks what
// the real service is documented to check: the refresh token is known, not used before (it rotates), and
// bound to the key of the DPoP proof (RFC 9449: typ dpop+jwt, ES256, the public jwk in the header, htm POST,
// htu = the URL asked, a fresh iat, a signature that verifies). Credentials it hands out are recorded in
// `issued` in the Identity Center stand-in's shape, so the CodeCommit stand-in accepts exactly those.
import { generateKeyPairSync } from "node:crypto";
import type { IssuedRoleCredentials } from "./identity-center";

export interface FakeSigninSession {
  clientId: string;
  refreshToken: string;
  /** SEC1 PEM, as `aws login` writes `dpopKey`. */
  dpopKey: string;
  accountId: string;
  /** The session's ARN, the profile's `login_session`. */
  session: string;
}

export interface LoggedSigninRequest {
  path: string;
  body: unknown;
  dpop?: { header: Record<string, unknown>; payload: Record<string, unknown> };
  userAgent?: string;
  status: number;
  error?: string;
}

export interface FakeSignin {
  url: string;
  log: LoggedSigninRequest[];
  issued: Map<string, IssuedRoleCredentials>;
  /** A session as a finished `aws login` leaves it: a key pair, a refresh token bound to it, first credentials. */
  startSession(accountId?: string): { session: FakeSigninSession; credentials: IssuedRoleCredentials };
  /** Make the next refresh of any session answer AccessDeniedException with this reason. */
  denyNext(reason: "TOKEN_EXPIRED" | "USER_CREDENTIALS_CHANGED" | "INSUFFICIENT_PERMISSIONS"): void;
  close(): Promise<void>;
}

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString("base64url");

async function thumbprint(jwk: { crv: string; kty: string; x: string; y: string }): Promise<string> {
  // RFC 7638: the required members in lexicographic order, no spaces.
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical))));
}

export function createFakeSignin(opts: { ttlSec?: number; now?: () => number } = {}): FakeSignin {
  const now = opts.now ?? Date.now;
  const ttlSec = opts.ttlSec ?? 900;
  const log: LoggedSigninRequest[] = [];
  const issued = new Map<string, IssuedRoleCredentials>();
  const refreshTokens = new Map<string, { clientId: string; jkt: string; accountId: string; used: boolean }>();
  let deny: string | undefined;
  const rand = (n: number) => b64url(crypto.getRandomValues(new Uint8Array(n)));

  const issue = (accountId: string): IssuedRoleCredentials => {
    const c: IssuedRoleCredentials = {
      accessKeyId: `ASIA${rand(12)
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, "X")
        .slice(0, 16)}`,
      secretAccessKey: rand(30),
      sessionToken: `IQoJ${rand(120)}`,
      expiration: now() + ttlSec * 1000,
      accountId,
      roleName: "console-login",
    };
    issued.set(c.accessKeyId, c);
    return c;
  };

  const problem = (status: number, type: string, error: string | undefined, message: string) => {
    const body: Record<string, string> = { message };
    if (error) body.error = error;
    return Response.json(body, { status, headers: { "x-amzn-errortype": type, "x-amzn-requestid": crypto.randomUUID() } });
  };

  async function checkProof(
    proof: string | null,
    url: string,
  ): Promise<{ jkt: string; header: Record<string, unknown>; payload: Record<string, unknown> } | string> {
    if (!proof) return "no DPoP header";
    const parts = proof.split(".");
    if (parts.length !== 3) return "DPoP proof is not a JWS";
    let header: Record<string, unknown>;
    let payload: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString());
      payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString());
    } catch {
      return "DPoP proof is not JSON";
    }
    const jwk = header.jwk as { kty: string; crv: string; x: string; y: string } | undefined;
    if (header.typ !== "dpop+jwt" || header.alg !== "ES256" || !jwk || jwk.kty !== "EC" || jwk.crv !== "P-256")
      return "DPoP header is not typ dpop+jwt, ES256, P-256 jwk";
    if (payload.htm !== "POST" || payload.htu !== url) return `DPoP htm/htu do not match POST ${url}`;
    if (typeof payload.iat !== "number" || Math.abs(payload.iat - now() / 1000) > 300) return "DPoP iat is not fresh";
    if (typeof payload.jti !== "string" || payload.jti === "") return "DPoP jti missing";
    const key = await crypto.subtle.importKey(
      "jwk",
      { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y },
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["verify"],
    );
    const sig = new Uint8Array(Buffer.from(parts[2]!, "base64url"));
    const ok =
      sig.length === 64 &&
      (await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, sig, new TextEncoder().encode(`${parts[0]}.${parts[1]}`)));
    if (!ok) return "DPoP signature does not verify";
    return { jkt: await thumbprint(jwk), header, payload };
  }

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      const text = await req.text();
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text);
      } catch {}
      const entry: LoggedSigninRequest = {
        path: url.pathname + url.search,
        body,
        status: 0,
        userAgent: req.headers.get("user-agent") ?? undefined,
      };
      log.push(entry);
      const answer = await (async () => {
        if (req.method !== "POST" || url.pathname !== "/v1/token")
          return problem(404, "ResourceNotFoundException", undefined, "no such operation");
        const proof = await checkProof(req.headers.get("dpop"), url.toString());
        if (typeof proof === "string") return problem(400, "ValidationException", undefined, proof);
        entry.dpop = { header: proof.header, payload: proof.payload };
        if (body.grantType !== "refresh_token")
          return problem(400, "ValidationException", undefined, "grantType must be refresh_token here");
        const rec = typeof body.refreshToken === "string" ? refreshTokens.get(body.refreshToken) : undefined;
        if (!rec || rec.used || rec.clientId !== body.clientId)
          return problem(401, "AccessDeniedException", "TOKEN_EXPIRED", "refresh token is not valid");
        if (rec.jkt !== proof.jkt) return problem(400, "ValidationException", undefined, "refresh token is bound to another key");
        if (deny) {
          const reason = deny;
          deny = undefined;
          return problem(reason === "TOKEN_EXPIRED" ? 401 : 403, "AccessDeniedException", reason, "denied");
        }
        rec.used = true;
        const creds = issue(rec.accountId);
        const next = `rt-${rand(48)}`;
        refreshTokens.set(next, { ...rec, used: false });
        return Response.json(
          {
            accessToken: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
            tokenType: "aws_sigv4",
            expiresIn: ttlSec,
            refreshToken: next,
          },
          { headers: { "x-amzn-requestid": crypto.randomUUID() } },
        );
      })();
      entry.status = answer.status;
      if (!answer.ok) entry.error = answer.headers.get("x-amzn-errortype") ?? undefined;
      return answer;
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    log,
    issued,
    startSession(accountId = "111111111111") {
      const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const jwk = publicKey.export({ format: "jwk" }) as { kty: string; crv: string; x: string; y: string };
      const refreshToken = `rt-${rand(48)}`;
      const clientId = "arn:aws:signin:::devtools/same-device";
      // The thumbprint is computed synchronously here from the same canonical form.
      const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
      const jkt = new Bun.CryptoHasher("sha256").update(canonical).digest("base64url");
      refreshTokens.set(refreshToken, { clientId, jkt, accountId, used: false });
      const credentials = issue(accountId);
      return {
        session: {
          clientId,
          refreshToken,
          dpopKey: privateKey.export({ format: "pem", type: "sec1" }) as string,
          accountId,
          session: `arn:aws:iam::${accountId}:user/alice`,
        },
        credentials,
      };
    },
    denyNext(reason) {
      deny = reason;
    },
    async close() {
      await server.stop(true);
    },
  };
}
