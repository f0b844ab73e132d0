// Properties that must hold for every input, not just the examples in the other tests: checked with
// fast-check over generated inputs (hundreds per property, shrunk to the smallest counterexample).
// The credential protocol (git talks to us through it; a smuggled CR/LF/NUL is a credential leak),
// the INI editor (the user's ~/.aws/config is theirs: untouched sections must stay byte for byte),
// and the codecommit:// URL grammar (a repository name must never become a path).
import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import { CredentialProtocolError, formatCredentialResponse, parseCredentialRequest } from "../../src/core/credential-protocol";
import { parseIni, updateIniText, type IniValue } from "../../src/core/ini";
import { parseCodeCommitRemoteUrl, RemoteUrlError } from "../../src/core/remote-url";

// ───────────────────────────── credential protocol ─────────────────────────────

/** Any text, weighted towards the characters that matter here. */
const hostileText = fc.string({
  unit: fc.oneof(fc.constantFrom("\r", "\n", "\0", "=", "[]", "\r\n", " "), fc.string({ minLength: 1, maxLength: 1, unit: "grapheme" })),
  maxLength: 40,
});
const attrKey = fc.stringMatching(/^[a-z_]{1,12}$/);
/** What a value may legitimately hold: anything but CR, LF and NUL. */
const cleanValue = fc.string({ unit: "grapheme", maxLength: 60 }).map((s) => s.replace(/[\r\n\0]/g, ""));

describe("the credential protocol, for any input", () => {
  it("never writes CR or NUL, and LF only to end each of its lines", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(hostileText, hostileText), { maxLength: 6 }), (fields) => {
        let out: string;
        try {
          out = formatCredentialResponse(fields);
        } catch (e) {
          expect(e).toBeInstanceOf(CredentialProtocolError);
          return;
        }
        expect(out).not.toMatch(/[\r\0]/);
        expect(out.split("\n")).toHaveLength(fields.length + 1);
        expect(out.endsWith("\n") || fields.length === 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("reads back exactly what it wrote (parse ∘ format is the identity on clean fields)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(attrKey, cleanValue), { selector: ([k]) => k, maxLength: 8 }), (fields) => {
        const req = parseCredentialRequest(formatCredentialResponse(fields) + "\n");
        expect(Object.fromEntries(req.attributes)).toEqual(Object.fromEntries(fields));
      }),
      { numRuns: 500 },
    );
  });

  it("either refuses a request or yields keys and values free of CR, LF and NUL", () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        let req;
        try {
          req = parseCredentialRequest(text);
        } catch (e) {
          expect(e).toBeInstanceOf(CredentialProtocolError);
          return;
        }
        for (const [k, v] of req.attributes) expect(k + v).not.toMatch(/[\r\n\0]/);
        for (const [k, vs] of req.lists) for (const v of vs) expect(k + v).not.toMatch(/[\r\n\0]/);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses any line longer than git's 65535-byte limit", () => {
    fc.assert(
      fc.property(attrKey, fc.integer({ min: 65535, max: 70000 }), (key, n) => {
        expect(() => parseCredentialRequest(`${key}=${"x".repeat(n)}\n`)).toThrow(CredentialProtocolError);
      }),
      { numRuns: 20 },
    );
  });
});

// ───────────────────────────── INI editor ─────────────────────────────

const iniKey = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const iniValue = fc.stringMatching(/^[A-Za-z0-9/:._@=+ -]{0,24}$/).map((s) => s.trim());
const sectionName = fc.oneof(
  fc.constant("default"),
  fc.stringMatching(/^[a-z0-9_-]{1,10}$/).map((n) => `profile ${n}`),
  fc.stringMatching(/^[a-z0-9_-]{1,10}$/).map((n) => `sso-session ${n}`),
);
const comment = fc.stringMatching(/^[#;][ A-Za-z0-9=:.-]{0,20}$/);

interface GeneratedSection {
  name: string;
  values: Record<string, string>;
  /** The section's bytes, header to the line before the next header. */
  text: string;
}

/** A config file as chunks, one per section, with comments, blank lines and either line ending. */
const configFile = fc
  .record({
    eol: fc.constantFrom("\n", "\r\n"),
    sections: fc.uniqueArray(
      fc.record({
        name: sectionName,
        entries: fc.uniqueArray(fc.tuple(iniKey, iniValue), { selector: ([k]) => k, maxLength: 5 }),
        comments: fc.array(fc.tuple(fc.nat(5), comment), { maxLength: 2 }),
        blankAfter: fc.boolean(),
      }),
      { selector: (s) => s.name, minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ eol, sections }): { eol: string; sections: GeneratedSection[] } => ({
    eol,
    sections: sections.map((s) => {
      const lines = s.entries.map(([k, v]) => (v === "" ? `${k} =` : `${k} = ${v}`));
      for (const [at, c] of s.comments) lines.splice(Math.min(at, lines.length), 0, c);
      const text = [`[${s.name}]`, ...lines, ...(s.blankAfter ? [""] : [])].map((l) => l + eol).join("");
      return { name: s.name, values: Object.fromEntries(s.entries), text };
    }),
  }));

/** Keys to set (some existing, some new) or delete (null). */
const edits = fc.dictionary(iniKey, fc.option(iniValue, { nil: null, freq: 4 }), { minKeys: 1, maxKeys: 4 });

function valuesOf(text: string): Record<string, Record<string, string>> {
  return Object.fromEntries(parseIni(text).sections.map((s) => [s.name, s.values]));
}

describe("the INI editor, for any config file", () => {
  it("parses back every value it wrote, deletes what was deleted, and changes nothing else", () => {
    fc.assert(
      fc.property(configFile, fc.nat(), edits, ({ sections }, pick, values) => {
        const text = sections.map((s) => s.text).join("");
        const target = sections[pick % sections.length]!;
        const out = updateIniText(text, target.name, values);
        const expected = valuesOf(text);
        const merged = { ...expected[target.name] };
        for (const [k, v] of Object.entries(values)) {
          if (v === null) delete merged[k];
          else merged[k] = v;
        }
        expected[target.name] = merged;
        expect(valuesOf(out)).toEqual(expected);
        expect(parseIni(out).problems).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps every section it did not edit byte for byte, in place, with the file's line endings", () => {
    fc.assert(
      fc.property(configFile, fc.nat(), edits, ({ eol, sections }, pick, values) => {
        const i = pick % sections.length;
        const before = sections
          .slice(0, i)
          .map((s) => s.text)
          .join("");
        const after = sections
          .slice(i + 1)
          .map((s) => s.text)
          .join("");
        const out = updateIniText(before + sections[i]!.text + after, sections[i]!.name, values);
        expect(out.startsWith(before)).toBe(true);
        expect(out.endsWith(after)).toBe(true);
        if (eol === "\r\n") expect(out.replace(/\r\n/g, "")).not.toContain("\n");
      }),
      { numRuns: 500 },
    );
  });

  it("appends a new section after the untouched file, and a second identical edit changes nothing", () => {
    fc.assert(
      fc.property(configFile, edits, ({ sections }, values) => {
        const text = sections.map((s) => s.text).join("");
        const once = updateIniText(text, "sso-session added-by-test", values);
        expect(once.startsWith(text)).toBe(true);
        expect(updateIniText(once, "sso-session added-by-test", values)).toBe(once);
        const setValues = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null)) as Record<string, string>;
        if (Object.keys(setValues).length > 0) expect(valuesOf(once)["sso-session added-by-test"]).toEqual(setValues);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a value or key with a line break instead of writing a second line", () => {
    fc.assert(
      fc.property(configFile, iniKey, fc.tuple(cleanValue, fc.constantFrom("\n", "\r"), cleanValue), ({ sections }, key, [a, nl, b]) => {
        const text = sections.map((s) => s.text).join("");
        expect(() => updateIniText(text, sections[0]!.name, { [key]: `${a}${nl}${b}` as IniValue })).toThrow();
      }),
      { numRuns: 200 },
    );
  });
});

// ───────────────────────────── codecommit:// URLs ─────────────────────────────

const region = fc.constantFrom("us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1");
const repository = fc.stringMatching(/^[A-Za-z0-9._-]{1,100}$/).filter((r) => r !== "." && r !== "..");
/** Profile names as people write them: `@`, spaces, unicode — anything but control characters and `/?#`. */
const profile = fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }).filter((p) => !/[\0-\x1f\x7f/?#]/.test(p));

describe("codecommit:// URLs, for any input", () => {
  it("split the profile at the last @ and keep the repository name intact", () => {
    fc.assert(
      fc.property(fc.option(region, { nil: undefined }), profile, repository, (r, p, repo) => {
        const url = `${r ?? "codecommit"}://${p}@${repo}`;
        expect(parseCodeCommitRemoteUrl(url)).toEqual({ region: r, profile: p, repository: repo });
      }),
      { numRuns: 500 },
    );
  });

  it("either refuse the URL or name a repository that cannot be a path", () => {
    const anyUrl = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc
        .tuple(
          fc.constantFrom("codecommit://", "us-east-1://", "codecommit::us-east-1://", "https://"),
          fc.string({
            unit: fc.oneof(
              fc.constantFrom("/", "..", "@", ":", "%2e", "\\", "\0", "?", "#"),
              fc.string({ minLength: 1, maxLength: 1, unit: "grapheme" }),
            ),
            maxLength: 30,
          }),
        )
        .map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(anyUrl, (url) => {
        let parsed;
        try {
          parsed = parseCodeCommitRemoteUrl(url);
        } catch (e) {
          expect(e).toBeInstanceOf(RemoteUrlError);
          return;
        }
        expect(parsed.repository).toMatch(/^[A-Za-z0-9._-]{1,100}$/);
        expect([".", ".."]).not.toContain(parsed.repository);
        expect(parsed.profile ?? "").not.toMatch(/[\0-\x1f\x7f/?#]/);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuse any path after the repository, ../ included", () => {
    fc.assert(
      fc.property(profile, repository, fc.constantFrom("/../other", "/x", "/", "/..", "/.%2e/y"), (p, repo, tail) => {
        expect(() => parseCodeCommitRemoteUrl(`codecommit://${p}@${repo}${tail}`)).toThrow(RemoteUrlError);
      }),
      { numRuns: 200 },
    );
  });
});
