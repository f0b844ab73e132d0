// The git subprocess edge: `git config` for setup-git and doctor, `git remote-https` for the remote helper.
// Every call gets the caller's environment (tests pass a sandbox; nothing here reads process.env).
import { CcssoError } from "../core/errors";
import type { Env } from "./context";

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type GitConfigScope = "global" | "system" | "local";

export function runGit(args: string[], opts: { env: Env; cwd?: string; input?: string; timeoutMs?: number }): GitResult {
  let r;
  try {
    r = Bun.spawnSync(["git", ...args], {
      env: opts.env as Record<string, string>,
      cwd: opts.cwd,
      stdin: opts.input === undefined ? "ignore" : new TextEncoder().encode(opts.input),
      stdout: "pipe",
      stderr: "pipe",
      timeout: opts.timeoutMs,
    });
  } catch (e) {
    throw new CcssoError(`git could not be run: ${(e as Error).message}`, "install git 2.31 or newer and put it on PATH");
  }
  return { code: r.exitCode ?? 1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** `git config --<scope> ARGS`; exit 1 from --get/--unset ("not found") is an answer, other failures are errors. */
export function gitConfig(scope: GitConfigScope, args: string[], opts: { env: Env; cwd?: string }): GitResult {
  const r = runGit(["config", `--${scope}`, ...args], opts);
  if (r.code !== 0 && r.code !== 1 && r.code !== 5) {
    const why =
      r.stderr
        .trim()
        .split("\n")[0]
        ?.replace(/^(fatal|error): /, "") || `exit status ${r.code}`;
    throw new CcssoError(
      `git config --${scope} failed: ${why}`,
      scope === "local" ? "run it inside a git repository, or use --global" : undefined,
    );
  }
  return r;
}

/** Every value of a (possibly multi-valued) key in one scope, in file order. */
export function gitConfigGetAll(scope: GitConfigScope, key: string, opts: { env: Env; cwd?: string }): string[] {
  const r = gitConfig(scope, ["--null", "--get-all", key], opts);
  if (r.code !== 0) return [];
  return r.stdout.split("\0").slice(0, -1);
}

/** `major.minor` of the git on PATH, or undefined when it cannot be run. */
export function gitVersion(opts: { env: Env }): [number, number] | undefined {
  try {
    const m = /git version (\d+)\.(\d+)/.exec(runGit(["--version"], opts).stdout);
    return m ? [Number(m[1]), Number(m[2])] : undefined;
  } catch {
    return undefined;
  }
}
