// `ccsso configure populate` as a pure function: the AWS config text and the account × role pairs the
// user can reach in, the new config text and a list of changes out (what aws-sso-util and
// granted call "populate"). Every other byte of the file is kept (src/core/ini.ts updateIniText).
//
// A populated profile carries the key `ccsso_populated = true`. An unknown key is ignored by every
// reader that matters (botocore's configloader keeps it as an opaque value, the JS SDK's parseIni
// likewise; proven in test/interop/populate-botocore.test.ts), it survives the AWS CLI's own
// `configure set`/`configure sso` edits (ConfigFileWriter rewrites only the keys it sets), and unlike a
// comment it cannot be separated from its section. `--prune` only ever removes sections that carry it
// AND name the same sso-session, so hand-written profiles are never touched.
import { UsageError } from "./errors";
import { profileSectionHeader } from "./aws-config";
import { parseIni, splitSectionName, updateIniText, type IniValue } from "./ini";

export const POPULATED_KEY = "ccsso_populated";
export const DEFAULT_PROFILE_TEMPLATE = "{account_name}.{role_name}";
const PLACEHOLDERS = ["account_id", "account_name", "role_name", "session"] as const;

export interface ReachableRole {
  accountId: string;
  accountName?: string;
  emailAddress?: string;
  roleName: string;
}

export interface PopulateRequest {
  session: string;
  template: string;
  /** `region =` for every populated profile; undefined leaves an existing region alone. */
  region?: string;
  prune: boolean;
}

export type PopulateChange =
  | { kind: "add"; profile: string; accountId: string; roleName: string }
  | { kind: "update"; profile: string; accountId: string; roleName: string; keys: string[] }
  | { kind: "unchanged"; profile: string; accountId: string; roleName: string }
  /** `stillReachable`: the role is reachable but the template now names it differently. */
  | { kind: "remove"; profile: string; reason: string; stillReachable: boolean }
  /** Populated earlier, not produced by this run, kept because --prune was not given. */
  | { kind: "stale"; profile: string; reason: string; stillReachable: boolean };

export interface PopulatePlan {
  text: string;
  changes: PopulateChange[];
}

/** Refuse a template with an unknown `{placeholder}` or one that names no role (every name would clash). */
export function validateTemplate(template: string): void {
  const used = [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);
  const unknown = used.filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown placeholder {${unknown[0]}} in --profile-template`,
      `use ${PLACEHOLDERS.map((p) => `{${p}}`).join(" ")}, e.g. --profile-template '${DEFAULT_PROFILE_TEMPLATE}'`,
    );
  }
  if (!used.includes("role_name")) {
    throw new UsageError("--profile-template must contain {role_name}", `e.g. --profile-template '${DEFAULT_PROFILE_TEMPLATE}'`);
  }
}

/**
 * Profile names every reader accepts: the JS SDK only reads section names matching `[\w-@+.%:/]+`
 * (docs/protocols.md §1.2) and botocore shlex-splits the header, so spaces, quotes, brackets and
 * non-ASCII letters become `-` (a run of them one `-`), and `-` at either end is dropped.
 * `:` and `/` are legal for both readers but are replaced too: they make shell and file-name trouble.
 */
export function sanitizeProfileName(raw: string): string {
  return raw
    .replace(/[^A-Za-z0-9_.@+%-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
}

export function renderProfileName(template: string, role: ReachableRole, session: string): string {
  const vars: Record<string, string> = {
    account_id: role.accountId,
    // An account without a name (the portal may omit it) is named by its id.
    account_name: (role.accountName ?? "").trim() || role.accountId,
    role_name: role.roleName,
    session,
  };
  // Each value is cleaned on its own first, so "Team Web (prod)" gives "Team-Web-prod.Admin", not "…prod-.Admin".
  return sanitizeProfileName(template.replace(/\{([a-z_]+)\}/g, (_, p: string) => sanitizeProfileName(vars[p] ?? "")));
}

interface ExistingProfile {
  name: string;
  values: Record<string, string>;
}

function existingProfiles(text: string): ExistingProfile[] {
  const out: ExistingProfile[] = [];
  for (const s of parseIni(text).sections) {
    if (s.name === "default") out.push({ name: "default", values: s.values });
    const parsed = splitSectionName(s.name);
    if (parsed?.type === "profile") out.push({ name: parsed.name, values: s.values });
  }
  return out;
}

const roleKey = (accountId: string, roleName: string) => `${accountId}\u0000${roleName}`;

/**
 * Give every account × role a unique name, deterministically: pairs are taken in (account id, role)
 * order; a name wanted by more than one pair, or already used by a profile populate does not own, gets
 * `-<account id>` appended; anything still clashing then gets `-2`, `-3`, … in that same order.
 */
export function assignProfileNames(
  roles: ReachableRole[],
  template: string,
  session: string,
  reserved: ReadonlySet<string>,
): Map<string, string> {
  const sorted = [...roles].sort((x, y) => cmp(x.accountId, y.accountId) || cmp(x.roleName, y.roleName));
  const wanted = sorted.map((r) => renderProfileName(template, r, session) || sanitizeProfileName(`${r.accountId}.${r.roleName}`));
  const counts = new Map<string, number>();
  for (const w of wanted) counts.set(w, (counts.get(w) ?? 0) + 1);
  const taken = new Set(reserved);
  const names = new Map<string, string>();
  sorted.forEach((r, i) => {
    let name = wanted[i]!;
    if (counts.get(name)! > 1 || taken.has(name)) name = sanitizeProfileName(`${name}-${r.accountId}`);
    for (let n = 2; taken.has(name); n++) name = sanitizeProfileName(`${wanted[i]}-${r.accountId}-${n}`);
    taken.add(name);
    names.set(roleKey(r.accountId, r.roleName), name);
  });
  return names;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function planPopulate(configText: string, roles: ReachableRole[], req: PopulateRequest): PopulatePlan {
  validateTemplate(req.template);
  const profiles = existingProfiles(configText);
  const isOurs = (p: ExistingProfile) => p.values[POPULATED_KEY] === "true" && p.values.sso_session === req.session;
  const ours = new Map(profiles.filter(isOurs).map((p) => [p.name, p]));
  // Names populate must not take: hand-written profiles, other sessions' populated ones, and
  // "default" (a template that renders it would silently change what plain `aws` commands use).
  const reserved = new Set(profiles.filter((p) => !ours.has(p.name)).map((p) => p.name));
  reserved.add("default");

  const unique = new Map<string, ReachableRole>();
  for (const r of roles) unique.set(roleKey(r.accountId, r.roleName), r);
  const names = assignProfileNames([...unique.values()], req.template, req.session, reserved);

  const changes: PopulateChange[] = [];
  const additions: Array<[string, Record<string, string>]> = [];
  const updates = new Map<string, Record<string, IniValue>>();
  const removals = new Set<string>();
  const wantedNames = new Set<string>();
  const sorted = [...unique.values()].sort((x, y) =>
    cmp(names.get(roleKey(x.accountId, x.roleName))!, names.get(roleKey(y.accountId, y.roleName))!),
  );
  for (const r of sorted) {
    const profile = names.get(roleKey(r.accountId, r.roleName))!;
    wantedNames.add(profile);
    const desired: Record<string, string> = {
      sso_session: req.session,
      sso_account_id: r.accountId,
      sso_role_name: r.roleName,
      ...(req.region ? { region: req.region } : {}),
      [POPULATED_KEY]: "true",
    };
    const current = ours.get(profile);
    if (!current) {
      additions.push([profileSectionHeader(profile), desired]);
      changes.push({ kind: "add", profile, accountId: r.accountId, roleName: r.roleName });
      continue;
    }
    const differing = Object.entries(desired).filter(([k, v]) => current.values[k] !== v);
    if (differing.length === 0) {
      changes.push({ kind: "unchanged", profile, accountId: r.accountId, roleName: r.roleName });
      continue;
    }
    updates.set(profileSectionHeader(profile), Object.fromEntries(differing));
    changes.push({ kind: "update", profile, accountId: r.accountId, roleName: r.roleName, keys: differing.map(([k]) => k) });
  }

  const reachable = new Set([...unique.values()].map((r) => roleKey(r.accountId, r.roleName)));
  for (const p of ours.values()) {
    if (wantedNames.has(p.name)) continue;
    const stillReachable = reachable.has(roleKey(p.values.sso_account_id ?? "", p.values.sso_role_name ?? ""));
    const reason = stillReachable
      ? "now named differently by the template"
      : `role ${p.values.sso_role_name ?? "?"} in account ${p.values.sso_account_id ?? "?"} is no longer reachable`;
    if (req.prune) {
      removals.add(p.name);
      changes.push({ kind: "remove", profile: p.name, reason, stillReachable });
    } else changes.push({ kind: "stale", profile: p.name, reason, stillReachable });
  }
  return { text: applyEdits(configText, updates, removals, additions), changes };
}

// Line splitting and header recognition as src/core/ini.ts's editor does (ConfigFileWriter's SECTION_REGEX).
const LINE = /[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$/g;
const HEADER = /^\s*\[([^\]]+)\]/;
const isComment = (line: string) => /^\s*[#;]/.test(line);

/**
 * Apply every edit in one pass over the file instead of one whole-file edit per profile (900 profiles
 * would otherwise cost seconds). The file is cut into sections; updateIniText edits a section together
 * with the next header line, so it behaves exactly as on the whole file (it never looks past that
 * header, and the "last section" rule still applies only to the real last one). New sections are then
 * appended in order, as consecutive updateIniText calls would append them.
 */
function applyEdits(
  text: string,
  updates: Map<string, Record<string, IniValue>>,
  removals: Set<string>,
  additions: Array<[string, Record<string, string>]>,
): string {
  let out = text;
  if (updates.size > 0 || removals.size > 0) {
    const lines = text.match(LINE) ?? [];
    const starts: number[] = [];
    lines.forEach((l, i) => {
      if (!isComment(l) && HEADER.test(l)) starts.push(i);
    });
    const pieces: string[] = [lines.slice(0, starts[0] ?? lines.length).join("")];
    const pending = new Map(updates);
    const pendingRemovals = new Set(removals);
    starts.forEach((start, k) => {
      const end = starts[k + 1] ?? lines.length;
      let chunk = lines.slice(start, end).join("");
      const header = HEADER.exec(lines[start]!)![0].trim().slice(1, -1);
      const profile = splitSectionName(header);
      const name = header === "default" ? "default" : profile?.type === "profile" ? profile.name : undefined;
      if (name !== undefined && pendingRemovals.has(name)) {
        pendingRemovals.delete(name);
        chunk = removeProfileSection(chunk, name);
      } else if (pending.has(header)) {
        const next = lines[end] ?? "";
        chunk = updateIniText(chunk + next, header, pending.get(header)!).slice(0, next === "" ? undefined : -next.length);
        pending.delete(header);
      }
      pieces.push(chunk);
    });
    out = pieces.join("");
    // Headers written some other way (`[profile "x"]`): the slow, general path.
    for (const [header, values] of pending) out = updateIniText(out, header, values);
    for (const name of pendingRemovals) out = removeProfileSection(out, name);
  }
  if (additions.length > 0) {
    const [firstHeader, firstValues] = additions[0]!;
    out = updateIniText(out, firstHeader, firstValues);
    const eol = /\r\n/.test(out.match(LINE)?.[0] ?? "") ? "\r\n" : "\n";
    const rest = additions.slice(1).map(
      ([header, values]) =>
        `[${header}]${eol}` +
        Object.entries(values)
          .map(([k, v]) => `${k} = ${v}${eol}`)
          .join(""),
    );
    out += rest.join("");
  }
  return out;
}

/**
 * Remove one profile section: its header through its last key line (and that key's continuation
 * lines). Comments and blank lines after the last key stay, as they usually introduce what follows.
 */
export function removeProfileSection(text: string, profile: string): string {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const section = profileSectionHeader(profile);
  const wantedHeaders = new Set([`[${section}]`, `[profile "${profile}"]`, `[profile '${profile}']`]);
  const header = /^\s*\[([^\]]+)\]/;
  const start = lines.findIndex((l) => {
    const m = header.exec(l.replace(/\r?\n$/, ""));
    return m !== null && !/^\s*[#;]/.test(l) && wantedHeaders.has(m[0].trim());
  });
  if (start < 0) return text;
  let end = start + 1; // exclusive
  for (let j = start + 1; j < lines.length; j++) {
    const l = lines[j]!.replace(/\r?\n$/, "");
    if (header.test(l) && !/^\s*[#;]/.test(l)) break;
    const isBlankOrComment = l.trim() === "" || /^\s*[#;]/.test(l);
    if (!isBlankOrComment) end = j + 1;
  }
  return lines.slice(0, start).join("") + lines.slice(end).join("");
}

export interface PopulateSummary {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  /** Kept without --prune: roles no longer reachable. */
  stale: string[];
  /** Kept without --prune: reachable roles the template now names differently. */
  renamed: string[];
}

export function summarize(changes: PopulateChange[]): PopulateSummary {
  const count = (k: PopulateChange["kind"]) => changes.filter((c) => c.kind === k).length;
  return {
    added: count("add"),
    updated: count("update"),
    removed: count("remove"),
    unchanged: count("unchanged"),
    stale: changes.flatMap((c) => (c.kind === "stale" && !c.stillReachable ? [c.profile] : [])),
    renamed: changes.flatMap((c) => (c.kind === "stale" && c.stillReachable ? [c.profile] : [])),
  };
}
