// File names of the AWS CLI's caches, so ccsso and the AWS CLI share one token, one client
// registration and one set of role credentials (docs/protocols.md §2.3–2.5).
// Bun.CryptoHasher, not node:crypto: the credential helper's warm path computes the role-credential
// key, and node:crypto costs ~3 ms to load in a compiled binary (docs/architecture.md §3).
import { pythonJsonDumps } from "./python-json";
import type { AssumeRoleArgs } from "./role-chain";
import type { SsoLogin } from "./types";

export function sha1Hex(text: string): string {
  return new Bun.CryptoHasher("sha1").update(text).digest("hex");
}

/** `~/.aws/sso/cache/<key>.json`: sha1 of the session name, or of the legacy start URL byte for byte. */
export function tokenCacheKey(login: SsoLogin): string {
  return sha1Hex(login.kind === "session" ? login.sessionName : login.startUrl);
}

/**
 * The client-registration file: sha1 of json.dumps(args, sort_keys=True) (`BaseSSOTokenFetcher.
 * _registration_cache_key`). `scopes` is the list as configured — null when the key is absent.
 */
export function registrationCacheKey(login: SsoLogin): string {
  const args = {
    tool: "botocore",
    startUrl: login.startUrl,
    region: login.region,
    scopes: login.kind === "session" && login.scopes !== undefined ? login.scopes : null,
    session_name: login.kind === "session" ? login.sessionName : null,
  };
  return sha1Hex(pythonJsonDumps(args, { sortKeys: true }));
}

/**
 * `~/.aws/cli/cache/<key>.json`: sha1 of json.dumps(args, sort_keys=True, separators=(',', ':'))
 * (`SSOCredentialFetcher._create_cache_key`); sessionName for sso-session profiles, startUrl for legacy.
 */
export function roleCredentialsCacheKey(p: { login: SsoLogin; accountId: string; roleName: string }): string {
  const args: Record<string, string> = { roleName: p.roleName, accountId: p.accountId };
  if (p.login.kind === "session") args.sessionName = p.login.sessionName;
  else args.startUrl = p.login.startUrl;
  // The CLI then replaces ':', '/' and os.sep with '_' — a no-op on a hex digest.
  return sha1Hex(pythonJsonDumps(args, { sortKeys: true, separators: [",", ":"] }));
}

/**
 * `~/.aws/cli/cache/<key>.json` for an assumed role: sha1 of json.dumps(args, sort_keys=True) with the
 * default separators (`BaseAssumeRoleCredentialFetcher._create_cache_key`), args being the AssumeRole
 * arguments from the profile — RoleSessionName only when the profile sets it (a generated name would
 * change the key every time), never the MFA code (docs/protocols.md §2.7).
 */
export function assumeRoleCacheKey(args: AssumeRoleArgs): string {
  const hashed: Record<string, string | number> = { ...args };
  // The CLI then replaces ':', '/' and os.sep with '_' — a no-op on a hex digest.
  return sha1Hex(pythonJsonDumps(hashed, { sortKeys: true }));
}
