// Running the release's Windows binary under Wine (Debian's wine64 + mingw-w64; `make platform`).
//
// One Wine prefix per run, in a temp directory, initialised once (`wineboot -i`) with a persistent
// wineserver, so each ccsso.exe start costs about half a second instead of seconds. Three Windows programs
// are built here from source, never committed as binaries:
// - bcryptprimitives.dll (mingw): Wine 8 lacks ProcessPrng, which Bun's runtime imports at start-up;
// - hold.exe (mingw): a Windows process that keeps a file open, for the sharing-violation test;
// - browser.exe (bun --compile for Windows): the person at the browser, started by ccsso.exe via BROWSER.
// Wine gives every Windows process USERPROFILE=C:\users\<name> inside the prefix, so that directory is the
// Windows side's home (ccsso.exe ignores HOME there, as it should); tests clear its .aws between runs.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dir, "..", "..");
export const windowsExe = join(repoRoot, "dist", "ccsso-windows-x64.exe");
export const linuxExe = join(repoRoot, "dist", "ccsso");
const sources = join(import.meta.dir, "windows");

/** The Windows name of a Unix path (Wine maps / to Z:). */
export function winPath(unixPath: string): string {
  return `Z:${unixPath.replaceAll("/", "\\")}`;
}

export interface WineRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  stdin?: string;
  /** libfaketime's absolute time, e.g. "2026-01-02 03:04:05": Date.now() frozen there. */
  faketime?: string;
}

export interface Wine {
  prefix: string;
  /** The Windows processes' home (USERPROFILE) as a Unix path, and as Windows sees it. */
  home: string;
  winHome: string;
  /** Helper programs (Unix paths). */
  holdExe: string;
  browserExe: string;
  /** The environment every Wine process gets (plus the caller's). */
  baseEnv: Record<string, string>;
  /** argv and env that run `exe args…` under this prefix (faketime in front when asked). */
  command(exe: string, args: string[], opts?: RunOptions): { argv: string[]; env: Record<string, string> };
  run(exe: string, args: string[], opts?: RunOptions): Promise<WineRun>;
  spawn(exe: string, args: string[], opts?: RunOptions): ReturnType<typeof Bun.spawn>;
  /** Empty the Windows home's .aws (each test starts with none). */
  resetHome(): void;
  close(): void;
}

function must(argv: string[], env: Record<string, string>, what: string): void {
  const r = Bun.spawnSync(argv, { env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${what} failed (${r.exitCode}): ${r.stderr.toString().slice(0, 2000)}`);
}

export async function startWine(): Promise<Wine> {
  for (const tool of ["wine", "wineboot", "wineserver", "x86_64-w64-mingw32-gcc", "faketime"]) {
    if (!Bun.which(tool)) throw new Error(`${tool} is missing: apt-get install wine wine64 mingw-w64 faketime (.ci/run installs them)`);
  }
  const work = mkdtempSync(join(tmpdir(), "ccsso-wine-"));
  const prefix = join(work, "prefix");
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    WINEPREFIX: prefix,
    WINEDEBUG: "-all",
    // No Mono or Gecko installer dialogs during wineboot; nothing here needs .NET or an HTML engine.
    WINEDLLOVERRIDES: "mscoree,mshtml=",
    TZ: "UTC",
    LANG: "C.UTF-8",
  };
  must(["wineboot", "-i"], baseEnv, "wineboot -i");
  // Keep one wineserver for the whole run: a fresh one per process would double every start.
  // (Its output is ignored: the server it forks keeps inherited pipes open, so reading them never ends.)
  const server = Bun.spawnSync(["wineserver", "-p"], { env: baseEnv, stdout: "ignore", stderr: "ignore" });
  if (server.exitCode !== 0) throw new Error(`wineserver -p failed (${server.exitCode})`);

  const system32 = join(prefix, "drive_c", "windows", "system32");
  must(
    [
      "x86_64-w64-mingw32-gcc",
      "-O2",
      "-shared",
      "-o",
      join(system32, "bcryptprimitives.dll"),
      join(sources, "bcryptprimitives.c"),
      "-ladvapi32",
    ],
    baseEnv,
    "building bcryptprimitives.dll",
  );
  const holdExe = join(work, "hold.exe");
  must(["x86_64-w64-mingw32-gcc", "-O2", "-municode", "-o", holdExe, join(sources, "hold.c")], baseEnv, "building hold.exe");
  const browserExe = join(work, "browser.exe");
  must(
    [process.execPath, "build", "--compile", "--target=bun-windows-x64", join(sources, "browser.ts"), "--outfile", browserExe],
    { ...baseEnv, HOME: work },
    "building browser.exe",
  );

  // The first Windows program in a fresh prefix starts Wine's services (explorer, plugplay, winedevice),
  // which inherit its stdout and stderr and outlive it: start them here, with nothing to inherit, so no
  // test's pipes are held open by them.
  Bun.spawnSync(["wine", "cmd", "/c", "exit"], { env: baseEnv, stdin: "ignore", stdout: "ignore", stderr: "ignore" });
  // wineboot made the profile directory under the name Wine chose for this user (not always os.userInfo's).
  const user = readdirSync(join(prefix, "drive_c", "users")).find((d) => d !== "Public");
  if (!user) throw new Error(`wineboot made no user profile in ${prefix}`);
  const home = join(prefix, "drive_c", "users", user);
  const winHome = `C:\\users\\${user}`;

  const command = (exe: string, args: string[], opts: RunOptions = {}) => {
    const env = { ...baseEnv, ...opts.env };
    const argv = ["wine", exe, ...args];
    if (opts.faketime === undefined) return { argv, env };
    // Without DONT_FAKE_MONOTONIC Wine's start-up waits forever on a clock that never moves.
    return { argv: ["faketime", "-f", opts.faketime, ...argv], env: { ...env, FAKETIME_DONT_FAKE_MONOTONIC: "1" } };
  };
  const spawn = (exe: string, args: string[], opts: RunOptions = {}) => {
    const c = command(exe, args, opts);
    return Bun.spawn(c.argv, {
      env: c.env,
      stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
      stdout: "pipe",
      stderr: "pipe",
    });
  };
  return {
    prefix,
    home,
    winHome,
    holdExe,
    browserExe,
    baseEnv,
    command,
    spawn,
    async run(exe, args, opts) {
      const p = spawn(exe, args, opts);
      const timer = setTimeout(() => p.kill("SIGKILL"), 90_000);
      const [stdout, stderr, code] = await Promise.all([
        new Response(p.stdout as ReadableStream).text(),
        new Response(p.stderr as ReadableStream).text(),
        p.exited,
      ]);
      clearTimeout(timer);
      return { code, stdout, stderr };
    },
    resetHome() {
      rmSync(join(home, ".aws"), { recursive: true, force: true });
      rmSync(join(home, ".config"), { recursive: true, force: true });
      mkdirSync(join(home, ".aws"), { recursive: true });
    },
    close() {
      Bun.spawnSync(["wineserver", "-k"], { env: baseEnv });
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Run this machine's Linux binary the same way (faketime too), for byte-for-byte comparisons. */
export async function runLinux(args: string[], opts: RunOptions & { env: Record<string, string> }): Promise<WineRun> {
  const argv = opts.faketime === undefined ? [linuxExe, ...args] : ["faketime", "-f", opts.faketime, linuxExe, ...args];
  const p = Bun.spawn(argv, {
    env: opts.faketime === undefined ? opts.env : { ...opts.env, FAKETIME_DONT_FAKE_MONOTONIC: "1" },
    stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}
