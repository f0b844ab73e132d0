// Opening the sign-in page (docs/protocols.md §1.7): $BROWSER with the URL as its argument, else the
// platform opener. Never through a shell, never waited for: a browser that stays open must not keep
// `ccsso sso login` from finishing.
import { shlexSplit } from "../core/shlex";
import type { Context } from "./context";
import { debugLog } from "./debug-log";

/** The argv that opens `url`, or undefined when this platform has no opener we know. */
export function browserCommand(url: string, env: Context["env"], platform: string = process.platform): string[] | undefined {
  const configured = env.BROWSER?.trim();
  if (configured) {
    // Python's webbrowser lets BROWSER hold several commands separated by ':'; the first is what runs.
    // A `%s` is replaced by the URL; otherwise the URL is appended as the last argument.
    const first = configured.split(platform === "win32" ? ";" : ":")[0]!;
    let words: string[];
    try {
      words = shlexSplit(first);
    } catch {
      words = [first];
    }
    if (words.length === 0) return undefined;
    return words.some((w) => w.includes("%s")) ? words.map((w) => w.replaceAll("%s", url)) : [...words, url];
  }
  if (platform === "darwin") return ["open", url];
  // `start` is a cmd.exe builtin that would re-parse the `&`s of the URL; rundll32 takes it verbatim.
  if (platform === "win32") return ["rundll32", "url.dll,FileProtocolHandler", url];
  return ["xdg-open", url];
}

/** Start the browser on `url`; false (with a debug note) when it could not be started. */
export function openBrowser(ctx: Context, url: string): boolean {
  const argv = browserCommand(url, ctx.env);
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
 * Why the browser-based flow cannot work here, or undefined when it can: over SSH the loopback
 * callback would land on the remote machine, and Linux without a display has no browser. An explicit
 * $BROWSER (a terminal browser, a script) says the user has arranged one.
 */
export function noBrowserReason(env: Context["env"], platform: string = process.platform): string | undefined {
  if (env.BROWSER?.trim()) return undefined;
  if (env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT) return "this is an SSH session";
  if (platform !== "darwin" && platform !== "win32" && !env.DISPLAY && !env.WAYLAND_DISPLAY) return "there is no graphical display (DISPLAY/WAYLAND_DISPLAY unset)";
  return undefined;
}
