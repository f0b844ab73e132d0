// Run ccsso as a user would: the compiled binary when it exists (e2e), else `bun src/main.ts`.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dir, "..", "..");
export const compiledBinary = join(repoRoot, "dist", "ccsso");

/** argv prefix that runs ccsso: the compiled binary if CCSSO_BIN or dist/ccsso exists, else bun + source. */
export function ccssoCommand(opts: { compiled?: boolean } = {}): string[] {
  const explicit = process.env.CCSSO_BIN;
  if (explicit) return [explicit];
  if (opts.compiled) {
    if (!existsSync(compiledBinary)) throw new Error("dist/ccsso is missing: run `make build` first");
    return [compiledBinary];
  }
  return [process.execPath, join(repoRoot, "src", "main.ts")];
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCcsso(
  args: string[],
  opts: { env: Record<string, string>; stdin?: string; compiled?: boolean; cwd?: string; timeoutMs?: number },
): Promise<RunResult> {
  const proc = Bun.spawn([...ccssoCommand(opts), ...args], {
    env: opts.env,
    cwd: opts.cwd,
    stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/**
 * Whether dist/ holds a `make dist` output built from the same source as dist/ccsso (the binary the
 * end-to-end tests run, which `make e2e` rebuilds whenever a source changes). Tests of the release
 * output run only then, so a leftover from an older `make dist` is never judged (nor trusted): CI
 * runs `make dist` first, so there they always run.
 */
export function currentReleaseOutput(): boolean {
  const native = join(repoRoot, "dist", `ccsso-linux-${process.arch}`);
  if (!existsSync(join(repoRoot, "dist", "SHA256SUMS")) || !existsSync(native) || !existsSync(compiledBinary)) return false;
  const stamp = (bin: string) => /\(commit ([^,]+),/.exec(Bun.spawnSync([bin, "--version"]).stdout.toString())?.[1];
  const release = stamp(native);
  const current = release !== undefined && release === stamp(compiledBinary);
  if (!current)
    console.warn(
      `dist/ holds a make dist output from commit ${release ?? "?"}, not this build's: its release-output tests are skipped (run make dist)`,
    );
  return current;
}
