// `ccsso sso login` in a real terminal, as a person sees it: while the browser step is pending, a
// spinner shows what it waits for and the time left; the device flow also shows a QR code of the
// autofill URL (so a phone can approve a login made over SSH). The compiled binary runs in a
// pseudo-terminal against the Identity Center stand-in; the "person" approves after 1.5 s.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { createFakeIdentityCenter, type FakeIdentityCenter } from "../fakes/identity-center";
import { ccssoCommand, compiledBinary } from "../helpers/ccsso";
import { corpSessionSection, useStandIn } from "../helpers/populate-fixture";
import { runInPty } from "../helpers/pty";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let fake: FakeIdentityCenter;
let sbx: Sandbox;

beforeAll(() => {
  if (!existsSync(compiledBinary) && !process.env.CCSSO_BIN) throw new Error("dist/ccsso is missing: run `make build` first");
  fake = createFakeIdentityCenter({});
});
afterAll(() => fake.close());
beforeEach(() => {
  sbx = makeSandbox();
  useStandIn(sbx, fake);
  sbx.writeConfig(corpSessionSection);
  // The person takes a moment before approving, so the wait is visible.
  const browser = sbx.path("slow-browser.sh");
  writeFileSync(browser, '#!/bin/sh\n(sleep 1.5; curl -fsSL "$1" >/dev/null) </dev/null >/dev/null 2>&1 &\n', { mode: 0o755 });
  sbx.env.BROWSER = browser;
  for (const k of ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"]) delete sbx.env[k];
  sbx.env.NO_COLOR = "";
});
afterEach(() => sbx.cleanup());

const login = (args: string[]) =>
  runInPty([...ccssoCommand({ compiled: true }), "sso", "login", "--sso-session", "corp", ...args], {
    env: sbx.env,
    steps: [{ expect: "Successfully logged into Start URL", timeout: 20 }],
    timeoutSeconds: 30,
  });

describe("sso login in a terminal", () => {
  it("shows a spinner with the time left while the browser step is pending (PKCE)", async () => {
    const r = await login([]);
    expect(r.failed).toBeNull();
    expect(r.code).toBe(0);
    expect(r.screen).toContain("Waiting for the browser");
    expect(r.screen).toMatch(/\(\d+:\d\d left\)/);
  });

  it("shows the code, a QR code of the autofill URL and a spinner counting down (device code)", async () => {
    const r = await login(["--use-device-code"]);
    expect(r.failed).toBeNull();
    expect(r.code).toBe(0);
    expect(r.screen).toMatch(/Waiting for approval of code [A-Z0-9-]+/);
    expect(r.screen).toMatch(/\(\d+:\d\d left\)/);
    // The QR code is drawn with half-block characters.
    expect(r.output).toMatch(/[▀▄█]{10}/);
  });
});
