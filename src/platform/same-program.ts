// Is the file at one path the same program as another? For the helper names next to ccsso: a symlink or
// hard link is the same file; a Windows copy is the same program when its bytes are. A copy whose bytes
// differ but which answers `--version` as ccsso is a stale copy from an earlier version (refresh it); any
// other file is someone else's program (leave it alone).
import { createHash } from "node:crypto";
import { readFileSync, realpathSync, statSync } from "node:fs";
import type { Env } from "./context";

export type ProgramMatch = "same" | { staleCcsso: string } | "other";

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Same file (realpath or file identity), or the same bytes. Never throws: unreadable means "no". */
export function sameProgram(a: string, b: string): boolean {
  try {
    if (realpathSync(a) === realpathSync(b)) return true;
    const sa = statSync(a);
    const sb = statSync(b);
    if (sa.ino !== 0 && sa.dev === sb.dev && sa.ino === sb.ino) return true;
    // Sizes first: comparing the bytes of a 100 MB binary is only worth it when they could be equal.
    return sa.size === sb.size && sha256(a) === sha256(b);
  } catch {
    return false;
  }
}

// 5 s: a program's --version answers at once; a hung one is not ours.
const VERSION_TIMEOUT_MS = 5_000;

/** `ccsso X (…)` when `path --version` answers as ccsso (a helper-named copy does: src/main.ts), else undefined. */
export function ccssoVersionOf(path: string, env: Env): string | undefined {
  try {
    const r = Bun.spawnSync([path, "--version"], {
      env: env as Record<string, string>,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "ignore",
      timeout: VERSION_TIMEOUT_MS,
    });
    const first = r.stdout.toString().split("\n")[0] ?? "";
    return r.exitCode === 0 && /^ccsso \S+/.test(first) ? first : undefined;
  } catch {
    return undefined;
  }
}

/** How the program at `candidate` relates to this ccsso at `self`. */
export function matchProgram(candidate: string, self: string, env: Env): ProgramMatch {
  if (sameProgram(candidate, self)) return "same";
  const v = ccssoVersionOf(candidate, env);
  return v ? { staleCcsso: v } : "other";
}
