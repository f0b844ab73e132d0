// Where this program lives, for writing it into git config (setup-git) and into a child git's environment
// (the remote helper). git runs helpers through the shell; src/core/shell-quote.ts quotes the command.
import { accessSync, constants, existsSync, realpathSync } from "node:fs";
import { basename, delimiter, isAbsolute, join, posix, win32 } from "node:path";
import type { Env } from "./context";
import { executableFileName, HELPER_PROGRAMS, programName } from "./program-name";

/** True when running as the compiled single binary rather than `bun src/main.ts`. */
export function isCompiledBinary(): boolean {
  return !/^bun(\.exe)?$/i.test(basename(process.execPath));
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * The stable, PATH-visible path of the ccsso executable: a PATH entry named `ccsso` that resolves to this
 * very file (so a Homebrew-style `bin/ccsso -> ../Cellar/ccsso/1.2/bin/ccsso` link survives upgrades),
 * else the real file itself.
 */
export function stableExecutablePath(env: Env): string {
  const real = realpathOrSelf(process.execPath);
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    for (const name of ["ccsso", "ccsso.exe"]) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
      } catch {
        continue;
      }
      if (realpathOrSelf(candidate) === real) return candidate;
    }
  }
  return process.execPath;
}

/** argv that runs ccsso again: the binary, or bun + the entry script during development. */
export function selfArgv(env: Env, opts: { stable?: boolean } = {}): string[] {
  // During development (bun src/main.ts, bun test) the entry script sits next to this directory.
  if (!isCompiledBinary()) return [process.execPath, join(import.meta.dir, "..", "main.ts")];
  return [opts.stable ? stableExecutablePath(env) : cliExecutable(process.execPath)];
}

/**
 * The path that runs ccsso's commands, given the path this process runs from. On Windows git starts the
 * copy `git-remote-codecommit.exe`, which answers to its own name: `…\git-remote-codecommit.exe
 * credential-helper get` would be the remote helper with the wrong arguments. The `ccsso.exe` beside it
 * (setup-git and the installer keep them in step) is the one to name.
 */
export function cliExecutable(
  execPath: string,
  platform: NodeJS.Platform = process.platform,
  exists: (p: string) => boolean = existsSync,
): string {
  if (!(HELPER_PROGRAMS as readonly string[]).includes(programName(execPath, platform))) return execPath;
  const path = platform === "win32" ? win32 : posix;
  const sibling = path.join(path.dirname(execPath), executableFileName("ccsso", platform));
  return exists(sibling) ? sibling : execPath;
}
