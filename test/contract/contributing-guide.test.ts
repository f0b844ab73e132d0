// CONTRIBUTING.md's "How to add a command" is followed literally by scripts/reader-test.ts (make
// reader-test, run in CI), which needs each step to say where its piece goes. This keeps the guide in
// a shape that script can follow, cheaply, in make test.
import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { codeBlocks, guideSteps } from "../../scripts/reader-test";
import { repoRoot } from "../helpers/ccsso";

const steps = guideSteps(readFileSync(join(repoRoot, "CONTRIBUTING.md"), "utf8"));
const stepWith = (re: RegExp) => steps.filter((s) => re.test(s));

describe('CONTRIBUTING.md "How to add a command"', () => {
  it("declares the command in command-defs.ts with a summary and a define() a table line can name", () => {
    const [step] = stepWith(/src\/cli\/command-defs\.ts/);
    const [code] = codeBlocks(step!);
    expect(code).toMatch(/export const (\w+) = define\(/);
    expect(code).toMatch(/summary: "[^"]+"/);
  });

  it("names the module file and gives its run function", () => {
    const [step] = stepWith(/Write `src\/cli\/[\w-]+\.ts`/);
    expect(codeBlocks(step!)[0]).toContain("export async function run(");
  });

  it("gives the command-table line, the snapshot command and the test file", () => {
    expect(stepWith(/`command\(def\.\w+, \(\) => import\("\.\/[\w-]+"\)\),`/)).toHaveLength(1);
    expect(stepWith(/`node_modules\/\.bin\/bun test [^`]*--update-snapshots`/)).toHaveLength(1);
    const [test] = stepWith(/`test\/unit\/[\w-]+\.test\.ts`/);
    expect(codeBlocks(test!)[0]).toContain('from "bun:test"');
    expect(stepWith(/README\.md's command table/)).toHaveLength(1);
  });
});
