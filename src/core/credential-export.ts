// `aws configure export-credentials` output, byte for byte (awscli customizations/configure/exportcreds.py;
// docs/protocols.md §3.8), and its `_AWS_CLI_PROFILE_CHAIN` loop guard. Pure.
import { ConfigError } from "./errors";
import { shellQuote } from "./shell-quote";
import { hasUnsafeCharacters } from "./terminal-text";
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

// Per-line formats (BasePerLineFormatter subclasses; fish since CLI 2.33.8). Real credentials are
// [A-Za-z0-9+/=], and for them the text is exactly the CLI's. Anything else — a credential_process is
// any program, and may print `AKIA$(id>…)` — is quoted for the target shell so `eval`/`source`/`iex`
// of the output only ever assigns (the CLI prints it raw; we do not).
const PLAIN = /^[A-Za-z0-9+/=._:-]*$/;

/** fish: '…' is literal except \\ and \' ("…" would expand $var and, since fish 3.4, $(command)). */
function fishQuote(v: string): string {
  return `'${v.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** PowerShell: '…' is literal; its quote (and the curly quotes PowerShell also accepts as one) is doubled. */
function powershellQuote(v: string): string {
  return `'${v.replace(/['\u2018\u2019\u201a\u201b]/g, (c) => c + c)}'`;
}

const LINE: Record<Exclude<ExportFormat, "process">, (name: string, value: string) => string> = {
  env: (n, v) => `export ${n}=${shellQuote(v)}`,
  "env-no-export": (n, v) => `${n}=${shellQuote(v)}`,
  powershell: (n, v) => `$Env:${n}=${PLAIN.test(v) ? `"${v}"` : powershellQuote(v)}`,
  "windows-cmd": (n, v) => {
    // cmd.exe expands %VAR% (and !VAR!) even inside quotes, and has no escape that works in every
    // context, so a value it cannot take literally is refused rather than printed.
    if (!PLAIN.test(v))
      throw new ConfigError(
        `${n} holds characters cmd.exe would interpret; refusing to print it for windows-cmd`,
        "use --format powershell, or fix the credential source",
      );
    return `set ${n}=${v}`;
  },
  fish: (n, v) => `set -gx ${n} ${PLAIN.test(v) ? `"${v}"` : fishQuote(v)}`,
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
  // A control character or escape sequence cannot be quoted away from the terminal that shows the output.
  for (const [name, value] of [
    ["AWS_ACCESS_KEY_ID", creds.accessKeyId],
    ["AWS_SECRET_ACCESS_KEY", creds.secretAccessKey],
    ["AWS_SESSION_TOKEN", creds.sessionToken ?? ""],
  ] as const) {
    if (hasUnsafeCharacters(value))
      throw new ConfigError(
        `${name} holds control characters; refusing to print it`,
        "fix the credential source (its credential_process or keys)",
      );
  }
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
