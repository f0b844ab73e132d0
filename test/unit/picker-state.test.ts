import { describe, expect, it } from "bun:test";
import {
  applyKey,
  createPicker,
  fitWidth,
  parseKeys,
  statusLine,
  visibleRows,
  type PickerKey,
  type PickerState,
} from "../../src/core/picker-state";

const accounts = Array.from(
  { length: 300 },
  (_, i) => `acct-${String(i).padStart(3, "0")}, ops+${i}@example.com (${String(100000000000 + i)})`,
);

function press(state: PickerState, ...keys: PickerKey["kind"][]): PickerState {
  for (const kind of keys) state = applyKey(state, kind === "text" ? { kind, text: "" } : ({ kind } as PickerKey)).state;
  return state;
}

function type(state: PickerState, text: string): PickerState {
  for (const key of parseKeys(text)) state = applyKey(state, key).state;
  return state;
}

const selectedLabel = (s: PickerState) => visibleRows(s).find((r) => r.selected)?.label;

describe("the picker state", () => {
  it("starts on the first item and shows at most 10 rows, like the AWS CLI's select_menu", () => {
    const s = createPicker(accounts);
    expect(visibleRows(s)).toHaveLength(10);
    expect(selectedLabel(s)).toBe(accounts[0]);
  });

  it("shows every row of a short list", () => {
    expect(visibleRows(createPicker(["a", "b", "c"]))).toHaveLength(3);
  });

  it("moves down and selects with Enter", () => {
    const s = press(createPicker(["a", "b", "c"]), "down", "down");
    expect(applyKey(s, { kind: "enter" }).outcome).toEqual({ kind: "selected", index: 2 });
  });

  it("wraps from the first row to the last on up, and back on down", () => {
    const up = press(createPicker(["a", "b", "c"]), "up");
    expect(selectedLabel(up)).toBe("c");
    expect(selectedLabel(press(up, "down"))).toBe("a");
  });

  it("scrolls the window when the cursor passes the bottom row", () => {
    const s = press(createPicker(accounts), ...Array(12).fill("down"));
    expect(s.top).toBe(3);
    expect(visibleRows(s)[9]).toEqual({ index: 12, label: accounts[12]!, selected: true });
  });

  it("shows the last page when wrapping up from the top of a long list", () => {
    const s = press(createPicker(accounts), "up");
    expect(s.top).toBe(290);
    expect(selectedLabel(s)).toBe(accounts[299]);
  });

  it("pages down and up by the window height and jumps with Home and End", () => {
    const s = press(createPicker(accounts), "pageDown", "pageDown");
    expect(s.cursor).toBe(20);
    expect(press(s, "pageUp").cursor).toBe(10);
    expect(press(s, "end").cursor).toBe(299);
    expect(press(s, "end", "home")).toMatchObject({ cursor: 0, top: 0 });
  });

  it("filters case-insensitively as the user types and selects the original index", () => {
    const s = type(createPicker(accounts), "ACCT-25");
    expect(s.matches).toEqual([250, 251, 252, 253, 254, 255, 256, 257, 258, 259]);
    const picked = applyKey(press(s, "down"), { kind: "enter" }).outcome;
    expect(picked).toEqual({ kind: "selected", index: 251 });
  });

  it("requires every space-separated term to match", () => {
    const s = type(createPicker(["prod web", "prod db", "dev web"]), "web prod");
    expect(s.matches).toEqual([0]);
  });

  it("restarts at the first match when the filter changes", () => {
    const s = type(press(createPicker(accounts), "down", "down", "down"), "acct-1");
    expect(s.cursor).toBe(0);
    expect(selectedLabel(s)).toBe(accounts[100]);
  });

  it("widens the filter again on backspace and clears it on Esc or Ctrl-U", () => {
    const s = type(createPicker(accounts), "acct-299");
    expect(s.matches).toHaveLength(1);
    expect(type(s, "\x7f").matches).toHaveLength(10);
    expect(type(s, "\x1b").matches).toHaveLength(300);
    expect(type(s, "\x15").matches).toHaveLength(300);
  });

  it("selects nothing on Enter when no item matches", () => {
    const s = type(createPicker(["a", "b"]), "zzz");
    expect(s.matches).toEqual([]);
    expect(applyKey(s, { kind: "enter" }).outcome).toBeUndefined();
    expect(statusLine(s)).toContain('no match for "zzz"');
  });

  it("reports Ctrl-C as an interruption", () => {
    const [key] = parseKeys("\x03");
    expect(applyKey(createPicker(["a"]), key!).outcome).toEqual({ kind: "interrupted" });
  });

  it("shows position and filter in the status line", () => {
    expect(statusLine(press(createPicker(accounts), "down"))).toStartWith("[2/300]");
    expect(statusLine(type(createPicker(accounts), "acct-29"))).toStartWith('[10 of 300 match "acct-29"]');
    expect(statusLine(createPicker(["a", "b"]))).toStartWith("[2]");
  });
});

describe("decoding terminal input", () => {
  it.each([
    ["\x1b[A", "up"],
    ["\x1bOA", "up"],
    ["\x1b[B", "down"],
    ["\x1bOB", "down"],
    ["\x1b[5~", "pageUp"],
    ["\x1b[6~", "pageDown"],
    ["\x1b[H", "home"],
    ["\x1b[F", "end"],
    ["\r", "enter"],
    ["\n", "enter"],
    ["\x03", "interrupt"],
    ["\x7f", "backspace"],
    ["\x10", "up"],
    ["\x0e", "down"],
  ])("reads %j as %s", (input, kind) => {
    expect(parseKeys(input)).toEqual([{ kind } as PickerKey]);
  });

  it("splits a chunk holding several keys and text", () => {
    expect(parseKeys("ab\x1b[Bc\r")).toEqual([
      { kind: "text", text: "ab" },
      { kind: "down" },
      { kind: "text", text: "c" },
      { kind: "enter" },
    ]);
  });

  it("swallows unknown escape sequences instead of typing their tail", () => {
    expect(parseKeys("\x1b[1;5C")).toEqual([{ kind: "ignored" }]);
  });

  it("treats CR LF as a single Enter", () => {
    expect(parseKeys("\r\n")).toEqual([{ kind: "enter" }]);
  });
});

describe("fitting a row to the terminal", () => {
  it("keeps short text and trims long text with dots", () => {
    expect(fitWidth("short", 10)).toBe("short");
    expect(fitWidth("a very long account name", 10)).toBe("a very ...");
  });
});
