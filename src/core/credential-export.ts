// `aws configure export-credentials` output, byte for byte (awscli customizations/configure/exportcreds.py;
// docs/protocols.md §3.8), and its `_AWS_CLI_PROFILE_CHAIN` loop guard. Pure.
import { ConfigError } from "./errors";
import type { AwsCredentials } from "./types";

export const EXPORT_FORMATS = ["process", "env", "env-no-export", "powershell", "windows-cmd", "fish"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(s: string): s is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(s);
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Python's aware-UTC datetime.isoformat(): `2025-01-02T04:04:05+00:00`, microseconds only when non-zero. */
export function pythonIsoformatUtc(d: Date): string {
  const base =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return `${base}${ms ? `.${pad(ms, 3)}000` : ""}+00:00`;
}

// Per-line formats (BasePerLineFormatter subclasses; fish since CLI 2.33.8). No quoting or escaping,
// exactly as the CLI prints them — credentials are [A-Za-z0-9+/=] so nothing needs it.
const LINE: Record<Exclude<ExportFormat, "process">, (name: string, value: string) => string> = {
  env: (n, v) => `export ${n}=${v}`,
  "env-no-export": (n, v) => `${n}=${v}`,
  powershell: (n, v) => `$Env:${n}="${v}"`,
  "windows-cmd": (n, v) => `set ${n}=${v}`,
  fish: (n, v) => `set -gx ${n} "${v}"`,
};

/** json.dumps(ensure_ascii=True): non-ASCII as \uXXXX, like the CLI. */
function pyJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The text `aws configure export-credentials --format F` prints for these credentials. */
export function formatExportedCredentials(creds: AwsCredentials, format: ExportFormat): string {
  const expiry = creds.expiration ? pythonIsoformatUtc(creds.expiration) : undefined;
  if (format === "process") {
    // AccountId is not part of this output (the CLI leaves it out).
    const out: Record<string, unknown> = { Version: 1, AccessKeyId: creds.accessKeyId, SecretAccessKey: creds.secretAccessKey };
    if (creds.sessionToken !== undefined) out.SessionToken = creds.sessionToken;
    if (expiry !== undefined) out.Expiration = expiry;
    return pyJson(out) + "\n";
  }
  const line = LINE[format];
  let text = line("AWS_ACCESS_KEY_ID", creds.accessKeyId) + "\n" + line("AWS_SECRET_ACCESS_KEY", creds.secretAccessKey) + "\n";
  if (creds.sessionToken !== undefined) text += line("AWS_SESSION_TOKEN", creds.sessionToken) + "\n";
  if (expiry !== undefined) text += line("AWS_CREDENTIAL_EXPIRATION", expiry) + "\n";
  return text;
}

// ── _AWS_CLI_PROFILE_CHAIN: a CSV row (Python csv module, default dialect) of the profiles being exported.

export const PROFILE_CHAIN_VAR = "_AWS_CLI_PROFILE_CHAIN";
/** The CLI's _MAX_RECURSION: export-credentials → credential_process → export-credentials, plus padding. */
export const MAX_PROFILE_CHAIN = 4;

/** csv.reader([value]) first row; "" → []. */
export function parseProfileChain(value: string): string[] {
  if (value === "") return [];
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted) {
      if (c === '"' && value[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      out.push(field);
      field = "";
    } else field += c;
  }
  out.push(field);
  return out;
}

/** csv.writer row, stripped (QUOTE_MINIMAL: quote fields with , " or line breaks; double inner quotes). */
export function serializeProfileChain(profiles: string[]): string {
  return profiles
    .map((p) => (/[",\r\n]/.test(p) || (p === "" && profiles.length === 1) ? `"${p.replace(/"/g, '""')}"` : p))
    .join(",")
    .trim();
}

/** The guard: refuse a 5th level or a profile already in the chain; else the chain to pass on. */
export function nextProfileChain(current: string | undefined, profile: string): string {
  const seen = parseProfileChain(current ?? "");
  if (seen.length >= MAX_PROFILE_CHAIN) {
    throw new ConfigError(
      `Maximum recursive credential process resolution reached (${MAX_PROFILE_CHAIN}). Profiles seen: ${seen.join(" -> ")}`,
      "a credential_process probably runs `ccsso export-credentials` for a profile that leads back to it",
    );
  }
  if (seen.includes(profile)) {
    throw new ConfigError(
      `Credential process resolution detected an infinite loop, profile cycle: ${[...seen, profile].join(" -> ")}`,
      `profile ${profile}'s credential_process must not export its own credentials; give it an SSO role or keys`,
    );
  }
  return serializeProfileChain([...seen, profile]);
}
