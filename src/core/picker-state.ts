// The arrow-key picker as a pure state machine: keys in, state out. The terminal side
// (src/platform/picker.ts) only decodes bytes, feeds keys here and draws visibleRows().
//
// Behaviour follows the AWS CLI's select_menu (awscli/customizations/wizard/ui/selectmenu.py): a list
// at most 10 rows high that scrolls, `>` marks the current row, up/down wrap around, Enter selects,
// Ctrl-C aborts. Added for lists of hundreds of accounts: type to filter, page keys, Home/End.

/** Rows shown at once; the AWS CLI's select_menu uses max_height=10. */
export const PICKER_HEIGHT = 10;

export interface PickerState {
  readonly items: readonly string[];
  /** The text typed so far; rows must contain every space-separated term (case-insensitive). */
  readonly query: string;
  /** Indices into `items` that match the query, in item order. */
  readonly matches: readonly number[];
  /** Position of the highlighted row within `matches`. */
  readonly cursor: number;
  /** Position within `matches` of the first visible row. */
  readonly top: number;
  readonly height: number;
}

export type PickerKey =
  | { kind: "up" }
  | { kind: "down" }
  | { kind: "pageUp" }
  | { kind: "pageDown" }
  | { kind: "home" }
  | { kind: "end" }
  | { kind: "enter" }
  | { kind: "interrupt" }
  | { kind: "backspace" }
  | { kind: "clearQuery" }
  | { kind: "text"; text: string }
  | { kind: "ignored" };

export type PickerOutcome = { kind: "selected"; index: number } | { kind: "interrupted" };

export interface PickerStep {
  state: PickerState;
  outcome?: PickerOutcome;
}

export function createPicker(items: readonly string[], height = PICKER_HEIGHT): PickerState {
  return { items, query: "", matches: items.map((_, i) => i), cursor: 0, top: 0, height: Math.max(1, height) };
}

function matchesQuery(item: string, terms: string[]): boolean {
  const lower = item.toLowerCase();
  return terms.every((t) => lower.includes(t));
}

function withQuery(state: PickerState, query: string): PickerState {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = state.items.flatMap((item, i) => (matchesQuery(item, terms) ? [i] : []));
  // A new filter starts at its best (first) match, as fzf and the shell's reverse search do.
  return { ...state, query, matches, cursor: 0, top: 0 };
}

/** Keep the cursor on screen: scroll the window just enough. */
function scrolled(state: PickerState, cursor: number): PickerState {
  let top = state.top;
  if (cursor < top) top = cursor;
  if (cursor >= top + state.height) top = cursor - state.height + 1;
  top = Math.max(0, Math.min(top, Math.max(0, state.matches.length - state.height)));
  return { ...state, cursor, top };
}

export function applyKey(state: PickerState, key: PickerKey): PickerStep {
  const n = state.matches.length;
  switch (key.kind) {
    case "interrupt":
      return { state, outcome: { kind: "interrupted" } };
    case "enter": {
      const index = state.matches[state.cursor];
      // Enter on an empty filter result selects nothing: the user has to change the filter.
      return index === undefined ? { state } : { state, outcome: { kind: "selected", index } };
    }
    case "up":
      // select_menu wraps around at both ends.
      return { state: n === 0 ? state : scrolled(state, state.cursor === 0 ? n - 1 : state.cursor - 1) };
    case "down":
      return { state: n === 0 ? state : scrolled(state, state.cursor === n - 1 ? 0 : state.cursor + 1) };
    case "pageUp":
      return { state: n === 0 ? state : scrolled(state, Math.max(0, state.cursor - state.height)) };
    case "pageDown":
      return { state: n === 0 ? state : scrolled(state, Math.min(n - 1, state.cursor + state.height)) };
    case "home":
      return { state: n === 0 ? state : scrolled(state, 0) };
    case "end":
      return { state: n === 0 ? state : scrolled(state, n - 1) };
    case "backspace":
      return { state: state.query ? withQuery(state, [...state.query].slice(0, -1).join("")) : state };
    case "clearQuery":
      return { state: state.query ? withQuery(state, "") : state };
    case "text":
      return { state: withQuery(state, state.query + key.text) };
    case "ignored":
      return { state };
  }
}

// Escape sequences xterm-compatible terminals send in normal and application cursor mode.
const ESCAPES: Array<[string, PickerKey]> = [
  ["\x1b[A", { kind: "up" }],
  ["\x1bOA", { kind: "up" }],
  ["\x1b[B", { kind: "down" }],
  ["\x1bOB", { kind: "down" }],
  ["\x1b[5~", { kind: "pageUp" }],
  ["\x1b[6~", { kind: "pageDown" }],
  ["\x1b[H", { kind: "home" }],
  ["\x1bOH", { kind: "home" }],
  ["\x1b[1~", { kind: "home" }],
  ["\x1b[7~", { kind: "home" }],
  ["\x1b[F", { kind: "end" }],
  ["\x1bOF", { kind: "end" }],
  ["\x1b[4~", { kind: "end" }],
  ["\x1b[8~", { kind: "end" }],
];

/**
 * Decode raw terminal input (one `data` chunk, possibly several keys) into keys. Unknown escape
 * sequences are swallowed whole so their tail never lands in the filter as text.
 */
export function parseKeys(input: string): PickerKey[] {
  const keys: PickerKey[] = [];
  let i = 0;
  let text = "";
  const flush = () => {
    if (text) keys.push({ kind: "text", text });
    text = "";
  };
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === "\x1b") {
      flush();
      const known = ESCAPES.find(([seq]) => input.startsWith(seq, i));
      if (known) {
        keys.push(known[1]);
        i += known[0].length;
        continue;
      }
      // CSI: ESC [ params final-byte(0x40–0x7e); SS3: ESC O x; a lone ESC clears the filter.
      const csi = /^\x1b\[[0-9;?]*[\x40-\x7e]/.exec(input.slice(i));
      if (csi) {
        keys.push({ kind: "ignored" });
        i += csi[0].length;
      } else if (input[i + 1] === "O" && i + 2 < input.length) {
        keys.push({ kind: "ignored" });
        i += 3;
      } else {
        keys.push({ kind: "clearQuery" });
        i += 1;
      }
      continue;
    }
    const code = ch.charCodeAt(0);
    if (ch === "\r" || ch === "\n") {
      flush();
      keys.push({ kind: "enter" });
      // A terminal in raw mode sends CR; tolerate CR LF as one Enter.
      if (ch === "\r" && input[i + 1] === "\n") i++;
    } else if (ch === "\x03" || ch === "\x04") {
      flush();
      keys.push({ kind: "interrupt" });
    } else if (ch === "\x7f" || ch === "\b") {
      flush();
      keys.push({ kind: "backspace" });
    } else if (ch === "\x15") {
      flush();
      keys.push({ kind: "clearQuery" });
    } else if (ch === "\x10") {
      flush();
      keys.push({ kind: "up" });
    } else if (ch === "\x0e") {
      flush();
      keys.push({ kind: "down" });
    } else if (code < 0x20) {
      flush();
      keys.push({ kind: "ignored" });
    } else {
      text += ch;
    }
    i++;
  }
  flush();
  return keys;
}

export interface PickerRow {
  index: number;
  label: string;
  selected: boolean;
}

export function visibleRows(state: PickerState): PickerRow[] {
  return state.matches.slice(state.top, state.top + state.height).map((index, k) => ({
    index,
    label: state.items[index]!,
    selected: state.top + k === state.cursor,
  }));
}

/** The line under the list: position, filter and how to use it. */
export function statusLine(state: PickerState): string {
  const n = state.matches.length;
  if (state.query && n === 0) return `no match for "${state.query}" (backspace to edit, Esc to clear)`;
  const where = n > state.height ? `${state.cursor + 1}/${n}` : `${n}`;
  const of = state.query ? `${where} of ${state.items.length} match "${state.query}"` : where;
  return `[${of}] ↑/↓ to move, type to filter, Enter to select`;
}

/** Trim to the terminal width with "...", as select_menu's _trim_text does for over-long entries. */
export function fitWidth(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return (chars.slice(0, Math.max(1, width - 3)).join("") + "...").slice(0, Math.max(1, width));
}
