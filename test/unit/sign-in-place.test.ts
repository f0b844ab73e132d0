// Which sign-in flow runs where, with the machine's facts injected: every place the flow depends on,
// and the one line each prints.
import { describe, expect, it } from "bun:test";
import { canOpenBrowserHere, decideFlow, sshForwardCommand, type FlowChoice, type PlaceFacts } from "../../src/core/sign-in-place";

const desktop = { DISPLAY: ":0" };
const facts = (env: Record<string, string>, more: Partial<PlaceFacts> = {}): PlaceFacts => ({
  env,
  platform: "linux",
  dockerEnvFile: false,
  ...more,
});
const session: FlowChoice = { legacy: false };

describe("choosing the sign-in flow from where ccsso runs", () => {
  it.each<[string, PlaceFacts, "pkce" | "device" | "refuse", string | undefined]>([
    ["a Linux desktop", facts(desktop), "pkce", undefined],
    ["macOS without DISPLAY", facts({}, { platform: "darwin" }), "pkce", undefined],
    ["Windows", facts({}, { platform: "win32" }), "pkce", undefined],
    [
      "SSH (SSH_CONNECTION)",
      facts({ ...desktop, SSH_CONNECTION: "10.0.0.2 50000 10.0.0.5 22" }),
      "device",
      "using the device-code flow because this is an SSH session (SSH_CONNECTION); to use your workstation's browser instead, see --redirect-port",
    ],
    [
      "SSH (SSH_TTY only)",
      facts({ SSH_TTY: "/dev/pts/3" }, { platform: "darwin" }),
      "device",
      "using the device-code flow because this is an SSH session (SSH_TTY); to use your workstation's browser instead, see --redirect-port",
    ],
    [
      "Linux without a display",
      facts({}),
      "device",
      "using the device-code flow because there is no graphical display (DISPLAY/WAYLAND_DISPLAY unset)",
    ],
    ["Wayland", facts({ WAYLAND_DISPLAY: "wayland-0" }), "pkce", undefined],
    [
      "WSL by its variables, no X display",
      facts({ WSL_DISTRO_NAME: "Ubuntu" }),
      "pkce",
      "this is WSL: opening the Windows browser, which comes back to this listener through localhost",
    ],
    [
      "WSL by the kernel release alone (under sudo)",
      facts({}, { kernelRelease: "5.15.153.1-microsoft-standard-WSL2" }),
      "pkce",
      "this is WSL: opening the Windows browser, which comes back to this listener through localhost",
    ],
    ["a Microsoft kernel on macOS is not WSL", facts({}, { platform: "darwin", kernelRelease: "microsoft" }), "pkce", undefined],
    [
      "SSH into a WSL machine",
      facts({ WSL_DISTRO_NAME: "Ubuntu", SSH_CONNECTION: "a b c d" }),
      "device",
      "using the device-code flow because this is an SSH session (SSH_CONNECTION); to use your workstation's browser instead, see --redirect-port",
    ],
    [
      "a Docker container with a DISPLAY",
      facts(desktop, { dockerEnvFile: true }),
      "device",
      "using the device-code flow because this is a container (/.dockerenv) and the browser is outside it",
    ],
    [
      "a VS Code dev container, even with its BROWSER helper",
      facts({ REMOTE_CONTAINERS: "true", BROWSER: "/vscode/helpers/browser.sh" }),
      "device",
      "using the device-code flow because this is a dev container (REMOTE_CONTAINERS) and the browser is outside it",
    ],
    [
      "a codespace",
      facts({ CODESPACES: "true", ...desktop }),
      "device",
      "using the device-code flow because this is a codespace (CODESPACES) and the browser is outside it",
    ],
    ["an explicit BROWSER over SSH", facts({ BROWSER: "w3m", SSH_TTY: "/dev/pts/1" }), "pkce", undefined],
    ["an explicit BROWSER without a display", facts({ BROWSER: "curl -fsS" }), "pkce", undefined],
    [
      "an empty BROWSER counts as unset",
      facts({ BROWSER: " " }),
      "device",
      "using the device-code flow because there is no graphical display (DISPLAY/WAYLAND_DISPLAY unset)",
    ],
    ["CI=false is not CI", facts({ ...desktop, CI: "false" }), "pkce", undefined],
    [
      "a CI job",
      facts({ ...desktop, CI: "true" }),
      "refuse",
      "not signing in: this is a CI job (CI=true) and nobody is there to approve a sign-in",
    ],
    [
      "a CI job even with BROWSER set",
      facts({ BROWSER: "firefox", CI: "1" }),
      "refuse",
      "not signing in: this is a CI job (CI=1) and nobody is there to approve a sign-in",
    ],
  ])("%s", (_name, f, flow, reason) => {
    const d = decideFlow(f, session);
    expect(d.flow).toBe(flow);
    expect(d.reason).toBe(reason);
  });
});

describe("the person's choices", () => {
  const ssh = facts({ SSH_CONNECTION: "10.0.0.2 50000 10.0.0.5 22" });
  it("--use-device-code wins everywhere, even in CI (someone is watching the job's log)", () => {
    const d = decideFlow(facts(desktop), { ...session, deviceCode: true });
    expect(d.flow).toBe("device");
    expect(d.reason).toBeUndefined();
    expect(decideFlow(facts({ CI: "true" }), { ...session, deviceCode: true }).flow).toBe("device");
  });
  it("--use-browser wins over SSH, containers and a remembered device code", () => {
    const remembered = { session: "corp", settingsPath: "/h/.config/ccsso/config.toml" };
    const d = decideFlow(ssh, { ...session, useBrowser: true, remembered });
    expect(d.flow).toBe("pkce");
    expect(d.reason).toBeUndefined();
    expect(decideFlow(facts({ REMOTE_CONTAINERS: "true" }), { ...session, useBrowser: true }).flow).toBe("pkce");
  });
  it("a remembered device code says so, where, and how to change it", () => {
    const d = decideFlow(facts(desktop), { ...session, remembered: { session: "corp", settingsPath: "/h/.config/ccsso/config.toml" } });
    expect(d).toMatchObject({ flow: "device", browserHere: true });
    expect(d.reason).toBe(
      "using the device-code flow, remembered for sso-session corp since you chose --use-device-code (in /h/.config/ccsso/config.toml); --use-browser switches back and forgets it",
    );
  });
  it("a redirect port chooses the browser flow over SSH and says why", () => {
    const d = decideFlow(ssh, { ...session, redirectPort: 8400 });
    expect(d).toMatchObject({ flow: "pkce", ssh: true, browserHere: false });
    expect(d.reason).toStartWith("using the browser flow through port 8400: this is an SSH session");
  });
  it("legacy profiles keep the device code", () => {
    expect(decideFlow(facts(desktop), { legacy: true })).toMatchObject({ flow: "device", browserHere: true });
  });
});

describe("whether a browser opened here reaches the person", () => {
  it.each<[string, PlaceFacts, boolean]>([
    ["desktop", facts(desktop), true],
    ["SSH", facts({ ...desktop, SSH_CLIENT: "1 2 3" }), false],
    ["SSH with BROWSER", facts({ SSH_CLIENT: "1 2 3", BROWSER: "w3m" }), true],
    ["no display", facts({}), false],
    ["WSL", facts({ WSL_INTEROP: "/run/WSL/1_interop" }), true],
    [
      "dev container with VS Code's BROWSER helper (the device page opens on the host)",
      facts({ REMOTE_CONTAINERS: "true", BROWSER: "/x/browser.sh" }),
      true,
    ],
    ["container with a DISPLAY", facts(desktop, { dockerEnvFile: true }), false],
  ])("%s", (_n, f, expected) => expect(canOpenBrowserHere(f)).toBe(expected));
});

describe("the ssh -L line", () => {
  it("names the user and the address this SSH session came in on", () => {
    expect(sshForwardCommand({ SSH_CONNECTION: "10.0.0.2 50000 10.0.0.5 22", USER: "alice" }, 8400)).toBe(
      "ssh -N -L 8400:127.0.0.1:8400 alice@10.0.0.5",
    );
  });
  it("quotes what the shell would read otherwise, and says THIS-HOST when the address is unknown", () => {
    expect(sshForwardCommand({ SSH_TTY: "/dev/pts/1", USER: "a b" }, 9000)).toBe("ssh -N -L 9000:127.0.0.1:9000 THIS-HOST");
    expect(sshForwardCommand({ SSH_CONNECTION: "::1 5 fe80::1 22", USER: "o'neil" }, 9000)).toBe(
      "ssh -N -L 9000:127.0.0.1:9000 'o'\\''neil@fe80::1'",
    );
  });
});
