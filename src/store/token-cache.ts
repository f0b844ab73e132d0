// The SSO token cache shared with the AWS CLI and SDKs (docs/protocols.md §2.1, §2.3):
// `~/.aws/sso/cache/<sha1>.json`, written on one line in Python json.dumps style with the CLI's key
// order, 0600 in a 0700 directory, atomically. Read in any of the three timestamp forms.
import { join } from "node:path";
import { tokenCacheKey } from "../core/cache-keys";
import { pythonJsonDumps } from "../core/python-json";
import { registerSecret } from "../core/redact";
import { parseCacheTimestamp } from "../core/timestamps";
import type { SsoLogin, SsoTokenFile } from "../core/types";
import type { Env } from "../platform/context";
import { debugLog, type DebugContext } from "../platform/debug-log";
import { ssoCacheDir } from "../platform/paths";
import { atomicWriteFile, removeFileIfExists } from "./atomic-file";
import { readJsonObject, stringField } from "./json-cache-file";

export interface CachedToken {
  path: string;
  token: SsoTokenFile;
  /** expiresAt as epoch ms. */
  expiresAt: number;
  /** registrationExpiresAt as epoch ms, when present and readable. */
  registrationExpiresAt?: number;
}

export function tokenCachePath(env: Env, login: SsoLogin): string {
  return join(ssoCacheDir(env), `${tokenCacheKey(login)}.json`);
}

// The AWS CLI's field order (CLI ≥ 2.7.32); anything else a file held is dropped, as the CLI does.
const fieldOrder = [
  "startUrl",
  "region",
  "accessToken",
  "expiresAt",
  "clientId",
  "clientSecret",
  "registrationExpiresAt",
  "refreshToken",
] as const;

export function serializeTokenFile(token: SsoTokenFile): string {
  const out: Record<string, string> = {};
  for (const k of fieldOrder) {
    const v = token[k];
    if (typeof v === "string") out[k] = v;
  }
  return pythonJsonDumps(out);
}

/** Validate a parsed token object; undefined (with the reason) when it is unusable. */
export function tokenFromJson(
  obj: Record<string, unknown>,
): { token: SsoTokenFile; expiresAt: number; registrationExpiresAt?: number } | string {
  const accessToken = stringField(obj, "accessToken");
  const expiresAtText = stringField(obj, "expiresAt");
  if (!accessToken) return "it has no accessToken";
  if (!expiresAtText) return "it has no expiresAt";
  const expiresAt = parseCacheTimestamp(expiresAtText);
  if (expiresAt === undefined) return `its expiresAt "${expiresAtText}" is not a timestamp`;
  const token: SsoTokenFile = { accessToken, expiresAt: expiresAtText };
  for (const k of ["startUrl", "region", "clientId", "clientSecret", "registrationExpiresAt", "refreshToken"] as const) {
    const v = stringField(obj, k);
    if (v !== undefined) token[k] = v;
  }
  const registrationExpiresAt = parseCacheTimestamp(token.registrationExpiresAt);
  return registrationExpiresAt === undefined ? { token, expiresAt } : { token, expiresAt, registrationExpiresAt };
}

export function readTokenCache(ctx: DebugContext & { env: Env }, login: SsoLogin): CachedToken | undefined {
  const path = tokenCachePath(ctx.env, login);
  const obj = readJsonObject(ctx, path, "SSO token cache");
  if (!obj) return undefined;
  const parsed = tokenFromJson(obj);
  if (typeof parsed === "string") {
    debugLog(ctx, `SSO token cache ${path} is unusable: ${parsed}; treating it as missing`);
    return undefined;
  }
  registerSecret(parsed.token.accessToken);
  registerSecret(parsed.token.refreshToken);
  registerSecret(parsed.token.clientSecret);
  return { path, ...parsed };
}

export function writeTokenCache(env: Env, login: SsoLogin, token: SsoTokenFile): string {
  const path = tokenCachePath(env, login);
  atomicWriteFile(path, serializeTokenFile(token), { mode: 0o600, forceMode: true, privateDir: true });
  return path;
}

/** Delete the token file; false when there was none. */
export function deleteTokenCache(env: Env, login: SsoLogin): boolean {
  return removeFileIfExists(tokenCachePath(env, login));
}
