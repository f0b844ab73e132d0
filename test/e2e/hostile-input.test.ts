// Input that is broken by accident or built to trick: start URLs with credentials in them or that
// lead off AWS, a browser that hits the loopback callback twice, a repository name that is a path,
// profile names with `@`, spaces and unicode. The compiled binary against the Identity Center stand-in.
// (Elsewhere: forged PKCE state, access_denied, expired device codes, http:// start URLs —
// test/e2e/sso-login.test.ts; CR/LF/NUL and overlong credential lines — test/unit/credential-protocol,
// test/unit/properties; the stdin reader's cap with injected reads — test/unit/stdin; damaged cache files — test/wire/damaged-caches; BOM/CRLF/duplicate sections —
// test/unit/ini, test/contract/config-writer.)
import { afterEach, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { ccssoCommand, compiledBinary } from "../helpers/ccsso";
import { makeSandbox } from "../helpers/sandbox";
import { SSO_CONFIG } from "../helpers/sso-stand-in";
import { startVanityRedirector } from "../fakes/vanity-redirector";
import { e2eWorld, finished, spawnCcsso, START_URL, type E2eWorld } from "../helpers/sso-e2e";

let w: E2eWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

beforeAll(() => {
  if (!existsSync(compiledBinary) && !process.env.CCSSO_BIN) throw new Error("dist/ccsso is missing: run `make build` first");
});

const run = (world: E2eWorld, args: string[]) => finished(spawnCcsso(args, world.sbx.env));

describe("start URLs", () => {
  it("refuses one with a user name and password before any call, without echoing the password", async () => {
    w = e2eWorld();
    writeFileSync(
      w.sbx.awsConfig,
      SSO_CONFIG +
        `[sso-session trap]\nsso_start_url = https://alice:hunter2secret@d-1234567890.awsapps.com/start\nsso_region = us-east-1\n`,
    );
    w.browserScript("exit 1");
    const r = await run(w, ["sso", "login", "--sso-session", "trap"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      "ccsso: the sso_start_url must not contain a user name or password (got https://…@d-1234567890.awsapps.com/start) — run: ccsso configure sso-session --sso-session trap",
    ]);
    expect(w.fake.counters.RegisterClient).toBe(0);
    expect(existsSync(w.sbx.path(".aws", "sso", "cache"))).toBe(false);
  });

  it("refuses one that does not lead to an AWS access portal, in one line, before any sign-in", async () => {
    const vanity = startVanityRedirector({ location: "https://login.example.net/sso" });
    try {
      w = e2eWorld({}, { AWS_CA_BUNDLE: vanity.caFile });
      writeFileSync(w.sbx.awsConfig, SSO_CONFIG + `[sso-session odd]\nsso_start_url = ${vanity.url}\nsso_region = us-east-1\n`);
      w.browserScript('curl -fsSL "$1" >/dev/null');
      const r = await run(w, ["sso", "login", "--sso-session", "odd"]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split("\n")).toEqual([
        `ccsso: the sso_start_url ${vanity.url} does not lead to an AWS access portal (it ends at https://login.example.net/sso) — run: ccsso configure sso-session --sso-session odd`,
      ]);
      expect(vanity.log).toEqual([{ method: "HEAD", path: "/start" }]);
      expect(w.fake.log).toEqual([]);
    } finally {
      await vanity.close();
    }
  });

  it("signs in through a vanity start URL with the portal URL its redirect names", async () => {
    const vanity = startVanityRedirector({ location: "https://ssoins-7223a1b2c3d4e5f6.portal.us-east-1.app.aws/" });
    try {
      w = e2eWorld({}, { AWS_CA_BUNDLE: vanity.caFile });
      writeFileSync(w.sbx.awsConfig, SSO_CONFIG + `[sso-session mine]\nsso_start_url = ${vanity.url}\nsso_region = us-east-1\n`);
      w.browserScript('curl -fsSL "$1" >/dev/null');
      const r = await run(w, ["sso", "login", "--sso-session", "mine"]);
      expect(r.stderr).not.toContain("ccsso: ");
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`Successfully logged into Start URL: ${vanity.url}\n`);
      expect(w.fake.log.find((x) => x.operation === "RegisterClient")?.body).toMatchObject({
        issuerUrl: "https://ssoins-7223a1b2c3d4e5f6.portal.us-east-1.app.aws",
      });
    } finally {
      await vanity.close();
    }
  });
});

describe("the loopback callback", () => {
  it("hit twice with the same code signs in once and exchanges the code once", async () => {
    w = e2eWorld();
    w.browserScript(`loc=$(curl -s -o /dev/null -w '%{redirect_url}' "$1")\ncurl -s "$loc" >/dev/null\ncurl -s "$loc" >/dev/null || true`);
    const r = await run(w, ["sso", "login", "--profile", "dev"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Successfully logged into Start URL: ${START_URL}\n`);
    expect(w.fake.counters.CreateToken).toBe(1);
  });
});

describe("names", () => {
  it("refuses a repository name that is a path (../) before any call", async () => {
    w = e2eWorld();
    const r = await run(w, ["clone", "../other", "--profile", "dev", "--region", "us-east-1"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      'ccsso: "../other" is not a CodeCommit repository name (letters, digits, . _ - only, at most 100) — run: ccsso repos to list them',
    ]);
  });

  it("serves a profile whose name has @, spaces and unicode, named as the user wrote it", async () => {
    w = e2eWorld();
    const name = "team@acct ü x";
    writeFileSync(
      w.sbx.awsConfig,
      SSO_CONFIG + `[profile '${name}']\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Developer\n`,
    );
    const signedOut = await run(w, ["export-credentials", "--profile", name]);
    expect(signedOut.code).toBe(3);
    expect(signedOut.stderr).toContain(`run: ccsso sso login --profile '${name}'`);
    w.seedToken(8 * 3600_000);
    const r = await run(w, ["export-credentials", "--profile", name]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) });
    expect(w.fake.counters.GetRoleCredentials).toBe(1);
  });
});

describe("git's stdin", () => {
  // Python feeds the pipe and measures: how much the helper took before it hung up, and its peak RSS
  // (getrusage of the waited-for child). Buffering the whole stream first cost 838 MB for 500 MB.
  const feeder = `
import json, resource, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
chunk = b"path=" + b"A" * (64 * 1024 - 6) + b"\\n"
sent = 0
try:
    while sent < 500 * 1024 * 1024:
        p.stdin.write(chunk)
        sent += len(chunk)
    p.stdin.close()
except BrokenPipeError:
    pass
out, err = p.stdout.read(), p.stderr.read()
code = p.wait()
print(json.dumps({"sent": sent, "code": code, "stdout": out.decode(), "stderr": err.decode(), "maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
`;

  it("refuses 500 MB without reading it all, in bounded memory", async () => {
    const sbx = makeSandbox({
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    });
    try {
      const p = Bun.spawn(["python3", "-c", feeder, ...ccssoCommand({ compiled: true }), "credential-helper", "get"], {
        env: sbx.env,
        stdout: "pipe",
        stderr: "inherit",
      });
      const [out, code] = await Promise.all([new Response(p.stdout).text(), p.exited]);
      expect(code).toBe(0);
      const r = JSON.parse(out) as { sent: number; code: number; stdout: string; stderr: string; maxrss_kib: number };
      expect(r.stderr).toBe("ccsso: credential request is larger than 1 MiB\n");
      expect(r.stdout).toBe("");
      expect(r.code).toBe(2);
      // It hung up after about the cap: 1 MiB, plus what the pipe and the writer's buffer held.
      expect(r.sent).toBeLessThan(8 * 1024 * 1024);
      // A warm helper peaks near 25 MiB; reading 500 MB into memory first peaked above 500 MiB.
      expect(r.maxrss_kib).toBeLessThan(100 * 1024);
    } finally {
      sbx.cleanup();
    }
  }, 60_000);
});
