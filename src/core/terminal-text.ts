// The one output policy for text we did not write ourselves: anything from a server, a file, git or a
// URL passes through here before it reaches a terminal or a file a person will read. A hostile value
// must not be able to move the cursor, clear the screen, retitle the window, plant an OSC 8 link,
// reorder what the reader sees (bidi overrides) or fake a second line. Each such character is replaced
// by a visible escape, so the reader still sees that something odd was there (the idea of GitHub CLI's
// ASCII sanitizer: C0 in caret notation, the rest as \uXXXX).

// C0 (minus what `keep` allows), DEL, C1, the Arabic letter mark, LRM/RLM, the embeddings and
// overrides U+202A–202E, the isolates U+2066–2069, and the Unicode line/paragraph separators, which
// some terminals and most editors break lines on.
const UNSAFE_KEEP_NEWLINES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_ONE_LINE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visibleEscape(c: string): string {
  const code = c.charCodeAt(0);
  // Caret notation is what `cat -v` and most terminals' users already read: ESC is ^[, BEL is ^G.
  if (code < 0x20) return "^" + String.fromCharCode(code + 0x40);
  if (code === 0x7f) return "^?";
  return "\\u" + code.toString(16).padStart(4, "0");
}

/**
 * `text` safe to print: control characters, bidi controls and U+2028/2029 become visible escapes;
 * newline and tab are kept (for multi-line output such as a dry-run diff). Ordinary text, in any
 * script and with emoji, comes back unchanged.
 */
export function sanitizeForTerminal(text: string): string {
  return text.replace(UNSAFE_KEEP_NEWLINES, visibleEscape);
}

/** Like sanitizeForTerminal, but a newline is escaped too: for a value that must stay on one line. */
export function sanitizeLine(text: string): string {
  return text.replace(UNSAFE_ONE_LINE, visibleEscape);
}

/** True when `text` holds a character the output policy would escape in a one-line value. */
export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE_ONE_LINE.lastIndex = 0;
  const found = UNSAFE_ONE_LINE.test(text);
  UNSAFE_ONE_LINE.lastIndex = 0;
  return found;
}
