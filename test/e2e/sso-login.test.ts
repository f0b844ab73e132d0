// The compiled dist/ccsso signs in through both flows against the Identity Center stand-in running as
// its own process, with $BROWSER a script that plays the person with curl; and every bad input ends in
// one line, the exit code of docs/architecture.md §5, and no half-written file.
import { afterEach, beforeAll, describe, expect, it } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runCcsso } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { corp, SSO_CONFIG, START_URL } from "../helpers/sso-stand-in";
import { tokenCachePath } from "../../src/store/token-cache";

let sbx: Sandbox;
let standIn: ReturnType<typeof Bun.spawn> | undefined;
afterEach(() => {
  standIn?.kill();
  standIn = undefined;
  sbx?.cleanup();
});

beforeAll(() => {
  if (!existsSync(join(import.meta.dir, "..", "..", "dist", "ccsso")) && !process.env.CCSSO_BIN)
    throw new Error("dist/ccsso is missing: run `make build` first");
});

/** Start the stand-in process; resolve with its URL. */
async function startStandIn(opts: Record<string, unknown> = {}): Promise<string> {
  standIn = Bun.spawn([process.execPath, join(import.meta.dir, "..", "fakes", "identity-center.ts"), JSON.stringify(opts)], {
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = (standIn.stdout as ReadableStream<Uint8Array>).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the stand-in exited before printing its URL");
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return JSON.parse(text.split("\n")[0]!).url;
}

function browserScript(body: string): string {
  const path = sbx.path("browser.sh");
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function world(opts: Record<string, unknown> = {}, browser = 'curl -fsSL "$1" >/dev/null') {
  sbx = makeSandbox();
  sbx.writeConfig(SSO_CONFIG);
  const url = await startStandIn(opts);
  Object.assign(sbx.env, { AWS_ENDPOINT_URL_SSO_OIDC: url, AWS_ENDPOINT_URL_SSO: url, BROWSER: browserScript(browser) });
  for (const k of ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"]) delete sbx.env[k];
  return url;
}

const ccsso = (args: string[]) => runCcsso(args, { env: sbx.env, compiled: true, timeoutMs: 60_000 });

describe("ccsso sso login (compiled)", () => {
  it("signs in with PKCE and writes a private AWS CLI token file", async () => {
    await world();
    const r = await ccsso(["sso", "login", "--profile", "dev"]);
    expect(r.stderr).toContain("Attempting to open your default browser.");
    expect(r.stdout).toBe(`Successfully logged into Start URL: ${START_URL}\n`);
    expect(r.code).toBe(0);
    const path = tokenCachePath(sbx.env, corp);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ startUrl: START_URL, region: "us-east-1" });
  });

  it("signs in with a device code", async () => {
    await world({ deviceInterval: 1 });
    const r = await ccsso(["sso", "login", "--sso-session", "corp", "--use-device-code"]);
    expect(r.stderr).toContain("Then enter the code:");
    expect(r.stdout).toBe(`Successfully logged into Start URL: ${START_URL}\n`);
    expect(r.code).toBe(0);
  });

  it("fails with one line and exit 1 when the person denies access", async () => {
    await world({ deny: true });
    const r = await ccsso(["sso", "login", "--profile", "dev"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n").pop()).toBe(
      "ccsso: the sign-in request was denied in the browser — run: ccsso sso login --profile dev to try again",
    );
    expect(existsSync(tokenCachePath(sbx.env, corp))).toBe(false);
  });

  it("fails with one line when the device code expires unapproved", async () => {
    await world({ deviceInterval: 1, deviceCodeTtlSec: 2, autoApprove: false }, "true");
    const r = await ccsso(["sso", "login", "--profile", "dev", "--use-device-code"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n").pop()).toStartWith("ccsso: the sign-in request expired before it was approved in the browser");
    expect(existsSync(tokenCachePath(sbx.env, corp))).toBe(false);
  });

  it("ignores a callback with a forged state (404) and still signs in through the real one", async () => {
    // A forged redirect must not end the wait (another local user could otherwise abort or hijack the
    // login): it gets a 404 and the genuine redirect that follows still completes the sign-in.
    await world(
      {},
      `loc=$(curl -s -o /dev/null -w '%{redirect_url}' "$1")\n` +
        `curl -s -o /dev/null -w '%{http_code}' "$(echo "$loc" | sed 's/state=[^&]*/state=forged/')" > "$(dirname "$0")/forged-status"\n` +
        `curl -fsS "$loc" >/dev/null`,
    );
    const r = await ccsso(["sso", "login", "--profile", "dev"]);
    expect(readFileSync(sbx.path("forged-status"), "utf8")).toBe("404");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Successfully logged into Start URL: ${START_URL}\n`);
    expect(existsSync(tokenCachePath(sbx.env, corp))).toBe(true);
  });

  it.each([
    ["a missing profile", "", ["--profile", "nope"], 1, 'ccsso: profile "nope" was not found'],
    [
      "a session without sso_region",
      `[sso-session half]\nsso_start_url = ${START_URL}\n`,
      ["--sso-session", "half"],
      1,
      "ccsso: Missing the following required SSO configuration values: sso_region.",
    ],
    [
      "an http:// start URL",
      `[sso-session plain]\nsso_start_url = http://d-1234567890.awsapps.com/start\nsso_region = us-east-1\n`,
      ["--sso-session", "plain"],
      1,
      "ccsso: The sso_start_url must use the https scheme",
    ],
  ])("refuses %s with one line", async (_what, extraConfig, args, code, start) => {
    await world();
    if (extraConfig) writeFileSync(sbx.awsConfig, SSO_CONFIG + extraConfig);
    const r = await ccsso(["sso", "login", ...args]);
    expect(r.code).toBe(code);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toStartWith(start);
    expect(existsSync(sbx.path(".aws", "sso", "cache"))).toBe(false);
  });

  it("treats a corrupted token cache as signed out: exit 3 naming the login command", async () => {
    await world();
    const path = tokenCachePath(sbx.env, corp);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '{"accessToken": "trunc');
    const r = await ccsso(["export-credentials", "--profile", "dev"]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("run: ccsso sso login --profile dev");
  });

  it("signs out of the session: Logout, token and role credentials gone", async () => {
    await world();
    expect((await ccsso(["sso", "login", "--profile", "dev"])).code).toBe(0);
    expect((await ccsso(["export-credentials", "--profile", "dev"])).code).toBe(0);
    const r = await ccsso(["sso", "logout", "--profile", "dev"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Signed out of SSO session corp; removed 1 cached role credential.\n");
    expect(existsSync(tokenCachePath(sbx.env, corp))).toBe(false);
    expect((await ccsso(["export-credentials", "--profile", "dev"])).code).toBe(3);
  });
});
