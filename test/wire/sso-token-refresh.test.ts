// Token refresh against the stand-in with the real SDK client: the 15-minute window, the CLI file
// format, failures classified, and one CreateToken for a crowd of callers.
import { afterEach, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getSsoToken } from "../../src/auth/sso-token";
import { loginSso } from "../../src/auth/login";
import { LoginRequiredError, RemoteError } from "../../src/core/errors";
import { tokenCachePath } from "../../src/store/token-cache";
import { corp, ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";

let w: SsoWorld;
afterEach(async () => w?.close());

async function loggedIn(opts: Parameters<typeof ssoWorld>[0] = {}) {
  w = ssoWorld({ accessTokenTtlSec: 3600, ...opts, env: { BROWSER: "curl -fsSL", ...opts.env } });
  await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" });
  w.fake.counters.CreateToken = 0;
  return w;
}

describe("getting the SSO token", () => {
  it("uses the cached token without a call while more than 15 minutes are left", async () => {
    await loggedIn();
    w.t.advance(44 * 60_000);
    const before = w.tokenFile();
    expect((await getSsoToken(w.t.ctx, w.cfg, corp, { profile: "dev" })).accessToken).toBe(before.accessToken!);
    expect(w.fake.counters.CreateToken).toBe(0);
  });

  it("refreshes within 15 minutes of expiry and writes the AWS CLI format", async () => {
    await loggedIn();
    const before = w.tokenFile();
    w.t.advance(46 * 60_000);
    const got = await getSsoToken(w.t.ctx, w.cfg, corp, { profile: "dev" });
    expect(w.fake.counters.CreateToken).toBe(1);
    expect(got.accessToken).not.toBe(before.accessToken!);
    const after = w.tokenFile();
    expect(Object.keys(after)).toEqual([
      "startUrl",
      "region",
      "accessToken",
      "expiresAt",
      "clientId",
      "clientSecret",
      "registrationExpiresAt",
      "refreshToken",
    ]);
    expect(after.accessToken).toBe(got.accessToken);
    expect(after.registrationExpiresAt).toBe(before.registrationExpiresAt!);
    expect(after.expiresAt).toBe(new Date(w.t.ctx.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z"));
    expect(readFileSync(tokenCachePath(w.sbx.env, corp), "utf8")).toStartWith('{"startUrl": "');
    const call = w.fake.log.findLast((r) => r.operation === "CreateToken");
    expect(call?.body).toMatchObject({ grantType: "refresh_token", refreshToken: before.refreshToken });
  });

  it("keeps the refresh token when the refresh answer has none", async () => {
    await loggedIn();
    const before = w.tokenFile();
    w.fake.knobs.refreshTokens = false;
    w.t.advance(50 * 60_000);
    await getSsoToken(w.t.ctx, w.cfg, corp, { profile: "dev" });
    expect(w.tokenFile().refreshToken).toBe(before.refreshToken!);
  });

  it("makes one refresh call for 32 callers at once", async () => {
    await loggedIn();
    w.t.advance(50 * 60_000);
    const got = await Promise.all(Array.from({ length: 32 }, () => getSsoToken(w.t.ctx, w.cfg, corp, { profile: "dev" })));
    expect(w.fake.counters.CreateToken).toBe(1);
    expect(new Set(got.map((g) => g.accessToken)).size).toBe(1);
  });

  it("makes one refresh call for 16 separate processes at once", async () => {
    // The processes run on the real clock: log in on it, with a token already inside the refresh window.
    w = ssoWorld({ accessTokenTtlSec: 600, env: { BROWSER: "curl -fsSL" } });
    w.fake.knobs.now = Date.now;
    w.t.setNow(Date.now());
    await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" });
    w.fake.counters.CreateToken = 0;
    // Hold the refresh in flight long enough for all 16 to start and queue on the session lock (spawning
    // them takes ~0.4 s). A process that started only after the refresh had finished would rightly
    // refresh again: these 10-minute tokens are always inside the 15-minute refresh window.
    w.fake.knobs.latencyMs = { CreateToken: 2000 };
    const procs = Array.from({ length: 16 }, () =>
      Bun.spawn([process.execPath, join(import.meta.dir, "..", "helpers", "sso-token-once.ts"), "dev"], {
        env: w.t.ctx.env as Record<string, string>,
        stdout: "pipe",
      }),
    );
    const outs = await Promise.all(procs.map((p) => new Response(p.stdout).text()));
    expect(new Set(outs).size).toBe(1);
    expect(outs[0]).not.toStartWith("error");
    expect(w.fake.counters.CreateToken).toBe(1);
    // Sixteen Bun start-ups on a busy 2-core machine (CI runs beside other work) can take more than the
    // default 5 s; the assertion is about the count of calls, not the time.
  }, 30_000);

  it("asks for a login naming the profile when the refresh token was revoked", async () => {
    await loggedIn();
    w.fake.revokeRefreshTokens();
    w.t.advance(50 * 60_000);
    const e = await getSsoToken(w.t.ctx, w.cfg, corp, { profile: "dev" }).catch((x) => x);
    expect(e).toBeInstanceOf(LoginRequiredError);
    expect(e.loginCommand).toBe("ccsso sso login --profile dev");
  });

  it("names the sso-session when no profile is involved", async () => {
    await loggedIn();
    w.fake.revokeRefreshTokens();
    w.t.advance(61 * 60_000);
    const e = await getSsoToken(w.t.ctx, w.cfg, corp).catch((x) => x);
    expect(e.loginCommand).toBe("ccsso sso login --sso-session corp");
  });

  it.each([
    ["a server error", "InternalServerException"],
    ["throttling", "TooManyRequestsException"],
  ])("keeps using a still-valid token, and its refresh token, after %s", async (_what, type) => {
    await loggedIn();
    const before = w.tokenFile();
    // More failures than the SDK's 3 attempts, so the refresh really fails.
    w.fake.failNext("CreateToken", { type, times: 5 });
    w.t.advance(50 * 60_000);
    expect((await getSsoToken(w.t.ctx, w.cfg, corp, { profile: "dev" })).accessToken).toBe(before.accessToken!);
    expect(w.tokenFile()).toEqual(before);
  });

  it("reports the service error when the token has run out and the refresh failed for a transient reason", async () => {
    await loggedIn();
    w.fake.failNext("CreateToken", { type: "InternalServerException", times: 5 });
    w.t.advance(61 * 60_000);
    await expect(getSsoToken(w.t.ctx, w.cfg, corp, { profile: "dev" })).rejects.toBeInstanceOf(RemoteError);
  });

  it("does not refresh when the client registration has expired, and asks for a login once the token runs out", async () => {
    await loggedIn({ registrationTtlSec: 1800 });
    w.t.advance(50 * 60_000);
    expect((await getSsoToken(w.t.ctx, w.cfg, corp, { profile: "dev" })).accessToken).toBe(w.tokenFile().accessToken!);
    w.t.advance(11 * 60_000);
    const e = await getSsoToken(w.t.ctx, w.cfg, corp, { profile: "dev" }).catch((x) => x);
    expect(e).toBeInstanceOf(LoginRequiredError);
    expect(w.fake.counters.CreateToken).toBe(0);
  });
});
