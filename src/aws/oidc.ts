// IAM Identity Center OIDC (sso-oidc 2019-06-10): RegisterClient, StartDeviceAuthorization,
// CreateToken through @aws-sdk/client-sso-oidc. The SDK is imported inside the factory, never at the
// top: the credential helper's warm path must not pay its ~10–15 ms load (docs/architecture.md §3).
// The operations are unsigned (`smithy.api#noAuth` in the model), which the SDK honours: no credentials
// are looked up or sent.
import { RemoteError } from "../core/errors";
import { registerSecret } from "../core/redact";
import type { Context } from "../platform/context";
import { callWithDeadline, pinnedClientConfig, type CallSite } from "./sdk-transport";

// 10 s per call: a person is waiting at the terminal; IAM Identity Center answers in well under a
// second, so anything longer is a dead endpoint or proxy, and saying so beats a silent hang.
export const OIDC_CALL_TIMEOUT_MS = 10_000;
// 3 attempts (the SDK's standard mode): rides out a 5xx or throttle blip during login; the 400s the
// device flow polls through (authorization_pending, slow_down) are never retried by the SDK.
const OIDC_MAX_ATTEMPTS = 3;

export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

export interface RegisterClientRequest {
  clientName: string;
  clientType: "public";
  scopes?: string[];
  redirectUris?: string[];
  grantTypes?: string[];
  issuerUrl?: string;
}

export interface RegisterClientResponse {
  clientId: string;
  clientSecret: string;
  /** Epoch seconds (LongTimeStampType). */
  clientIdIssuedAt: number;
  /** Epoch seconds (LongTimeStampType). */
  clientSecretExpiresAt: number;
}

export interface StartDeviceAuthorizationRequest {
  clientId: string;
  clientSecret: string;
  startUrl: string;
}

export interface StartDeviceAuthorizationResponse {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  /** Seconds. */
  expiresIn: number;
  /** Seconds between polls; undefined when the service sent none (callers then use 5, RFC 8628 §3.2). */
  interval?: number;
}

export interface CreateTokenRequest {
  clientId: string;
  clientSecret: string;
  grantType: typeof DEVICE_CODE_GRANT | "authorization_code" | "refresh_token";
  deviceCode?: string;
  code?: string;
  refreshToken?: string;
  redirectUri?: string;
  codeVerifier?: string;
  scope?: string[];
}

export interface CreateTokenResponse {
  accessToken: string;
  tokenType?: string;
  /** Seconds. */
  expiresIn: number;
  refreshToken?: string;
  idToken?: string;
}

export interface OidcClient {
  readonly endpoint: string;
  registerClient(req: RegisterClientRequest): Promise<RegisterClientResponse>;
  startDeviceAuthorization(req: StartDeviceAuthorizationRequest): Promise<StartDeviceAuthorizationResponse>;
  createToken(req: CreateTokenRequest): Promise<CreateTokenResponse>;
}

/** A 200 without a field the flow needs is a broken answer, reported as one (never `undefined` downstream). */
function need<T>(value: T | undefined | null, field: string, site: CallSite): T {
  if (value === undefined || value === null || value === "") {
    throw new RemoteError(`IAM Identity Center OIDC ${site.operation} answered without ${field} (${site.endpoint})`, {
      service: "sso-oidc",
      operation: site.operation,
      endpoint: site.endpoint,
    });
  }
  return value;
}

export async function createOidcClient(opts: { endpoint: string; region: string; ctx: Context; timeoutMs?: number }): Promise<OidcClient> {
  const { ctx, endpoint } = opts;
  const sdk = await import("@aws-sdk/client-sso-oidc");
  const client = new sdk.SSOOIDCClient(
    pinnedClientConfig(ctx, endpoint, opts.region, OIDC_MAX_ATTEMPTS) as import("@aws-sdk/client-sso-oidc").SSOOIDCClientConfig,
  );
  const site = (operation: string): CallSite => ({
    serviceLabel: "IAM Identity Center OIDC",
    service: "sso-oidc",
    operation,
    endpoint,
    timeoutMs: opts.timeoutMs ?? OIDC_CALL_TIMEOUT_MS,
  });

  return {
    endpoint,
    async registerClient(req) {
      const s = site("RegisterClient");
      const res = await callWithDeadline(ctx, s, (abortSignal) => client.send(new sdk.RegisterClientCommand(req), { abortSignal }));
      registerSecret(res.clientSecret);
      return {
        clientId: need(res.clientId, "clientId", s),
        clientSecret: need(res.clientSecret, "clientSecret", s),
        clientIdIssuedAt: need(res.clientIdIssuedAt, "clientIdIssuedAt", s),
        clientSecretExpiresAt: need(res.clientSecretExpiresAt, "clientSecretExpiresAt", s),
      };
    },
    async startDeviceAuthorization(req) {
      const s = site("StartDeviceAuthorization");
      const res = await callWithDeadline(ctx, s, (abortSignal) =>
        client.send(new sdk.StartDeviceAuthorizationCommand(req), { abortSignal }),
      );
      const out: StartDeviceAuthorizationResponse = {
        deviceCode: need(res.deviceCode, "deviceCode", s),
        userCode: need(res.userCode, "userCode", s),
        verificationUri: need(res.verificationUri, "verificationUri", s),
        verificationUriComplete: need(res.verificationUriComplete, "verificationUriComplete", s),
        expiresIn: need(res.expiresIn, "expiresIn", s),
      };
      if (typeof res.interval === "number") out.interval = res.interval;
      return out;
    },
    async createToken(req) {
      const s = site("CreateToken");
      registerSecret(req.clientSecret);
      const res = await callWithDeadline(ctx, s, (abortSignal) => client.send(new sdk.CreateTokenCommand(req), { abortSignal }));
      registerSecret(res.accessToken);
      registerSecret(res.refreshToken);
      const out: CreateTokenResponse = {
        accessToken: need(res.accessToken, "accessToken", s),
        expiresIn: need(res.expiresIn, "expiresIn", s),
      };
      if (res.tokenType) out.tokenType = res.tokenType;
      if (res.refreshToken) out.refreshToken = res.refreshToken;
      if (res.idToken) out.idToken = res.idToken;
      return out;
    },
  };
}
