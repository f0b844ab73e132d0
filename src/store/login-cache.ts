// The `aws login` credential cache (docs/protocols.md §3.11): `~/.aws/login/cache/<sha256(session)>.json`,
// relocated by AWS_LOGIN_CACHE_DIRECTORY as in botocore. Written in Python's json.dumps style (botocore's
// JSONFileCache), 0600, replaced atomically, so the AWS CLI and ccsso renew each other's sessions.
import { join } from "node:path";
import { loginCacheKey, parseLoginToken, type LoginToken } from "../core/login-session";
import { pythonJsonDumps, type PythonJsonValue } from "../core/python-json";
import { registerSecret } from "../core/redact";
import type { Env } from "../platform/context";
import { debugLog, type DebugContext } from "../platform/debug-log";
import { expandHome } from "../platform/paths";
import { atomicWriteFile } from "./atomic-file";
import { readJsonObject } from "./json-cache-file";

export function loginCacheDir(env: Env): string {
  return expandHome(env.AWS_LOGIN_CACHE_DIRECTORY || "~/.aws/login/cache", env);
}

export function loginCachePath(env: Env, session: string): string {
  return join(loginCacheDir(env), `${loginCacheKey(session)}.json`);
}

/** The session's file, or why it cannot be used (missing, damaged, incomplete). */
export function readLoginCache(ctx: DebugContext & { env: Env }, session: string): LoginToken | { problem: string } {
  const path = loginCachePath(ctx.env, session);
  const raw = readJsonObject(ctx, path, "aws login cache");
  if (!raw) return { problem: `there is no usable aws login cache file ${path}` };
  const token = parseLoginToken(raw);
  if ("problem" in token) {
    debugLog(ctx, `aws login cache ${path}: ${token.problem}`);
    return { problem: `the aws login cache file ${path} is incomplete (${token.problem})` };
  }
  for (const s of [token.credentials.secretAccessKey, token.credentials.sessionToken, token.refreshToken, token.dpopKey]) registerSecret(s);
  return token;
}

export function writeLoginCache(env: Env, session: string, file: Record<string, unknown>): void {
  atomicWriteFile(loginCachePath(env, session), pythonJsonDumps(file as PythonJsonValue), { mode: 0o600 });
}
