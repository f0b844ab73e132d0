// Many ccsso processes at once, as git starts them (one credential helper per remote operation, a
// `git submodule foreach`, a CI matrix, two terminals running `sso login`): one network call between
// them, every one of them answered, and a holder killed mid-flight never blocks the next one.
// The compiled binary (`make build`) against the Identity Center stand-in in this process.
import { afterEach, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { compiledBinary } from "../helpers/ccsso";
import { e2eWorld, finished, helperAnswer, helperRequest, spawnCcsso, START_URL, until, type E2eWorld } from "../helpers/sso-e2e";

let w: E2eWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

beforeAll(() => {
  if (!existsSync(compiledBinary) && !process.env.CCSSO_BIN) throw new Error("dist/ccsso is missing: run `make build` first");
});

const HELPERS = 32;

async function helpersAtOnce(world: E2eWorld, n: number) {
  const procs = Array.from({ length: n }, () => spawnCcsso(["credential-helper", "--profile", "dev", "get"], world.sbx.env, helperRequest));
  return Promise.all(procs.map((p) => finished(p)));
}

function locksDir(world: E2eWorld): string {
  return world.sbx.path(".cache", "ccsso", "locks");
}

describe("32 credential helpers started at once", () => {
  it("make one GetRoleCredentials call between them when the cached role credentials have just expired", async () => {
    w = e2eWorld();
    w.seedToken(8 * 3600_000);
    w.seedRoleCredentials(-60_000);
    const results = await helpersAtOnce(w, HELPERS);
    for (const r of results) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(helperAnswer);
    }
    // Every helper signs with the one set of credentials the single call returned.
    const usernames = new Set(results.map((r) => helperAnswer.exec(r.stdout)![1]));
    expect(usernames.size).toBe(1);
    expect(w.fake.counters.GetRoleCredentials).toBe(1);
    expect(w.fake.counters.CreateToken).toBe(0);
  });

  it("make one CreateToken(refresh_token) call between them when the SSO token needs refreshing too", async () => {
    w = e2eWorld();
    const old = w.seedToken(5 * 60_000); // inside the 15-minute refresh window
    w.seedRoleCredentials(-60_000);
    const results = await helpersAtOnce(w, HELPERS);
    for (const r of results) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(helperAnswer);
    }
    expect(w.fake.counters.CreateToken).toBe(1);
    const grant = w.fake.log.find((e) => e.operation === "CreateToken")!.body as Record<string, string>;
    expect(grant.grantType).toBe("refresh_token");
    expect(w.fake.counters.GetRoleCredentials).toBe(1);
    // The role credentials were fetched with the refreshed token, not the one about to run out.
    const used = w.fake.log.find((e) => e.operation === "GetRoleCredentials")!.headers["x-amz-sso_bearer_token"];
    expect(used).not.toBe(old.accessToken);
  });
});

describe("two `sso login` for the same session at once", () => {
  it("open the browser once; the second waits, sees the fresh token and succeeds", async () => {
    w = e2eWorld();
    const browserLog = w.sbx.path("browser.log");
    const go = w.sbx.path("go");
    // The person only approves once the test says so, so the second login surely arrives while the first waits.
    w.browserScript(`echo "$1" >> '${browserLog}'\nwhile [ ! -e '${go}' ]; do sleep 0.05; done\ncurl -fsSL "$1" >/dev/null`);
    const first = spawnCcsso(["sso", "login", "--profile", "dev"], w.sbx.env);
    await until(() => existsSync(browserLog), "the first login to open the browser");
    const secondErr = w.sbx.path("second.err");
    const second = Bun.spawn([compiledBinary, "sso", "login", "--profile", "dev"], {
      env: w.sbx.env,
      stdout: "pipe",
      stderr: Bun.file(secondErr),
    });
    await until(
      () => existsSync(secondErr) && readFileSync(secondErr, "utf8").includes("is signing in to the SSO session corp"),
      "the second login to wait",
    );
    writeFileSync(go, "");
    const [a, b] = await Promise.all([finished(first), second.exited]);
    expect(a.code).toBe(0);
    expect(b).toBe(0);
    expect(a.stdout).toBe(`Successfully logged into Start URL: ${START_URL}\n`);
    expect(await new Response(second.stdout).text()).toBe(`Successfully logged into Start URL: ${START_URL}\n`);
    expect(readFileSync(secondErr, "utf8")).toContain("another ccsso has just signed in to the SSO session corp; using that session.");
    expect(readFileSync(browserLog, "utf8").trim().split("\n")).toHaveLength(1);
    expect(w.fake.counters.CreateToken).toBe(1);
  });

  it("take over the login lock of a login that was SIGKILLed while it waited for the browser", async () => {
    w = e2eWorld();
    const browserLog = w.sbx.path("browser.log");
    const hold = w.sbx.path("hold");
    writeFileSync(hold, "");
    // While `hold` exists the "person" never comes back; afterwards the browser works.
    w.browserScript(`echo "$1" >> '${browserLog}'\nwhile [ -e '${hold}' ]; do sleep 0.05; done\ncurl -fsSL "$1" >/dev/null 2>&1 || true`);
    const victim = spawnCcsso(["sso", "login", "--profile", "dev"], w.sbx.env);
    await until(() => existsSync(browserLog), "the first login to open the browser");
    expect(readdirSync(locksDir(w)).filter((f) => f.startsWith("login-"))).toHaveLength(1);
    victim.kill("SIGKILL");
    await victim.exited;
    writeFileSync(browserLog, "");
    const { unlinkSync } = await import("node:fs");
    unlinkSync(hold);
    const r = await finished(spawnCcsso(["sso", "login", "--profile", "dev"], w.sbx.env));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Successfully logged into Start URL: ${START_URL}\n`);
    // It opened its own browser rather than waiting out the dead login.
    expect(readFileSync(browserLog, "utf8").trim().split("\n").filter(Boolean)).toHaveLength(1);
    expect(readdirSync(locksDir(w)).filter((f) => f.endsWith(".lock"))).toEqual([]);
  });
});

describe("a credential helper killed while it holds the role-credentials lock", () => {
  it("does not block the next helper, which takes the lock over and answers", async () => {
    w = e2eWorld({ latencyMs: { GetRoleCredentials: 60_000 } });
    w.seedToken(8 * 3600_000);
    w.seedRoleCredentials(-60_000);
    const victim = spawnCcsso(["credential-helper", "--profile", "dev", "get"], w.sbx.env, helperRequest);
    await until(() => w!.fake.counters.GetRoleCredentials === 1, "the first helper to call GetRoleCredentials");
    expect(readdirSync(locksDir(w)).filter((f) => f.startsWith("role-"))).toHaveLength(1);
    victim.kill("SIGKILL");
    await victim.exited;
    w.fake.knobs.latencyMs = 0;
    const r = await finished(spawnCcsso(["credential-helper", "--profile", "dev", "get"], w.sbx.env, helperRequest));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(helperAnswer);
    expect(w.fake.counters.GetRoleCredentials).toBe(2);
    expect(readdirSync(locksDir(w)).filter((f) => f.endsWith(".lock"))).toEqual([]);
  });
});
