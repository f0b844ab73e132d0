// git's credential helper wire format (git-credential(1) "INPUT/OUTPUT FORMAT";
// docs/protocols.md §4.1). Hardened the way git itself is: LF is the only line end (a bare CR is the CVE-2024-52006
// smuggling vector, so a value holding one is refused rather than split), NUL is refused, one trailing CR
// is tolerated (git reads with strbuf_getline), and nothing we write can carry CR, LF or NUL.
import { utf8ByteLength } from "./utf8";
import { UsageError } from "./errors";

/** git-credential(1): "a line, including its newline, may not exceed 65535 bytes". */
export const MAX_CREDENTIAL_LINE_BYTES = 65535;

/** Input git (or a hostile URL) sent that a careful helper must not act on. */
export class CredentialProtocolError extends UsageError {}

export interface CredentialRequest {
  /** Single-valued attributes (`protocol`, `host`, `path`, ...). A repeated key keeps its last value, as git does. */
  attributes: Map<string, string>;
  /** `key[]` attributes (`capability[]`, `wwwauth[]`, `state[]`), in order, keyed without the brackets. */
  lists: Map<string, string[]>;
}

export function parseCredentialRequest(text: string): CredentialRequest {
  const attributes = new Map<string, string>();
  const lists = new Map<string, string[]>();
  for (let line of text.split("\n")) {
    if (line.endsWith("\r")) line = line.slice(0, -1);
    // git stops at the first blank line; anything after it belongs to nobody.
    if (line === "") break;
    // A UTF-16 code unit is at most 3 UTF-8 bytes: only a long line needs counting.
    if (line.length * 3 + 1 > MAX_CREDENTIAL_LINE_BYTES && utf8ByteLength(line) + 1 > MAX_CREDENTIAL_LINE_BYTES) {
      throw new CredentialProtocolError("credential request line is longer than 65535 bytes");
    }
    const eq = line.indexOf("=");
    if (eq <= 0) throw new CredentialProtocolError("credential request line is not key=value");
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (line.includes("\0") || line.includes("\r")) {
      throw new CredentialProtocolError(`credential attribute "${safeKey(key)}" contains a carriage return or NUL`);
    }
    if (key.endsWith("[]")) {
      const name = key.slice(0, -2);
      // git-credential(1): an empty value for a list attribute clears the list.
      if (value === "") lists.set(name, []);
      else lists.set(name, [...(lists.get(name) ?? []), value]);
    } else {
      attributes.set(key, value);
    }
  }
  return { attributes, lists };
}

/** Lines `key=value\n` in the order given; throws instead of ever writing CR, LF or NUL. */
export function formatCredentialResponse(fields: ReadonlyArray<readonly [string, string]>): string {
  let out = "";
  for (const [key, value] of fields) {
    if (key === "" || /[=\0\r\n]/.test(key) || /[\0\r\n]/.test(value)) {
      throw new CredentialProtocolError(`refusing to write credential attribute "${safeKey(key)}" with a line break or NUL`);
    }
    out += `${key}=${value}\n`;
  }
  return out;
}

function safeKey(key: string): string {
  return key.replace(/[^\x20-\x7e]/g, "?").slice(0, 40);
}
