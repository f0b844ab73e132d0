// `credential-helper erase` (git sends it after a 401 to the credentials it used): drop the profile's
// cached SSO role (or assumed-role) credentials, but only when they are still the rejected ones — another helper may have
// fetched fresh credentials in the meantime (the aws-vault rule, docs/architecture.md §6).
import { assumeRoleCacheKey, roleCredentialsCacheKey } from "../core/cache-keys";
import { assumesRole, resolveRoleChain } from "../core/role-chain";
import { chooseProfile, profileValues, resolveSsoProfile } from "../core/aws-config";
import type { Context } from "../platform/context";
import { loadAwsConfig } from "../store/aws-config-files";
import { deleteRoleCredentialsCache, readRoleCredentialsCache } from "../store/role-credentials-cache";

export async function forgetCachedRoleCredentials(ctx: Context, opts: { profile?: string; accessKeyId: string }): Promise<boolean> {
  const cfg = loadAwsConfig(ctx.env);
  const name = chooseProfile(cfg, opts.profile, ctx.env, "credentials").name;
  const values = profileValues(cfg, name);
  if (!values) return false;
  let key: string;
  if (assumesRole(values)) {
    // The role git signed with is the top of the chain; the roles below it stay cached.
    let chain;
    try {
      chain = resolveRoleChain(cfg, name);
    } catch {
      return false;
    }
    key = assumeRoleCacheKey(chain.steps.at(-1)!.args);
  } else {
    const sso = resolveSsoProfile(cfg, name);
    if (!sso) return false;
    key = roleCredentialsCacheKey(sso);
  }
  const cached = readRoleCredentialsCache(ctx, key);
  if (!cached || cached.accessKeyId !== opts.accessKeyId) return false;
  return deleteRoleCredentialsCache(ctx.env, key);
}
