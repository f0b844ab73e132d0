// `sso login --if-needed`: the browser opens only when the cached session will not last; a refreshable
// session is renewed silently instead. The stand-in's counters say whether a browser sign-in
// (Authorize) or a refresh (CreateToken) happened; curl plays the person in the browser.
import { afterEach, describe, expect, it } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { run } from "../../src/cli/run";
import { formatCacheTimestamp } from "../../src/core/timestamps";
import { settingsPath } from "../../src/platform/paths";
import { writeTokenCache } from "../../src/store/token-cache";
import { corp, START_URL, ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";

let w: SsoWorld;
afterEach(async () => w?.close());

const MIN = 60_000;

/** A cached token for session corp with `leftMs` to go; refreshable unless told otherwise. */
function seedToken(world: SsoWorld, leftMs: number, opts: { refreshable?: boolean } = {}) {
  const t = world.fake.mintToken();
  const now = world.t.ctx.now();
  writeTokenCache(world.sbx.env, corp, {
    startUrl: START_URL,
    region: "us-east-1",
    accessToken: t.accessToken,
    expiresAt: formatCacheTimestamp(now + leftMs),
    clientId: t.clientId,
    clientSecret: t.clientSecret,
    registrationExpiresAt: formatCacheTimestamp(now + 30 * 24 * 60 * MIN),
    ...(opts.refreshable !== false && t.refreshToken ? { refreshToken: t.refreshToken } : {}),
  });
  world.fake.counters.CreateToken = 0;
}

function settings(world: SsoWorld, text: string) {
  const p = settingsPath(world.sbx.env);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

const ifNeeded = (world: SsoWorld, target: string[] = ["--profile", "dev"]) => run(["sso", "login", "--if-needed", ...target], world.t.ctx);

describe("sso login --if-needed", () => {
  it("signs in when there is no session, and not again while the first lasts", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    expect(await ifNeeded(w)).toBe(0);
    expect(w.fake.counters.Authorize).toBe(1);
    expect(w.t.stdout()).toBe(`Successfully logged into Start URL: ${START_URL}\n`);
    expect(await ifNeeded(w)).toBe(0);
    expect(w.fake.counters.Authorize).toBe(1);
    expect(w.t.stdout().split("\n")[1]).toMatch(
      new RegExp(
        `^Signed in to ${START_URL.replace(/[.]/g, "\\.")} \\(sso-session corp\\), profile dev = 111111111111/Developer, until \\S+Z \\(in \\d+h?.*\\); no browser needed\\.$`,
      ),
    );
  });

  it("skips the browser for a token with more than the threshold left, even one that cannot refresh", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    seedToken(w, 90 * MIN, { refreshable: false });
    await ifNeeded(w);
    expect(w.fake.counters.Authorize).toBe(0);
    expect(w.t.stdout()).toContain("until ");
    expect(w.t.stdout()).toContain("(in 1h 30m); no browser needed.");
  });

  it("signs in again when a token that cannot refresh has less than the threshold left", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    seedToken(w, 50 * MIN, { refreshable: false });
    await ifNeeded(w);
    expect(w.fake.counters.Authorize).toBe(1);
    expect(w.t.stdout()).toStartWith("Successfully logged into Start URL:");
  });

  it("keeps a refreshable token below the threshold: later commands renew it silently", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    seedToken(w, 40 * MIN);
    await ifNeeded(w);
    expect(w.fake.counters.Authorize).toBe(0);
    expect(w.fake.counters.CreateToken).toBe(0);
    expect(w.t.stdout()).toContain("(in 40m, renewed silently after that); no browser needed.");
  });

  it("renews a refreshable token inside the refresh window with its refresh token, without a browser", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    seedToken(w, 10 * MIN);
    await ifNeeded(w);
    expect(w.fake.counters.Authorize).toBe(0);
    expect(w.fake.counters.CreateToken).toBe(1);
    expect(w.t.stdout()).toStartWith(`Renewed the session without a browser: ${START_URL} (sso-session corp), profile dev`);
  });

  it("opens the browser when the refresh token was revoked", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    seedToken(w, 10 * MIN);
    w.fake.revokeRefreshTokens();
    await ifNeeded(w);
    expect(w.fake.counters.Authorize).toBe(1);
    expect(w.t.stdout()).toStartWith("Successfully logged into Start URL:");
  });

  it("follows [login] if_needed_threshold from the settings file", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    seedToken(w, 2 * 60 * MIN, { refreshable: false });
    settings(w, '[login]\nif_needed_threshold = "3h"\n');
    await ifNeeded(w);
    expect(w.fake.counters.Authorize).toBe(1);
    seedToken(w, 20 * MIN, { refreshable: false });
    settings(w, '[login]\nif_needed_threshold = "15m"\n');
    await ifNeeded(w);
    expect(w.fake.counters.Authorize).toBe(1);
  });

  it("works for --sso-session, naming the session and no profile", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    seedToken(w, 3 * 60 * MIN);
    await ifNeeded(w, ["--sso-session", "corp"]);
    expect(w.fake.counters.Authorize).toBe(0);
    expect(w.t.stdout()).toStartWith(`Signed in to ${START_URL} (sso-session corp), until `);
  });

  it("without --if-needed signs in even with a fresh session (what `aws sso login` does)", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    seedToken(w, 3 * 60 * MIN);
    await run(["sso", "login", "--profile", "dev"], w.t.ctx);
    expect(w.fake.counters.Authorize).toBe(1);
  });
});
