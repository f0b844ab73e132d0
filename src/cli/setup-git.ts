// `ccsso setup-git` (docs/protocols.md §4.4). Model: GitHub CLI's setupgit —
// per URL pattern, an EMPTY helper first (git ≥ 2.9 clears the helper list there, cutting osxkeychain, GCM
// and `store` off CodeCommit only), then ours by absolute path as a `!` shell line (git-helper-line.ts),
// then useHttpPath (without it git sends no repository path and no password can be signed). Idempotent; --uninstall removes exactly these entries.
import { isShellName } from "../core/shell-syntax";
import { guessShell, shellInitLine } from "./shell-init";
import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { chooseProfile, profileNames, profileValues, type AwsConfig } from "../core/aws-config";
import { didYouMean } from "../core/did-you-mean";
import { ProfileNotFoundError, UsageError } from "../core/errors";
import { sanitizeLine } from "../core/terminal-text";
import type { Context, Env } from "../platform/context";
import { executableFileName, HELPER_PROGRAMS } from "../platform/program-name";
import { matchProgram } from "../platform/same-program";
import type { setupGit } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { gitConfig, gitConfigGetAll, gitVersion, type GitConfigScope } from "../platform/git";
import { isCompiledBinary, stableExecutablePath } from "../platform/self-path";
import { loadAwsConfig } from "../store/aws-config-files";
import { loadSettings, type CcssoSettings } from "../store/settings";
import { credentialHelperValue, isOurHelper, ourHelperRegex } from "./git-helper-line";

/** One `*` matches exactly one DNS label (git urlmatch.c), so these five cover every CodeCommit git host. */
export const CODECOMMIT_URL_PATTERNS = [
  "https://git-codecommit.*.amazonaws.com",
  "https://git-codecommit-fips.*.amazonaws.com",
  "https://git-codecommit.*.amazonaws.com.cn",
  "https://*.git-codecommit.*.vpce.amazonaws.com",
  "https://*.git-codecommit-fips.*.vpce.amazonaws.com",
] as const;

export const LINK_NAMES = HELPER_PROGRAMS;

export interface SetupGitOptions {
  profile?: string;
  scope: GitConfigScope;
  uninstall: boolean;
}

export function setupGitOptions(opts: OptionsOf<typeof setupGit>): SetupGitOptions {
  const scopes = (["global", "system", "local"] as const).filter((s) => opts[s]);
  if (scopes.length > 1) throw new UsageError(`choose one of --${scopes.join(", --")}`, "run: ccsso setup-git --global");
  const profile = opts.profile !== "" ? opts.profile : undefined;
  if (profile !== undefined && !/^[A-Za-z0-9_.@+=,:-]+$/.test(profile)) {
    throw new UsageError(
      `profile name "${profile}" cannot be written into a git helper command`,
      "use a profile name of letters, digits and _.@+=,:-",
    );
  }
  return { profile, scope: scopes[0] ?? "global", uninstall: opts.uninstall };
}

/** The helper value setup-git writes: this executable by its PATH path, run through git's shell. */
export function helperCommand(ctx: Context, profile?: string): string {
  return credentialHelperValue(ctx.env, { profile, stable: true });
}

export async function run(opts: OptionsOf<typeof setupGit>, _args: string[], ctx: Context): Promise<number> {
  const o = setupGitOptions(opts);
  const io = { env: ctx.env, cwd: ctx.cwd };
  const v = gitVersion(io);
  if (!v) throw new UsageError("git was not found on PATH", "install git 2.31 or newer");
  const lines: string[] = [];
  if (o.uninstall) {
    for (const pattern of CODECOMMIT_URL_PATTERNS) lines.push(...uninstallPattern(o.scope, pattern, io));
    const allow = gitConfigGetAll(o.scope, "protocol.codecommit.allow", io);
    if (allow.length === 1 && allow[0] === "always") {
      gitConfig(o.scope, ["--unset-all", "protocol.codecommit.allow"], io);
      lines.push("removed protocol.codecommit.allow");
    }
    lines.push(...removeLinks(ctx));
    ctx.stdout.write(
      lines.length > 0
        ? `Removed ccsso from git (${o.scope}):\n${lines.map((l) => `  ${l}\n`).join("")}`
        : `ccsso was not set up in git (${o.scope}); nothing to remove\n`,
    );
    return 0;
  }
  if (v[0] < 2 || (v[0] === 2 && v[1] < 26)) {
    throw new UsageError(
      `git ${v.join(".")} cannot match wildcard credential URLs (needs 2.26 or newer)`,
      "upgrade git, then run: ccsso setup-git",
    );
  }
  // A typo here would replace working entries with ones every git operation then fails on: refuse it.
  const cfg = loadAwsConfig(ctx.env);
  if (o.profile !== undefined && !profileValues(cfg, o.profile)) {
    const names = profileNames(cfg);
    throw new ProfileNotFoundError(o.profile, names, didYouMean(o.profile, names));
  }
  if (o.profile === undefined) {
    // The helper applies the same rule whenever git runs it, so the only SSO profile is not written into
    // the helper lines: AWS_PROFILE or a [default] profile added later still decide, as in the AWS CLI.
    // A profile the person picks from several is their choice, and is written like --profile.
    // Run through the `ccsso use` shell function, the choice stays with the shell: a helper line without
    // --profile signs with whatever AWS_PROFILE `ccsso use` set where git runs.
    if (chooseProfile(cfg, undefined, ctx.env, "credentials").rule === "several candidates" && !isShellName(ctx.env.CCSSO_SHELL)) {
      const { chooseCommandProfile } = await import("./profile-choice");
      o.profile = (await chooseCommandProfile(ctx, cfg, undefined, "credentials")).profileFlag;
    }
  }
  const helper = helperCommand(ctx, o.profile);
  for (const pattern of CODECOMMIT_URL_PATTERNS) lines.push(...installPattern(o.scope, pattern, helper, io));
  const linkNotes = installLinks(ctx);
  ctx.stdout.write(
    lines.length > 0
      ? `Configured git (${o.scope}) to sign CodeCommit HTTPS passwords with ccsso:\n${lines.map((l) => `  ${l}\n`).join("")}`
      : `git (${o.scope}) was already set up for CodeCommit; nothing changed\n`,
  );
  for (const n of linkNotes) ctx.stdout.write(`  ${n}\n`);
  for (const line of await profileLines(ctx, cfg, o.profile)) ctx.stdout.write(sanitizeLine(line) + "\n");
  if (gitConfigGetAll(o.scope, "protocol.codecommit.allow", io).at(-1) !== "always") {
    // git treats unknown transports as protocol.allow=user, which refuses codecommit:// in submodules
    // (GIT_PROTOCOL_FROM_USER=0; grc #18). Not written unasked: it is a policy of the user's.
    ctx.stdout.write(`To use codecommit:// URLs in submodules, run: git config --${o.scope} protocol.codecommit.allow always\n`);
  }
  // git follows the shell's AWS_PROFILE; `ccsso use` (from the shell function) is how a person switches it.
  if (!isShellName(ctx.env.CCSSO_SHELL))
    ctx.stdout.write(`To switch profiles in your shell with ccsso use PROFILE, add: ${shellInitLine(guessShell(ctx.env))}\n`);
  return 0;
}

/** Which profile git's requests for each URL pattern will be signed with, as the helper decides it. */
async function profileLines(ctx: Context, cfg: AwsConfig, profile: string | undefined): Promise<string[]> {
  let settings: CcssoSettings | undefined;
  let settingsProblem: string | undefined;
  try {
    settings = await loadSettings(ctx.env);
  } catch (e) {
    settingsProblem = (e as Error).message;
  }
  const out = ["Profile used for each CodeCommit URL pattern:"];
  if (profile !== undefined) {
    for (const pattern of CODECOMMIT_URL_PATTERNS) out.push(`  ${pattern} → profile ${profile} (--profile)`);
    if (settings && settings.repositories.length > 0) out.push(`  (--profile wins over the [[repository]] rules in ${settings.path})`);
  } else {
    // The helper's own rule (chooseProfile), so this says what git will really get.
    const sel = chooseProfile(cfg, undefined, ctx.env, "credentials");
    const how =
      sel.rule === "only SSO profile"
        ? "the only SSO profile, while no AWS_PROFILE or [default] profile decides"
        : ctx.env.AWS_PROFILE
          ? "AWS_PROFILE"
          : ctx.env.AWS_DEFAULT_PROFILE
            ? "AWS_DEFAULT_PROFILE"
            : "the default profile";
    // Through the shell function with several profiles, nothing is pinned: `ccsso use` decides per shell.
    const perShell = sel.rule === "several candidates" && isShellName(ctx.env.CCSSO_SHELL);
    const missing = perShell || profileValues(cfg, sel.name) ? "" : ", which is not in the AWS config";
    for (const rule of settings?.repositories ?? []) out.push(`  ${rule.url} → profile ${rule.profile} (${settings!.path})`);
    for (const pattern of CODECOMMIT_URL_PATTERNS) {
      out.push(
        perShell
          ? `  ${pattern} → the shell's AWS_PROFILE when git runs (set it with: ccsso use PROFILE)`
          : `  ${pattern} → profile ${sel.name} (${how} when git runs${missing})`,
      );
    }
    if (missing) {
      const names = profileNames(cfg);
      if (names.length > 0) out.push(`To sign with one of ${names.join(", ")}, run: ccsso setup-git --profile <name> (or set AWS_PROFILE)`);
    }
  }
  if (settingsProblem) out.push(`! the ccsso settings file has an error, and the helper stops git until it is fixed: ${settingsProblem}`);
  return out;
}

function installPattern(scope: GitConfigScope, pattern: string, helper: string, io: { env: Context["env"]; cwd: string }): string[] {
  const key = `credential.${pattern}.helper`;
  const current = gitConfigGetAll(scope, key, io);
  const out: string[] = [];
  const wanted = ["", helper];
  // Already exactly [..., "", ours] with nothing of ours elsewhere: leave the file untouched.
  const tail = current.slice(-2);
  const ours = current.filter((x) => x === "" || isOurHelper(x));
  if (!(tail[0] === "" && tail[1] === helper && ours.length === 2)) {
    if (ours.length > 0) gitConfig(scope, ["--unset-all", key, "^$|" + ourHelperRegex()], io);
    for (const value of wanted) gitConfig(scope, ["--add", key, value], io);
    out.push(`${key} = "" then ${helper}`);
  }
  const useKey = `credential.${pattern}.useHttpPath`;
  const use = gitConfigGetAll(scope, useKey, io);
  if (use.at(-1)?.toLowerCase() !== "true" || use.length !== 1) {
    gitConfig(scope, ["--replace-all", useKey, "true"], io);
    out.push(`${useKey} = true`);
  }
  return out;
}

function uninstallPattern(scope: GitConfigScope, pattern: string, io: { env: Context["env"]; cwd: string }): string[] {
  const key = `credential.${pattern}.helper`;
  const current = gitConfigGetAll(scope, key, io);
  const out: string[] = [];
  if (current.some(isOurHelper)) {
    // Ours and the empty reset that setup-git put before it; a helper someone else added stays.
    gitConfig(scope, ["--unset-all", key, "^$|" + ourHelperRegex()], io);
    out.push(`removed ${key}`);
    if (gitConfigGetAll(scope, `credential.${pattern}.useHttpPath`, io).length > 0) {
      gitConfig(scope, ["--unset-all", `credential.${pattern}.useHttpPath`], io);
    }
  }
  return out;
}

/** `git-remote-codecommit` and `git-credential-ccsso` next to the binary: argv[0] dispatch in src/main.ts. */
function installLinks(ctx: Context): string[] {
  if (!isCompiledBinary()) return ["skipped the git-remote-codecommit link: not running as the compiled binary"];
  return installHelperPrograms(stableExecutablePath(ctx.env), realProgramFiles(ctx.env));
}

function removeLinks(ctx: Context): string[] {
  if (!isCompiledBinary()) return [];
  return removeHelperPrograms(stableExecutablePath(ctx.env), realProgramFiles(ctx.env));
}

/** The file operations behind the helper names, injectable so both platforms' branches are unit-tested. */
export interface ProgramFiles {
  platform: NodeJS.Platform;
  env: Env;
  hardLink(target: string, path: string): void;
  copy(target: string, path: string): void;
}

export function realProgramFiles(env: Env, platform: NodeJS.Platform = process.platform): ProgramFiles {
  return { platform, env, hardLink: (t, p) => linkSync(t, p), copy: (t, p) => copyFileSync(t, p) };
}

/**
 * Put the helper names next to `target` (the ccsso executable). Unix: a relative symlink `name -> ccsso`.
 * Windows: `name.exe` as a hard link, or a copy where a hard link cannot be made (another volume) — never a
 * symlink (those need Developer Mode). A copy left by an older ccsso is refreshed; another program's file
 * by that name (pip's git-remote-codecommit) is left alone and named.
 */
export function installHelperPrograms(target: string, files: ProgramFiles): string[] {
  const dir = dirname(target);
  const notes: string[] = [];
  for (const name of LINK_NAMES) {
    if (files.platform !== "win32") {
      const link = join(dir, name);
      const existing = linkState(link, target);
      if (existing === "ours") continue;
      if (existing === "foreign") {
        notes.push(`left ${link} alone: it is not a ccsso link (another ${name} is installed there)`);
        continue;
      }
      try {
        symlinkSync("ccsso", link);
        notes.push(`linked ${link} -> ccsso`);
      } catch (e) {
        notes.push(`skipped ${link}: ${(e as NodeJS.ErrnoException).code === "EACCES" ? "directory not writable" : (e as Error).message}`);
      }
      continue;
    }
    const path = join(dir, executableFileName(name, "win32"));
    let stale: string | undefined;
    if (existsSync(path)) {
      const m = matchProgram(path, target, files.env);
      if (m === "same") continue;
      if (m === "other") {
        notes.push(`left ${path} alone: it is not ccsso (another ${name} is installed there)`);
        continue;
      }
      stale = m.staleCcsso;
    }
    notes.push(placeProgram(target, path, files, stale));
  }
  return notes;
}

/** A hard link (else a copy) written beside `path` and renamed over it, so git never runs half a file. */
function placeProgram(target: string, path: string, files: ProgramFiles, stale: string | undefined): string {
  const temp = `${path}.new-${process.pid}`;
  // The program's own file, not a PATH symlink to it: a hard link to a symlink would be a link again.
  const source = realpathSync(target);
  let how: string;
  try {
    try {
      files.hardLink(source, temp);
      how = `hard link to ${basename(target)}`;
    } catch {
      files.copy(source, temp);
      how = `copy of ${basename(target)}`;
    }
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    const why =
      (e as NodeJS.ErrnoException).code === "EBUSY" || (e as NodeJS.ErrnoException).code === "EPERM"
        ? "it is in use or not writable; close git and run ccsso setup-git again"
        : (e as Error).message;
    return `could not ${stale ? "refresh" : "create"} ${path}: ${why}`;
  }
  return stale ? `refreshed ${path} (${how}; it was ${stale})` : `created ${path} (${how})`;
}

/** Remove the helper names that are ours (a link to, or a copy of, any ccsso); leave anything else. */
export function removeHelperPrograms(target: string, files: ProgramFiles): string[] {
  const out: string[] = [];
  for (const name of LINK_NAMES) {
    const path = join(dirname(target), executableFileName(name, files.platform));
    const ours =
      files.platform === "win32"
        ? existsSync(path) && matchProgram(path, target, files.env) !== "other"
        : linkState(path, target) === "ours";
    if (!ours) continue;
    try {
      unlinkSync(path);
      out.push(`removed ${path}`);
    } catch (e) {
      out.push(`could not remove ${path}: ${(e as Error).message}`);
    }
  }
  return out;
}

function linkState(link: string, target: string): "absent" | "ours" | "foreign" {
  try {
    const st = lstatSync(link);
    if (!st.isSymbolicLink()) return "foreign";
    readlinkSync(link);
    return realpathSync(link) === realpathSync(target) ? "ours" : "foreign";
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? (isDangling(link) ? "foreign" : "absent") : "foreign";
  }
}

function isDangling(link: string): boolean {
  try {
    lstatSync(link);
    return true;
  } catch {
    return false;
  }
}
