// Opening the sign-in page (docs/protocols.md §1.7): $BROWSER with the URL as its argument, else the
// platform opener. Never through a shell, never waited for: a browser that stays open must not keep
// `ccsso sso login` from finishing.
import { shlexSplit } from "../core/shlex";
import type { Context } from "./context";
import { debugLog } from "./debug-log";

/** What browserCommand may look at on this machine; tests pass fakes. */
export interface BrowserProbe {
  /** Whether `path` is an existing file (a BROWSER that is one path is one word, spaces and all). */
  exists(path: string): boolean;
  /** Whether `command` is found on PATH. */
  onPath(command: string): boolean;
}

const realProbe = (env: Context["env"]): BrowserProbe => ({
  exists: (path) => {
    try {
      return (require("node:fs") as typeof import("node:fs")).statSync(path).isFile();
    } catch {
      return false;
    }
  },
  onPath: (command) => Bun.which(command, { PATH: env.PATH ?? "" }) !== null,
});

/** Windows Subsystem for Linux: Linux, but the browser is a Windows program. */
export function isWsl(env: Context["env"], platform: string = process.platform): boolean {
  return platform === "linux" && Boolean(env.WSL_DISTRO_NAME || env.WSL_INTEROP);
}

/**
 * Words of a Windows command line as programs split them (CommandLineToArgvW): whitespace separates,
 * "…" groups, a backslash is an ordinary character except before a quote. POSIX splitting would eat the
 * backslashes of `C:\Program Files\…`.
 */
export function splitWindowsCommandLine(s: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\") {
      let n = 0;
      while (s[i + n] === "\\") n++;
      if (s[i + n] === '"') {
        // 2k backslashes + quote: k backslashes, then the quote toggles; 2k+1: k backslashes and a literal quote.
        word = (word ?? "") + "\\".repeat(Math.floor(n / 2)) + (n % 2 === 1 ? '"' : "");
        if (n % 2 === 0) quoted = !quoted;
      } else {
        word = (word ?? "") + "\\".repeat(n);
      }
      i += n - (s[i + n] === '"' ? 0 : 1);
    } else if (c === '"') {
      quoted = !quoted;
      word ??= "";
    } else if (!quoted && (c === " " || c === "\t")) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * The URL as WHATWG URL serialises it: spaces and double quotes percent-encoded (the same URL to the
 * browser), so the Windows command line built from the argv needs no quotes that rundll32 would pass on.
 */
function safeUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

/** The argv that opens `url`, or undefined when this platform has no opener we know. */
/** `wsl`: the sign-in already knows (src/core/sign-in-place.ts also reads the kernel release, which `sudo` keeps). */
export function browserCommand(
  url: string,
  env: Context["env"],
  platform: string = process.platform,
  probe: BrowserProbe = realProbe(env),
  wsl: boolean = isWsl(env, platform),
): string[] | undefined {
  const configured = env.BROWSER?.trim();
  if (configured) {
    // A BROWSER that names an existing file is that program, whatever spaces or backslashes it holds
    // (`C:\Program Files\Mozilla Firefox\firefox.exe`, `/Applications/My Browser.app/…`).
    if (probe.exists(configured)) return [configured, url];
    // Python's webbrowser lets BROWSER hold several commands separated by os.pathsep (':', ';' on
    // Windows); the first is what runs. A `%s` is replaced by the URL; otherwise the URL is appended.
    const first = configured.split(platform === "win32" ? ";" : ":")[0]!.trim();
    let words: string[];
    if (platform === "win32") {
      words = splitWindowsCommandLine(first);
    } else {
      try {
        words = shlexSplit(first);
      } catch {
        words = [first];
      }
    }
    if (words.length === 0) return undefined;
    return words.some((w) => w.includes("%s")) ? words.map((w) => w.replaceAll("%s", url)) : [...words, url];
  }
  if (platform === "darwin") return ["open", url];
  // Not cmd's `start`: cmd re-parses the command line, so the `&` of a query string would end the
  // command and a `%…%` pair could expand a variable. rundll32 hands the URL to the shell's URL handler
  // verbatim; no shell is involved.
  if (platform === "win32") return ["rundll32", "url.dll,FileProtocolHandler", safeUrl(url)];
  if (wsl) {
    // WSL: the browser is on the Windows side. wslview (wslu) exists for this; without it, Windows'
    // rundll32.exe through WSL interop — again never through cmd.exe.
    if (probe.onPath("wslview")) return ["wslview", url];
    return ["rundll32.exe", "url.dll,FileProtocolHandler", safeUrl(url)];
  }
  return ["xdg-open", url];
}

/** Start the browser on `url`; false (with a debug note) when it could not be started. */
export function openBrowser(ctx: Context, url: string, place: { wsl?: boolean } = {}): boolean {
  const argv = browserCommand(url, ctx.env, process.platform, realProbe(ctx.env), place.wsl || isWsl(ctx.env));
  if (!argv) return false;
  try {
    const proc = Bun.spawn(argv, { env: ctx.env as Record<string, string>, stdin: "ignore", stdout: "ignore", stderr: "ignore" });
    proc.unref();
    void proc.exited.then((code) => {
      if (code !== 0) debugLog(ctx, `browser command ${argv[0]} exited with status ${code}`);
    });
    return true;
  } catch (e) {
    debugLog(ctx, `could not start the browser command ${argv[0]}: ${(e as Error).message}`);
    return false;
  }
}

/**
 * Why no browser can be opened here for a page that is not a sign-in (the console), or undefined when
 * one can: over SSH it would open on the remote machine, and Linux without a display has none. An
 * explicit $BROWSER says the user has arranged one. Sign-in decides with src/core/sign-in-place.ts.
 */
export function noBrowserReason(env: Context["env"], platform: string = process.platform): string | undefined {
  if (env.BROWSER?.trim()) return undefined;
  if (env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT) return "this is an SSH session";
  // WSL needs no X display: the Windows browser is reached through interop.
  if (platform !== "darwin" && platform !== "win32" && !isWsl(env, platform) && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    return "there is no graphical display (DISPLAY/WAYLAND_DISPLAY unset)";
  return undefined;
}
