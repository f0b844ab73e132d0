// The AWS CLI's client-registration cache (docs/protocols.md §2.4): one file per (start URL,
// region, scopes, session) shared by both login flows, so ccsso and `aws sso login` reuse one
// RegisterClient result instead of creating a new OIDC client on every login.
import { join } from "node:path";
import { registrationCacheKey } from "../core/cache-keys";
import { pythonJsonDumps } from "../core/python-json";
import { registerSecret } from "../core/redact";
import { parseCacheTimestamp } from "../core/timestamps";
import type { SsoLogin } from "../core/types";
import type { Env } from "../platform/context";
import { debugLog, type DebugContext } from "../platform/debug-log";
import { ssoCacheDir } from "../platform/paths";
import { atomicWriteFile } from "./atomic-file";
import { readJsonObject, stringField, stringListField } from "./json-cache-file";

export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
  /** `%Y-%m-%dT%H:%M:%SZ`, from RegisterClient's clientSecretExpiresAt. */
  expiresAt: string;
  scopes?: string[];
  /** Present (authorization_code, refresh_token) only for PKCE registrations. */
  grantTypes?: string[];
}

export function registrationCachePath(env: Env, login: SsoLogin): string {
  return join(ssoCacheDir(env), `${registrationCacheKey(login)}.json`);
}

export function serializeRegistration(r: ClientRegistration): string {
  return pythonJsonDumps({
    clientId: r.clientId,
    clientSecret: r.clientSecret,
    expiresAt: r.expiresAt,
    scopes: r.scopes,
    grantTypes: r.grantTypes,
  });
}

export function readRegistrationCache(
  ctx: DebugContext & { env: Env },
  login: SsoLogin,
): (ClientRegistration & { expiresAtMs: number }) | undefined {
  const path = registrationCachePath(ctx.env, login);
  const obj = readJsonObject(ctx, path, "client registration cache");
  if (!obj) return undefined;
  const clientId = stringField(obj, "clientId");
  const clientSecret = stringField(obj, "clientSecret");
  const expiresAt = stringField(obj, "expiresAt");
  const expiresAtMs = parseCacheTimestamp(expiresAt);
  if (!clientId || !clientSecret || !expiresAt || expiresAtMs === undefined) {
    debugLog(ctx, `client registration cache ${path} lacks clientId, clientSecret or a valid expiresAt; registering again`);
    return undefined;
  }
  registerSecret(clientSecret);
  const reg: ClientRegistration & { expiresAtMs: number } = { clientId, clientSecret, expiresAt, expiresAtMs };
  const scopes = stringListField(obj, "scopes");
  const grantTypes = stringListField(obj, "grantTypes");
  if (scopes) reg.scopes = scopes;
  if (grantTypes) reg.grantTypes = grantTypes;
  return reg;
}

export function writeRegistrationCache(env: Env, login: SsoLogin, r: ClientRegistration): void {
  atomicWriteFile(registrationCachePath(env, login), serializeRegistration(r), { mode: 0o600, forceMode: true, privateDir: true });
}
