// Signing out (docs/protocols.md §3.7): Logout at the portal (failures only
// logged: the local files go either way), then the token file and the role credentials made from it.
import { readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { roleCredentialsCacheKey } from "../core/cache-keys";
import { profileNames, resolveSsoProfile, type AwsConfig } from "../core/aws-config";
import type { SsoLogin } from "../core/types";
import type { Context } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { ssoCacheDir } from "../platform/paths";
import { readJsonObject, stringField } from "../store/json-cache-file";
import { deleteRoleCredentialsCache, sweepSsoRoleCredentials } from "../store/role-credentials-cache";
import { deleteTokenCache, readTokenCache } from "../store/token-cache";

async function callLogout(ctx: Context, cfg: AwsConfig, region: string, accessToken: string, profile: string | undefined): Promise<void> {
  try {
    const { resolveSsoEndpoints } = await import("../aws/endpoints");
    const { createPortalClient } = await import("../aws/portal");
    const portal = await createPortalClient({ endpoint: resolveSsoEndpoints(cfg, profile, region, ctx.env).portal, region, ctx });
    await portal.logout(accessToken);
  } catch (e) {
    // Like the AWS CLI: the session may already be gone at the portal; removing our copy is what matters.
    debugLog(ctx, `Logout call failed: ${(e as Error).message}`);
  }
}

function sameSession(a: SsoLogin, b: SsoLogin): boolean {
  if (a.kind === "session" && b.kind === "session") return a.sessionName === b.sessionName;
  return a.kind === "legacy" && b.kind === "legacy" && a.startUrl === b.startUrl;
}

/** Log out of one session; returns whether a token was cached and how many role credentials were removed. */
export async function logoutSession(
  ctx: Context,
  cfg: AwsConfig,
  login: SsoLogin,
  opts: { profile?: string } = {},
): Promise<{ hadToken: boolean; removedCredentials: number }> {
  const cached = readTokenCache(ctx, login);
  if (cached) {
    await callLogout(ctx, cfg, cached.token.region ?? login.region, cached.token.accessToken, opts.profile);
    deleteTokenCache(ctx.env, login);
  } else {
    // An unreadable file is still ours to remove.
    deleteTokenCache(ctx.env, login);
  }
  let removed = 0;
  // The role-credential cache is keyed by (account, role, session), so find every profile on this session.
  for (const name of profileNames(cfg)) {
    let p;
    try {
      p = resolveSsoProfile(cfg, name);
    } catch {
      continue; // an inconsistent profile elsewhere in the file is not this command's business
    }
    if (p && sameSession(p.login, login) && deleteRoleCredentialsCache(ctx.env, roleCredentialsCacheKey(p))) removed++;
  }
  return { hadToken: cached !== undefined, removedCredentials: removed };
}

/** `aws sso logout`: every token in the SSO cache (Logout where a region is known), every sso role credential. */
export async function logoutAll(ctx: Context, cfg: AwsConfig): Promise<{ tokens: number; removedCredentials: number }> {
  const dir = ssoCacheDir(ctx.env);
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {}
  let tokens = 0;
  for (const name of names) {
    const path = join(dir, name);
    const obj = readJsonObject({ debug: false, stderr: ctx.stderr }, path, "SSO cache file");
    // Registration files have no accessToken and are kept, as the AWS CLI's SSOTokenSweeper does.
    if (!obj || !("accessToken" in obj)) continue;
    const accessToken = stringField(obj, "accessToken");
    const region = stringField(obj, "region");
    if (accessToken && region) await callLogout(ctx, cfg, region, accessToken, undefined);
    try {
      unlinkSync(path);
      tokens++;
    } catch (e) {
      debugLog(ctx, `could not delete ${path}: ${(e as Error).message}`);
    }
  }
  return { tokens, removedCredentials: sweepSsoRoleCredentials(ctx) };
}
