// The AWS CLI's role-credential cache (docs/protocols.md §2.5): `~/.aws/cli/cache/<key>.json`
// holding `{"ProviderType": "sso", "Credentials": {...}}`. Sharing it means `aws sso logout` cleans
// what ccsso cached, and the AWS CLI and ccsso reuse each other's credentials.
import { readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { pythonJsonDumps } from "../core/python-json";
import { registerSecret } from "../core/redact";
import { formatCacheTimestamp, parseCacheTimestamp } from "../core/timestamps";
import type { Env } from "../platform/context";
import { debugLog, type DebugContext } from "../platform/debug-log";
import { cliCacheDir } from "../platform/paths";
import { atomicWriteFile, removeFileIfExists } from "./atomic-file";
import { readJsonObject, stringField } from "./json-cache-file";

export interface CachedRoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiration: number;
  accountId?: string;
}

export function roleCredentialsCachePath(env: Env, key: string): string {
  return join(cliCacheDir(env), `${key}.json`);
}

export function serializeRoleCredentials(c: CachedRoleCredentials): string {
  return pythonJsonDumps({
    ProviderType: "sso",
    Credentials: {
      AccessKeyId: c.accessKeyId,
      SecretAccessKey: c.secretAccessKey,
      SessionToken: c.sessionToken,
      Expiration: formatCacheTimestamp(c.expiration),
      AccountId: c.accountId,
    },
  });
}

export function readRoleCredentialsCache(ctx: DebugContext & { env: Env }, key: string): CachedRoleCredentials | undefined {
  const path = roleCredentialsCachePath(ctx.env, key);
  const obj = readJsonObject(ctx, path, "role credentials cache");
  if (!obj) return undefined;
  const c = obj.Credentials;
  if (typeof c !== "object" || c === null || Array.isArray(c)) {
    debugLog(ctx, `role credentials cache ${path} has no Credentials object; ignoring it`);
    return undefined;
  }
  const creds = c as Record<string, unknown>;
  const accessKeyId = stringField(creds, "AccessKeyId");
  const secretAccessKey = stringField(creds, "SecretAccessKey");
  const sessionToken = stringField(creds, "SessionToken");
  const expiration = parseCacheTimestamp(stringField(creds, "Expiration"));
  if (!accessKeyId || !secretAccessKey || !sessionToken || expiration === undefined) {
    debugLog(ctx, `role credentials cache ${path} is incomplete; ignoring it`);
    return undefined;
  }
  registerSecret(secretAccessKey);
  registerSecret(sessionToken);
  const out: CachedRoleCredentials = { accessKeyId, secretAccessKey, sessionToken, expiration };
  const accountId = stringField(creds, "AccountId");
  if (accountId) out.accountId = accountId;
  return out;
}

export function writeRoleCredentialsCache(env: Env, key: string, c: CachedRoleCredentials): void {
  atomicWriteFile(roleCredentialsCachePath(env, key), serializeRoleCredentials(c), { mode: 0o600, forceMode: true, privateDir: true });
}

/** What STS AssumeRole answered, as botocore caches it (docs/protocols.md §2.7). */
export interface AssumedRoleResponse extends CachedRoleCredentials {
  assumedRoleId: string;
  assumedRoleArn: string;
  requestId?: string;
}

/**
 * The AWS CLI's assume-role cache entry: the AssumeRole response as botocore holds it, written by
 * JSONFileCache (`json.dumps` with its default separators, no ProviderType, `Expiration` as
 * `%Y-%m-%dT%H:%M:%S%Z`, which is `…UTC` for STS's times) plus the AccountId botocore adds.
 */
export function serializeAssumedRole(r: AssumedRoleResponse): string {
  return pythonJsonDumps({
    Credentials: {
      AccessKeyId: r.accessKeyId,
      SecretAccessKey: r.secretAccessKey,
      SessionToken: r.sessionToken,
      Expiration: formatCacheTimestamp(r.expiration).replace(/Z$/, "UTC"),
      AccountId: r.accountId,
    },
    AssumedRoleUser: { AssumedRoleId: r.assumedRoleId, Arn: r.assumedRoleArn },
    ResponseMetadata: { RequestId: r.requestId, HTTPStatusCode: 200, RetryAttempts: 0 },
  });
}

export function writeAssumedRoleCache(env: Env, key: string, r: AssumedRoleResponse): void {
  atomicWriteFile(roleCredentialsCachePath(env, key), serializeAssumedRole(r), { mode: 0o600, forceMode: true, privateDir: true });
}

export function deleteRoleCredentialsCache(env: Env, key: string): boolean {
  return removeFileIfExists(roleCredentialsCachePath(env, key));
}

/** Delete every `ProviderType: sso` entry, as the AWS CLI's SSOCredentialSweeper does; returns how many. */
export function sweepSsoRoleCredentials(ctx: DebugContext & { env: Env }): number {
  const dir = cliCacheDir(ctx.env);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith(".json")) continue;
    const obj = readJsonObject({ debug: false, stderr: ctx.stderr }, join(dir, name), "cli cache entry");
    if (obj?.ProviderType !== "sso") continue;
    try {
      unlinkSync(join(dir, name));
      removed++;
    } catch (e) {
      debugLog(ctx, `could not delete ${join(dir, name)}: ${(e as Error).message}`);
    }
  }
  return removed;
}
