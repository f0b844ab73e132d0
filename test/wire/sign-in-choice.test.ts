// The flow a sign-in uses as a person meets it through `ccsso sso login`: a by-hand --use-device-code
// is remembered for the sso-session, --use-browser forgets it, and a CI job is refused before any call.
import { afterEach, describe, expect, it } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { run } from "../../src/cli/run";
import { settingsPath } from "../../src/platform/paths";
import { ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";

let w: SsoWorld;
afterEach(async () => w?.close());

const desktop = { BROWSER: "", DISPLAY: ":0", WAYLAND_DISPLAY: "", SSH_CONNECTION: "", SSH_TTY: "", SSH_CLIENT: "" };

/** Approve the code printed on stderr at the first poll's sleep, as the person would. */
function approveEachDeviceCode(world: SsoWorld) {
  const sleep = world.t.ctx.sleep;
  const approved = new Set<string>();
  world.t.ctx.sleep = async (ms) => {
    for (const m of world.t.stderr().matchAll(/Then enter the code:\n\n(\S+)/g)) {
      if (!approved.has(m[1]!)) {
        world.fake.approveDevice(m[1]!);
        approved.add(m[1]!);
      }
    }
    await sleep(ms);
  };
}

describe("the remembered device-code choice", () => {
  it("is written after a by-hand --use-device-code, used next time with a line saying so, and forgotten by --use-browser", async () => {
    w = ssoWorld({ deviceInterval: 1, env: desktop });
    approveEachDeviceCode(w);
    const settings = settingsPath(w.sbx.env);
    expect(await run(["sso", "login", "--sso-session", "corp", "--use-device-code", "--no-browser"], w.t.ctx)).toBe(0);
    expect(w.t.stderr()).toContain(
      "ccsso: sso-session corp will sign in with a device code from now on (remembered in ccsso's settings); --use-browser switches back.\n",
    );
    expect(readFileSync(settings, "utf8")).toBe(`[sso_session.corp]\nlogin_flow = "device-code"\n`);

    // On a desktop the browser flow would be next; the remembered choice wins and says why.
    const before = w.t.stderr().length;
    expect(await run(["sso", "login", "--sso-session", "corp", "--no-browser"], w.t.ctx)).toBe(0);
    const second = w.t.stderr().slice(before);
    expect(second.split("\n")[0]).toBe(
      `ccsso: using the device-code flow, remembered for sso-session corp since you chose --use-device-code (in ${settings}); --use-browser switches back and forgets it.`,
    );
    expect(second).toContain("Then enter the code:");

    // --use-browser: the browser flow (curl as the browser), and the memory is gone.
    w.t.ctx.env.BROWSER = "curl -fsSL";
    const mark = w.t.stderr().length;
    expect(await run(["sso", "login", "--sso-session", "corp", "--use-browser"], w.t.ctx)).toBe(0);
    const third = w.t.stderr().slice(mark);
    expect(third).toContain("/authorize?response_type=code");
    expect(third).toContain("ccsso: sso-session corp no longer remembers the device-code flow");
    expect(readFileSync(settings, "utf8")).toBe("");
  });

  it("is written by ccsso use --use-device-code too, and its --redirect-port is checked like sso login's", async () => {
    w = ssoWorld({ deviceInterval: 1, env: { ...desktop, CCSSO_SHELL: "bash" } });
    approveEachDeviceCode(w);
    expect(await run(["use", "dev", "--use-device-code", "--no-browser"], w.t.ctx)).toBe(0);
    expect(w.t.stdout()).toEndWith("export AWS_PROFILE=dev\n");
    expect(readFileSync(settingsPath(w.sbx.env), "utf8")).toBe(`[sso_session.corp]\nlogin_flow = "device-code"\n`);
    const mark = w.t.stderr().length;
    expect(await run(["use", "dev", "--redirect-port", "99999"], w.t.ctx)).toBe(2);
    expect(w.t.stderr().slice(mark)).toBe(
      'ccsso: --redirect-port must be a port number from 1 to 65535 (got "99999") — for example: --redirect-port 8400\n',
    );
  });

  it("is not written when the device code was chosen for the person (no display)", async () => {
    w = ssoWorld({ deviceInterval: 1, env: { ...desktop, DISPLAY: "" } });
    approveEachDeviceCode(w);
    expect(await run(["sso", "login", "--sso-session", "corp"], w.t.ctx)).toBe(0);
    expect(w.t.stderr()).toStartWith("ccsso: using the device-code flow because there is no graphical display");
    expect(existsSync(settingsPath(w.sbx.env))).toBe(false);
  });

  it("refuses --use-device-code with --use-browser", async () => {
    w = ssoWorld({ env: desktop });
    expect(await run(["sso", "login", "--sso-session", "corp", "--use-device-code", "--use-browser"], w.t.ctx)).toBe(2);
    expect(w.t.stderr()).toBe("ccsso: --use-device-code and --use-browser cannot both be given — choose one\n");
  });
});

describe("--use-browser over SSH", () => {
  it("prints the URL without opening anything, and says where the sign-in comes back to", async () => {
    w = ssoWorld({ env: { ...desktop, SSH_CONNECTION: "10.0.0.2 50000 10.0.0.5 22" } });
    const done = run(["sso", "login", "--sso-session", "corp", "--use-browser"], w.t.ctx);
    // The person opens the printed URL on this host (curl), the only place its redirect can land.
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = /\n(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)\n/.exec(w.t.stderr())?.[1];
      if (!url) await Bun.sleep(10);
    }
    expect(w.t.stderr()).toStartWith("Browser will not be automatically opened.\nPlease visit the following URL:\n\n");
    expect(w.t.stderr()).toMatch(
      /\nccsso: the sign-in comes back to 127\.0\.0\.1:\d+ of the machine whose browser opens it; from your workstation, use --redirect-port with an ssh -L forward instead\.\n/,
    );
    const curl = Bun.spawn(["curl", "-fsSL", "-o", "/dev/null", url!]);
    expect(await curl.exited).toBe(0);
    expect(await done).toBe(0);
  });
});

describe("a CI job", () => {
  it("fails at once with exit 3 and the command to run on a workstation, calling nothing", async () => {
    w = ssoWorld({ env: { ...desktop, BROWSER: "curl -fsSL", CI: "true" } });
    expect(await run(["sso", "login", "--profile", "dev"], w.t.ctx)).toBe(3);
    expect(w.t.stderr()).toBe(
      "ccsso: not signing in: this is a CI job (CI=true) and nobody is there to approve a sign-in — on a workstation run: ccsso sso login --profile dev; a CI job needs credentials of its own\n",
    );
    expect(w.fake.log).toEqual([]);
    expect(w.t.sleeps).toEqual([]);
  });
});
