// Credentials of an `aws login` profile (`login_session = <ARN>`; docs/protocols.md §3.11), as botocore's
// LoginProvider and LoginCredentialFetcher give them: the cached credentials while more than 5 minutes
// are left, else renewed with the DPoP-bound refresh token and written back in the AWS CLI's format.
// ccsso does not run the `aws login` browser sign-in itself: without a usable session it says so.
import type { AwsConfig } from "../core/aws-config";
import { LoginRequiredError, RemoteError } from "../core/errors";
import {
  dpopProof,
  dpopSigningInput,
  loginCacheKey,
  parseLoginToken,
  refreshedLoginFile,
  signinHost,
  type LoginToken,
} from "../core/login-session";
import { commandLine } from "../core/shell-quote";
import type { AwsCredentials } from "../core/types";
import type { Context } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { loginCachePath, readLoginCache, writeLoginCache } from "../store/login-cache";
import { withLock } from "../store/lock";
import { join } from "node:path";
import { lockDir, lockOptions } from "./sso-token";

/** botocore LoginCredentialFetcher._REFRESH_THRESHOLD. */
export const loginRefreshWindowMs = 5 * 60_000;
/** Sign-In's reasons that mean the session is over: only a new `aws login` helps. */
const sessionOver = new Set(["TOKEN_EXPIRED", "USER_CREDENTIALS_CHANGED", "INSUFFICIENT_PERMISSIONS"]);

export async function getLoginCredentials(ctx: Context, cfg: AwsConfig, profile: string, session: string): Promise<AwsCredentials> {
  const relogin = commandLine(["aws", "login", "--profile", profile]);
  const cached = readLoginCache(ctx, session);
  if ("problem" in cached) throw new LoginRequiredError(`profile ${profile} has no usable aws login session: ${cached.problem}`, relogin);
  if (cached.credentials.expiresAt - ctx.now() > loginRefreshWindowMs) {
    debugLog(ctx, `credentials: aws login session of profile ${profile} (${loginCachePath(ctx.env, session)})`);
    return toCredentials(cached);
  }
  return withLock(
    join(lockDir(ctx.env), `aws-login-${loginCacheKey(session)}.lock`),
    lockOptions(ctx, "renewing the same aws login session"),
    async () => {
      // Another process may have renewed it while we waited.
      const current = readLoginCache(ctx, session);
      if ("problem" in current)
        throw new LoginRequiredError(`profile ${profile} has no usable aws login session: ${current.problem}`, relogin);
      if (current.credentials.expiresAt - ctx.now() > loginRefreshWindowMs) return toCredentials(current);
      const { signinEndpoint } = await import("../aws/endpoints");
      const { refreshLoginToken } = await import("../aws/signin");
      const endpoint = signinEndpoint(cfg, profile, ctx.env, signinHost);
      debugLog(ctx, `renewing the aws login session of profile ${profile} at ${endpoint}`);
      const signer = await dpopSigner(current.dpopKey);
      let answer;
      try {
        answer = await refreshLoginToken(ctx, endpoint, { clientId: current.clientId, refreshToken: current.refreshToken }, (url) =>
          signer(url, Math.floor(ctx.now() / 1000)),
        );
      } catch (e) {
        if (e instanceof RemoteError && sessionOver.has(e.details.awsType ?? "")) {
          throw new LoginRequiredError(`the aws login session of profile ${profile} has ended (${e.details.awsType})`, relogin, {
            cause: e,
          });
        }
        // A passing failure (network, 5xx) while the credentials still work: use them, as botocore does
        // before its mandatory refresh time.
        if (current.credentials.expiresAt > ctx.now()) {
          debugLog(ctx, `could not renew the aws login session (${(e as Error).message}); using the cached credentials until they expire`);
          return toCredentials(current);
        }
        throw e;
      }
      const file = refreshedLoginFile(current, answer, ctx.now());
      writeLoginCache(ctx.env, session, file);
      const renewed = parseLoginToken(file) as LoginToken;
      return toCredentials(renewed);
    },
  );
}

function toCredentials(t: LoginToken): AwsCredentials {
  const c = t.credentials;
  const out: AwsCredentials = {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    sessionToken: c.sessionToken,
    expiration: new Date(c.expiresAt),
    source: "login",
  };
  if (c.accountId) out.accountId = c.accountId;
  return out;
}

/**
 * An ES256 DPoP signer for the session's key (PEM, SEC1 as the AWS CLI writes it, or PKCS#8). node:crypto
 * reads the PEM; WebCrypto signs, giving the raw r‖s form a JWS wants.
 */
async function dpopSigner(pem: string): Promise<(url: string, iat: number) => Promise<string>> {
  const { createPrivateKey } = await import("node:crypto");
  const keyObject = createPrivateKey(pem);
  const jwk = keyObject.export({ format: "jwk" }) as { kty?: string; crv?: string; x?: string; y?: string };
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.x || !jwk.y)
    throw new LoginRequiredError("the aws login session's dpopKey is not a P-256 key", "aws login");
  const pkcs8 = new Uint8Array(keyObject.export({ format: "der", type: "pkcs8" }));
  const key = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  return async (url, iat) => {
    const input = dpopSigningInput({ x: jwk.x!, y: jwk.y! }, url, iat, crypto.randomUUID());
    const sig = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, new TextEncoder().encode(input)));
    return dpopProof(input, sig);
  };
}
