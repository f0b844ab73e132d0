import { describe, expect, it } from "bun:test";
import { browserCommand, noBrowserReason, splitWindowsCommandLine, type BrowserProbe } from "../../src/platform/browser";

const url = "https://oidc.example/authorize?a=1&b=2";
/** A machine with these files and these commands on PATH. */
const probe = (files: string[] = [], commands: string[] = []): BrowserProbe => ({
  exists: (p) => files.includes(p),
  onPath: (c) => commands.includes(c),
});

describe("opening the browser", () => {
  it("runs $BROWSER with the URL as its last argument, without a shell", () => {
    expect(browserCommand(url, { BROWSER: "/usr/local/bin/open-it --new-tab" }, "linux", probe())).toEqual([
      "/usr/local/bin/open-it",
      "--new-tab",
      url,
    ]);
  });
  it("puts the URL where $BROWSER says %s", () => {
    expect(browserCommand(url, { BROWSER: "firefox -url %s -new" }, "linux", probe())).toEqual(["firefox", "-url", url, "-new"]);
  });
  it("uses the first of several $BROWSER commands", () => {
    expect(browserCommand(url, { BROWSER: "w3m:lynx" }, "linux", probe())).toEqual(["w3m", url]);
  });
  it.each([
    ["darwin", ["open", url]],
    ["linux", ["xdg-open", url]],
    ["win32", ["rundll32", "url.dll,FileProtocolHandler", url]],
  ])("uses the platform opener on %s", (platform, argv) => {
    expect(browserCommand(url, {}, platform, probe())).toEqual(argv);
  });
});

describe("opening the browser on Windows", () => {
  const firefox = "C:\\Program Files\\Mozilla Firefox\\firefox.exe";

  it("takes a BROWSER that is an existing path as one program, spaces and backslashes intact", () => {
    expect(browserCommand(url, { BROWSER: firefox }, "win32", probe([firefox]))).toEqual([firefox, url]);
  });

  it("splits a BROWSER with arguments as Windows programs split a command line, keeping backslashes", () => {
    expect(browserCommand(url, { BROWSER: `"${firefox}" -new-tab` }, "win32", probe())).toEqual([firefox, "-new-tab", url]);
    expect(browserCommand(url, { BROWSER: "C:\\tools\\open.exe --url %s" }, "win32", probe())).toEqual([
      "C:\\tools\\open.exe",
      "--url",
      url,
    ]);
  });

  it("uses the first of several ;-separated BROWSER commands (a : is part of a drive letter there)", () => {
    expect(browserCommand(url, { BROWSER: "C:\\a\\one.exe;C:\\b\\two.exe" }, "win32", probe())).toEqual(["C:\\a\\one.exe", url]);
  });

  it("opens through rundll32, never cmd's start, so & and %…% in the URL reach the browser unchanged", () => {
    const tricky = "https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH&x=%PATH%&y=a^b|c";
    const argv = browserCommand(tricky, {}, "win32", probe())!;
    expect(argv.slice(0, 2)).toEqual(["rundll32", "url.dll,FileProtocolHandler"]);
    expect(argv).not.toContain("cmd");
    expect(argv[2]).toContain("user_code=ABCD-EFGH&x=%PATH%&y=a^b|c");
  });

  it("percent-encodes the spaces and double quotes a command line would need quotes for", () => {
    expect(browserCommand('https://portal.example/a b?q="x"', {}, "win32", probe())).toEqual([
      "rundll32",
      "url.dll,FileProtocolHandler",
      "https://portal.example/a%20b?q=%22x%22",
    ]);
  });

  it.each([
    ['"C:\\Program Files\\X\\x.exe" -a', ["C:\\Program Files\\X\\x.exe", "-a"]],
    ["C:\\x\\y.exe", ["C:\\x\\y.exe"]],
    ['a\\\\"b c" d', ["a\\b c", "d"]],
    ['a\\"b', ['a"b']],
    ['"" x', ["", "x"]],
  ])("splits %s like CommandLineToArgvW", (line, words) => {
    expect(splitWindowsCommandLine(line)).toEqual(words);
  });
});

describe("opening the browser from WSL", () => {
  const wsl = { WSL_DISTRO_NAME: "Ubuntu", WSL_INTEROP: "/run/WSL/1_interop" };
  it("uses wslview when it is installed", () => {
    expect(browserCommand(url, wsl, "linux", probe([], ["wslview"]))).toEqual(["wslview", url]);
  });
  it("else Windows' rundll32.exe through interop, still without cmd.exe", () => {
    expect(browserCommand(url, wsl, "linux", probe())).toEqual(["rundll32.exe", "url.dll,FileProtocolHandler", url]);
  });
  it("uses wslview when WSL is known only from the kernel release (the variables lost under sudo)", () => {
    expect(browserCommand(url, {}, "linux", probe([], ["wslview"]), true)).toEqual(["wslview", url]);
  });
});

describe("opening the browser on macOS", () => {
  it("takes a BROWSER that is an existing path with spaces as one program", () => {
    const app = "/Applications/My Browser.app/Contents/MacOS/browser";
    expect(browserCommand(url, { BROWSER: app }, "darwin", probe([app]))).toEqual([app, url]);
  });
});

describe("deciding that no browser can be used", () => {
  it.each([
    ["an SSH session (SSH_CONNECTION)", { SSH_CONNECTION: "1.2.3.4 5 6.7.8.9 22", DISPLAY: ":0" }, "linux", "this is an SSH session"],
    ["an SSH session (SSH_TTY)", { SSH_TTY: "/dev/pts/1" }, "darwin", "this is an SSH session"],
    ["Linux without a display", {}, "linux", "there is no graphical display (DISPLAY/WAYLAND_DISPLAY unset)"],
  ])("falls back for %s", (_name, env, platform, reason) => {
    expect(noBrowserReason(env as Record<string, string>, platform)).toBe(reason);
  });
  it.each([
    ["Linux with X11", { DISPLAY: ":0" }, "linux"],
    ["Linux with Wayland", { WAYLAND_DISPLAY: "wayland-0" }, "linux"],
    ["macOS", {}, "darwin"],
    ["an explicit $BROWSER, even over SSH", { BROWSER: "w3m", SSH_TTY: "/dev/pts/1" }, "linux"],
  ])("keeps the browser flow on %s", (_name, env, platform) => {
    expect(noBrowserReason(env as Record<string, string>, platform)).toBeUndefined();
  });
});
