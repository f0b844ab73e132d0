// `ccsso doctor`: every way a CodeCommit clone can fail before it reaches AWS, checked in the order a
// user would fix them, each line ✓/!/✗ with the exact fix. Exit 1 when any check fails (✗); warnings (!)
// are things that work today but will bite (no password expiry, submodules, config lines botocore refuses).
import { readFileSync, realpathSync } from "node:fs";
import { profileNames, profileValues, resolveSsoProfile, selectProfileName, type AwsConfig } from "../core/aws-config";
import { roleCredentialsCacheKey } from "../core/cache-keys";
import type { SsoLogin } from "../core/types";
import type { Context, Env } from "../platform/context";
import type { doctor } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { runGit } from "../platform/git";
import { awsConfigPath, awsCredentialsPath } from "../platform/paths";
import { isCompiledBinary } from "../platform/self-path";
import { styleFor } from "../platform/terminal";
import { loadAwsConfig } from "../store/aws-config-files";
import { readRoleCredentialsCache } from "../store/role-credentials-cache";
import { readTokenCache } from "../store/token-cache";
import { isOurHelper } from "./git-helper-line";
import { CODECOMMIT_URL_PATTERNS, LINK_NAMES } from "./setup-git";
import { formatRelative } from "./time-text";

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
// 3 s: one round trip to the portal; longer means the network or proxy is the problem, reported as such.
const CLOCK_CHECK_TIMEOUT_MS = 3_000;

// One sample URL per setup-git pattern: what git would match against the config.
const SAMPLE_HOSTS: Record<(typeof CODECOMMIT_URL_PATTERNS)[number], string> = {
  "https://git-codecommit.*.amazonaws.com": "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo",
  "https://git-codecommit-fips.*.amazonaws.com": "https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/demo",
  "https://git-codecommit.*.amazonaws.com.cn": "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo",
  "https://*.git-codecommit.*.vpce.amazonaws.com": "https://vpce-0a1b2c3d.git-codecommit.us-east-1.vpce.amazonaws.com/v1/repos/demo",
  "https://*.git-codecommit-fips.*.vpce.amazonaws.com": "https://vpce-0a1b2c3d.git-codecommit-fips.us-east-1.vpce.amazonaws.com/v1/repos/demo",
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
    const labelMatch = (pat: string, lab: string) => new RegExp(`^${pat.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^.]*")}$`).test(lab);
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
  const base = word.replace(/^.*[/\\]/, "").replace(/^git-credential-/, "").replace(/\.exe$/i, "");
  return STORING_HELPERS.includes(base) ? base : undefined;
};

// ───────────────────────────── the checks ─────────────────────────────

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
  if (!m) return [{ id: "git", status: "fail", message: "git was not found on PATH", fix: "install git 2.40 or newer" }];
  const [maj, min] = [Number(m[1]), Number(m[2])];
  const atLeast = (a: number, b: number) => maj > a || (maj === a && min >= b);
  const v = `${m[1]}.${m[2]}${m[3] ? "." + m[3] : ""}`;
  if (!atLeast(2, 26)) out.push({ id: "git", status: "fail", message: `git ${v} cannot match wildcard credential URLs (needs 2.26)`, fix: "upgrade git to 2.40 or newer" });
  else if (!atLeast(2, 31)) out.push({ id: "git", status: "fail", message: `git ${v} has no GIT_CONFIG_COUNT, which ccsso clone and codecommit:// use (needs 2.31)`, fix: "upgrade git to 2.40 or newer" });
  else if (!atLeast(2, 40)) out.push({ id: "git", status: "warn", message: `git ${v} ignores password_expiry_utc (2.40+), so a stored copy of a password would outlive it`, fix: "upgrade git to 2.40 or newer (harmless while no storing helper sees CodeCommit URLs)" });
  else out.push({ id: "git", status: "ok", message: `git ${v}` });
  return out;
}

function helperChecks(ctx: Context): Check[] {
  const entries = readCredentialConfig(ctx.env, ctx.cwd);
  const out: Check[] = [];
  for (const pattern of CODECOMMIT_URL_PATTERNS) {
    const url = SAMPLE_HOSTS[pattern];
    const helpers = effectiveHelpers(entries, url);
    const ours = helpers.findIndex(isCcssoHelper);
    const storing = helpers.map(storingHelperName).filter((x): x is string => x !== undefined);
    if (ours < 0) {
      out.push({ id: `helper:${pattern}`, status: "fail", message: `no ccsso credential helper for ${pattern}`, fix: "run: ccsso setup-git" });
    } else if (storing.length > 0) {
      out.push({
        id: `helper:${pattern}`,
        status: "fail",
        message: `the storing helper ${storing.join(", ")} also gets CodeCommit passwords for ${pattern} and will replay them after they expire (403)`,
        fix: `run: ccsso setup-git (it puts an empty helper first for CodeCommit URLs), then remove stored copies: printf 'protocol=https\\nhost=${new URL(url).host}\\n\\n' | git credential reject`,
      });
    } else if (ours > 0) {
      out.push({ id: `helper:${pattern}`, status: "warn", message: `${helpers.slice(0, ours).join(", ")} runs before ccsso for ${pattern}`, fix: "run: ccsso setup-git (an empty helper first, then ccsso)" });
    } else {
      out.push({ id: `helper:${pattern}`, status: "ok", message: `credential helper for ${pattern}: ccsso only` });
    }
    if (!effectiveUseHttpPath(entries, url)) {
      out.push({
        id: `usehttppath:${pattern}`,
        status: "fail",
        message: `credential.useHttpPath is off for ${pattern}: git will not send the repository path to sign`,
        fix: `run: ccsso setup-git (or git config --global credential.${pattern}.useHttpPath true)`,
      });
    }
  }
  if (out.every((c) => c.status === "ok")) return [{ id: "helpers", status: "ok", message: `credential helper: ccsso only, with useHttpPath, for all ${CODECOMMIT_URL_PATTERNS.length} CodeCommit URL patterns` }];
  return out.filter((c) => c.status !== "ok");
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
      out.push({ id: `link:${name}`, status: "fail", message: `${name} is not on PATH`, fix: "run: ccsso setup-git (it links it next to ccsso; keep that directory on PATH)" });
      continue;
    }
    const real = realpathOrUndefined(found);
    if (self && real !== self) {
      out.push({ id: `link:${name}`, status: "fail", message: `${name} on PATH is ${found}, which is not this ccsso (${self})`, fix: `remove or rename ${found} (pip uninstall git-remote-codecommit, if it is the Python one), then run: ccsso setup-git` });
    } else out.push({ id: `link:${name}`, status: "ok", message: `${name} → ${found}` });
  }
  const allow = runGit(["config", "--get", "protocol.codecommit.allow"], { env: ctx.env, cwd: ctx.cwd }).stdout.trim();
  if (allow !== "always") {
    out.push({ id: "protocol.codecommit.allow", status: "warn", message: `protocol.codecommit.allow is ${allow ? `"${allow}"` : "unset"}: git refuses codecommit:// URLs in submodules`, fix: "run: git config --global protocol.codecommit.allow always" });
  } else out.push({ id: "protocol.codecommit.allow", status: "ok", message: "protocol.codecommit.allow = always (submodules may use codecommit://)" });
  return out;
}

function loginCommand(login: SsoLogin, profile: string): string {
  return login.kind === "session" ? `ccsso sso login --sso-session ${login.sessionName}` : `ccsso sso login --profile ${profile}`;
}

async function profileChecks(ctx: Context, cfg: AwsConfig, profileFlag: string | undefined): Promise<Check[]> {
  const out: Check[] = [];
  for (const p of cfg.problems) {
    const file = p.file === "config" ? awsConfigPath(ctx.env) : awsCredentialsPath(ctx.env);
    out.push({ id: "config-syntax", status: "warn", message: `AWS ${p.file} file line ${p.line}: ${p.message} (the AWS CLI and botocore refuse this file)`, fix: `fix line ${p.line} of ${file}` });
  }
  const sel = selectProfileName(profileFlag, ctx.env);
  const values = profileValues(cfg, sel.name);
  if (!values) {
    if (!sel.fromFlag && ctx.env.AWS_ACCESS_KEY_ID) {
      out.push({ id: "profile", status: "ok", message: "credentials from AWS_ACCESS_KEY_ID (no profile selected)" });
      return out;
    }
    const names = profileNames(cfg);
    out.push({ id: "profile", status: "fail", message: `profile ${sel.name} is not in the AWS config`, fix: names.length > 0 ? `use one of: ${names.join(", ")} (--profile or AWS_PROFILE), or run: ccsso configure sso --profile ${sel.name}` : "run: ccsso configure sso" });
    return out;
  }
  let sso;
  try {
    sso = resolveSsoProfile(cfg, sel.name);
  } catch (e) {
    const err = e as Error & { hint?: string };
    out.push({ id: "profile", status: "fail", message: `profile ${sel.name}: ${err.message}`, fix: err.hint ?? `run: ccsso configure sso --profile ${sel.name}` });
    return out;
  }
  if (!sso) {
    const kind = values.credential_process ? "credential_process" : values.aws_access_key_id ? "access keys" : undefined;
    if (kind) out.push({ id: "profile", status: "ok", message: `profile ${sel.name} uses ${kind}` });
    else out.push({ id: "profile", status: "fail", message: `profile ${sel.name} has no SSO role, access keys or credential_process`, fix: `run: ccsso configure sso --profile ${sel.name}` });
    return out;
  }
  const region = values.region;
  out.push({ id: "profile", status: "ok", message: `profile ${sel.name}: account ${sso.accountId}, role ${sso.roleName}, ${sso.login.kind === "session" ? `sso-session ${sso.login.sessionName}` : "legacy start URL"}${region ? `, region ${region}` : ""}` });
  if (!region) out.push({ id: "region", status: "warn", message: `profile ${sel.name} has no region: codecommit:// URLs and ccsso repos need one`, fix: `add "region = <region>" to the profile, or use codecommit::<region>://${sel.name}@<repo>` });
  const now = ctx.now();
  const quiet = { ...ctx, debug: false };
  const token = readTokenCache(quiet, sso.login);
  const login = loginCommand(sso.login, sel.name);
  if (!token) out.push({ id: "token", status: "fail", message: `not signed in to ${sso.login.startUrl}`, fix: `run: ${login}` });
  else {
    const t = token.token;
    const refreshable = sso.login.kind === "session" && Boolean(t.refreshToken && t.clientId && t.clientSecret) && (token.registrationExpiresAt ?? 0) > now;
    if (token.expiresAt > now) out.push({ id: "token", status: "ok", message: `SSO token expires ${formatRelative(token.expiresAt, now)}${refreshable ? " (refreshes by itself)" : ""}` });
    else if (refreshable) out.push({ id: "token", status: "ok", message: `SSO token expired ${formatRelative(token.expiresAt, now)}; it will be refreshed on next use` });
    else out.push({ id: "token", status: "fail", message: `SSO token expired ${formatRelative(token.expiresAt, now)} and cannot be refreshed`, fix: `run: ${login}` });
  }
  const creds = readRoleCredentialsCache(quiet, roleCredentialsCacheKey({ login: sso.login, accountId: sso.accountId, roleName: sso.roleName }));
  if (creds && creds.expiration > now) out.push({ id: "role-credentials", status: "ok", message: `cached role credentials expire ${formatRelative(creds.expiration, now)}` });
  else out.push({ id: "role-credentials", status: "ok", message: creds ? "cached role credentials expired; new ones are fetched on next use" : "no cached role credentials; fetched on first use" });
  out.push(await clockCheck(ctx, cfg, sel.name, sso.login.region));
  return out;
}

/** Compare our clock with the portal's `Date` header: SigV4 and token expiry both depend on it. */
async function clockCheck(ctx: Context, cfg: AwsConfig, profile: string, ssoRegion: string): Promise<Check> {
  let portal: string;
  try {
    const { resolveSsoEndpoints } = await import("../aws/endpoints");
    portal = resolveSsoEndpoints(cfg, profile, ssoRegion, ctx.env).portal;
  } catch (e) {
    return { id: "clock", status: "fail", message: `no IAM Identity Center endpoint: ${(e as Error).message}`, fix: (e as { hint?: string }).hint ?? "check sso_region and endpoint settings" };
  }
  const { transportOptions } = await import("../aws/signed-call");
  let res: Response;
  const started = ctx.now();
  try {
    res = await fetch(portal, { method: "HEAD", signal: AbortSignal.timeout(CLOCK_CHECK_TIMEOUT_MS), ...transportOptions(new URL(portal), ctx.env) } as RequestInit);
  } catch (e) {
    const proxy = (await import("../aws/signed-call")).proxyFor(new URL(portal), ctx.env);
    return {
      id: "clock",
      status: "warn",
      message: `could not reach ${portal} to compare clocks: ${(e as Error).message}${proxy ? ` (via proxy ${proxy})` : ""}`,
      fix: proxy ? "check HTTPS_PROXY / NO_PROXY" : "check the network, HTTPS_PROXY and AWS_CA_BUNDLE",
    };
  }
  const date = res.headers.get("date");
  const theirs = date ? Date.parse(date) : NaN;
  if (Number.isNaN(theirs)) return { id: "clock", status: "warn", message: `${portal} sent no Date header; clock not checked`, fix: "check that the SSO endpoint is the real portal" };
  // The Date header has one-second resolution and the request takes time: compare with the midpoint.
  const skew = (started + ctx.now()) / 2 - theirs;
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS) {
    return { id: "clock", status: "fail", message: `this machine's clock is ${formatSpanPlain(skew)} ${skew > 0 ? "ahead of" : "behind"} AWS`, fix: "sync the clock (timedatectl set-ntp true, or your OS's time settings)" };
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
    out.push({ id: "proxy", status: "ok", message: `HTTPS requests go through ${redacted}${ctx.env.NO_PROXY || ctx.env.no_proxy ? ` except NO_PROXY=${ctx.env.NO_PROXY || ctx.env.no_proxy}` : ""}` });
  }
  const bundle = ctx.env.AWS_CA_BUNDLE;
  if (bundle) {
    let text = "";
    try {
      text = readFileSync(bundle, "utf8");
    } catch (e) {
      out.push({ id: "ca-bundle", status: "fail", message: `AWS_CA_BUNDLE=${bundle} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, fix: "point AWS_CA_BUNDLE at your PEM bundle, or unset it" });
      return out;
    }
    const n = (text.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
    if (n === 0) out.push({ id: "ca-bundle", status: "fail", message: `AWS_CA_BUNDLE=${bundle} holds no PEM certificate`, fix: "point AWS_CA_BUNDLE at a PEM file (-----BEGIN CERTIFICATE-----)" });
    else out.push({ id: "ca-bundle", status: "ok", message: `AWS_CA_BUNDLE=${bundle} (${n} certificate${n === 1 ? "" : "s"}); git uses http.sslCAInfo / GIT_SSL_CAINFO separately` });
  }
  return out;
}

export async function runChecks(ctx: Context, opts: { profile?: string }): Promise<Check[]> {
  const cfg = loadAwsConfig(ctx.env);
  return [...gitChecks(ctx), ...helperChecks(ctx), ...linkChecks(ctx), ...(await profileChecks(ctx, cfg, opts.profile)), ...networkChecks(ctx)];
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
  const lines = checks.map((c) => `${mark[c.status]} ${c.message}${c.fix ? `\n    fix: ${c.fix}` : ""}`);
  const warned = checks.filter((c) => c.status === "warn").length;
  lines.push("", failed > 0 ? `${failed} problem${failed === 1 ? "" : "s"} found.` : warned > 0 ? `No problems; ${warned} warning${warned === 1 ? "" : "s"}.` : "No problems found.");
  ctx.stdout.write(lines.join("\n") + "\n");
  return failed > 0 ? 1 : 0;
}
