// The reader's test of CONTRIBUTING.md: a newcomer follows "How to add a command" to the letter and
// must end with a command that passes `make test` and shows its help. This script is that newcomer: in
// a throw-away copy of the repository it takes each step's code from the guide — nothing of its own
// but where to paste it — then runs `make test` there and `ccsso hello --help`. When the guide and the
// code drift apart, this fails, naming the step. Run by `make reader-test` and by .ci/run.
//
//   bun scripts/reader-test.ts [--keep]     --keep leaves the copy for inspection
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dir, "..");
const keep = process.argv.includes("--keep");

function fail(message: string): never {
  console.error(`reader-test: ${message}`);
  process.exit(1);
}

/** The numbered steps of the guide's "How to add a command" section, as text. */
export function guideSteps(guide: string): string[] {
  const start = guide.indexOf("\n## How to add a command");
  if (start < 0) fail('CONTRIBUTING.md has no "## How to add a command" section');
  const end = guide.indexOf("\n## ", start + 1);
  const section = guide.slice(start, end < 0 ? undefined : end);
  // A step starts at "N. " at the start of a line; everything up to the next one belongs to it.
  const steps = section.split(/\n(?=\d+\. )/).slice(1);
  if (steps.length === 0) fail("the section has no numbered steps");
  return steps;
}

export function codeBlocks(step: string): string[] {
  return [...step.matchAll(/```ts\n([\s\S]*?)\n\s*```/g)].map((m) => dedent(m[1]!));
}

function dedent(text: string): string {
  const lines = text.split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join("\n") + "\n";
}

/** The one step that mentions `needle`; the guide must not be ambiguous about where each piece goes. */
function stepMentioning(steps: string[], needle: RegExp, what: string): string {
  const found = steps.filter((s) => needle.test(s));
  if (found.length === 0) fail(`no step says ${what}`);
  return found[0]!;
}

function run(argv: string[], cwd: string, what: string): string {
  const r = Bun.spawnSync(argv, { cwd, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const out = r.stdout.toString() + r.stderr.toString();
  if (r.exitCode !== 0) fail(`${what} failed (exit ${r.exitCode}):\n${out.split("\n").slice(-40).join("\n")}`);
  return r.stdout.toString();
}

if (import.meta.main) {
  const steps = guideSteps(readFileSync(join(repo, "CONTRIBUTING.md"), "utf8"));
  const copy = mkdtempSync(join(tmpdir(), "ccsso-reader-"));
  try {
    // The repository as a clone would have it: tracked files only, and the installed dependencies.
    const files = Bun.spawnSync(["git", "ls-files", "-z"], { cwd: repo }).stdout.toString().split("\0").filter(Boolean);
    for (const f of files) cpSync(join(repo, f), join(copy, f), { recursive: false, force: true });
    symlinkSync(resolve(repo, "node_modules"), join(copy, "node_modules"));

    // Step: declare the command in the definitions file.
    const defsStep = stepMentioning(steps, /src\/cli\/command-defs\.ts/, "where the definition goes");
    const [definition] = codeBlocks(defsStep);
    if (!definition) fail("the definition step has no code");
    const defsFile = join(copy, "src/cli/command-defs.ts");
    writeFileSync(defsFile, readFileSync(defsFile, "utf8") + "\n" + definition);
    const name = /export const (\w+) = define\(/.exec(definition)?.[1] ?? fail("the definition does not export a `define(...)`");
    const summary = /summary: "([^"]+)"/.exec(definition)?.[1] ?? fail("the definition has no summary");

    // Step: the module with the run function, at the path the guide names.
    const moduleStep = stepMentioning(steps, /Write `src\/cli\/[\w-]+\.ts`/, "which module file to write");
    const modulePath = /Write `(src\/cli\/[\w-]+\.ts)`/.exec(moduleStep)![1]!;
    const [moduleCode] = codeBlocks(moduleStep);
    if (!moduleCode) fail("the module step has no code");
    writeFileSync(join(copy, modulePath), moduleCode);

    // Step: the line for the command table, inserted at the head of the list.
    const tableStep = stepMentioning(steps, /src\/cli\/command-table\.ts/, "how to add it to the command table");
    const entry =
      /`(command\(def\.\w+, \(\) => import\("\.\/[\w-]+"\)\),)`/.exec(tableStep)?.[1] ??
      fail("the table step gives no `command(def.…)` line");
    const tableFile = join(copy, "src/cli/command-table.ts");
    const table = readFileSync(tableFile, "utf8");
    const head = "export const commands: readonly Command[] = [\n";
    if (!table.includes(head)) fail("src/cli/command-table.ts has no `commands` list to add to");
    writeFileSync(tableFile, table.replace(head, `${head}  ${entry}\n`));

    // Step: the test, at the path the guide names.
    const testStep = stepMentioning(steps, /`test\/unit\/[\w-]+\.test\.ts`/, "where the test goes");
    const testPath = /`(test\/unit\/[\w-]+\.test\.ts)`/.exec(testStep)![1]!;
    const [testCode] = codeBlocks(testStep);
    if (!testCode) fail("the test step has no code");
    writeFileSync(join(copy, testPath), testCode);

    // Step: a row in the README's command table, after the last one.
    stepMentioning(steps, /README\.md's command table/, "to add a README row");
    const readmeFile = join(copy, "README.md");
    const readme = readFileSync(readmeFile, "utf8").split("\n");
    const lastRow = readme.findLastIndex((l) => l.startsWith("| `ccsso "));
    if (lastRow < 0) fail("README.md has no command table");
    const words = (definition.match(/path: \[([^\]]*)\]/)?.[1] ?? "").replace(/"/g, "").split(/,\s*/).join(" ");
    readme.splice(lastRow + 1, 0, `| \`ccsso ${words}\` | ${summary} |`);
    writeFileSync(readmeFile, readme.join("\n"));

    // Step: accept the new help text, with the command the guide gives.
    const snapStep = stepMentioning(steps, /--update-snapshots/, "how to accept the help text");
    const snapCommand =
      /`(node_modules\/\.bin\/bun test [^`]*--update-snapshots)`/.exec(snapStep)?.[1] ?? fail("the snapshot step gives no command");
    run(snapCommand.split(" "), copy, snapCommand);

    // Then what the guide promises: after `make fmt` lays the pasted code out, make test passes (it
    // checks the layout too), and the help shows the command. The copy's node_modules is the real one,
    // so make must not try to reinstall it (-o: take it as up to date).
    const lastStep = stepMentioning(steps, /`make fmt`/, "to lay the new code out with `make fmt`");
    if (!/`make test`/.test(lastStep)) fail("the step that runs `make fmt` does not then run `make test`");
    run(["make", "-o", "node_modules/.installed", "fmt"], copy, "make fmt in the copy");
    run(["make", "-o", "node_modules/.installed", "test"], copy, "make test in the copy");
    const help = run([join(copy, "node_modules/.bin/bun"), "src/main.ts", ...words.split(" "), "--help"], copy, `ccsso ${words} --help`);
    if (!help.includes(summary)) fail(`\`ccsso ${words} --help\` does not show the summary "${summary}":\n${help}`);
    const flags = [...definition.matchAll(/"(--[\w-]+)/g)].map((m) => m[1]!);
    for (const flag of flags) if (!help.includes(flag)) fail(`\`ccsso ${words} --help\` does not show ${flag}:\n${help}`);
    const topHelp = run([join(copy, "node_modules/.bin/bun"), "src/main.ts", "--help"], copy, "ccsso --help");
    if (!topHelp.includes(words)) fail(`\`ccsso --help\` does not list ${words}`);
    console.log(
      `reader-test: following CONTRIBUTING.md "How to add a command" added \`ccsso ${name === words ? words : words}\`: make test passes and its help shows "${summary}" and ${flags.join(", ")}`,
    );
  } finally {
    if (keep) console.log(`reader-test: the copy is in ${copy}`);
    else rmSync(copy, { recursive: true, force: true });
  }
}
