// Interop with the real AWS clients: a token ccsso wrote is loaded and refreshed by botocore's
// SSOTokenProvider through the stand-in, botocore resolves role credentials from it, and ccsso uses
// caches written by botocore/the AWS CLI, the JS SDK (pretty, .sssZ) and old CLIs (…UTC).
import { afterEach, describe, expect, it } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { loginSso } from "../../src/auth/login";
import { resolveCredentials } from "../../src/auth/credentials";
import { getSsoToken } from "../../src/auth/sso-token";
import { testContext } from "../../src/platform/context";
import { tokenCachePath } from "../../src/store/token-cache";
import { corp, legacy, ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";

let w: SsoWorld;
afterEach(async () => w?.close());

/** A world on the real clock: botocore cannot share our fake one. */
function realClockWorld(opts: Parameters<typeof ssoWorld>[0] = {}) {
  w = ssoWorld({ ...opts, env: { BROWSER: "curl -fsSL", ...opts.env } });
  w.fake.knobs.now = Date.now;
  w.t = testContext({ env: w.t.ctx.env, now: Date.now() });
  Object.assign(w.t.ctx, { now: Date.now });
  return w;
}

async function botocore(what: "token" | "credentials", profile: string): Promise<Record<string, string>> {
  // Asynchronous: the stand-in answers from this very process.
  const proc = Bun.spawn(["python3", join(import.meta.dir, "botocore-sso-session.py"), what, profile], {
    env: w.t.ctx.env as Record<string, string>,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`botocore failed: ${err}`);
  return JSON.parse(out);
}

describe("botocore reading ccsso's token cache", () => {
  it("loads a token ccsso wrote without refreshing it", async () => {
    realClockWorld({ accessTokenTtlSec: 3600 });
    const r = await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" });
    w.fake.counters.CreateToken = 0;
    expect((await botocore("token", "dev")).token).toBe(r.accessToken);
    expect(w.fake.counters.CreateToken).toBe(0);
  });

  it("refreshes a token ccsso wrote, and ccsso then uses botocore's rewrite", async () => {
    // Ten minutes: inside botocore's mandatory refresh window from the start.
    realClockWorld({ accessTokenTtlSec: 600 });
    const r = await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" });
    w.fake.counters.CreateToken = 0;
    const refreshed = (await botocore("token", "dev")).token!;
    expect(w.fake.counters.CreateToken).toBe(1);
    expect(refreshed).not.toBe(r.accessToken);
    expect(w.tokenFile().accessToken).toBe(refreshed);
    // ccsso reads botocore's file (and, still in the window, refreshes it in turn with the kept refresh token).
    const ours = await getSsoToken(w.t.ctx, w.cfg, corp, { profile: "dev" });
    expect(w.fake.liveAccessTokens()).toContain(ours.accessToken);
  });

  it("resolves role credentials through the SSO provider from ccsso's token", async () => {
    realClockWorld({ accessTokenTtlSec: 3600 });
    await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" });
    const c = await botocore("credentials", "dev");
    expect(c.method).toBe("sso");
    expect(w.fake.issued.get(c.accessKeyId!)?.accountId).toBe("111111111111");
  });
});

describe("ccsso reading caches other tools wrote", () => {
  async function seedToken(text: (accessToken: string, ms: number) => string, login = corp) {
    // A live token from the stand-in, written by "another tool" in its own style.
    const other = await loginSso(w.t.ctx, w.cfg, login, { profile: login === corp ? "dev" : "legacy" });
    const path = tokenCachePath(w.sbx.env, login);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text(other.accessToken, other.expiresAt));
    return other.accessToken;
  }
  const iso = (ms: number) => new Date(ms).toISOString();

  it("uses a JS SDK token file (pretty-printed, milliseconds)", async () => {
    realClockWorld({ accessTokenTtlSec: 3600 });
    await seedToken((t, ms) =>
      JSON.stringify({ startUrl: corp.startUrl, region: "us-east-1", accessToken: t, expiresAt: iso(ms) }, null, 2),
    );
    const c = await resolveCredentials(w.t.ctx, { profile: "dev" });
    expect(w.fake.issued.has(c.accessKeyId)).toBe(true);
  });

  it("uses a legacy token file with a …UTC timestamp", async () => {
    realClockWorld({ accessTokenTtlSec: 3600, deviceInterval: 1 });
    await seedToken(
      (t, ms) =>
        `{"startUrl": "${legacy.startUrl}", "region": "us-east-1", "accessToken": "${t}", "expiresAt": "${iso(ms).replace(/\.\d{3}Z$/, "UTC")}"}`,
      legacy,
    );
    const c = await resolveCredentials(w.t.ctx, { profile: "legacy" });
    expect(w.fake.issued.has(c.accessKeyId)).toBe(true);
  });
});
