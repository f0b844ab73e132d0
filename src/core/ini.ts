// INI for the AWS config and credentials files: a reader with Python configparser.RawConfigParser's
// semantics (what botocore's configloader uses, docs/protocols.md §1.2) and a format-preserving editor
// with the AWS CLI ConfigFileWriter's semantics (docs/protocols.md §1.3). Pure: text in, text out.
import { ConfigError } from "./errors";
import { shlexSplit } from "./shlex";

// ───────────────────────────── reading ─────────────────────────────

export interface IniSection {
  /** The text between the brackets, as configparser's SECTCRE takes it (`profile dev`, `default`). */
  name: string;
  /** 1-based line of the (first) header. */
  line: number;
  /** Option → value; keys lower-cased (optionxform), multi-line values joined with \n and right-stripped. */
  values: Record<string, string>;
  /** Option → 1-based line where it was set. */
  lines: Record<string, number>;
}

export interface IniProblem {
  line: number;
  /** What botocore (strict RawConfigParser) would refuse, e.g. `duplicate section "default"`. */
  message: string;
}

export interface IniDocument {
  /** Sections in file order; a repeated header merges into the first (configparser), and is also a problem. */
  sections: IniSection[];
  problems: IniProblem[];
}

const BOM = "\ufeff";

/** Lines split the way Python's universal-newline reading does: on \r\n, \n or a lone \r. */
function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

// configparser: SECTCRE = r"\[(?P<header>.+)\]" (matched at the start of the stripped line, greedy);
// OPTCRE = r"(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$".
const SECTCRE = /^\[(.+)\]/;
const OPTCRE = /^(.*?)\s*([=:])\s*(.*)$/;

/** Parse INI text like configparser.RawConfigParser (strict, default comment prefixes, no inline comments). */
export function parseIni(text: string): IniDocument {
  // botocore itself cannot read a file that starts with a BOM (MissingSectionHeaderError); editors on
  // Windows write one, so we read past it rather than refuse the whole file.
  if (text.startsWith(BOM)) text = text.slice(1);
  const sections = new Map<string, { section: IniSection; parts: Record<string, string[]> }>();
  const defaults: { section: IniSection; parts: Record<string, string[]> } = {
    section: { name: "DEFAULT", line: 0, values: {}, lines: {} },
    parts: {},
  };
  const problems: IniProblem[] = [];
  const seenSections = new Set<string>();
  const seenOptions = new Set<string>();
  let cur: { section: IniSection; parts: Record<string, string[]> } | undefined;
  let optname: string | undefined;
  let indentLevel = 0;

  splitLines(text).forEach((line, idx) => {
    const lineNo = idx + 1;
    const stripped = pyStrip(line);
    const isComment = stripped.startsWith("#") || stripped.startsWith(";");
    const value = isComment ? "" : stripped;
    if (!value) {
      // empty_lines_in_values: a blank (not comment) line inside a value is kept as an empty line of it.
      if (!isComment && cur && optname !== undefined) cur.parts[optname]!.push("");
      return;
    }
    const firstNonSpace = line.search(/\S/);
    const curIndent = Math.max(firstNonSpace, 0);
    if (cur && optname !== undefined && curIndent > indentLevel) {
      cur.parts[optname]!.push(value);
      return;
    }
    indentLevel = curIndent;
    const sect = SECTCRE.exec(value);
    if (sect) {
      const name = sect[1]!;
      if (name === "DEFAULT") cur = defaults;
      else {
        const existing = sections.get(name);
        if (existing) {
          problems.push({ line: lineNo, message: `duplicate section "${name}"` });
          cur = existing;
        } else {
          cur = { section: { name, line: lineNo, values: {}, lines: {} }, parts: {} };
          sections.set(name, cur);
        }
      }
      seenSections.add(name);
      optname = undefined;
      return;
    }
    if (!cur) {
      problems.push({ line: lineNo, message: "text before the first [section] header" });
      return;
    }
    const opt = OPTCRE.exec(value);
    if (!opt) {
      problems.push({ line: lineNo, message: "line is neither a [section], a key = value, nor a comment" });
      return;
    }
    const key = pyStripEnd(opt[1]!).toLowerCase();
    if (key === "") problems.push({ line: lineNo, message: "option with an empty name" });
    const seenKey = `${cur.section.name}\u0000${key}`;
    if (seenOptions.has(seenKey)) problems.push({ line: lineNo, message: `duplicate key "${key}" in [${cur.section.name}]` });
    seenOptions.add(seenKey);
    optname = key;
    cur.parts[key] = [pyStrip(opt[3]!)];
    cur.section.lines[key] = lineNo;
  });

  const join = (parts: Record<string, string[]>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(parts)) out[k] = pyStripEnd(v.join("\n"));
    return out;
  };
  const defaultValues = join(defaults.parts);
  const result: IniSection[] = [];
  for (const { section, parts } of sections.values()) {
    // configparser: options of [DEFAULT] show through in every section that does not set them.
    section.values = { ...defaultValues, ...join(parts) };
    result.push(section);
  }
  return { sections: result, problems };
}

/** botocore configloader._parse_nested: an option whose value starts with a newline is a sub-table. */
export function parseNestedValue(value: string): Record<string, string> | undefined {
  if (!value.startsWith("\n")) return undefined;
  const out: Record<string, string> = {};
  for (const raw of value.split("\n")) {
    const line = pyStrip(raw);
    if (!line) continue;
    const eq = line.indexOf("=");
    // botocore raises ConfigParseError here; we treat the line as absent and let the caller report it.
    if (eq < 0) continue;
    out[pyStrip(line.slice(0, eq))] = pyStrip(line.slice(eq + 1));
  }
  return out;
}

// Python's str.strip() strips whitespace but not U+FEFF (JS trim() does).
function pyStrip(s: string): string {
  return s.replace(/^[^\S\ufeff]+/, "").replace(/[^\S\ufeff]+$/, "");
}
function pyStripEnd(s: string): string {
  return s.replace(/[^\S\ufeff]+$/, "");
}

/** `[profile 'my name']` → { type: "profile", name: "my name" }; undefined unless shlex gives two words (botocore _parse_section). */
export function splitSectionName(name: string): { type: string; name: string } | undefined {
  let parts: string[];
  try {
    parts = shlexSplit(name);
  } catch {
    return undefined;
  }
  return parts.length === 2 ? { type: parts[0]!, name: parts[1]! } : undefined;
}

// ───────────────────────────── editing ─────────────────────────────

/** A value to write: a string, null to delete the key, or a nested table (`s3 =` + indented `key = value`). */
export type IniValue = string | null | Record<string, string | null>;

interface Line {
  text: string;
  eol: string;
}

// ConfigFileWriter.SECTION_REGEX / OPTION_REGEX (awscli/customizations/configure/writer.py). OPTION_REGEX is
// used with search(), so any line containing `=` or `:` (even a comment) counts as an option line.
const SECTION_REGEX = /^\s*\[([^\]]+)\]/;
const OPTION_REGEX = /([^:=][^:=]*)\s*([:=])\s*(.*)$/;

/** Lines with their own line endings kept, split like Python's readlines() in universal-newline mode. */
function splitWithEol(text: string): Line[] {
  const out: Line[] = [];
  const re = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  for (const m of text.matchAll(re)) {
    if (m[0] === "") break;
    out.push({ text: m[1]!, eol: m[2]! });
  }
  return out;
}

function validate(label: string, s: string, messageOverride?: string): void {
  if (/[\r\n]/.test(s)) {
    throw new ConfigError(
      messageOverride ?? `invalid ${label}: newline characters and carriage returns are not allowed: ${JSON.stringify(s)}`,
    );
  }
}

/**
 * Does a header line's `[...]` text name `section`? Like ConfigFileWriter._matches_section: `[section]`
 * exactly or `[type "rest"]`; and for a shlex-quoted name (`profile 'my name'`, what profile_to_section
 * writes) also `[profile "my name"]` — the writer alone would miss that one and append a duplicate.
 */
function headerMatches(matched: string, section: string): boolean {
  if (matched === `[${section}]`) return true;
  const space = section.indexOf(" ");
  if (space < 0) return false;
  const type = section.slice(0, space);
  const rest = section.slice(space + 1);
  if (matched === `[${type} "${rest}"]`) return true;
  const parsed = splitSectionName(section);
  if (!parsed || parsed.type !== type) return false;
  return matched === `[${type} "${parsed.name}"]` || matched === `[${type} '${parsed.name}']`;
}

function isCommentLine(text: string): boolean {
  const t = text.trim();
  return t.startsWith("#") || t.startsWith(";");
}

function optionKey(text: string): { key: string; indent: number } | undefined {
  const m = OPTION_REGEX.exec(text);
  if (!m) return undefined;
  const option = m[1]!;
  return { key: option.trim(), indent: option.length - option.trimStart().length };
}

function renderBlock(values: [string, IniValue][], indent: string, eol: string): Line[] {
  const out: Line[] = [];
  for (const [key, value] of values) {
    if (value === null) continue;
    if (typeof value === "object") {
      const subs = Object.entries(value).filter(([, v]) => v !== null) as [string, string][];
      out.push({ text: `${indent}${key} =`, eol });
      for (const [sk, sv] of subs) out.push({ text: `${indent}    ${sk} = ${sv}`, eol });
    } else out.push({ text: `${indent}${key} = ${value}`, eol });
  }
  return out;
}

/**
 * Set keys of one section, keeping every other byte (ConfigFileWriter.update_config semantics):
 * - an existing key's line becomes `key = value` (keys match case-insensitively, as botocore reads them;
 *   the writer alone would add a second `region` under `Region`, which botocore then refuses);
 * - new keys go in one block right after the section's last option line (a line with `=` or `:`), or, in
 *   the file's last section, one line further down (the writer's `last_option + 2` quirk);
 * - a missing section is appended at EOF with no blank line before it; with several headers for the
 *   same section, the last one (the one botocore reads) is edited;
 * - `null` deletes a key (and its nested lines); a nested table updates/extends the indented block.
 * Beyond the writer: CRLF files stay CRLF, a BOM stays, and a last line without a newline is completed
 * before anything is put after it (the writer would glue the new block onto it).
 */
export function updateIniText(text: string, section: string, values: Record<string, IniValue>): string {
  validate("section name", section);
  for (const [k, v] of Object.entries(values)) {
    validate("key", k);
    const override = `invalid value for key ${k}: newline characters and carriage returns are not allowed`;
    if (v !== null && typeof v === "object") {
      for (const [sk, sv] of Object.entries(v)) {
        validate("key", sk);
        if (sv !== null) validate("value", sv, override);
      }
    } else if (v !== null) validate("value", v, override);
  }

  const bom = text.startsWith(BOM) ? BOM : "";
  const body = bom ? text.slice(1) : text;
  const lines = splitWithEol(body);
  const firstEol = lines.find((l) => l.eol !== "")?.eol;
  const eol = firstEol === "\r\n" ? "\r\n" : "\n";
  const pending = new Map<string, IniValue>(Object.entries(values));

  // The writer edits the first matching header; botocore reads the last one (a later section for the
  // same name replaces the earlier whole), so an edit of the first would be shadowed. Edit the one read.
  const start = lines.findLastIndex((l) => {
    if (isCommentLine(l.text)) return false;
    const m = SECTION_REGEX.exec(l.text);
    return m !== null && headerMatches(m[0], section);
  });

  if (start < 0) {
    const block = renderBlock([...pending.entries()], "", eol);
    if (block.length === 0) return text;
    const last = lines[lines.length - 1];
    if (last && last.eol === "") last.eol = eol;
    lines.push({ text: `[${section}]`, eol }, ...block);
    return bom + join(lines);
  }

  const lookup = (key: string): string | undefined => {
    const lower = key.toLowerCase();
    for (const k of pending.keys()) if (k.toLowerCase() === lower) return k;
    return undefined;
  };

  let lastOption = start;
  let end = lines.length; // index of the next section header, or EOF
  let ownerIndent = -1; // indent of the last top-level option line; deeper lines continue it
  for (let j = start + 1; j < lines.length; j++) {
    const line = lines[j]!;
    if (SECTION_REGEX.test(line.text)) {
      end = j;
      break;
    }
    const opt = optionKey(line.text);
    if (!opt) continue;
    const indent = line.text.search(/\S/);
    // An indented line under an option is part of that option's value (a nested table): it moves the
    // insertion point like any option line, but is never mistaken for a top-level key of the same name.
    if (ownerIndent >= 0 && indent > ownerIndent) {
      lastOption = j;
      continue;
    }
    ownerIndent = indent;
    const wanted = lookup(opt.key);
    if (wanted === undefined) {
      lastOption = j;
      continue;
    }
    const value = pending.get(wanted)!;
    pending.delete(wanted);
    const nestedEnd = nestedBlockEnd(lines, j, indent);
    if (value === null) {
      lines.splice(j, nestedEnd - j);
      j--;
      continue;
    }
    if (typeof value === "object") {
      const added = updateNested(lines, j, nestedEnd, value, eol);
      j = nestedEnd - 1 + added;
      lastOption = j;
      continue;
    }
    lines[j] = { text: `${wanted} = ${value}`, eol: line.eol === "" ? eol : line.eol };
    // A nested table or multi-line value replaced by a scalar: its indented lines would otherwise
    // continue the new value.
    if (nestedEnd > j + 1) lines.splice(j + 1, nestedEnd - j - 1);
    lastOption = j;
  }

  const block = renderBlock([...pending.entries()], "", eol);
  if (block.length > 0) {
    let at: number;
    if (end < lines.length) at = lastOption + 1;
    else at = Math.min(lastOption + 2, lines.length);
    const before = lines[at - 1];
    if (before && before.eol === "") before.eol = eol;
    lines.splice(at, 0, ...block);
  }
  return bom + join(lines);
}

/** Index just past the indented lines that belong to the option at `j` (its nested table or continuation). */
function nestedBlockEnd(lines: Line[], j: number, indent: number): number {
  let k = j + 1;
  let lastIndented = j;
  for (; k < lines.length; k++) {
    const t = lines[k]!.text;
    if (t.trim() === "" || isCommentLine(t)) continue;
    if (SECTION_REGEX.test(t)) break;
    const ind = t.search(/\S/);
    if (ind <= indent) break;
    lastIndented = k;
  }
  return lastIndented + 1;
}

/** Update sub-keys of the nested table at `j` (lines j+1..end-1) in place; new ones go after its last line. Returns lines added. */
function updateNested(lines: Line[], j: number, end: number, values: Record<string, string | null>, eol: string): number {
  const pending = new Map(Object.entries(values));
  const head = lines[j]!;
  if (head.eol === "") head.eol = eol;
  let added = 0;
  for (let i = j + 1; i < end + added; i++) {
    const opt = optionKey(lines[i]!.text);
    if (!opt || !pending.has(opt.key)) continue;
    const v = pending.get(opt.key)!;
    pending.delete(opt.key);
    if (v === null) {
      lines.splice(i, 1);
      i--;
      added--;
    } else {
      lines[i] = { text: `${" ".repeat(opt.indent)}${opt.key} = ${v}`, eol: lines[i]!.eol === "" ? eol : lines[i]!.eol };
    }
  }
  const block: Line[] = [];
  for (const [k, v] of pending) if (v !== null) block.push({ text: `    ${k} = ${v}`, eol });
  if (block.length > 0) {
    const at = end + added;
    const before = lines[at - 1];
    if (before && before.eol === "") before.eol = eol;
    lines.splice(at, 0, ...block);
    added += block.length;
  }
  return added;
}

function join(lines: Line[]): string {
  return lines.map((l) => l.text + l.eol).join("");
}
