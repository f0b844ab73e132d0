// When IAM Identity Center (or the network in between) misbehaves: transient errors are retried a
// bounded number of times, nothing hangs git (every call has a deadline), and the user gets ONE line
// naming the endpoint that failed and whether a proxy was in the way. The compiled binary against the
// stand-in's forced errors and raw TCP servers that reset or never answer.
//
// The time bounds here are loose on purpose (15 s for a 5 s deadline): this is a hang test, not a
// speed test.
import { afterEach, beforeAll, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { compiledBinary } from "../helpers/ccsso";
import { createBrokenServer, type BrokenServer } from "../fakes/broken-server";
import { e2eWorld, finished, helperAnswer, helperRequest, spawnCcsso, type E2eWorld } from "../helpers/sso-e2e";

let w: E2eWorld | undefined;
let broken: BrokenServer | undefined;
afterEach(async () => {
  await w?.close();
  await broken?.close();
  w = undefined;
  broken = undefined;
});

beforeAll(() => {
  if (!existsSync(compiledBinary) && !process.env.CCSSO_BIN) throw new Error("dist/ccsso is missing: run `make build` first");
});

/** git must never wait on a dead endpoint much longer than one call's deadline. */
const HANG_BOUND_MS = 15_000;

/** A profile whose role credentials just expired: the next helper must call GetRoleCredentials. */
function needsRoleCredentials(tokenLeftMs = 8 * 3600_000): E2eWorld {
  w = e2eWorld();
  w.seedToken(tokenLeftMs);
  w.seedRoleCredentials(-60_000);
  return w;
}

async function helperGet(world: E2eWorld) {
  const started = Date.now();
  const r = await finished(spawnCcsso(["credential-helper", "--profile", "dev", "get"], world.sbx.env, helperRequest), 60_000);
  return { ...r, ms: Date.now() - started, lines: r.stderr.trim().split("\n") };
}

describe("transient service errors", () => {
  it.each([
    ["a 500 InternalServerException", "InternalServerException"],
    ["a 429 TooManyRequestsException", "TooManyRequestsException"],
  ])("are retried once: the helper answers after %s", async (_what, type) => {
    const world = needsRoleCredentials();
    world.fake.failNext("GetRoleCredentials", { type, times: 1 });
    const r = await helperGet(world);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(helperAnswer);
    expect(world.fake.counters.GetRoleCredentials).toBe(2);
  });

  it.each([
    ["500s", "InternalServerException"],
    ["429s", "TooManyRequestsException"],
  ])("that persist (%s) end in one line naming the operation and endpoint after a bounded number of tries", async (_what, type) => {
    const world = needsRoleCredentials();
    world.fake.failNext("GetRoleCredentials", { type, times: 100 });
    const r = await helperGet(world);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("quit=1\n");
    expect(r.lines).toEqual([
      `ccsso: IAM Identity Center portal GetRoleCredentials failed: ${type}: Forced ${type} (${world.fake.url}) — IAM Identity Center is failing or throttling (direct, no proxy); try again in a minute`,
    ]);
    expect(world.fake.counters.GetRoleCredentials).toBe(2);
  });
});

describe("network faults", () => {
  it("a connection reset is retried once, then reported in one line naming the endpoint", async () => {
    const world = needsRoleCredentials();
    broken = await createBrokenServer("reset");
    world.sbx.env.AWS_ENDPOINT_URL_SSO = broken.url;
    const r = await helperGet(world);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("quit=1\n");
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toStartWith(`ccsso: cannot reach IAM Identity Center portal at ${broken.url}: ECONNRESET`);
    expect(r.lines[0]).toEndWith("request went direct (no proxy set); check the network, or set HTTPS_PROXY if a proxy is required");
    expect(broken.connections()).toBe(2);
    expect(r.ms).toBeLessThan(HANG_BOUND_MS);
  });

  it("a portal that accepts and never answers fails the helper within the deadline instead of hanging git", async () => {
    const world = needsRoleCredentials();
    broken = await createBrokenServer("silent");
    world.sbx.env.AWS_ENDPOINT_URL_SSO = broken.url;
    const r = await helperGet(world);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("quit=1\n");
    expect(r.lines).toEqual([
      `ccsso: IAM Identity Center portal GetRoleCredentials at ${broken.url} did not answer within 5 s — request went direct (no proxy set); check the network, or set HTTPS_PROXY if a proxy is required`,
    ]);
    expect(r.ms).toBeLessThan(HANG_BOUND_MS);
  }, 30_000);

  it("a silent OIDC endpoint during a token refresh and a silent portal still end within the bound", async () => {
    const world = needsRoleCredentials(5 * 60_000); // the token needs refreshing
    broken = await createBrokenServer("silent");
    world.sbx.env.AWS_ENDPOINT_URL_SSO = broken.url;
    world.sbx.env.AWS_ENDPOINT_URL_SSO_OIDC = broken.url;
    const r = await helperGet(world);
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toContain("did not answer within 5 s");
    expect(r.ms).toBeLessThan(HANG_BOUND_MS);
  }, 30_000);

  it("an unresolvable host is one line naming it", async () => {
    const world = needsRoleCredentials();
    world.sbx.env.AWS_ENDPOINT_URL_SSO = "https://portal.invalid";
    const r = await helperGet(world);
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toStartWith("ccsso: cannot reach IAM Identity Center portal at https://portal.invalid: ");
    expect(r.lines[0]).toContain("portal.invalid");
    expect(r.ms).toBeLessThan(HANG_BOUND_MS);
  });

  it("a proxy that refuses connections is named in the line", async () => {
    const world = needsRoleCredentials();
    broken = await createBrokenServer("reset");
    const proxy = broken.url;
    await broken.close(); // nothing listens there now: connection refused
    broken = undefined;
    Object.assign(world.sbx.env, { HTTP_PROXY: proxy, HTTPS_PROXY: proxy });
    const r = await helperGet(world);
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toStartWith(`ccsso: cannot reach IAM Identity Center portal at ${world.fake.url}: `);
    // The stand-in portal is plain http, so HTTP_PROXY is the variable that chose the proxy, and the line says so.
    expect(r.lines[0]).toContain(`request went through proxy ${proxy} (HTTP_PROXY)`);
    expect(world.fake.counters.GetRoleCredentials).toBe(0);
  });

  it("sso login against an OIDC endpoint that keeps failing names it in one line", async () => {
    w = e2eWorld();
    w.fake.failNext("RegisterClient", { type: "InternalServerException", times: 100 });
    w.browserScript("true");
    const r = await finished(spawnCcsso(["sso", "login", "--profile", "dev"], w.sbx.env));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      `ccsso: IAM Identity Center OIDC RegisterClient failed: InternalServerException: Forced InternalServerException (${w.fake.url}) — IAM Identity Center is failing or throttling (direct, no proxy); try again in a minute`,
    ]);
    // The SDK's standard retry mode: 3 attempts with jittered backoff, then give up.
    expect(w.fake.counters.RegisterClient).toBe(3);
  });

  it("whoami against an STS endpoint that never answers fails within the bound", async () => {
    const world = needsRoleCredentials();
    world.seedRoleCredentials(8 * 3600_000);
    broken = await createBrokenServer("silent");
    world.sbx.env.AWS_ENDPOINT_URL_STS = broken.url;
    const started = Date.now();
    const r = await finished(spawnCcsso(["whoami", "--profile", "dev"], world.sbx.env));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(broken.url);
    expect(r.stderr).toContain("timed out");
    expect(Date.now() - started).toBeLessThan(HANG_BOUND_MS);
  }, 30_000);
});
