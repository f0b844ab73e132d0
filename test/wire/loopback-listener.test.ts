// The PKCE loopback listener against requests that are not the browser's: other local processes (and
// another uid, as root), a foreign Host header, forged states and errors. Only the real redirect —
// `GET /oauth/callback` on our Host with our state — may end the wait; the result page reaches the
// browser before the listener closes. Also: URLs a server wants opened must be https.
import { afterEach, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { judgeCallback, loginSso } from "../../src/auth/login";
import { renderError } from "../../src/cli/render-error";
import { tokenCachePath } from "../../src/store/token-cache";
import { corp, legacy, ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";

let w: SsoWorld;
afterEach(async () => w?.close());

/** Start a --no-browser login and wait until it has printed the authorize URL; returns that URL's parts. */
async function startWaitingLogin(world: SsoWorld) {
  const pending = loginSso(world.t.ctx, world.cfg, corp, { browser: false, callbackTimeoutMs: 30_000 });
  pending.catch(() => {});
  for (let i = 0; i < 400 && !/authorize\?\S+/.test(world.t.stderr()); i++) await Bun.sleep(5);
  const authorize = new URL(/(http\S+\/authorize\?\S+)/.exec(world.t.stderr())![1]!);
  const redirect = new URL(authorize.searchParams.get("redirect_uri")!);
  return { pending, authorize, port: Number(redirect.port), state: authorize.searchParams.get("state")! };
}

/** curl run as a separate process (optionally as another user); returns status code and body. */
async function curl(args: string[], asUid?: number): Promise<{ status: string; body: string }> {
  const argv = ["curl", "-s", "-g", "-w", "\n%{http_code}", ...args];
  const proc = Bun.spawn(asUid === undefined ? argv : ["setpriv", `--reuid=${asUid}`, `--regid=${asUid}`, "--clear-groups", ...argv], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const cut = out.lastIndexOf("\n");
  return { body: out.slice(0, cut), status: out.slice(cut + 1) };
}

/** Has the login promise settled yet? */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await Bun.sleep(20);
  return done;
}

const canSwitchUser = process.getuid?.() === 0 && Bun.which("setpriv") !== null;

describe("the loopback listener", () => {
  it("ignores forged callbacks from another process and still signs in with the browser's", async () => {
    w = ssoWorld({ env: { BROWSER: "false" } });
    const { pending, authorize, port, state } = await startWaitingLogin(w);
    const base = `http://127.0.0.1:${port}`;
    const forged = [
      `${base}/x?error=access_denied`,
      `${base}/oauth/callback?error=access_denied`,
      `${base}/oauth/callback?error=access_denied&state=wrong`,
      `${base}/oauth/callback?code=forged&state=wrong`,
      `${base}/?code=forged&state=${state}`,
    ];
    for (const url of forged) expect((await curl([url])).status).toBe("404");
    // A POST with the right state is not the browser's redirect either.
    expect((await curl(["-X", "POST", `${base}/oauth/callback?error=x&state=${state}`])).status).toBe("404");
    expect(await settled(pending)).toBe(false);
    expect(w.fake.counters.CreateToken).toBe(0);
    // The person's browser: the authorize page redirects to the listener with the real code and state.
    const browser = await curl(["-L", authorize.href]);
    expect(browser.status).toBe("200");
    expect(browser.body).toContain("Signed in");
    const r = await pending;
    expect(r.flow).toBe("pkce");
    expect(w.tokenFile().accessToken).toBe(r.accessToken);
  });

  it.skipIf(!canSwitchUser)("ignores a forged error callback from another user (uid 65534)", async () => {
    w = ssoWorld({ env: { BROWSER: "false" } });
    const { pending, authorize, port } = await startWaitingLogin(w);
    const forged = await curl([`http://127.0.0.1:${port}/x?error=x%1b]0;PWNED%07%1b[2J`], 65534);
    expect(forged.status).toBe("404");
    expect(await settled(pending)).toBe(false);
    await curl(["-L", authorize.href]);
    expect((await pending).flow).toBe("pkce");
  });

  it("answers a request with a foreign Host header 404, even with the right state", async () => {
    w = ssoWorld({ env: { BROWSER: "false" } });
    const { pending, authorize, port, state } = await startWaitingLogin(w);
    const r = await curl(["-H", "Host: evil.example", `http://127.0.0.1:${port}/oauth/callback?error=access_denied&state=${state}`]);
    expect(r.status).toBe("404");
    expect(await settled(pending)).toBe(false);
    await curl(["-L", authorize.href]);
    await pending;
  });

  it("shows the failure page to the browser when the sign-in is denied, and the error reaches the terminal escaped", async () => {
    w = ssoWorld({ env: { BROWSER: "false" } });
    const { pending, port, state } = await startWaitingLogin(w);
    const r = await curl([
      `http://localhost:${port}/oauth/callback?state=${state}&error=server_error&error_description=x%1b]0;PWNED%07%1b[2J`,
    ]);
    expect(r.status).toBe("200");
    expect(r.body).toContain("Sign-in failed");
    const e = await pending.catch((x) => x);
    expect(e.message).toContain("the sign-in failed in the browser: server_error");
    const before = w.t.stderr().length;
    renderError(e, w.t.ctx);
    const line = w.t.stderr().slice(before);
    expect(line).toContain("x^[]0;PWNED^G^[[2J");
    expect(line).not.toContain("\x1b");
    expect(existsSync(tokenCachePath(w.sbx.env, corp))).toBe(false);
  });

  it("ends the wait on Ctrl-C with exit status 130", async () => {
    w = ssoWorld({ env: { BROWSER: "false" } });
    const { pending } = await startWaitingLogin(w);
    process.emit("SIGINT");
    const e = await pending.catch((x) => x);
    expect(e.exitCode).toBe(130);
  });
});

describe("judgeCallback", () => {
  const expect_ = { port: 4711, state: "s3cr3t" };
  it.each([
    ["the browser's redirect with a code", "GET", "http://127.0.0.1:4711/oauth/callback?code=c&state=s3cr3t", "127.0.0.1:4711", 200],
    [
      "an error with the right state",
      "GET",
      "http://127.0.0.1:4711/oauth/callback?error=access_denied&state=s3cr3t",
      "localhost:4711",
      200,
    ],
    ["an error without a state", "GET", "http://127.0.0.1:4711/oauth/callback?error=access_denied", "127.0.0.1:4711", 404],
    ["a code with a wrong state", "GET", "http://127.0.0.1:4711/oauth/callback?code=c&state=other", "127.0.0.1:4711", 404],
    ["another path", "GET", "http://127.0.0.1:4711/callback?code=c&state=s3cr3t", "127.0.0.1:4711", 404],
    ["another Host", "GET", "http://evil.example/oauth/callback?code=c&state=s3cr3t", "evil.example", 404],
    ["the right host on another port", "GET", "http://127.0.0.1:4711/oauth/callback?code=c&state=s3cr3t", "127.0.0.1:80", 404],
    ["a POST", "POST", "http://127.0.0.1:4711/oauth/callback?code=c&state=s3cr3t", "127.0.0.1:4711", 404],
  ])("%s", (_what, method, url, host, status) => {
    const d = judgeCallback({ method, url, host }, expect_);
    expect(d.status).toBe(status);
    expect(d.result !== undefined).toBe(status === 200);
  });
});

describe("URLs from IAM Identity Center", () => {
  it("refuses to open or print a verificationUriComplete that is not https", async () => {
    w = ssoWorld({ deviceAuthorizationOverrides: { verificationUriComplete: "file:///etc/passwd" }, env: { BROWSER: "false" } });
    const e = await loginSso(w.t.ctx, w.cfg, legacy, { deviceCode: true }).catch((x) => x);
    expect(e.message).toContain("not https");
    expect(w.t.stderr()).not.toContain("Then enter the code");
  });

  it("refuses an http verification URL on a non-loopback host even with a local endpoint", async () => {
    w = ssoWorld({ deviceAuthorizationOverrides: { verificationUri: "http://evil.example/device" }, env: { BROWSER: "false" } });
    const e = await loginSso(w.t.ctx, w.cfg, legacy, { deviceCode: true }).catch((x) => x);
    expect(e.message).toContain("not https");
  });

  it("prints a user code holding escape sequences with them made visible", async () => {
    w = ssoWorld({
      deviceAuthorizationOverrides: { userCode: "AB\x1b[2J\x1b]8;;https://evil.example\x07CD" },
      deviceCodeTtlSec: 2,
      env: { BROWSER: "false" },
    });
    await loginSso(w.t.ctx, w.cfg, legacy, { deviceCode: true, browser: false }).catch(() => {});
    expect(w.t.stderr()).toContain("AB^[[2J^[]8;;https://evil.example^GCD");
    expect(w.t.stderr()).not.toContain("\x1b");
  });
});
