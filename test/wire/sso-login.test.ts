// `sso login` end to end in-process: the real SDK client, the stand-in, a real loopback listener, and
// curl as the person's browser; the device flow with a fake clock whose sleeps are recorded.
import { afterEach, describe, expect, it } from "bun:test";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { loginSso } from "../../src/auth/login";
import { run } from "../../src/cli/run";
import { registrationCachePath } from "../../src/store/registration-cache";
import { tokenCachePath } from "../../src/store/token-cache";
import { corp, legacy, START_URL, ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";

let w: SsoWorld;
afterEach(async () => w?.close());

const noDisplay = { BROWSER: "", DISPLAY: "", WAYLAND_DISPLAY: "", SSH_CONNECTION: "", SSH_TTY: "", SSH_CLIENT: "" };

/** A device-flow context whose first sleep approves the code printed on stderr, as a person would. */
function approveOnFirstSleep(world: SsoWorld) {
  const sleep = world.t.ctx.sleep;
  let approved = false;
  world.t.ctx.sleep = async (ms) => {
    if (!approved) {
      const code = /Then enter the code:\n\n(\S+)/.exec(world.t.stderr())?.[1];
      if (code) {
        world.fake.approveDevice(code);
        approved = true;
      }
    }
    await sleep(ms);
  };
}

describe("sso login with PKCE", () => {
  it("signs in through the browser and writes the AWS CLI token and registration", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    const r = await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" });
    expect(r.flow).toBe("pkce");
    const token = w.tokenFile();
    expect(token).toMatchObject({ startUrl: START_URL, region: "us-east-1", accessToken: r.accessToken });
    expect(token.refreshToken).toBeString();
    expect(readFileSync(registrationCachePath(w.sbx.env, corp), "utf8")).toMatch(
      /"grantTypes": \["authorization_code", "refresh_token"\]\}$/,
    );
    const register = w.fake.log.find((x) => x.operation === "RegisterClient");
    expect(register?.body).toEqual({
      clientName: "botocore-client-corp",
      clientType: "public",
      grantTypes: ["authorization_code", "refresh_token"],
      redirectUris: ["http://127.0.0.1/oauth/callback"],
      issuerUrl: START_URL,
      scopes: ["sso:account:access"],
    });
    const authorize = w.fake.log.find((x) => x.operation === "Authorize");
    expect(authorize?.query.scopes).toBe("sso:account:access");
    expect(authorize?.query.redirect_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    expect(w.t.stderr()).toContain(`${w.fake.url}/authorize?response_type=code&client_id=`);
    for (const secret of [token.accessToken!, token.refreshToken!, token.clientSecret!])
      expect(w.t.stderr() + w.t.stdout()).not.toContain(secret);
  });

  it("reuses the cached registration on the next login", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    await loginSso(w.t.ctx, w.cfg, corp, {});
    await loginSso(w.t.ctx, w.cfg, corp, {});
    expect(w.fake.counters.RegisterClient).toBe(1);
  });

  it("fails with one line and writes nothing when the person denies access", async () => {
    w = ssoWorld({ deny: true, env: { BROWSER: "curl -fsSL" } });
    const e = await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" }).catch((x) => x);
    expect(e.message).toBe("the sign-in request was denied in the browser");
    expect(e.hint).toBe("run: ccsso sso login --profile dev to try again");
    expect(existsSync(tokenCachePath(w.sbx.env, corp))).toBe(false);
  });

  it("answers a callback with a forged state 404 and keeps waiting for the real one", async () => {
    w = ssoWorld();
    const browser = w.sbx.path("tamper.sh");
    const statusFile = w.sbx.path("forged-status");
    // The "browser" first replays the redirect with a forged state, then follows the real one.
    writeFileSync(
      browser,
      `#!/bin/sh\nloc=$(curl -s -o /dev/null -w '%{redirect_url}' "$1")\ncurl -s -o /dev/null -w '%{http_code}' "$(echo "$loc" | sed 's/state=[^&]*/state=forged/')" >${JSON.stringify(statusFile)}\ncurl -s "$loc" >/dev/null\n`,
    );
    chmodSync(browser, 0o755);
    w.t.ctx.env.BROWSER = browser;
    const r = await loginSso(w.t.ctx, w.cfg, corp, {});
    expect(readFileSync(statusFile, "utf8")).toBe("404");
    expect(r.flow).toBe("pkce");
    expect(w.tokenFile().accessToken).toBe(r.accessToken);
  });

  it("gives up when the browser never comes back", async () => {
    w = ssoWorld({ env: { BROWSER: "true" } });
    const e = await loginSso(w.t.ctx, w.cfg, corp, { callbackTimeoutMs: 50 }).catch((x) => x);
    expect(e.message).toContain("did not come back");
  });

  it("prints only the URL with --no-browser", async () => {
    w = ssoWorld({ env: { BROWSER: "false" } });
    const pending = loginSso(w.t.ctx, w.cfg, corp, { browser: false, callbackTimeoutMs: 5000 });
    // Play the person on another device: open the printed URL ourselves.
    for (let i = 0; i < 200 && !/authorize\?\S+/.test(w.t.stderr()); i++) await Bun.sleep(5);
    const url = /(http\S+\/authorize\?\S+)/.exec(w.t.stderr())![1]!;
    expect(w.t.stderr()).toStartWith("Browser will not be automatically opened.\nPlease visit the following URL:\n\n");
    await fetch(url);
    await pending;
    expect(w.tokenFile().accessToken).toBeString();
  });

  it("refuses an http:// start URL before any call", async () => {
    w = ssoWorld();
    await expect(loginSso(w.t.ctx, w.cfg, { ...corp, startUrl: "http://d-1234567890.awsapps.com/start" }, {})).rejects.toThrow(
      "must use the https scheme",
    );
    expect(w.fake.counters.RegisterClient).toBe(0);
  });
});

describe("sso login with a device code", () => {
  it("polls at the service's interval, adds 5 s on slow_down and keeps it", async () => {
    w = ssoWorld({ slowDown: 2, pendingPolls: 2, deviceInterval: 1, env: noDisplay });
    approveOnFirstSleep(w);
    const r = await loginSso(w.t.ctx, w.cfg, corp, { deviceCode: true, browser: false });
    expect(r.flow).toBe("device");
    expect(w.t.sleeps).toEqual([11_000, 11_000, 11_000]);
    expect(w.tokenFile().accessToken).toBe(r.accessToken);
    expect(readFileSync(registrationCachePath(w.sbx.env, corp), "utf8")).not.toContain("grantTypes");
  });

  it("prints the AWS CLI's instructions with the autofill URL under --no-browser", async () => {
    w = ssoWorld({ deviceInterval: 1, env: noDisplay });
    approveOnFirstSleep(w);
    await loginSso(w.t.ctx, w.cfg, corp, { deviceCode: true, browser: false });
    expect(w.t.stderr()).toMatch(
      /^Browser will not be automatically opened\.\nPlease visit the following URL:\n\nhttp\S+\/device\n\nThen enter the code:\n\n\S+\n\nAlternatively, you may visit the following URL which will autofill the code upon loading:\nhttp\S+user_code=\S+\n$/,
    );
  });

  it("switches to the device flow without a display and says why", async () => {
    w = ssoWorld({ deviceInterval: 1, env: noDisplay });
    approveOnFirstSleep(w);
    const r = await loginSso(w.t.ctx, w.cfg, corp, { browser: false });
    expect(r.flow).toBe("device");
    expect(w.t.stderr()).toStartWith("ccsso: using the device-code flow because there is no graphical display");
  });

  it("always uses the device flow for a legacy profile, without a refresh token", async () => {
    w = ssoWorld({ deviceInterval: 1, env: { BROWSER: "curl -fsSL" } });
    const r = await loginSso(w.t.ctx, w.cfg, legacy, { profile: "legacy" });
    expect(r.flow).toBe("device");
    expect(w.tokenFile(legacy).accessToken).toBe(r.accessToken);
    const register = w.fake.log.find((x) => x.operation === "RegisterClient");
    expect((register!.body as { clientName: string }).clientName).toMatch(/^botocore-client-\d+$/);
  });

  it("fails as denied when the person refuses", async () => {
    w = ssoWorld({ deny: true, deviceInterval: 1, env: noDisplay });
    approveOnFirstSleep(w);
    await expect(loginSso(w.t.ctx, w.cfg, corp, { deviceCode: true, browser: false })).rejects.toThrow(
      "the sign-in request was denied in the browser",
    );
    expect(existsSync(tokenCachePath(w.sbx.env, corp))).toBe(false);
  });

  it("fails as expired when nobody approves in time", async () => {
    w = ssoWorld({ deviceInterval: 5, deviceCodeTtlSec: 30, env: noDisplay });
    const e = await loginSso(w.t.ctx, w.cfg, corp, { deviceCode: true, browser: false }).catch((x) => x);
    expect(e.message).toBe("the sign-in request expired before it was approved in the browser");
    expect(w.t.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(30_000);
  });
});

describe("sso login without a display", () => {
  it("says why it uses the device code and does not then claim to open a browser", async () => {
    w = ssoWorld({ deviceInterval: 1, env: noDisplay });
    approveOnFirstSleep(w);
    await loginSso(w.t.ctx, w.cfg, corp, {});
    const lines = w.t.stderr().split("\n");
    expect(lines[0]).toBe("ccsso: using the device-code flow because there is no graphical display (DISPLAY/WAYLAND_DISPLAY unset).");
    expect(lines[1]).toBe("Browser will not be automatically opened.");
    expect(w.t.stderr()).not.toContain("Attempting to open your default browser");
  });
});

describe("ccsso sso login (command)", () => {
  it("prints the success line on stdout and everything else on stderr", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    expect(await run(["sso", "login", "--profile", "dev"], w.t.ctx)).toBe(0);
    expect(w.t.stdout()).toBe(`Successfully logged into Start URL: ${START_URL}\n`);
    expect(w.t.stderr()).toContain("Attempting to open your default browser.");
  });

  it.each([
    ["an unknown profile", ["--profile", "nope"], 1, 'profile "nope" was not found'],
    ["an unknown session", ["--sso-session", "nope"], 1, 'The specified sso-session does not exist: "nope"'],
  ])("refuses %s with one line", async (_what, args, code, text) => {
    w = ssoWorld();
    expect(await run(["sso", "login", ...args], w.t.ctx)).toBe(code);
    expect(w.t.stderr()).toContain(text);
    expect(w.t.stderr().trim().split("\n")).toHaveLength(1);
  });

  it("refuses a session without sso_region", async () => {
    w = ssoWorld();
    w.sbx.writeConfig(`[sso-session half]\nsso_start_url = ${START_URL}\n`);
    expect(await run(["sso", "login", "--sso-session", "half"], w.t.ctx)).toBe(1);
    expect(w.t.stderr()).toContain("Missing the following required SSO configuration values: sso_region.");
  });
});
