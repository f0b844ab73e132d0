// Where a sign-in happens decides how it can finish (docs/protocols.md §3.13): the browser flow needs a
// browser that can reach this machine's 127.0.0.1, the device-code flow only needs a person with any
// browser. This module turns facts about the machine (gathered in src/platform/place-facts.ts) and the
// person's choices into one decision and the one line that explains it. Pure: no environment, no files.
import { commandLine } from "./shell-quote";

/** What src/platform/place-facts.ts reads from the machine. */
export interface PlaceFacts {
  env: Record<string, string | undefined>;
  platform: string;
  /** /proc/sys/kernel/osrelease on Linux ("…-microsoft-standard-WSL2" under WSL). */
  kernelRelease?: string;
  /** Whether /.dockerenv exists (Docker puts it in every container). */
  dockerEnvFile: boolean;
}

export interface FlowChoice {
  /** --use-device-code. */
  deviceCode?: boolean;
  /** --use-browser. */
  useBrowser?: boolean;
  /** --redirect-port or [login] redirect_port: a browser elsewhere reaches the listener through a forward. */
  redirectPort?: number;
  /** A profile without an sso_session: the AWS CLI only has the device flow for those. */
  legacy: boolean;
  /** The sso-session remembers a by-hand --use-device-code ([sso_session.NAME] login_flow). */
  remembered?: { session: string; settingsPath: string };
}

/** `browserHere`: a browser can be opened on this machine (for the device flow's page too). */
export type FlowDecision =
  | { flow: "pkce" | "device"; reason?: string; ssh: boolean; browserHere: boolean }
  /** No one is there to approve: fail at once (exit 3) with `reason`. */
  | { flow: "refuse"; reason: string; ssh: boolean; browserHere: false };

/** Whether opening a browser on this machine shows it to the person. */
export function canOpenBrowserHere(facts: PlaceFacts): boolean {
  const env = facts.env;
  if (isSet(env.BROWSER)) return true;
  if (isSshSession(env) || isTrue(env.CI)) return false;
  if (facts.platform === "darwin" || facts.platform === "win32" || isWslPlace(facts)) return true;
  return (
    (isSet(env.DISPLAY) || isSet(env.WAYLAND_DISPLAY)) && !facts.dockerEnvFile && !isTrue(env.REMOTE_CONTAINERS) && !isTrue(env.CODESPACES)
  );
}

const isSet = (v: string | undefined) => v !== undefined && v.trim() !== "";
const isTrue = (v: string | undefined) => isSet(v) && !/^(0|false|no|off)$/i.test(v!.trim());

export function isSshSession(env: PlaceFacts["env"]): boolean {
  return isSet(env.SSH_CONNECTION) || isSet(env.SSH_TTY) || isSet(env.SSH_CLIENT);
}

/** WSL 1 and 2: the distribution variables, or a kernel release naming Microsoft (lost under `sudo`/`env -i`). */
export function isWslPlace(facts: PlaceFacts): boolean {
  if (facts.platform !== "linux") return false;
  return isSet(facts.env.WSL_DISTRO_NAME) || isSet(facts.env.WSL_INTEROP) || /microsoft/i.test(facts.kernelRelease ?? "");
}

/** Which flow, and the one line saying why when it is not simply the browser on this desktop. */
export function decideFlow(facts: PlaceFacts, choice: FlowChoice): FlowDecision {
  const d = decide(facts, choice);
  return d.flow === "refuse" ? { ...d, browserHere: false } : { ...d, browserHere: canOpenBrowserHere(facts) };
}

function decide(
  facts: PlaceFacts,
  choice: FlowChoice,
): { flow: "pkce" | "device"; reason?: string; ssh: boolean } | { flow: "refuse"; reason: string; ssh: boolean } {
  const env = facts.env;
  const ssh = isSshSession(env);
  // A CI job has nobody to open a browser or type a code; waiting 10 minutes for one helps no one.
  // A --use-device-code typed into the job is a person saying they watch its log.
  if (isTrue(env.CI) && !choice.deviceCode) {
    return {
      flow: "refuse",
      ssh,
      reason: `not signing in: this is a CI job (CI=${env.CI!.trim()}) and nobody is there to approve a sign-in`,
    };
  }
  if (choice.deviceCode) return { flow: "device", ssh };
  if (choice.redirectPort !== undefined) {
    return ssh
      ? {
          flow: "pkce",
          ssh,
          reason: `using the browser flow through port ${choice.redirectPort}: this is an SSH session, so your workstation's browser reaches this host's listener through an ssh -L forward`,
        }
      : { flow: "pkce", ssh };
  }
  if (choice.useBrowser) return { flow: "pkce", ssh };
  if (choice.legacy)
    return { flow: "device", ssh, reason: "profiles without an sso_session always sign in with a device code (as the AWS CLI does)" };
  if (choice.remembered) {
    return {
      flow: "device",
      ssh,
      reason: `using the device-code flow, remembered for sso-session ${choice.remembered.session} since you chose --use-device-code (in ${choice.remembered.settingsPath}); --use-browser switches back and forgets it`,
    };
  }
  const device = (why: string) => ({ flow: "device" as const, ssh, reason: `using the device-code flow because ${why}` });
  // VS Code dev containers and Codespaces set BROWSER to a helper that opens the page on the host, but
  // the host's browser cannot come back to this container's 127.0.0.1 unless a port forward happens to
  // be ready in time; the code works from any browser.
  if (isTrue(env.REMOTE_CONTAINERS)) return device("this is a dev container (REMOTE_CONTAINERS) and the browser is outside it");
  if (isTrue(env.CODESPACES)) return device("this is a codespace (CODESPACES) and the browser is outside it");
  // An explicit BROWSER (a terminal browser, a script) says the person has arranged one.
  if (isSet(env.BROWSER)) return { flow: "pkce", ssh };
  if (ssh)
    return device(
      `this is an SSH session (${["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"].find((k) => isSet(env[k]))}); to use your workstation's browser instead, see --redirect-port`,
    );
  if (isWslPlace(facts)) {
    // The Windows browser comes back to 127.0.0.1:<port>, which WSL 2 forwards to Linux (and WSL 1 shares).
    return { flow: "pkce", ssh, reason: "this is WSL: opening the Windows browser, which comes back to this listener through localhost" };
  }
  if (facts.platform !== "darwin" && facts.platform !== "win32" && !isSet(env.DISPLAY) && !isSet(env.WAYLAND_DISPLAY)) {
    return device("there is no graphical display (DISPLAY/WAYLAND_DISPLAY unset)");
  }
  if (facts.dockerEnvFile) return device("this is a container (/.dockerenv) and the browser is outside it");
  return { flow: "pkce", ssh };
}

/**
 * The forward a person runs on their workstation so its browser reaches port `port` here: `ssh -L
 * N:127.0.0.1:N user@host`, with the host this session came in on (SSH_CONNECTION's third field) when
 * known. The same port on both ends, since the browser is sent to 127.0.0.1:N.
 */
export function sshForwardCommand(env: PlaceFacts["env"], port: number): string {
  const serverAddress = env.SSH_CONNECTION?.trim().split(/\s+/)[2];
  const user = env.USER || env.LOGNAME;
  const host = serverAddress ? (user ? `${user}@${serverAddress}` : serverAddress) : "THIS-HOST";
  return commandLine(["ssh", "-N", "-L", `${port}:127.0.0.1:${port}`, host]);
}
