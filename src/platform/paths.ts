// Where the files live (docs/protocols.md §1.1, §2.1). Every function takes the environment so tests
// never touch real homes.
import { join } from "node:path";
import type { Env } from "./context";

export function homeDir(env: Env): string {
  // Like the JS SDK's getHomeDir: HOME, then USERPROFILE, then HOMEDRIVE+HOMEPATH, then the OS.
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEPATH) return `${env.HOMEDRIVE ?? "C:"}${env.HOMEPATH}`;
  // node:os only as the last resort: loading it costs ~0.3 ms on every start, and HOME is almost always set.
  return (require("node:os") as typeof import("node:os")).homedir();
}

/** `~user`-free expansion of a leading `~/`, as botocore's expanduser does for the current user. */
export function expandHome(path: string, env: Env): string {
  if (path === "~") return homeDir(env);
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(homeDir(env), path.slice(2));
  return path;
}

export function awsConfigPath(env: Env): string {
  return expandHome(env.AWS_CONFIG_FILE || "~/.aws/config", env);
}

export function awsCredentialsPath(env: Env): string {
  return expandHome(env.AWS_SHARED_CREDENTIALS_FILE || "~/.aws/credentials", env);
}

/** `~/.aws/sso/cache`: no variable relocates it in the AWS CLI or the SDKs (docs/protocols.md §2.1). */
export function ssoCacheDir(env: Env): string {
  return join(homeDir(env), ".aws", "sso", "cache");
}

/** `~/.aws/cli/cache`: the AWS CLI's role-credential cache (docs/protocols.md §2.5). */
export function cliCacheDir(env: Env): string {
  return join(homeDir(env), ".aws", "cli", "cache");
}

export function settingsPath(env: Env): string {
  const base = env.XDG_CONFIG_HOME || join(homeDir(env), ".config");
  return join(base, "ccsso", "config.toml");
}
