// Python's json.dumps, byte for byte, for the values the AWS CLI serialises: the cache keys are sha1
// of its output (docs/protocols.md §2.4–2.6) and the cache files are written in its style
// (docs/protocols.md §2.1), so ccsso and the AWS CLI find and read each other's files.

export type PythonJsonValue = string | number | boolean | null | PythonJsonValue[] | { [key: string]: PythonJsonValue | undefined };

export interface PythonJsonOptions {
  /** json.dumps(sort_keys=True); otherwise insertion order, like a Python dict. */
  sortKeys?: boolean;
  /** [item separator, key separator]; Python's default is [", ", ": "]. */
  separators?: [string, string];
}

// ensure_ascii=True (Python's default): everything outside printable ASCII becomes \uXXXX, lower-case
// hex, astral characters as a surrogate pair (JavaScript strings already hold them as pairs).
function pythonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x0c) out += "\\f";
    else if (c < 0x20 || c > 0x7e) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += s[i];
  }
  return out + '"';
}

export function pythonJsonDumps(value: PythonJsonValue, opts: PythonJsonOptions = {}): string {
  const [itemSep, keySep] = opts.separators ?? [", ", ": "];
  const dump = (v: PythonJsonValue): string => {
    if (v === null) return "null";
    if (typeof v === "string") return pythonString(v);
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") {
      if (!Number.isFinite(v)) throw new TypeError("JSON cannot hold a non-finite number");
      return String(v);
    }
    if (Array.isArray(v)) return "[" + v.map(dump).join(itemSep) + "]";
    let keys = Object.keys(v).filter((k) => v[k] !== undefined);
    // sort_keys sorts by code point, which for the ASCII keys used here is JavaScript's default sort.
    if (opts.sortKeys) keys = keys.sort();
    return "{" + keys.map((k) => pythonString(k) + keySep + dump(v[k] as PythonJsonValue)).join(itemSep) + "}";
  };
  return dump(value);
}
