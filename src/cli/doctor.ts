// `ccsso doctor`: every way a CodeCommit clone can fail before it reaches AWS, checked in the order a
// user would fix them, each line ✓/!/✗ with the exact fix. Exit 1 when any check fails (✗); warnings (!)
// are things that work today but will bite (no password expiry, submodules, config lines botocore refuses).
import { isShellName } from "../core/shell-syntax";
import { guessShell, shellInitLine } from "./shell-init";
import { readFileSync, realpathSync } from "node:fs";
import { chooseProfile, profileNames, profileNotChosenError, profileValues, resolveSsoProfile, type AwsConfig } from "../core/aws-config";
import { assumeRoleCacheKey, roleCredentialsCacheKey } from "../core/cache-keys";
import { assumesRole, describeRole, resolveRoleChain } from "../core/role-chain";
import type { SsoLogin } from "../core/types";
import type { Context, Env } from "../platform/context";
import type { doctor } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { runGit } from "../platform/git";
import { awsConfigPath, awsCredentialsPath } from "../platform/paths";
import { matchProgram } from "../platform/same-program";
import { isCompiledBinary } from "../platform/self-path";
import { styleFor } from "../platform/terminal";
import { loadAwsConfig } from "../store/aws-config-files";
import { readRoleCredentialsCache } from "../store/role-credentials-cache";
import { readTokenCache } from "../store/token-cache";
import { didYouMean } from "../core/did-you-mean";
import { sanitizeLine } from "../core/terminal-text";
import { loadSettings } from "../store/settings";
import { COMMIT, VERSION } from "../version";
import { DOCTOR_PROBE_USERNAME } from "./credential-helper";
import { helperLineProfile, isOurHelper } from "./git-helper-line";
import { CODECOMMIT_URL_PATTERNS, LINK_NAMES } from "./setup-git";
import { formatRelative } from "./time-text";
import { commandLine } from "../core/shell-quote";

export type CheckStatus = "ok" | "warn" | "fail";

export interface Check {
  id: string;
  status: CheckStatus;
  message: string;
  /** What to run or change; present for every warn and fail. */
  fix?: string;
}

// Helpers that store what they are given: for CodeCommit they keep a 15-minute password and replay it
// after it expires (403 until deleted by hand; docs/protocols.md §4.2).
const STORING_HELPERS = ["osxkeychain", "manager", "manager-core", "store", "cache", "wincred", "libsecret"];

// SigV4 requests are refused beyond 15 minutes of skew; 5 minutes leaves room before that bites.
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

// One sample URL per setup-git pattern: what git would match against the config.
const SAMPLE_HOSTS: Record<(typeof CODECOMMIT_URL_PATTERNS)[number], string> = {
  "https://git-codecommit.*.amazonaws.com": "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo",
  "https://git-codecommit-fips.*.amazonaws.com": "https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/demo",
  "https://git-codecommit.*.amazonaws.com.cn": "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo",
  "https://*.git-codecommit.*.vpce.amazonaws.com": "https://vpce-0a1b2c3d.git-codecommit.us-east-1.vpce.amazonaws.com/v1/repos/demo",
  "https://*.git-codecommit-fips.*.vpce.amazonaws.com":
    "https://vpce-0a1b2c3d.git-codecommit-fips.us-east-1.vpce.amazonaws.com/v1/repos/demo",
};

// ───────────────────────────── git config as git applies it ─────────────────────────────

export interface GitConfigEntry {
  key: string;
  value: string;
}

/** Every credential.* entry in the order git reads them (system, global, local, GIT_CONFIG_*). */
export function readCredentialConfig(env: Env, cwd: string): GitConfigEntry[] {
  const r = runGit(["config", "--null", "--get-regexp", "^credential\\."], { env, cwd });
  if (r.code !== 0) return [];
  return r.stdout
    .split("\0")
    .filter((e) => e !== "")
    .map((e) => {
      const nl = e.indexOf("\n");
      return nl < 0 ? { key: e, value: "" } : { key: e.slice(0, nl), value: e.slice(nl + 1) };
    });
}

/** Does a `credential.<url>` context match this URL? (gitcredentials(7): scheme exact, `*` = one host label, path prefix.) */
export function credentialUrlMatches(pattern: string, url: string): boolean {
  const p = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?([^/:]*)(?::(\d+))?(\/.*)?$/i.exec(pattern);
  const u = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?([^/:]*)(?::(\d+))?(\/.*)?$/i.exec(url);
  if (!p || !u) return false;
  if (p[1]!.toLowerCase() !== u[1]!.toLowerCase()) return false;
  if (p[2] !== "") {
    const pl = p[2]!.toLowerCase().split(".");
    const ul = u[2]!.toLowerCase().split(".");
    if (pl.length !== ul.length) return false;
    const labelMatch = (pat: string, lab: string) =>
      new RegExp(
        `^${pat
          .split("*")
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
          .join("[^.]*")}$`,
      ).test(lab);
    if (!pl.every((label, i) => labelMatch(label, ul[i]!))) return false;
  }
  if (p[3] !== undefined && p[3] !== (u[3] ?? "443")) return false;
  const pPath = (p[4] ?? "/").replace(/\/+$/, "");
  if (pPath !== "") {
    const uPath = u[4] ?? "/";
    if (!(uPath === pPath || uPath.startsWith(pPath + "/"))) return false;
  }
  return true;
}

function contextOf(key: string, variable: string): string | undefined | null {
  // key: credential.<url>.<variable> or credential.<variable>; null when the key is another variable.
  const lower = key.toLowerCase();
  if (!lower.endsWith("." + variable)) return null;
  const middle = key.slice("credential.".length, key.length - variable.length - 1);
  return middle === "" ? undefined : middle;
}

/** The helper list git builds for `url`: matching entries in order, an empty value clearing the list. */
export function effectiveHelpers(entries: GitConfigEntry[], url: string): string[] {
  let helpers: string[] = [];
  for (const e of entries) {
    const ctxUrl = contextOf(e.key, "helper");
    if (ctxUrl === null) continue;
    if (ctxUrl !== undefined && !credentialUrlMatches(ctxUrl, url)) continue;
    helpers = e.value === "" ? [] : [...helpers, e.value];
  }
  return helpers;
}

export function effectiveUseHttpPath(entries: GitConfigEntry[], url: string): boolean {
  let use = false;
  for (const e of entries) {
    const ctxUrl = contextOf(e.key, "usehttppath");
    if (ctxUrl === null) continue;
    if (ctxUrl !== undefined && !credentialUrlMatches(ctxUrl, url)) continue;
    use = /^(true|yes|on|1)$/i.test(e.value.trim());
  }
  return use;
}

const isCcssoHelper = (h: string) => h === "ccsso" || isOurHelper(h) || /git-credential-ccsso'?$/.test(h);
const storingHelperName = (h: string) => {
  const word = h.replace(/^!/, "").trim().split(/\s+/)[0] ?? "";
  const base = word
    .replace(/^.*[/\\]/, "")
    .replace(/^git-credential-/, "")
    .replace(/\.exe$/i, "");
  return STORING_HELPERS.includes(base) ? base : undefined;
};

// ───────────────────────────── the checks ─────────────────────────────

const GIT_NOT_FOUND = "git was not found on PATH";

function gitChecks(ctx: Context): Check[] {
  const out: Check[] = [];
  const r = (() => {
    try {
      return runGit(["--version"], { env: ctx.env, cwd: ctx.cwd });
    } catch {
      return undefined;
    }
  })();
  const m = r && /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(r.stdout);
  if (!m) return [{ id: "git", status: "fail", message: GIT_NOT_FOUND, fix: "install git 2.40 or newer" }];
  const [maj, min] = [Number(m[1]), Number(m[2])];
  const atLeast = (a: number, b: number) => maj > a || (maj === a && min >= b);
  const v = `${m[1]}.${m[2]}${m[3] ? "." + m[3] : ""}`;
  if (!atLeast(2, 26))
    out.push({
      id: "git",
      status: "fail",
      message: `git ${v} cannot match wildcard credential URLs (needs 2.26)`,
      fix: "upgrade git to 2.40 or newer",
    });
  else if (!atLeast(2, 31))
    out.push({
      id: "git",
      status: "fail",
      message: `git ${v} has no GIT_CONFIG_COUNT, which ccsso clone and codecommit:// use (needs 2.31)`,
      fix: "upgrade git to 2.40 or newer",
    });
  else if (!atLeast(2, 40))
    out.push({
      id: "git",
      status: "warn",
      message: `git ${v} ignores password_expiry_utc (2.40+), so a stored copy of a password would outlive it`,
      fix: "upgrade git to 2.40 or newer (harmless while no storing helper sees CodeCommit URLs)",
    });
  else out.push({ id: "git", status: "ok", message: `git ${v}` });
  return out;
}

function helperChecks(_ctx: Context, entries: GitConfigEntry[]): Check[] {
  const out: Check[] = [];
  for (const pattern of CODECOMMIT_URL_PATTERNS) {
    const url = SAMPLE_HOSTS[pattern];
    const helpers = effectiveHelpers(entries, url);
    const ours = helpers.findIndex(isCcssoHelper);
    const storing = helpers.map(storingHelperName).filter((x): x is string => x !== undefined);
    if (ours < 0) {
      out.push({
        id: `helper:${pattern}`,
        status: "fail",
        message: `no ccsso credential helper for ${pattern}`,
        fix: "run: ccsso setup-git",
      });
    } else if (storing.length > 0) {
      out.push({
        id: `helper:${pattern}`,
        status: "fail",
        message: `the storing helper ${storing.join(", ")} also gets CodeCommit passwords for ${pattern} and will replay them after they expire (403)`,
        fix: `run: ccsso setup-git (it puts an empty helper first for CodeCommit URLs), then remove stored copies: ${commandLine(["printf", `protocol=https\\nhost=${new URL(url).host}\\n\\n`])} | ${commandLine(["git", "credential", "reject"])}`,
      });
    } else if (ours > 0) {
      out.push({
        id: `helper:${pattern}`,
        status: "warn",
        message: `${helpers.slice(0, ours).join(", ")} runs before ccsso for ${pattern}`,
        fix: "run: ccsso setup-git (an empty helper first, then ccsso)",
      });
    } else {
      out.push({ id: `helper:${pattern}`, status: "ok", message: `credential helper for ${pattern}: ccsso only` });
    }
    if (!effectiveUseHttpPath(entries, url)) {
      out.push({
        id: `usehttppath:${pattern}`,
        status: "fail",
        message: `credential.useHttpPath is off for ${pattern}: git will not send the repository path to sign`,
        fix: `run: ccsso setup-git (or ${commandLine(["git", "config", "--global", `credential.${pattern}.useHttpPath`, "true"])})`,
      });
    }
  }
  if (out.every((c) => c.status === "ok"))
    return [
      {
        id: "helpers",
        status: "ok",
        message: `credential helper: ccsso only, with useHttpPath, for all ${CODECOMMIT_URL_PATTERNS.length} CodeCommit URL patterns`,
      },
    ];
  return out.filter((c) => c.status !== "ok");
}

// ───────────────────────────── git really runs the line ─────────────────────────────

/** What one `git credential fill` for a CodeCommit URL showed about the configured helper. */
export type ProbeOutcome =
  | { kind: "answered"; version: string; commit: string; profile: string }
  | { kind: "answered-other"; username: string }
  | { kind: "refused"; line: string }
  | { kind: "not-run"; line: string }
  | { kind: "no-answer"; line: string };

/** Read git's output: did git run ccsso, and what did it say? Pure, so every branch is unit-tested. */
export function classifyProbe(r: { code: number; stdout: string; stderr: string }, nonce: string): ProbeOutcome {
  const fields = new Map<string, string>();
  for (const line of r.stdout.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0 && !fields.has(line.slice(0, eq))) fields.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const errLines = r.stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const password = fields.get("password");
  if (r.code === 0 && password !== undefined) {
    const m = /^(\S+) (\S+) (\S+) (.+)$/.exec(password);
    if (fields.get("username") === DOCTOR_PROBE_USERNAME && m && m[1] === nonce)
      return { kind: "answered", version: m[2]!, commit: m[3]!, profile: m[4]! };
    return { kind: "answered-other", username: fields.get("username") ?? "" };
  }
  if (errLines.some((l) => /told us to quit/.test(l))) {
    return { kind: "refused", line: errLines.find((l) => l.startsWith("ccsso:")) ?? errLines.find((l) => /told us to quit/.test(l))! };
  }
  // sh's "not found" / "Permission denied", git's "'credential-…' is not a git command".
  const notRun = errLines.find((l) =>
    /is not a git command|: not found|No such file or directory|Permission denied|cannot (run|exec)|command not found/i.test(l),
  );
  if (notRun) return { kind: "not-run", line: notRun };
  return { kind: "no-answer", line: errLines.at(-1) ?? `git credential fill exited ${r.code}` };
}

// 10 s: the probe needs no network, so only a hung helper or a very slow disk takes this long.
const PROBE_TIMEOUT_MS = 10_000;

/** `git credential fill` through the user's own git config, with prompts off and the doctor probe on. */
function runProbe(ctx: Context, url: string, nonce: string): ProbeOutcome {
  const env: Env = { ...ctx.env, CCSSO_DOCTOR_PROBE: nonce, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "" };
  delete (env as Record<string, string | undefined>).SSH_ASKPASS;
  let r;
  try {
    r = runGit(["credential", "fill"], { env, cwd: ctx.cwd, input: `url=${url}\n\n`, timeoutMs: PROBE_TIMEOUT_MS });
  } catch (e) {
    return { kind: "not-run", line: (e as Error).message };
  }
  return classifyProbe(r, nonce);
}

interface ProbeResult {
  checks: Check[];
  /** Profiles the helpers said they would sign with. */
  profiles: string[];
}

/**
 * One round trip per distinct helper list among the CodeCommit URL patterns (usually one for all five):
 * git runs what is configured, exactly as for a clone, and the helper answers the probe without the
 * network. This is what tells "git could not run it" from "it ran and answered".
 */
function probeChecks(ctx: Context, entries: GitConfigEntry[]): ProbeResult {
  const groups = new Map<string, string[]>();
  for (const pattern of CODECOMMIT_URL_PATTERNS) {
    const helpers = effectiveHelpers(entries, SAMPLE_HOSTS[pattern]);
    if (!helpers.some(isCcssoHelper)) continue; // already a ✗ above; nothing of ours to run
    const key = JSON.stringify(helpers);
    groups.set(key, [...(groups.get(key) ?? []), pattern]);
  }
  const checks: Check[] = [];
  const profiles: string[] = [];
  for (const [key, patterns] of groups) {
    const nonce = crypto.randomUUID();
    const url = SAMPLE_HOSTS[patterns[0] as (typeof CODECOMMIT_URL_PATTERNS)[number]];
    const o = runProbe(ctx, url, nonce);
    const which = patterns.length === CODECOMMIT_URL_PATTERNS.length ? "CodeCommit URLs" : patterns.join(", ");
    const id = `git-runs-helper:${patterns[0]}`;
    const line = (t: string) => sanitizeLine(t);
    if (o.kind === "answered") {
      profiles.push(o.profile);
      const same = o.version === VERSION && o.commit === COMMIT;
      checks.push(
        same
          ? {
              id,
              status: "ok",
              message: line(`git runs the credential helper for ${which} (answered offline; it signs with profile ${o.profile})`),
            }
          : {
              id,
              status: "warn",
              message: line(`git runs ccsso ${o.version} (${o.commit}) for ${which}, but this is ccsso ${VERSION} (${COMMIT})`),
              fix: "run: ccsso setup-git (with the ccsso you mean to use first on PATH)",
            },
      );
    } else if (o.kind === "answered-other") {
      // Only when ccsso is the first helper git asks can a CodeCommit-looking answer be ccsso's own (an
      // older one without the probe); a helper before it answering means a stored password is replayed.
      const helpers = JSON.parse(key) as string[];
      const ccssoFirst = isCcssoHelper(helpers[0] ?? "");
      checks.push(
        ccssoFirst && /^(AKIA|ASIA)[A-Z0-9]+%/.test(o.username)
          ? {
              id,
              status: "warn",
              message: `git runs a ccsso for ${which} that does not know the doctor probe (an older version)`,
              fix: "run: ccsso setup-git",
            }
          : {
              id,
              status: "fail",
              message: sanitizeLine(
                `${ccssoFirst ? "ccsso" : helpers[0]} answered git for ${which}, not this ccsso: a stored or foreign password would be used`,
              ),
              fix: "run: ccsso setup-git (an empty helper first, then ccsso)",
            },
      );
    } else if (o.kind === "refused") {
      const hint = /— (run: .*)$/.exec(o.line)?.[1];
      checks.push({
        id,
        status: "fail",
        message: line(`git runs the credential helper for ${which}, and it stops git: ${o.line}`),
        fix: hint ? line(hint) : "run: ccsso doctor --debug",
      });
    } else if (o.kind === "not-run") {
      checks.push({
        id,
        status: "fail",
        message: line(`git could not run the credential helper for ${which}: ${o.line}`),
        fix: "run: ccsso setup-git (it writes a helper line git can run)",
      });
    } else {
      checks.push({
        id,
        status: "fail",
        message: line(`no credential helper answered git for ${which}: ${o.line}`),
        fix: "run: ccsso setup-git",
      });
    }
  }
  return { checks, profiles };
}

/** The ccsso settings file: the helper reads it on every request and stops git when it is broken. */
async function settingsCheck(ctx: Context): Promise<Check> {
  try {
    const s = await loadSettings(ctx.env);
    if (!s.exists) return { id: "settings", status: "ok", message: `no ccsso settings file (${s.path}); defaults apply` };
    const parts = [
      `${s.repositories.length} repository rule${s.repositories.length === 1 ? "" : "s"}`,
      `${s.hosts.length} extra host${s.hosts.length === 1 ? "" : "s"}`,
    ];
    return {
      id: "settings",
      status: "ok",
      message: sanitizeLine(`settings ${s.path}: ${parts.join(", ")}, clone_protocol ${s.git.cloneProtocol}`),
    };
  } catch (e) {
    const err = e as Error & { hint?: string };
    return {
      id: "settings",
      status: "fail",
      message: sanitizeLine(`ccsso settings: ${err.message} (the credential helper stops git until this is fixed)`),
      fix: sanitizeLine(err.hint ?? "fix the settings file"),
    };
  }
}

/** The `ccsso use` shell function is optional: its install line is shown, never counted as a problem. */
function shellFunctionCheck(ctx: Context): Check {
  // The function passes CCSSO_SHELL to every ccsso it runs, so its presence means doctor ran through it.
  const shell = ctx.env.CCSSO_SHELL;
  if (isShellName(shell))
    return {
      id: "shell-init",
      status: "ok",
      message: `the ccsso ${shell} function is installed (ccsso use switches this shell's profile)`,
    };
  return {
    id: "shell-init",
    status: "ok",
    message: "the ccsso shell function is not installed (optional: ccsso use PROFILE would switch this shell's profile)",
    fix: `add: ${shellInitLine(guessShell(ctx.env))}`,
  };
}

function realpathOrUndefined(p: string | null | undefined): string | undefined {
  if (!p) return undefined;
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function linkChecks(ctx: Context): Check[] {
  const path = ctx.env.PATH ?? "";
  // This binary: the compiled executable, or during development the `ccsso` on PATH.
  const self = isCompiledBinary() ? realpathOrUndefined(process.execPath) : realpathOrUndefined(Bun.which("ccsso", { PATH: path }));
  const out: Check[] = [];
  for (const name of LINK_NAMES) {
    const found = Bun.which(name, { PATH: path });
    if (!found) {
      out.push({
        id: `link:${name}`,
        status: "fail",
        message: `${name} is not on PATH`,
        fix: "run: ccsso setup-git (it links it next to ccsso; keep that directory on PATH)",
      });
      continue;
    }
    // A symlink or hard link is this very file; a Windows copy is this program when its bytes are.
    const m = self ? matchProgram(found, self, ctx.env) : "same";
    if (m === "same") out.push({ id: `link:${name}`, status: "ok", message: `${name} → ${found}` });
    else if (m === "other") {
      out.push({
        id: `link:${name}`,
        status: "fail",
        message: `${name} on PATH is ${found}, which is not this ccsso (${self})`,
        fix: `remove or rename ${found} (pip uninstall git-remote-codecommit, if it is the Python one), then run: ccsso setup-git`,
      });
    } else {
      out.push({
        id: `link:${name}`,
        status: "fail",
        message: sanitizeLine(`${name} on PATH is ${found}, a copy of an older ccsso (${m.staleCcsso}), not this one (${self})`),
        fix: "run: ccsso setup-git (it refreshes the copy)",
      });
    }
  }
  const allow = runGit(["config", "--get", "protocol.codecommit.allow"], { env: ctx.env, cwd: ctx.cwd }).stdout.trim();
  if (allow !== "always") {
    out.push({
      id: "protocol.codecommit.allow",
      status: "warn",
      message: `protocol.codecommit.allow is ${allow ? `"${allow}"` : "unset"}: git refuses codecommit:// URLs in submodules`,
      fix: "run: git config --global protocol.codecommit.allow always",
    });
  } else
    out.push({
      id: "protocol.codecommit.allow",
      status: "ok",
      message: "protocol.codecommit.allow = always (submodules may use codecommit://)",
    });
  return out;
}

function configureCommand(profile: string): string {
  return commandLine(["ccsso", "configure", "sso", "--profile", profile]);
}

function loginCommand(login: SsoLogin, profile: string): string {
  return commandLine(
    login.kind === "session"
      ? ["ccsso", "sso", "login", "--sso-session", login.sessionName]
      : ["ccsso", "sso", "login", "--profile", profile],
  );
}

function configSyntaxChecks(ctx: Context, cfg: AwsConfig): Check[] {
  return cfg.problems.map((p) => ({
    id: "config-syntax",
    status: "warn" as const,
    message: `AWS ${p.file} file line ${p.line}: ${p.message} (the AWS CLI and botocore refuse this file)`,
    fix: `fix line ${p.line} of ${p.file === "config" ? awsConfigPath(ctx.env) : awsCredentialsPath(ctx.env)}`,
  }));
}

/** A profile that assumes a role: the chain as ccsso reads it, its cached credentials, then the checks of its source. */
async function roleProfileChecks(ctx: Context, cfg: AwsConfig, name: string): Promise<Check[]> {
  let chain;
  try {
    chain = resolveRoleChain(cfg, name);
  } catch (e) {
    const err = e as Error & { hint?: string };
    return [{ id: "profile", status: "fail", message: err.message, fix: err.hint ?? "fix source_profile in the AWS config" }];
  }
  const out: Check[] = [];
  const roles = [...chain.steps]
    .reverse()
    .map((s, i, all) => `${describeRole(s.args.RoleArn)}${i + 1 < all.length ? ` (via profile ${all[i + 1]!.profile})` : ""}`);
  const source =
    chain.source.kind === "profile"
      ? `profile ${chain.source.profile}`
      : chain.source.kind === "environment"
        ? "the environment (credential_source = Environment)"
        : `credential_source = ${chain.source.credentialSource}`;
  if (chain.source.kind === "unsupported") {
    out.push({
      id: "profile",
      status: "fail",
      message: `profile ${name}: credential_source = ${chain.source.credentialSource} is not supported by ccsso yet`,
      fix: "use source_profile, or credential_source = Environment",
    });
    return out;
  }
  out.push({ id: "profile", status: "ok", message: `profile ${name} assumes ${roles.join(", from ")}, from ${source}` });
  const now = ctx.now();
  const cached = readRoleCredentialsCache({ ...ctx, debug: false }, assumeRoleCacheKey(chain.steps.at(-1)!.args));
  out.push({
    id: "role-credentials",
    status: "ok",
    message:
      cached && cached.expiration > now
        ? `cached assumed-role credentials expire ${formatRelative(cached.expiration, now)}`
        : "no fresh assumed-role credentials cached; assumed on first use",
  });
  const mfa = chain.steps.find((s) => s.args.SerialNumber !== undefined);
  if (mfa) {
    out.push({
      id: "mfa",
      status: cached && cached.expiration > now ? "ok" : "warn",
      message: `profile ${mfa.profile} needs an MFA code from ${mfa.args.SerialNumber} whenever the role is assumed again; git cannot ask for it`,
      fix: `before using git, run on a terminal: ${commandLine(["ccsso", "whoami", "--profile", name])}`,
    });
  }
  if (chain.source.kind === "profile")
    out.push(...(await profileChecks(ctx, cfg, chain.source.profile, true)).filter((c) => c.id !== "region"));
  return out;
}

/** One profile git would sign with: `named` when a flag, helper line or settings rule names it (it must exist). */
async function profileChecks(ctx: Context, cfg: AwsConfig, name: string, named: boolean): Promise<Check[]> {
  const out: Check[] = [];
  const values = profileValues(cfg, name);
  if (!values) {
    if (!named && ctx.env.AWS_ACCESS_KEY_ID) {
      out.push({ id: "profile", status: "ok", message: "credentials from AWS_ACCESS_KEY_ID (no profile selected)" });
      return out;
    }
    const names = profileNames(cfg);
    const guess = didYouMean(name, names);
    out.push({
      id: "profile",
      status: "fail",
      message: `profile ${name} is not in the AWS config`,
      fix:
        names.length > 0
          ? `${guess.length > 0 ? `did you mean ${guess.join(" or ")}? ` : ""}use one of: ${names.join(", ")} (--profile or AWS_PROFILE), or run: ${configureCommand(name)}`
          : "run: ccsso configure sso",
    });
    return out;
  }
  if (assumesRole(values)) return roleProfileChecks(ctx, cfg, name);
  let sso;
  try {
    sso = resolveSsoProfile(cfg, name);
  } catch (e) {
    const err = e as Error & { hint?: string };
    out.push({
      id: "profile",
      status: "fail",
      message: `profile ${name}: ${err.message}`,
      fix: err.hint ?? `run: ${configureCommand(name)}`,
    });
    return out;
  }
  if (!sso && values.login_session && !cfg.credentialProfiles.get(name)?.aws_access_key_id) {
    // An `aws login` profile (docs/protocols.md §3.11): its cached session is what makes it work.
    const { readLoginCache } = await import("../store/login-cache");
    const cached = readLoginCache({ ...ctx, debug: false }, values.login_session);
    if ("problem" in cached)
      out.push({
        id: "profile",
        status: "fail",
        message: `profile ${name} uses an aws login session, but ${cached.problem}`,
        fix: `run: ${commandLine(["aws", "login", "--profile", name])}`,
      });
    else
      out.push({
        id: "profile",
        status: "ok",
        message: `profile ${name} uses an aws login session (${cached.credentials.accountId ?? "account unknown"}), renewed by ccsso and the AWS CLI alike`,
      });
    return out;
  }
  if (!sso) {
    const kind = values.credential_process ? "credential_process" : values.aws_access_key_id ? "access keys" : undefined;
    if (kind) out.push({ id: "profile", status: "ok", message: `profile ${name} uses ${kind}` });
    else
      out.push({
        id: "profile",
        status: "fail",
        message: `profile ${name} has no SSO role, access keys or credential_process`,
        fix: `run: ${configureCommand(name)}`,
      });
    return out;
  }
  const region = values.region;
  out.push({
    id: "profile",
    status: "ok",
    message: `profile ${name}: account ${sso.accountId}, role ${sso.roleName}, ${sso.login.kind === "session" ? `sso-session ${sso.login.sessionName}` : "legacy start URL"}${region ? `, region ${region}` : ""}`,
  });
  if (!region)
    out.push({
      id: "region",
      status: "warn",
      message: `profile ${name} has no region: codecommit:// URLs and ccsso repos need one`,
      fix: `add "region = <region>" to the profile, or use codecommit::<region>://${name}@<repo>`,
    });
  const now = ctx.now();
  const quiet = { ...ctx, debug: false };
  const token = readTokenCache(quiet, sso.login);
  const login = loginCommand(sso.login, name);
  if (!token) out.push({ id: "token", status: "fail", message: `not signed in to ${sso.login.startUrl}`, fix: `run: ${login}` });
  else {
    const t = token.token;
    const refreshable =
      sso.login.kind === "session" && Boolean(t.refreshToken && t.clientId && t.clientSecret) && (token.registrationExpiresAt ?? 0) > now;
    if (token.expiresAt > now)
      out.push({
        id: "token",
        status: "ok",
        message: `SSO token expires ${formatRelative(token.expiresAt, now)}${refreshable ? " (refreshes by itself)" : ""}`,
      });
    else if (refreshable)
      out.push({
        id: "token",
        status: "ok",
        message: `SSO token expired ${formatRelative(token.expiresAt, now)}; it will be refreshed on next use`,
      });
    else
      out.push({
        id: "token",
        status: "fail",
        message: `SSO token expired ${formatRelative(token.expiresAt, now)} and cannot be refreshed`,
        fix: `run: ${login}`,
      });
  }
  const creds = readRoleCredentialsCache(
    quiet,
    roleCredentialsCacheKey({ login: sso.login, accountId: sso.accountId, roleName: sso.roleName }),
  );
  if (creds && creds.expiration > now)
    out.push({ id: "role-credentials", status: "ok", message: `cached role credentials expire ${formatRelative(creds.expiration, now)}` });
  else
    out.push({
      id: "role-credentials",
      status: "ok",
      message: creds
        ? "cached role credentials expired; new ones are fetched on next use"
        : "no cached role credentials; fetched on first use",
    });
  out.push(...(await endpointChecks(ctx, cfg, name, sso.login.region, region ?? sso.login.region)));
  return out;
}

// 3 s: one round trip; longer means the network or proxy is the problem, reported as such.
const ENDPOINT_TIMEOUT_MS = 3_000;

interface EndpointAnswer {
  url: string;
  route: string;
  ok: boolean;
  error?: string;
  date?: number;
  started: number;
  ended: number;
}

/** One HEAD request the way ccsso's own calls go (proxy, NO_PROXY, AWS_CA_BUNDLE); any HTTP answer counts. */
async function reach(ctx: Context, url: string): Promise<EndpointAnswer> {
  const { describeProxyDecision, proxyDecision, transportOptions } = await import("../aws/signed-call");
  const u = new URL(url);
  const route = describeProxyDecision(proxyDecision(u, ctx.env));
  const started = ctx.now();
  try {
    const res = await fetch(url, {
      method: "HEAD",
      signal: AbortSignal.timeout(ENDPOINT_TIMEOUT_MS),
      ...transportOptions(u, ctx.env),
    } as RequestInit);
    const d = res.headers.get("date");
    return { url, route, ok: true, date: d ? Date.parse(d) : undefined, started, ended: ctx.now() };
  } catch (e) {
    const err = e as Error;
    const why =
      err.name === "TimeoutError" || err.name === "AbortError"
        ? `no answer within ${ENDPOINT_TIMEOUT_MS / 1000} s`
        : err.message.replace(/\s*For more information, pass `verbose: true`.*$/s, "");
    return { url, route, ok: false, error: why, started, ended: ctx.now() };
  }
}

/**
 * The endpoints an SSO profile's git credentials depend on: the portal (role credentials, every hour),
 * OIDC (token refresh and sign-in), and STS (whoami; not on git's path, so only a warning). Each line
 * says how the request went — through which proxy, or direct and why — and the portal's Date header
 * checks the clock SigV4 depends on.
 */
async function endpointChecks(ctx: Context, cfg: AwsConfig, profile: string, ssoRegion: string, region: string): Promise<Check[]> {
  let urls: { oidc: string; portal: string; sts: string };
  try {
    const { resolveServiceEndpoint, resolveSsoEndpoints } = await import("../aws/endpoints");
    urls = { ...resolveSsoEndpoints(cfg, profile, ssoRegion, ctx.env), sts: resolveServiceEndpoint("sts", region, cfg, profile, ctx.env) };
  } catch (e) {
    return [
      {
        id: "endpoints",
        status: "fail",
        message: `no IAM Identity Center endpoint for profile ${profile}: ${(e as Error).message}`,
        fix: (e as { hint?: string }).hint ?? "check sso_region and endpoint settings",
      },
    ];
  }
  const [portal, oidc, sts] = await Promise.all([reach(ctx, urls.portal), reach(ctx, urls.oidc), reach(ctx, urls.sts)]);
  const out: Check[] = [];
  const line = (what: string, a: EndpointAnswer, bad: CheckStatus, consequence: string): Check =>
    a.ok
      ? { id: `endpoint:${what}`, status: "ok", message: sanitizeLine(`${what} ${a.url} answered, ${a.route}`) }
      : {
          id: `endpoint:${what}`,
          status: bad,
          message: sanitizeLine(`cannot reach ${what} ${a.url} (${a.error}), ${a.route}: ${consequence}`),
          fix: a.route.startsWith("through proxy")
            ? "check the proxy, or list the host in NO_PROXY"
            : a.route.startsWith("direct: NO_PROXY")
              ? "check the network, or remove that NO_PROXY entry if the host is only reachable through the proxy"
              : "check the network, HTTPS_PROXY and AWS_CA_BUNDLE",
        };
  out.push(line("IAM Identity Center portal", portal, "fail", "git fails once the cached role credentials run out"));
  out.push(line("IAM Identity Center OIDC", oidc, "fail", "the session cannot be refreshed or signed in"));
  out.push(line("STS", sts, "warn", "ccsso whoami cannot work (git does not need it)"));
  if (portal.ok) out.push(clockCheck(portal));
  return out;
}

/** Compare our clock with the portal's `Date` header: SigV4 and token expiry both depend on it. */
function clockCheck(a: EndpointAnswer): Check {
  const theirs = a.date ?? NaN;
  if (Number.isNaN(theirs))
    return {
      id: "clock",
      status: "warn",
      message: `${a.url} sent no Date header; clock not checked`,
      fix: "check that the SSO endpoint is the real portal",
    };
  // The Date header has one-second resolution and the request takes time: compare with the midpoint.
  const skew = (a.started + a.ended) / 2 - theirs;
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS) {
    return {
      id: "clock",
      status: "fail",
      message: `this machine's clock is ${formatSpanPlain(skew)} ${skew > 0 ? "ahead of" : "behind"} AWS`,
      fix: "sync the clock (timedatectl set-ntp true, or your OS's time settings)",
    };
  }
  return { id: "clock", status: "ok", message: `clock within ${Math.max(1, Math.round(Math.abs(skew) / 1000))} s of AWS` };
}

function formatSpanPlain(ms: number): string {
  const min = Math.round(Math.abs(ms) / 60_000);
  return min >= 120 ? `${Math.round(min / 60)} h` : `${min} min`;
}

function networkChecks(ctx: Context): Check[] {
  const out: Check[] = [];
  const proxy = ctx.env.HTTPS_PROXY || ctx.env.https_proxy;
  if (proxy) {
    const redacted = proxy.replace(/\/\/[^@/]*@/, "//<credentials>@");
    out.push({
      id: "proxy",
      status: "ok",
      message: `HTTPS requests go through ${redacted}${ctx.env.NO_PROXY || ctx.env.no_proxy ? ` except NO_PROXY=${ctx.env.NO_PROXY || ctx.env.no_proxy}` : ""}`,
    });
  }
  const bundle = ctx.env.AWS_CA_BUNDLE;
  if (bundle) {
    let text = "";
    try {
      text = readFileSync(bundle, "utf8");
    } catch (e) {
      out.push({
        id: "ca-bundle",
        status: "fail",
        message: `AWS_CA_BUNDLE=${bundle} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        fix: "point AWS_CA_BUNDLE at your PEM bundle, or unset it",
      });
      return out;
    }
    const n = (text.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
    if (n === 0)
      out.push({
        id: "ca-bundle",
        status: "fail",
        message: `AWS_CA_BUNDLE=${bundle} holds no PEM certificate`,
        fix: "point AWS_CA_BUNDLE at a PEM file (-----BEGIN CERTIFICATE-----)",
      });
    else
      out.push({
        id: "ca-bundle",
        status: "ok",
        message: `AWS_CA_BUNDLE=${bundle} (${n} certificate${n === 1 ? "" : "s"}); git uses http.sslCAInfo / GIT_SSL_CAINFO separately`,
      });
  }
  return out;
}

export async function runChecks(ctx: Context, opts: { profile?: string }): Promise<Check[]> {
  const cfg = loadAwsConfig(ctx.env);
  const entries = readCredentialConfig(ctx.env, ctx.cwd);
  const git = gitChecks(ctx);
  const gitFound = !git.some((c) => c.message === GIT_NOT_FOUND);
  const probe = gitFound ? probeChecks(ctx, entries) : { checks: [], profiles: [] };
  const settings = await settingsCheck(ctx);
  const out = [
    ...git,
    ...helperChecks(ctx, entries),
    ...probe.checks,
    settings,
    ...linkChecks(ctx),
    shellFunctionCheck(ctx),
    ...configSyntaxChecks(ctx, cfg),
  ];
  const profiles = profilesToCheck(ctx, cfg, entries, probe.profiles, opts.profile, await settingsProfiles(ctx));
  for (const { name, named } of profiles) out.push(...(await profileChecks(ctx, cfg, name, named)));
  if (profiles.length === 0) {
    const err = profileNotChosenError(chooseProfile(cfg, undefined, ctx.env, "credentials"), true);
    out.push({ id: "profile", status: "fail", message: `${err.message}: git's helper cannot choose one`, fix: err.hint });
  }
  return [...out, ...networkChecks(ctx)];
}

/** Profiles named by the settings file's [[repository]] rules (empty when it is missing or broken). */
async function settingsProfiles(ctx: Context): Promise<string[]> {
  try {
    return (await loadSettings(ctx.env)).repositories.map((r) => r.profile);
  } catch {
    return [];
  }
}

/**
 * Which profiles git would sign with: --profile alone when given; else every profile the configured
 * helper lines name, the probe answered with, or a settings rule names; else the one AWS_PROFILE or the
 * default selects. A working `--profile dev` helper is therefore checked as dev, not as "default".
 */
export function profilesToCheck(
  ctx: Pick<Context, "env">,
  cfg: AwsConfig,
  entries: GitConfigEntry[],
  probed: string[],
  flag: string | undefined,
  fromSettings: string[],
): Array<{ name: string; named: boolean }> {
  if (flag) return [{ name: flag, named: true }];
  const named = new Set<string>();
  for (const pattern of CODECOMMIT_URL_PATTERNS) {
    for (const h of effectiveHelpers(entries, SAMPLE_HOSTS[pattern])) {
      const p = helperLineProfile(h);
      if (p) named.add(p);
    }
  }
  for (const p of fromSettings) named.add(p);
  const out = [...named].map((name) => ({ name, named: true }));
  for (const p of probed) if (!named.has(p) && !out.some((o) => o.name === p)) out.push({ name: p, named: false });
  if (out.length === 0) {
    // What the helper itself would choose (chooseProfile); with several SSO profiles and no default it
    // chooses none, and the check below says so.
    const choice = chooseProfile(cfg, undefined, ctx.env, "credentials");
    if (choice.rule !== "several candidates") out.push({ name: choice.name, named: choice.explicit });
  }
  return out;
}

export async function run(opts: OptionsOf<typeof doctor>, _args: string[], ctx: Context): Promise<number> {
  const checks = await runChecks(ctx, { profile: opts.profile });
  const failed = checks.filter((c) => c.status === "fail").length;
  if (opts.json) {
    ctx.stdout.write(JSON.stringify({ ok: failed === 0, checks }, null, 2) + "\n");
    return failed > 0 ? 1 : 0;
  }
  const s = styleFor(ctx.stdout, ctx.env);
  const mark = { ok: s.green("✓"), warn: s.yellow("!"), fail: s.red("✗") };
  // Messages quote config values, git settings and paths: printed through the output policy.
  // A passing check may still carry a suggestion (the optional shell function): a tip, not a fix.
  const lines = checks.map(
    (c) =>
      `${mark[c.status]} ${sanitizeLine(c.message)}${c.fix ? `\n    ${c.status === "ok" ? "tip" : "fix"}: ${sanitizeLine(c.fix)}` : ""}`,
  );
  const warned = checks.filter((c) => c.status === "warn").length;
  lines.push(
    "",
    failed > 0
      ? `${failed} problem${failed === 1 ? "" : "s"} found.`
      : warned > 0
        ? `No problems; ${warned} warning${warned === 1 ? "" : "s"}.`
        : "No problems found.",
  );
  ctx.stdout.write(lines.join("\n") + "\n");
  return failed > 0 ? 1 : 0;
}
