// AWS Sign-In's CreateOAuth2Token with a refresh token (docs/protocols.md §3.11): rest-json, unsigned,
// `POST {endpoint}/v1/token`, the body is the `tokenInput` structure itself and the answer the
// `tokenOutput` one; a DPoP proof for the exact URL rides in the `DPoP` header. Through the user's proxy
// and CA bundle with the usual timeout, like every other call.
import { CcssoError, RemoteError } from "../core/errors";
import type { Context } from "../platform/context";
import { userAgent } from "../platform/user-agent";
import { readTextCapped } from "./bounded-body";
import { DEFAULT_TIMEOUT_MS, fetchFailure, transportOptions } from "./signed-call";

export interface RefreshAnswer {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresIn: number;
  refreshToken: string;
}

/** Renew with `refreshToken`; `proof(url)` makes the DPoP header for the URL the request goes to. */
export async function refreshLoginToken(
  ctx: Context,
  endpoint: string,
  input: { clientId: string; refreshToken: string },
  proof: (url: string) => Promise<string>,
): Promise<RefreshAnswer> {
  const url = new URL("v1/token", endpoint.endsWith("/") ? endpoint : endpoint + "/");
  const body = JSON.stringify({ clientId: input.clientId, refreshToken: input.refreshToken, grantType: "refresh_token" });
  const transport = transportOptions(url, ctx.env, ctx.caBundle);
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: "POST",
      // Named as every other AWS call is (`app/ccsso#<version>`), so CloudTrail shows ccsso renewed it.
      headers: { "content-type": "application/json", "user-agent": userAgent, DPoP: await proof(url.toString()) },
      body,
      signal: AbortSignal.timeout(DEFAULT_TIMEOUT_MS),
      ...transport,
    } as RequestInit);
    text = await readTextCapped(res, url.origin);
  } catch (e) {
    if (e instanceof CcssoError) throw e;
    throw fetchFailure(`signin request to ${url.origin}`, url, ctx.env, transport.proxy, DEFAULT_TIMEOUT_MS, e);
  }
  let json: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) json = parsed;
  } catch {
    // An error page that is not JSON: the status says enough.
  }
  const requestId = res.headers.get("x-amzn-requestid") ?? undefined;
  if (!res.ok) {
    const rawType =
      res.headers.get("x-amzn-errortype") ??
      (typeof json.__type === "string" ? json.__type : typeof json.code === "string" ? json.code : undefined);
    const awsType = rawType?.split(":")[0]?.split("#").pop();
    // AccessDeniedException carries the reason in `error`: TOKEN_EXPIRED, USER_CREDENTIALS_CHANGED, INSUFFICIENT_PERMISSIONS.
    const reason = typeof json.error === "string" ? json.error : undefined;
    throw new RemoteError(
      `AWS Sign-In refused to renew the aws login session (${[awsType, reason].filter(Boolean).join(" ") || `HTTP ${res.status}`})`,
      {
        service: "signin",
        operation: "CreateOAuth2Token",
        awsType: reason ?? awsType,
        status: res.status,
        requestId,
        endpoint: url.origin,
      },
    );
  }
  const at = json.accessToken as Record<string, unknown> | undefined;
  const ok =
    at &&
    typeof at.accessKeyId === "string" &&
    typeof at.secretAccessKey === "string" &&
    typeof at.sessionToken === "string" &&
    typeof json.expiresIn === "number" &&
    typeof json.refreshToken === "string";
  if (!ok)
    throw new RemoteError("AWS Sign-In answered CreateOAuth2Token without credentials and a refresh token", {
      service: "signin",
      operation: "CreateOAuth2Token",
      status: res.status,
      requestId,
      endpoint: url.origin,
    });
  return {
    accessKeyId: at.accessKeyId as string,
    secretAccessKey: at.secretAccessKey as string,
    sessionToken: at.sessionToken as string,
    expiresIn: json.expiresIn as number,
    refreshToken: json.refreshToken as string,
  };
}
