// `ccsso sso status`: every SSO session and token in ~/.aws/sso/cache, matched to the config's
// [sso-session] sections and legacy start URLs, with expiry, whether it can refresh, and the cached role
// credentials of each profile. Never a secret: only names, URLs, account/role ids and times are printed.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { profileNames, profileValues, resolveSsoLogin, resolveSsoProfile, type AwsConfig } from "../core/aws-config";
import { assumesRole, parseRoleArn, resolveRoleChain } from "../core/role-chain";
import { ConfigError, ExitCode, UsageError } from "../core/errors";
import { assumeRoleCacheKey, roleCredentialsCacheKey, tokenCacheKey } from "../core/cache-keys";
import type { SsoLogin } from "../core/types";
import type { Context } from "../platform/context";
import type { ssoStatus } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { ssoCacheDir } from "../platform/paths";
import { styleFor } from "../platform/terminal";
import { loadAwsConfig } from "../store/aws-config-files";
import { readJsonObject } from "../store/json-cache-file";
import { readRoleCredentialsCache } from "../store/role-credentials-cache";
import { loginCachePath, readLoginCache } from "../store/login-cache";
import { existsSync } from "node:fs";
import { tokenFromJson } from "../store/token-cache";
import { formatRelative, isoSeconds } from "./time-text";
import { commandLine } from "../core/shell-quote";
import { sanitizeLine } from "../core/terminal-text";

export interface ProfileStatus {
  profile: string;
  accountId: string;
  roleName: string;
  /** For a profile that assumes a role on top of this session's credentials: the profile it assumes it from. */
  assumedFrom?: string;
  /** Cached role credentials (the AWS CLI's ~/.aws/cli/cache), or null when none are cached. */
  credentials: { expiresAt: string; expired: boolean } | null;
}

export interface SessionStatus {
  kind: "session" | "legacy";
  /** The [sso-session] name; absent for a legacy start URL. */
  name?: string;
  startUrl: string;
  region: string;
  cacheFile: string;
  token:
    | { state: "missing" }
    | { state: "unreadable" }
    | { state: "valid" | "expired"; expiresAt: string; refreshable: boolean; registrationExpiresAt?: string; whyNotRefreshable?: string };
  profiles: ProfileStatus[];
  loginCommand: string;
}

/** An `aws login` profile (login_session; docs/protocols.md §3.11): its cached session, renewed without a browser. */
export interface LoginSessionStatus {
  profile: string;
  /** The session's ARN (login_session). */
  session: string;
  cacheFile: string;
  /** missing/unreadable: `aws login` is needed; expired: the credentials are renewed on next use. */
  state: "missing" | "unreadable" | "valid" | "expired";
  expiresAt?: string;
  accountId?: string;
  loginCommand: string;
}

export interface StatusReport {
  sessions: SessionStatus[];
  loginSessions: LoginSessionStatus[];
  /** Token files no configured session or start URL points at (another machine's config, a renamed session). */
  otherTokens: Array<{ cacheFile: string; startUrl?: string; expiresAt: string; expired: boolean }>;
}

function loginsOf(cfg: AwsConfig): Array<{ login: SsoLogin; via?: string }> {
  const out: Array<{ login: SsoLogin; via?: string }> = [];
  for (const [name, s] of cfg.ssoSessions) {
    out.push({ login: { kind: "session", sessionName: name, startUrl: s.sso_start_url ?? "", region: s.sso_region ?? "" } });
  }
  const legacy = new Set<string>();
  for (const name of profileNames(cfg)) {
    const v = { ...cfg.profiles.get(name), ...cfg.credentialProfiles.get(name) };
    if (v.sso_session || !v.sso_start_url || legacy.has(v.sso_start_url)) continue;
    legacy.add(v.sso_start_url);
    out.push({ login: { kind: "legacy", startUrl: v.sso_start_url, region: v.sso_region ?? "" }, via: name });
  }
  return out;
}

export function buildStatus(ctx: Context, cfg: AwsConfig): StatusReport {
  const dir = ssoCacheDir(ctx.env);
  const now = ctx.now();
  const quiet = { ...ctx, debug: false };
  const seen = new Set<string>();
  const sessions: SessionStatus[] = [];
  for (const { login, via } of loginsOf(cfg)) {
    const file = `${tokenCacheKey(login)}.json`;
    seen.add(file);
    const path = join(dir, file);
    const obj = readJsonObject(quiet, path, "SSO token cache");
    let token: SessionStatus["token"] = { state: "missing" };
    if (obj) {
      const parsed = tokenFromJson(obj);
      if (typeof parsed === "string") token = { state: "unreadable" };
      else {
        const t = parsed.token;
        // Refresh needs the refresh token and a live client registration (docs/protocols.md §3.5);
        // legacy (start URL) tokens are never refreshed.
        let why: string | undefined;
        if (login.kind === "legacy") why = "legacy profile (no sso-session)";
        else if (!t.refreshToken || !t.clientId || !t.clientSecret) why = "no refresh token";
        else if (parsed.registrationExpiresAt === undefined) why = "no client registration expiry";
        else if (parsed.registrationExpiresAt <= now) why = "client registration expired";
        token = {
          state: parsed.expiresAt > now ? "valid" : "expired",
          expiresAt: isoSeconds(parsed.expiresAt),
          refreshable: why === undefined,
          ...(parsed.registrationExpiresAt !== undefined ? { registrationExpiresAt: isoSeconds(parsed.registrationExpiresAt) } : {}),
          ...(why ? { whyNotRefreshable: why } : {}),
        };
      }
    }
    const profiles: ProfileStatus[] = [];
    for (const name of profileNames(cfg)) {
      let p;
      try {
        p = resolveSsoProfile(cfg, name);
      } catch {
        continue; // an inconsistent profile is doctor's business
      }
      if (!p) continue;
      const same =
        p.login.kind === login.kind &&
        (login.kind === "session"
          ? p.login.kind === "session" && p.login.sessionName === login.sessionName
          : p.login.startUrl === login.startUrl);
      if (!same) continue;
      const cached = readRoleCredentialsCache(quiet, roleCredentialsCacheKey({ login, accountId: p.accountId, roleName: p.roleName }));
      profiles.push({
        profile: name,
        accountId: p.accountId,
        roleName: p.roleName,
        credentials: cached ? { expiresAt: isoSeconds(cached.expiration), expired: cached.expiration <= now } : null,
      });
    }
    // Profiles that assume a role on top of one of those SSO profiles live on this session too.
    const ssoNames = new Set(profiles.map((p) => p.profile));
    for (const name of profileNames(cfg)) {
      const values = profileValues(cfg, name);
      if (!assumesRole(values)) continue;
      let chain;
      try {
        chain = resolveRoleChain(cfg, name);
      } catch {
        continue; // a broken chain is doctor's business
      }
      if (chain.source.kind !== "profile" || !ssoNames.has(chain.source.profile)) continue;
      const top = chain.steps.at(-1)!;
      const role = parseRoleArn(top.args.RoleArn);
      const cached = readRoleCredentialsCache(quiet, assumeRoleCacheKey(top.args));
      profiles.push({
        profile: name,
        accountId: role?.account ?? "",
        roleName: role?.name ?? top.args.RoleArn,
        assumedFrom: chain.steps.length > 1 ? chain.steps.at(-2)!.profile : chain.source.profile,
        credentials: cached ? { expiresAt: isoSeconds(cached.expiration), expired: cached.expiration <= now } : null,
      });
    }
    const loginCommand = commandLine(
      login.kind === "session"
        ? ["ccsso", "sso", "login", "--sso-session", login.sessionName]
        : ["ccsso", "sso", "login", "--profile", via ?? "default"],
    );
    sessions.push({
      kind: login.kind,
      ...(login.kind === "session" ? { name: login.sessionName } : {}),
      startUrl: login.startUrl,
      region: login.region,
      cacheFile: path,
      token,
      profiles,
      loginCommand,
    });
  }
  const otherTokens: StatusReport["otherTokens"] = [];
  let files: string[] = [];
  try {
    files = readdirSync(dir)
      .filter((f) => /^[0-9a-f]{40}\.json$/.test(f) && !seen.has(f))
      .sort();
  } catch {
    // No cache directory yet: nothing signed in.
  }
  for (const f of files) {
    const obj = readJsonObject(quiet, join(dir, f), "SSO token cache");
    // Client registrations share the directory; only token files have an accessToken.
    if (!obj || typeof obj.accessToken !== "string") continue;
    const parsed = tokenFromJson(obj);
    if (typeof parsed === "string") continue;
    otherTokens.push({
      cacheFile: join(dir, f),
      ...(parsed.token.startUrl ? { startUrl: parsed.token.startUrl } : {}),
      expiresAt: isoSeconds(parsed.expiresAt),
      expired: parsed.expiresAt <= now,
    });
  }
  return { sessions, loginSessions: loginSessionsOf(ctx, cfg), otherTokens };
}

function loginSessionsOf(ctx: Context, cfg: AwsConfig): LoginSessionStatus[] {
  const quiet = { ...ctx, debug: false };
  const out: LoginSessionStatus[] = [];
  for (const name of profileNames(cfg)) {
    const session = profileValues(cfg, name)?.login_session;
    if (!session) continue;
    const cacheFile = loginCachePath(ctx.env, session);
    const cached = readLoginCache(quiet, session);
    const base = { profile: name, session, cacheFile, loginCommand: commandLine(["aws", "login", "--profile", name]) };
    if ("problem" in cached) out.push({ ...base, state: existsSync(cacheFile) ? "unreadable" : "missing" });
    else {
      const c = cached.credentials;
      out.push({
        ...base,
        state: c.expiresAt > ctx.now() ? "valid" : "expired",
        expiresAt: isoSeconds(c.expiresAt),
        ...(c.accountId ? { accountId: c.accountId } : {}),
      });
    }
  }
  return out;
}

/**
 * Does this session need `ccsso sso login` before its next use? A token that expired but can be renewed
 * with its refresh token does not: the next command renews it without a browser.
 */
export function needsLogin(session: SessionStatus): boolean {
  const t = session.token;
  return t.state === "missing" || t.state === "unreadable" || (t.state === "expired" && !t.refreshable);
}

/** The report narrowed to the session of `--profile` or `--sso-session` (the AWS CLI's rules for which). */
function onlyAskedFor(report: StatusReport, cfg: AwsConfig, opts: OptionsOf<typeof ssoStatus>): StatusReport {
  if (opts.profile === undefined && opts.ssoSession === undefined) return report;
  if (opts.profile !== undefined && opts.ssoSession !== undefined) {
    throw new UsageError("--profile and --sso-session each name a session; give one", "run: ccsso sso status --profile <name>");
  }
  const asked = report.loginSessions.filter((l) => l.profile === opts.profile);
  if (asked.length > 0) return { sessions: [], loginSessions: asked, otherTokens: [] };
  const login = resolveSsoLogin(cfg, opts.ssoSession !== undefined ? { ssoSession: opts.ssoSession } : { profile: opts.profile });
  const sessions = report.sessions.filter((s) =>
    login.kind === "session" ? s.kind === "session" && s.name === login.sessionName : s.kind === "legacy" && s.startUrl === login.startUrl,
  );
  if (sessions.length === 0)
    throw new ConfigError(`profile ${opts.profile} does not use IAM Identity Center`, "run: ccsso sso status to see the SSO sessions");
  return { sessions, loginSessions: [], otherTokens: [] };
}

/** The exit status scripts read: 0 all signed in, 3 a login is needed, 1 nothing configured (as `gh auth status`). */
function statusCode(report: StatusReport): number {
  if (report.sessions.length === 0 && report.loginSessions.length === 0) return ExitCode.error;
  const loginGone = report.loginSessions.some((l) => l.state === "missing" || l.state === "unreadable");
  return report.sessions.some(needsLogin) || loginGone ? ExitCode.loginRequired : ExitCode.ok;
}

export async function run(opts: OptionsOf<typeof ssoStatus>, _args: string[], ctx: Context): Promise<number> {
  const cfg = loadAwsConfig(ctx.env);
  const report = onlyAskedFor(buildStatus(ctx, cfg), cfg, opts);
  if (opts.json) {
    ctx.stdout.write(JSON.stringify(report, null, 2) + "\n");
    return statusCode(report);
  }
  const s = styleFor(ctx.stdout, ctx.env);
  const now = ctx.now();
  const when = (iso: string) => `${formatRelative(Date.parse(iso), now)} (${iso})`;
  const lines: string[] = [];
  if (report.sessions.length === 0 && report.otherTokens.length === 0 && report.loginSessions.length === 0) {
    ctx.stdout.write("No SSO sessions are configured. Get started: ccsso configure sso\n");
    return statusCode(report);
  }
  for (const ses of report.sessions) {
    // Names, URLs and ids come from the config and cache files: printed through the output policy.
    const title = ses.kind === "session" ? `sso-session ${sanitizeLine(ses.name ?? "")}` : "legacy start URL";
    lines.push(`${s.bold(title)}  ${sanitizeLine(ses.startUrl)} (${sanitizeLine(ses.region || "no sso_region")})`);
    const t = ses.token;
    const loginCommand = sanitizeLine(ses.loginCommand);
    if (t.state === "missing") lines.push(`  ${s.yellow("not signed in")} — run: ${loginCommand}`);
    else if (t.state === "unreadable") lines.push(`  ${s.red("token cache unreadable")} — run: ${loginCommand}`);
    else {
      const state =
        t.state === "valid" ? s.green(`signed in, token expires ${when(t.expiresAt)}`) : s.red(`token expired ${when(t.expiresAt)}`);
      lines.push(`  ${state}`);
      lines.push(
        t.refreshable
          ? `  refreshable: yes (client registration until ${sanitizeLine(String(t.registrationExpiresAt))})`
          : `  refreshable: no (${sanitizeLine(t.whyNotRefreshable ?? "")})${t.state === "expired" ? ` — run: ${loginCommand}` : ""}`,
      );
    }
    for (const p of ses.profiles) {
      const creds = p.credentials
        ? p.credentials.expired
          ? s.dim(`cached role credentials expired ${when(p.credentials.expiresAt)}`)
          : `role credentials expire ${when(p.credentials.expiresAt)}`
        : s.dim("no cached role credentials");
      const from = p.assumedFrom !== undefined ? ` (assumed from profile ${sanitizeLine(p.assumedFrom)})` : "";
      lines.push(`  profile ${sanitizeLine(p.profile)}  ${sanitizeLine(p.accountId)}/${sanitizeLine(p.roleName)}${from}  ${creds}`);
    }
    lines.push("");
  }
  for (const l of report.loginSessions) {
    const state =
      l.state === "missing" || l.state === "unreadable"
        ? s.yellow(l.state === "missing" ? "not signed in" : "cache file unreadable") + ` — run: ${sanitizeLine(l.loginCommand)}`
        : l.state === "valid"
          ? s.green(`credentials expire ${when(l.expiresAt!)}`) + ", renewed without a browser"
          : `credentials expired ${when(l.expiresAt!)}, renewed on next use`;
    lines.push(`${s.bold("aws login session")}  ${sanitizeLine(l.session)}`);
    lines.push(`  profile ${sanitizeLine(l.profile)}${l.accountId ? `  account ${sanitizeLine(l.accountId)}` : ""}  ${state}`);
    lines.push("");
  }
  for (const o of report.otherTokens) {
    lines.push(
      `${s.bold("token not in your config")}  ${sanitizeLine(o.startUrl ?? "(no startUrl)")}  ${o.expired ? "expired" : "expires"} ${when(o.expiresAt)}  ${sanitizeLine(o.cacheFile)}`,
    );
  }
  ctx.stdout.write(lines.join("\n").replace(/\n+$/, "") + "\n");
  return statusCode(report);
}
