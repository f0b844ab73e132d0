// The one way ccsso writes itself into git's configuration as a credential helper: the value setup-git
// stores in `credential.<url>.helper`, and the GIT_CONFIG_KEY_n/VALUE_n entries the codecommit:// remote
// helper and `ccsso clone` hand to a child git for one host.
//
// How git runs a helper value (docs/protocols.md §4.4): a value starting with `!` is a shell snippet
// (the rest runs through `sh -c`); a value that is an absolute path runs through the shell as it is;
// anything else becomes `git credential-<value>`. A path that needs quoting — a space, a quote, and every
// Windows path with its backslashes — starts with a quote, which is not an absolute path, so without the
// `!` git would run `git credential-'/my tools/ccsso'` and fail. Hence: always `!`, then every word in
// POSIX single quotes where needed. On Windows git's shell is Git for Windows' MSYS sh, which reads the
// same quoting; the executable is written with forward slashes there (a lossless change: no Windows file
// name holds a `/`), the form Git for Windows itself writes for helper paths.
import type { Context, Env } from "../platform/context";
import { commandLine } from "../core/shell-quote";
import { selfArgv } from "../platform/self-path";

/** The words of one helper command as a git config value git runs through its shell. */
export function helperValue(argv: string[], platform: NodeJS.Platform = process.platform): string {
  const words = platform === "win32" ? argv.map((w, i) => (i === 0 || /\.ts$/i.test(w) ? w.replace(/\\/g, "/") : w)) : argv;
  return "!" + commandLine(words);
}

/** `ccsso credential-helper [--profile P] [--region R]` as a helper value, for this very executable. */
export function credentialHelperValue(
  env: Env,
  opts: { profile?: string; region?: string; stable?: boolean; platform?: NodeJS.Platform } = {},
): string {
  const argv = [...selfArgv(env, { stable: opts.stable }), "credential-helper"];
  if (opts.profile) argv.push("--profile", opts.profile);
  // A custom endpoint carries no region in its host name: the helper is told which one to sign for.
  if (opts.region) argv.push("--region", opts.region);
  return helperValue(argv, opts.platform);
}

// What setup-git has ever written: `[!]<path ending in ccsso[.exe] or main.ts, maybe quoted> credential-helper
// [--profile P]`. The old form had no `!`; both are recognised so an upgrade replaces the old line and
// --uninstall removes either. Profile names are limited to characters that never need quoting.
const OURS = /^(!)?.*(?:^|[/\\'!])(?:ccsso(?:\.exe)?|main\.ts)'? credential-helper(?: --profile ([A-Za-z0-9_.@+=,:-]+))?$/;

/** Is `value` a helper line setup-git writes (any ccsso path, any profile, old or new form)? */
export function isOurHelper(value: string): boolean {
  return OURS.test(value);
}

/** The `--profile` a helper line of ours names, or undefined (none named, or not ours). */
export function helperLineProfile(value: string): string | undefined {
  return OURS.exec(value)?.[2];
}

/** POSIX ERE for `git config --unset-all KEY VALUE_REGEX`, matching the values isOurHelper recognises. */
export function ourHelperRegex(): string {
  return "(ccsso(\\.exe)?|main\\.ts)'? credential-helper( --profile [^ ]+)?$";
}

/** GIT_CONFIG_COUNT/KEY_n/VALUE_n entries after any the caller already set (git-config(1) "ENVIRONMENT"). */
export function appendGitConfig(env: Env, entries: Array<[string, string]>): Record<string, string> {
  const n = Number.parseInt(env.GIT_CONFIG_COUNT ?? "0", 10);
  const start = Number.isFinite(n) && n > 0 ? n : 0;
  const out: Record<string, string> = {};
  entries.forEach(([k, v], i) => {
    out[`GIT_CONFIG_KEY_${start + i}`] = k;
    out[`GIT_CONFIG_VALUE_${start + i}`] = v;
  });
  out.GIT_CONFIG_COUNT = String(start + entries.length);
  return out;
}

/**
 * The environment that makes a child git use ccsso, and only ccsso, for `https://HOST`: an empty helper
 * (nothing stores the password), ours, and useHttpPath (no path, nothing to sign). Used by the
 * codecommit:// remote helper and by `ccsso clone`, so both run exactly the same line.
 */
export function helperEnvForHost(
  ctx: Pick<Context, "env">,
  host: string,
  opts: { profile?: string; region?: string },
): Record<string, string> {
  const scope = `credential.https://${host}`;
  return appendGitConfig(ctx.env, [
    [`${scope}.helper`, ""],
    [`${scope}.helper`, credentialHelperValue(ctx.env, { profile: opts.profile, region: opts.region })],
    [`${scope}.useHttpPath`, "true"],
  ]);
}
