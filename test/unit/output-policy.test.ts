// The output policy (src/core/terminal-text.ts) and the one shell quoter (src/core/shell-quote.ts):
// what a hostile server, file or URL can put in front of a person, and what pasting a hint can run.
import { describe, expect, it } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { renderError } from "../../src/cli/render-error";
import { ProfileNotFoundError, RemoteError } from "../../src/core/errors";
import { commandLine, shellQuote } from "../../src/core/shell-quote";
import { hasUnsafeCharacters, sanitizeForTerminal, sanitizeLine } from "../../src/core/terminal-text";
import { testContext } from "../../src/platform/context";

/** Every code point the policy must never let through (besides \n and \t in multi-line text). */
const FORBIDDEN = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("sanitizeForTerminal", () => {
  it.each([
    ["ESC of a CSI clear-screen", "Dev\x1b[2J", "Dev^[[2J"],
    ["an OSC window title ended by BEL", "x\x1b]0;PWNED\x07", "x^[]0;PWNED^G"],
    ["an OSC 8 hyperlink", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "^[]8;;https://evil.example^[\\click^[]8;;^[\\"],
    ["a carriage return that would overwrite the line", "ok\rFAKE", "ok^MFAKE"],
    ["NUL and DEL", "a\0b\x7fc", "a^@b^?c"],
    ["the C1 CSI (one byte ESC [)", "a\u009b2Jb", "a\\u009b2Jb"],
    ["a right-to-left override", "txt.\u202egpj", "txt.\\u202egpj"],
    ["a first-strong isolate", "a\u2068b\u2069", "a\\u2068b\\u2069"],
    ["the Unicode line separator", "123456789012\u2028", "123456789012\\u2028"],
  ])("escapes %s visibly", (_what, input, expected) => {
    expect(sanitizeForTerminal(input)).toBe(expected);
  });

  it("keeps newlines and tabs in multi-line text, and escapes them in a one-line value", () => {
    expect(sanitizeForTerminal("a\n\tb")).toBe("a\n\tb");
    expect(sanitizeLine("a\nb\tc")).toBe("a^Jb\tc");
  });

  it("leaves ordinary names in any script unchanged", () => {
    for (const name of ["Équipe Données", "開発チーム", "Prod 🚀 (eu)", "ünïcödé-role_1", "שלום", "مرحبا"]) {
      expect(sanitizeForTerminal(name)).toBe(name);
      expect(sanitizeLine(name)).toBe(name);
      expect(hasUnsafeCharacters(name)).toBe(false);
    }
  });
});

describe("the output policy, for any input", () => {
  const hostile = fc.string({
    unit: fc.oneof(
      fc.integer({ min: 0, max: 0x2070 }).map((c) => String.fromCharCode(c)),
      fc.constantFrom("\x1b", "\x9b", "\u202e", "\u2066", "\u2028", "\n", "\t", "\r"),
      fc.string({ minLength: 1, maxLength: 1, unit: "grapheme" }),
    ),
    maxLength: 60,
  });

  it("lets no control character (but \\n and \\t), ESC, C1, bidi control or line separator through", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const out = sanitizeForTerminal(text);
        expect(out).not.toMatch(FORBIDDEN);
        const bytes = new TextEncoder().encode(out);
        for (const b of bytes) if (b < 0x20) expect(b === 0x0a || b === 0x09).toBe(true);
        expect(sanitizeLine(text)).not.toMatch(/[\n\x00-\x08\x0b-\x1f]/);
      }),
      { numRuns: 2000 },
    );
  });

  it("returns ordinary UTF-8 text (letters, accents, CJK, emoji) unchanged", () => {
    const ordinary = fc.string({ unit: "grapheme", maxLength: 40 }).filter((s) => !FORBIDDEN.test(s) && !s.includes("\n"));
    fc.assert(
      fc.property(ordinary, (text) => {
        expect(sanitizeLine(text)).toBe(text);
        expect(sanitizeForTerminal(text)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it("is idempotent: what it prints is already safe", () => {
    fc.assert(fc.property(hostile, (text) => expect(sanitizeForTerminal(sanitizeForTerminal(text))).toBe(sanitizeForTerminal(text))));
  });
});

describe("renderError", () => {
  it("prints a server's error description with its escape sequences made visible", () => {
    const t = testContext();
    renderError(
      new RemoteError("access denied: x\x1b]0;PWNED\x07\x1b[2J\nccsso: signed in", { service: "sso", operation: "GetRoleCredentials" }),
      t.ctx,
    );
    expect(t.stderr()).toBe("ccsso: access denied: x^[]0;PWNED^G^[[2J^Jccsso: signed in\n");
  });

  it("escapes the cause chain under --debug too", () => {
    const t = testContext({ debug: true });
    renderError(new RemoteError("failed", { service: "sso", operation: "X" }, undefined, { cause: new Error("boom\x1b[31m") }), t.ctx);
    expect(t.stderr()).toContain("caused by: Error: boom^[[31m");
    expect(t.stderr()).not.toContain("\x1b");
  });
});

/** Run `text` with the real sh in an empty directory; return what it created there. */
function pasteIntoSh(text: string): { created: string[]; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), "ccsso-paste-"));
  try {
    // `ccsso` is a function that prints its arguments, so the paste runs nothing but it.
    const r = spawnSync("sh", ["-c", `ccsso() { printf '%s\\n' "$@"; }\n${text}`], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    return { created: readdirSync(dir), stdout: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("shellQuote and commandLine", () => {
  it("leave plain words as they are and quote the empty word", () => {
    expect(commandLine(["ccsso", "sso", "login", "--profile", "dev-eu_1"])).toBe("ccsso sso login --profile dev-eu_1");
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("=ls")).toBe("'=ls'");
  });

  it("the hint for a profile taken from a hostile .gitmodules URL runs nothing when pasted into sh", () => {
    const profile = "x;touch${IFS}pwned|sh;";
    const hint = new ProfileNotFoundError(profile, []).hint!;
    expect(hint).toBe(`run: ccsso configure sso --profile 'x;touch\${IFS}pwned|sh;'`);
    const pasted = pasteIntoSh(hint.slice("run: ".length));
    expect(pasted.created).toEqual([]);
    expect(pasted.stdout).toBe(`configure\nsso\n--profile\n${profile}\n`);
  });

  it("any argv survives sh as exactly the same words, running nothing else", () => {
    const word = fc
      .string({
        unit: fc.oneof(
          fc.constantFrom("'", '"', "$", "`", "\\", ";", "|", "&", "(", ")", "*", "?", "~", "=", " ", "!", "#", "\n", "{", "}", ">", "<"),
          fc.string({ minLength: 1, maxLength: 1, unit: "grapheme" }),
        ),
        maxLength: 12,
      })
      .filter((w) => !w.includes("\0"));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), (words) => {
        const pasted = pasteIntoSh(commandLine(["ccsso", ...words]));
        expect(pasted.created).toEqual([]);
        expect(pasted.stdout).toBe(words.map((w) => w + "\n").join(""));
      }),
      { numRuns: 60 },
    );
  });
});
