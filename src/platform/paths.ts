// Where the files live (docs/protocols.md §1.1, §2.1). Every function takes the environment so tests
// never touch real homes, and the platform so the Windows rules are tested on any machine.
import { posix, win32 } from "node:path";
import type { Env } from "./context";

/**
 * The home directory as the AWS CLI finds it — Python's `os.path.expanduser("~")` — so both tools read
 * the same `~/.aws`. On Windows (Python ≥ 3.8) that is USERPROFILE, else HOMEDRIVE+HOMEPATH, and HOME is
 * ignored: Git Bash, MSYS and many corporate setups set HOME to somewhere else, and reading it would
 * split the sessions of the two tools. Elsewhere it is HOME (set but empty: the root, as in Python), and
 * only without HOME the password database.
 */
export function homeDir(env: Env, platform: string = process.platform): string {
  if (platform === "win32") {
    // An empty USERPROFILE puts Python's `~\\.aws` at the root of the current drive.
    if (env.USERPROFILE !== undefined) return env.USERPROFILE || "\\";
    if (env.HOMEPATH !== undefined) return win32.join(env.HOMEDRIVE ?? "", env.HOMEPATH);
    // Python leaves `~` unexpanded here (a relative `~\.aws`); the profile directory the OS knows is a
    // better answer than a directory named `~` in whatever the current directory is.
    return osHome();
  }
  // Python drops trailing slashes, and an empty HOME leaves the root.
  if (env.HOME !== undefined) return env.HOME.replace(/\/+$/, "") || "/";
  return osHome();
}

function osHome(): string {
  // node:os only as the last resort: loading it costs ~0.3 ms on every start, and the variables are almost always set.
  return (require("node:os") as typeof import("node:os")).homedir();
}

/** The path functions of `platform` (node:path's defaults are this machine's, not the one under test). */
function pathsOf(platform: string): typeof posix {
  return platform === "win32" ? win32 : posix;
}

/**
 * A leading `~` expanded as botocore's `os.path.expanduser` does for the current user: `~` alone, or
 * followed by a separator — `/` everywhere, `\` too on Windows. `~user` is left as it is.
 */
export function expandHome(path: string, env: Env, platform: string = process.platform): string {
  if (path === "~") return homeDir(env, platform);
  if (path.startsWith("~/") || (platform === "win32" && path.startsWith("~\\")))
    return pathsOf(platform).join(homeDir(env, platform), path.slice(2));
  return path;
}

export function awsConfigPath(env: Env, platform: string = process.platform): string {
  return expandHome(env.AWS_CONFIG_FILE || "~/.aws/config", env, platform);
}

export function awsCredentialsPath(env: Env, platform: string = process.platform): string {
  return expandHome(env.AWS_SHARED_CREDENTIALS_FILE || "~/.aws/credentials", env, platform);
}

/** `~/.aws/sso/cache`: no variable relocates it in the AWS CLI or the SDKs (docs/protocols.md §2.1). */
export function ssoCacheDir(env: Env, platform: string = process.platform): string {
  return pathsOf(platform).join(homeDir(env, platform), ".aws", "sso", "cache");
}

/** `~/.aws/cli/cache`: the AWS CLI's role-credential cache (docs/protocols.md §2.5). */
export function cliCacheDir(env: Env, platform: string = process.platform): string {
  return pathsOf(platform).join(homeDir(env, platform), ".aws", "cli", "cache");
}

/** ccsso's own settings: the same `~/.config` place on every OS, so one set of docs fits all. */
export function settingsPath(env: Env, platform: string = process.platform): string {
  const { join } = pathsOf(platform);
  const base = env.XDG_CONFIG_HOME || join(homeDir(env, platform), ".config");
  return join(base, "ccsso", "config.toml");
}
