// The reasons live in the repository (docs/architecture.md §4): no file cites notes that a clone of
// the project does not have, and every citation of a docs/ section names a section that exists, so a
// comment like `(docs/protocols.md §2.2)` can always be followed.
import { describe, expect, it } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "../helpers/ccsso";

const self = relative(repoRoot, import.meta.path);

/** Text files that carry code comments or documentation, relative to the repository root. */
function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(repoRoot, dir))) {
      const rel = join(dir, name);
      const st = statSync(join(repoRoot, rel));
      if (st.isDirectory()) walk(rel);
      else if (/\.(ts|js|py|sh|md|toml|json|ini)$/.test(name) || !name.includes(".")) {
        if (st.size < 2_000_000) out.push(rel);
      }
    }
  };
  for (const dir of ["src", "scripts", "test", "docs", "bench"]) walk(dir);
  for (const file of ["Makefile", ".ci/run", "README.md", "CONTRIBUTING.md", "package.json", "bunfig.toml"]) {
    if (existsSync(join(repoRoot, file))) out.push(file);
  }
  return out.filter((f) => f !== self && !f.includes("__snapshots__"));
}

// Notes that lived outside the repository while it was being written. A clone has none of them.
const OUTSIDE = [
  { what: "the shared notes directory", pattern: /\.\.\/shared\b/ },
  { what: "the product spec", pattern: /\bSPEC\s*§/ },
  { what: "the research notes", pattern: /\breference\/(?:aws-sso|codecommit-git|bun-notes)|\breference\/[\w-]+\.md/ },
  { what: "the style notes", pattern: /\bSTYLE\.md\b/ },
  { what: "the Bun notes", pattern: /\bbun-notes\b/ },
  { what: "the old contributor guide", pattern: /\bDEVELOPERS\.md\b/ },
];

/** Every outside citation in `text`, as "line: matched text". */
export function outsideCitations(text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, i) => {
    for (const { what, pattern } of OUTSIDE) {
      const m = pattern.exec(line);
      if (m) found.push(`${i + 1}: ${m[0]} (${what})`);
    }
  });
  return found;
}

/** Section signs that name no document — `(§4.1)`, `reference §1.3` — left from notes outside the repository. */
export function danglingSections(text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, i) => {
    const rest = line
      .replace(/docs\/[\w-]+\.md(?:,?\s*§\d+(?:\.\d+)?(?:[–-]\d+(?:\.\d+)?)?)*/g, "")
      .replace(/\bRFC ?\d+(?:,?\s*§ ?\d+(?:\.\d+)*)+/g, "");
    const m = /.{0,30}§\s*\d[\d.]*/.exec(rest);
    if (m) found.push(`${i + 1}: ${m[0].trim()}`);
  });
  return found;
}

/** `docs/x.md §1.2`, `docs/x.md §2.3–2.5`, `docs/x.md §4, §5`: the file and each section number cited. */
export function docCitations(text: string): { file: string; sections: string[] }[] {
  const out: { file: string; sections: string[] }[] = [];
  for (const m of text.matchAll(/docs\/([\w-]+\.md)((?:,?\s*§\d+(?:\.\d+)?(?:[–-]\d+(?:\.\d+)?)?)*)/g)) {
    const sections = [...m[2]!.matchAll(/§(\d+(?:\.\d+)?)(?:[–-](\d+(?:\.\d+)?))?/g)].flatMap((s) => (s[2] ? [s[1]!, s[2]!] : [s[1]!]));
    out.push({ file: m[1]!, sections });
  }
  return out;
}

/** Section numbers a docs page defines: headings such as `## 2. Caches` or `### 2.3 The token file`. */
export function sectionNumbers(markdown: string): Set<string> {
  const numbers = new Set<string>();
  for (const m of markdown.matchAll(/^#{2,4} (\d+(?:\.\d+)?)\.?\s/gm)) numbers.add(m[1]!);
  return numbers;
}

describe("citations", () => {
  const files = sourceFiles();

  it("finds the files it is meant to check", () => {
    expect(files).toContain("src/main.ts");
    expect(files).toContain("Makefile");
    expect(files).toContain(".ci/run");
    expect(files.filter((f) => f.startsWith("src/")).length).toBeGreaterThan(50);
  });

  it("recognises each outside citation it forbids", () => {
    const lines = [
      "// (SPEC §3)",
      "// reference/aws-sso.md §3.1",
      "# ../shared/SPEC.md",
      "// STYLE.md says",
      "// (bun-notes)",
      "see DEVELOPERS.md",
    ];
    for (const line of lines) expect(outsideCitations(line)).toHaveLength(1);
    expect(outsideCitations("// docs/protocols.md §2.2, RFC 8628 §3.5")).toEqual([]);
  });

  it("cites nothing outside the repository", () => {
    const offenders = files.flatMap((f) => outsideCitations(readFileSync(join(repoRoot, f), "utf8")).map((hit) => `${f}:${hit}`));
    expect(offenders).toEqual([]);
  });

  it("recognises a section sign that names no document", () => {
    expect(danglingSections("// never refreshed (§4.1)")).toHaveLength(1);
    expect(danglingSections("// about 15 minutes (reference §1.3)")).toHaveLength(1);
    expect(danglingSections("// (docs/protocols.md §4, §5) and RFC 8628 §3.5, RFC 8252 §8.1, §8.10")).toEqual([]);
    expect(danglingSections("// (docs/protocols.md §2.3–2.5), then (§2.2)")).toHaveLength(1);
  });

  it("has no section sign that names no document", () => {
    const offenders = files
      .filter((f) => !f.startsWith("docs/"))
      .flatMap((f) => danglingSections(readFileSync(join(repoRoot, f), "utf8")).map((hit) => `${f}:${hit}`));
    expect(offenders).toEqual([]);
  });

  it("reads each form of docs citation", () => {
    expect(docCitations("(docs/protocols.md §2.3–2.5)")).toEqual([{ file: "protocols.md", sections: ["2.3", "2.5"] }]);
    expect(docCitations("(docs/protocols.md §4, §5)")).toEqual([{ file: "protocols.md", sections: ["4", "5"] }]);
    expect(docCitations("see docs/reliability.md")).toEqual([{ file: "reliability.md", sections: [] }]);
    expect([...sectionNumbers("# T\n## 1. Layers\n### 1.1 Map\n## 10. Contracts\n")]).toEqual(["1", "1.1", "10"]);
  });

  it("cites only docs pages and sections that exist", () => {
    const citations = files.flatMap((f) => docCitations(readFileSync(join(repoRoot, f), "utf8")).map((c) => ({ ...c, from: f })));
    // The code leans on these pages for its reasons; far fewer would mean the scan stopped seeing them.
    expect(citations.length).toBeGreaterThan(80);
    const broken: string[] = [];
    for (const { file, sections, from } of citations) {
      const path = join(repoRoot, "docs", file);
      if (!existsSync(path)) {
        broken.push(`${from}: docs/${file} does not exist`);
        continue;
      }
      const defined = sectionNumbers(readFileSync(path, "utf8"));
      for (const s of sections) if (!defined.has(s)) broken.push(`${from}: docs/${file} has no §${s}`);
    }
    expect(broken).toEqual([]);
  });
});
