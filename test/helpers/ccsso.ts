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
