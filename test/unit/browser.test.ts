import { describe, expect, it } from "bun:test";
import { browserCommand, noBrowserReason } from "../../src/platform/browser";

const url = "https://oidc.example/authorize?a=1&b=2";

describe("opening the browser", () => {
  it("runs $BROWSER with the URL as its last argument, without a shell", () => {
    expect(browserCommand(url, { BROWSER: "/usr/local/bin/open-it --new-tab" }, "linux")).toEqual(["/usr/local/bin/open-it", "--new-tab", url]);
  });
  it("puts the URL where $BROWSER says %s", () => {
    expect(browserCommand(url, { BROWSER: "firefox -url %s -new" }, "linux")).toEqual(["firefox", "-url", url, "-new"]);
  });
  it("uses the first of several $BROWSER commands", () => {
    expect(browserCommand(url, { BROWSER: "w3m:lynx" }, "linux")).toEqual(["w3m", url]);
  });
  it.each([
    ["darwin", ["open", url]],
    ["linux", ["xdg-open", url]],
    ["win32", ["rundll32", "url.dll,FileProtocolHandler", url]],
  ])("uses the platform opener on %s", (platform, argv) => {
    expect(browserCommand(url, {}, platform)).toEqual(argv);
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
