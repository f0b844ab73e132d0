// ccsso's own settings file (docs/protocols.md §1.8): $XDG_CONFIG_HOME/ccsso/config.toml, default
// ~/.config/ccsso/config.toml.
// It is optional: when it does not exist nothing is parsed and smol-toml is never imported, so the git
// credential helper's warm path stays small. Unknown keys are errors (a misspelt `allow-login` silently
// ignored would be worse than a one-line complaint naming the line).
//
// Schema (also the table in docs/protocols.md §1.8):
//
//   [credential_helper]
//   allow_login = false          # may `credential-helper get` run `sso login` itself on /dev/tty (default false)
//
//   [login]
//   if_needed_threshold = "1h"   # `sso login --if-needed` / `ccsso use`: sign in again when the session has
//                                # this much or less left ("90m", "1h30m", "0" = only when expired)
//   redirect_port = 8400         # the browser flow's loopback port, fixed so `ssh -L 8400:127.0.0.1:8400` can reach it
//   copy_url = false             # copy the sign-in URL to the clipboard through the terminal (OSC 52)
//
//   [sso_session.corp]           # per sso-session; written by `sso login --use-device-code`, removed by --use-browser
//   login_flow = "device-code"
//
//   [git]
//   clone_protocol = "https"     # "https" | "codecommit": what `ccsso clone` / `ccsso repos` print and use
//
//   [[repository]]               # first match wins; `*` = any run of characters except "/", `**` = any run
//   url = "https://git-codecommit.*.amazonaws.com/v1/repos/team-*"
//   profile = "team-dev"
//
//   [[host]]                     # extra CodeCommit git hosts: custom domains, VPC endpoint aliases, proxies
//   host = "git.corp.example"    # host or host:port (without a port any port matches)
//   region = "eu-central-1"      # the region to sign for
import { ConfigError } from "../core/errors";
import type { ExtraCodeCommitHost } from "../core/codecommit-host";
import { DEFAULT_IF_NEEDED_THRESHOLD_MS, parseDuration } from "../core/login-freshness";
import { isHostWithPort } from "../core/codecommit-host";
import { isRegionName } from "../core/regions";
import type { Env } from "../platform/context";
import { settingsPath } from "../platform/paths";
import { atomicWriteFile, readFileIfExists } from "./atomic-file";

export type CloneProtocol = "https" | "codecommit";

export interface RepositoryProfileRule {
  url: string;
  profile: string;
}

export interface CcssoSettings {
  /** Where the settings were (or would be) read from. */
  path: string;
  exists: boolean;
  repositories: RepositoryProfileRule[];
  hosts: ExtraCodeCommitHost[];
  credentialHelper: { allowLogin: boolean };
  git: { cloneProtocol: CloneProtocol };
  /** `[login] if_needed_threshold`, in ms; `redirect_port`; `copy_url`. */
  login: { ifNeededThresholdMs: number; redirectPort?: number; copyUrl: boolean };
  /** `[sso_session.NAME]` tables: what each session remembers. */
  ssoSessions: Record<string, { loginFlow?: "device-code" }>;
}

export function defaultSettings(path: string): CcssoSettings {
  return {
    path,
    exists: false,
    repositories: [],
    hosts: [],
    credentialHelper: { allowLogin: false },
    git: { cloneProtocol: "https" },
    login: { ifNeededThresholdMs: DEFAULT_IF_NEEDED_THRESHOLD_MS, copyUrl: false },
    ssoSessions: {},
  };
}

export async function loadSettings(env: Env): Promise<CcssoSettings> {
  const path = settingsPath(env);
  const text = readFileIfExists(path);
  if (text === undefined) return defaultSettings(path);
  const { parse, TomlError } = await import("smol-toml");
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.replace(/^Invalid TOML document:\s*/, "").split("\n")[0];
      throw new ConfigError(`${path}:${e.line}: ${first}`, `fix the TOML syntax in ${path}`);
    }
    throw e;
  }
  return settingsFromDocument(doc, text, path);
}

/** Validate a parsed document; exported for tests. Errors name the file, line and key. */
export function settingsFromDocument(doc: Record<string, unknown>, text: string, path: string): CcssoSettings {
  const out = defaultSettings(path);
  out.exists = true;
  const fail = (key: string, problem: string, occurrence?: { table: string; index: number }): never => {
    const line = findLine(text, key, occurrence);
    throw new ConfigError(`${path}${line ? `:${line}` : ""}: ${key} ${problem}`, `edit ${path}`);
  };
  for (const top of Object.keys(doc)) {
    if (!["credential_helper", "login", "git", "repository", "host", "sso_session"].includes(top))
      fail(top, "is not a known setting (credential_helper, login, git, repository, host, sso_session)");
  }
  const helper = doc.credential_helper;
  if (helper !== undefined) {
    if (!isTable(helper)) fail("credential_helper", "must be a table");
    for (const [k, v] of Object.entries(helper as Record<string, unknown>)) {
      if (k !== "allow_login") fail(`credential_helper.${k}`, "is not a known setting (allow_login)");
      if (typeof v !== "boolean") fail("credential_helper.allow_login", "must be true or false");
      out.credentialHelper.allowLogin = v as boolean;
    }
  }
  const login = doc.login;
  if (login !== undefined) {
    if (!isTable(login)) fail("login", "must be a table");
    for (const [k, v] of Object.entries(login as Record<string, unknown>)) {
      if (k === "redirect_port") {
        if (!isPortNumber(v)) fail("login.redirect_port", "must be a port number from 1 to 65535");
        out.login.redirectPort = v as number;
        continue;
      }
      if (k === "copy_url") {
        if (typeof v !== "boolean") fail("login.copy_url", "must be true or false");
        out.login.copyUrl = v as boolean;
        continue;
      }
      if (k !== "if_needed_threshold") fail(`login.${k}`, "is not a known setting (if_needed_threshold, redirect_port, copy_url)");
      const ms = typeof v === "string" ? parseDuration(v) : undefined;
      if (ms === undefined) fail("login.if_needed_threshold", 'must be a duration such as "1h", "90m" or "1h30m" ("0": only when expired)');
      out.login.ifNeededThresholdMs = ms!;
    }
  }
  const sessions = doc.sso_session;
  if (sessions !== undefined) {
    if (!isTable(sessions)) fail("sso_session", "must be written as [sso_session.NAME] tables");
    for (const [name, t] of Object.entries(sessions as Record<string, unknown>)) {
      if (!isTable(t)) fail("sso_session", "must be written as [sso_session.NAME] tables");
      const entry: { loginFlow?: "device-code" } = {};
      for (const [k, v] of Object.entries(t as Record<string, unknown>)) {
        if (k !== "login_flow") fail(`sso_session.${k}`, "is not a known setting (login_flow)");
        if (v !== "device-code") fail("sso_session.login_flow", 'must be "device-code" (remove the line for the browser flow)');
        entry.loginFlow = "device-code";
      }
      out.ssoSessions[name] = entry;
    }
  }
  const git = doc.git;
  if (git !== undefined) {
    if (!isTable(git)) fail("git", "must be a table");
    for (const [k, v] of Object.entries(git as Record<string, unknown>)) {
      if (k !== "clone_protocol") fail(`git.${k}`, "is not a known setting (clone_protocol)");
      if (v !== "https" && v !== "codecommit") fail("git.clone_protocol", 'must be "https" or "codecommit"');
      out.git.cloneProtocol = v as CloneProtocol;
    }
  }
  const repos = doc.repository;
  if (repos !== undefined) {
    if (!Array.isArray(repos)) fail("repository", "must be written as [[repository]] tables");
    (repos as unknown[]).forEach((r, index) => {
      const at = { table: "repository", index };
      if (!isTable(r)) fail("repository", "must be written as [[repository]] tables", at);
      const t = r as Record<string, unknown>;
      for (const k of Object.keys(t))
        if (k !== "url" && k !== "profile") fail(`repository.${k}`, "is not a known setting (url, profile)", at);
      if (typeof t.url !== "string" || t.url === "") fail("repository.url", "must be a non-empty string", at);
      if (typeof t.profile !== "string" || t.profile === "") fail("repository.profile", "must be a non-empty string", at);
      out.repositories.push({ url: t.url as string, profile: t.profile as string });
    });
  }
  const hosts = doc.host;
  if (hosts !== undefined) {
    if (!Array.isArray(hosts)) fail("host", "must be written as [[host]] tables");
    (hosts as unknown[]).forEach((h, index) => {
      const at = { table: "host", index };
      if (!isTable(h)) fail("host", "must be written as [[host]] tables", at);
      const t = h as Record<string, unknown>;
      for (const k of Object.keys(t)) if (k !== "host" && k !== "region") fail(`host.${k}`, "is not a known setting (host, region)", at);
      if (typeof t.host !== "string" || !isHostWithPort(t.host)) fail("host.host", "must be a host name, optionally with :port", at);
      if (typeof t.region !== "string" || !isRegionName(t.region)) fail("host.region", "must be an AWS Region such as us-east-1", at);
      out.hosts.push({ host: t.host as string, region: t.region as string });
    });
  }
  return out;
}

/** The profile of the first `[[repository]]` rule whose pattern matches `url`, if any. */
export function profileForRepositoryUrl(settings: CcssoSettings, url: string): string | undefined {
  const normal = normalizeRepositoryUrl(url);
  for (const rule of settings.repositories) if (urlPatternToRegExp(rule.url).test(normal)) return rule.profile;
  return undefined;
}

const DEFAULT_PORTS: Record<string, string> = { https: "443", http: "80" };

/**
 * The same repository written the ways git may send it: scheme and host lower-cased, the default port
 * (`:443`) dropped, a user name dropped. Rules and URLs are both compared in this form, so a rule for
 * `https://git-codecommit.eu-west-1.amazonaws.com` also covers `…amazonaws.com:443/v1/repos/x` instead of
 * silently falling back to the default profile.
 */
export function normalizeRepositoryUrl(url: string): string {
  const m = /^(https?):\/\/(?:[^@/]*@)?([^/:]*)(?::(\d+))?(\/.*)?$/i.exec(url);
  if (!m) return url;
  const scheme = m[1]!.toLowerCase();
  const port = m[3] && m[3] !== DEFAULT_PORTS[scheme] ? `:${m[3]}` : "";
  return `${scheme}://${m[2]!.toLowerCase()}${port}${m[4] ?? ""}`;
}

export function urlPatternToRegExp(rawPattern: string): RegExp {
  const pattern = normalizeRepositoryUrl(rawPattern);
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (c === "*") re += "[^/]*";
    else re += c.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }
  // A pattern without a path matches the whole host (every repository on it).
  return new RegExp(`^${re}${/^[a-z]+:\/\/[^/]+$/i.test(pattern) ? "(?:/.*)?" : ""}$`, "i");
}

export function isPortNumber(v: unknown): boolean {
  return typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 65535;
}

function isTable(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Best-effort line number of `key` (dotted) in the file, within the n-th [[table]] when given. */
function findLine(text: string, dotted: string, occurrence?: { table: string; index: number }): number | undefined {
  const lines = text.split("\n");
  const parts = dotted.split(".");
  const key = parts[parts.length - 1]!;
  let start = 0;
  let end = lines.length;
  const header = occurrence?.table ?? (parts.length > 1 ? parts[0] : undefined);
  if (header) {
    const isHeader = (l: string) =>
      (occurrence ? new RegExp(`^\\s*\\[\\[\\s*${header}\\s*\\]\\]`) : new RegExp(`^\\s*\\[\\s*${header}\\s*\\]`)).test(l);
    let seen = -1;
    start = -1;
    for (let i = 0; i < lines.length; i++) {
      if (isHeader(lines[i]!) && ++seen === (occurrence?.index ?? 0)) {
        start = i;
        break;
      }
    }
    if (start < 0) return undefined;
    if (parts.length === 1 || key === header) return start + 1;
    end = lines.findIndex((l, i) => i > start && /^\s*\[/.test(l));
    if (end < 0) end = lines.length;
  }
  const keyRe = new RegExp(`^\\s*["']?${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']?\\s*=`);
  for (let i = start; i < end; i++) if (keyRe.test(lines[i]!)) return i + 1;
  const headerRe = new RegExp(`^\\s*\\[+\\s*${key}\\s*\\]+`);
  for (let i = start; i < end; i++) if (headerRe.test(lines[i]!)) return i + 1;
  return undefined;
}

/**
 * Remember (`"device-code"`) or forget (undefined) how `session` signs in, as `login_flow` in its
 * `[sso_session.NAME]` table. smol-toml has no writer that keeps comments, so the person's file is
 * edited as text — only the one line, and the table header when the table is new or left empty — and
 * the result is parsed again and compared with what was meant before it replaces the file atomically.
 * Returns whether the file changed.
 */
export async function rememberLoginFlow(env: Env, session: string, flow: "device-code" | undefined): Promise<boolean> {
  const path = settingsPath(env);
  const before = readFileIfExists(path) ?? "";
  const { parse } = await import("smol-toml");
  const current = before === "" ? {} : (parse(before) as Record<string, unknown>);
  const after = editLoginFlow(before, session, flow, (text) => parse(text) as Record<string, unknown>);
  if (after === before) return false;
  // What the file must now say: the same document with only this one value changed.
  // biome-ignore lint/suspicious/noExplicitAny: a parsed TOML document, edited by key path just as the text was
  const expected = structuredClone(current) as Record<string, any>;
  if (flow) {
    expected.sso_session ??= {};
    expected.sso_session[session] ??= {};
    expected.sso_session[session].login_flow = flow;
  } else if (expected.sso_session?.[session]) {
    delete expected.sso_session[session].login_flow;
    if (Object.keys(expected.sso_session[session]).length === 0) delete expected.sso_session[session];
    if (Object.keys(expected.sso_session).length === 0) delete expected.sso_session;
  }
  let reparsed: unknown;
  try {
    reparsed = parse(after);
  } catch {
    reparsed = undefined;
  }
  if (!Bun.deepEquals(reparsed, expected)) {
    throw new ConfigError(
      `could not ${flow ? "remember" : "forget"} the sign-in flow for sso-session ${JSON.stringify(session)} in ${path} without changing other settings`,
      `edit ${path} by hand`,
    );
  }
  atomicWriteFile(path, after, { mode: 0o600 });
  return true;
}

/** A TOML key for `name`: bare when it can be, else a basic string. */
export function tomlKey(name: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(name)) return name;
  return `"${name.replace(/[\\"\x00-\x1f\x7f]/g, (c) => (c === "\\" || c === '"' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`))}"`;
}

/** The text edit behind rememberLoginFlow; exported for the round-trip tests. */
export function editLoginFlow(
  text: string,
  session: string,
  flow: "device-code" | undefined,
  parse: (text: string) => Record<string, unknown>,
): string {
  const lines = text === "" ? [] : text.split("\n");
  const isHeader = (l: string) => /^\s*\[/.test(l);
  // Which header line opens [sso_session.<session>]: each header is parsed on its own, so every way of
  // spelling it (quotes, spaces, a comment after it) is recognised as TOML itself reads it.
  const headerIndex = lines.findIndex((l) => {
    if (!/^\s*\[\s*["']?sso_session/.test(l) || /^\s*\[\[/.test(l)) return false;
    try {
      const doc = parse(l) as { sso_session?: Record<string, unknown> };
      return doc.sso_session !== undefined && Object.keys(doc.sso_session).length === 1 && Object.hasOwn(doc.sso_session, session);
    } catch {
      return false;
    }
  });
  const line = `login_flow = "${flow}"`;
  if (headerIndex < 0) {
    if (!flow) return text;
    const sep = text === "" || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
    return `${text}${sep}[sso_session.${tomlKey(session)}]\n${line}\n`;
  }
  let end = lines.findIndex((l, i) => i > headerIndex && isHeader(l));
  if (end < 0) end = lines.length;
  const keyAt = lines.findIndex((l, i) => i > headerIndex && i < end && /^\s*["']?login_flow["']?\s*=/.test(l));
  if (flow) {
    if (keyAt >= 0) lines[keyAt] = line;
    else lines.splice(headerIndex + 1, 0, line);
    return lines.join("\n");
  }
  if (keyAt < 0) return text;
  lines.splice(keyAt, 1);
  end--;
  // A table left with nothing but blank lines goes too (its comments stay, they are the person's).
  const body = lines.slice(headerIndex + 1, end);
  if (body.every((l) => l.trim() === "")) lines.splice(headerIndex, end - headerIndex);
  return lines.join("\n");
}
