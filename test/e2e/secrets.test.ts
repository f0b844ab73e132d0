// No secret leaves ccsso except where printing it is the command's job. A representative session —
// both login flows, the credential helper, export-credentials, whoami, status, doctor, a refresh the
// service refuses, logout — runs with --debug (the most talkative mode) under umask 000 (the most
// permissive), against the stand-ins. Then every secret the stand-ins issued or received (access and
// refresh tokens, client secrets, device and authorization codes, PKCE verifiers, secret keys, session
// tokens) is searched for in every stdout/stderr; and every file ccsso wrote must be 0600 in a 0700
// directory. (Secrets in spawned processes' argv during a codecommit:// push: test/e2e/git.test.ts.)
import { afterEach, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compiledBinary } from "../helpers/ccsso";
import { createFakeAwsApis } from "../fakes/aws-apis";
import { e2eWorld, finished, helperAnswer, helperRequest, START_URL, type E2eWorld } from "../helpers/sso-e2e";
import { tokenCachePath } from "../../src/store/token-cache";
import { corp } from "../helpers/sso-stand-in";
import { formatCacheTimestamp } from "../../src/core/timestamps";

let w: E2eWorld | undefined;
let sts: { stop(): void } | undefined;
afterEach(async () => {
  await w?.close();
  sts?.stop();
  w = sts = undefined;
});

beforeAll(() => {
  if (!existsSync(compiledBinary) && !process.env.CCSSO_BIN) throw new Error("dist/ccsso is missing: run `make build` first");
});

interface Ran {
  what: string;
  stdout: string;
  stderr: string;
  code: number;
  /** stdout carries credentials by design (export-credentials, the credential helper). */
  stdoutIsSecret: boolean;
}

/** Run the binary under umask 000, so only ccsso's own modes protect what it writes. */
async function ccsso(
  world: E2eWorld,
  args: string[],
  opts: { stdin?: string; stdoutIsSecret?: boolean; env?: Record<string, string> } = {},
): Promise<Ran> {
  const proc = Bun.spawn(["sh", "-c", 'umask 000; exec "$@"', "sh", compiledBinary, ...args], {
    env: { ...world.sbx.env, ...opts.env },
    stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const r = await finished(proc);
  return { what: args.join(" "), ...r, stdoutIsSecret: opts.stdoutIsSecret ?? false };
}

/** Every secret value that crossed the stand-ins, from their request logs and what they issued. */
function secretsSeen(world: E2eWorld): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === "string" && v.length >= 8) out.add(v);
  };
  for (const e of world.fake.log) {
    const body = (typeof e.body === "object" && e.body ? e.body : {}) as Record<string, unknown>;
    for (const k of ["clientSecret", "deviceCode", "code", "codeVerifier", "refreshToken"]) add(body[k]);
    add(e.headers["x-amz-sso_bearer_token"]);
  }
  for (const c of world.fake.issued.values()) {
    add(c.secretAccessKey);
    add(c.sessionToken);
  }
  // And what ccsso wrote to its caches (tokens and secrets from the answers).
  for (const dir of [world.sbx.path(".aws", "sso", "cache"), world.sbx.path(".aws", "cli", "cache")]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      if (!f.endsWith(".json")) continue;
      const obj = JSON.parse(readFileSync(join(dir, f), "utf8")) as Record<string, unknown>;
      for (const k of ["accessToken", "refreshToken", "clientSecret"]) add(obj[k]);
      const creds = obj.Credentials as Record<string, unknown> | undefined;
      if (creds) {
        add(creds.SecretAccessKey);
        add(creds.SessionToken);
      }
    }
  }
  return out;
}

function filesUnder(dir: string): Array<{ path: string; dir: boolean }> {
  if (!existsSync(dir)) return [];
  const out: Array<{ path: string; dir: boolean }> = [{ path: dir, dir: true }];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push({ path: p, dir: false });
  }
  return out;
}

describe("secrets", () => {
  it("appear in no output except the credentials a command exists to print, and every file is 0600 in a 0700 directory", async () => {
    w = e2eWorld({ deviceInterval: 1 });
    const world = w;
    const apis = createFakeAwsApis({ issued: world.fake.issued }).start();
    sts = apis;
    world.sbx.env.AWS_ENDPOINT_URL_STS = apis.url;
    world.browserScript('curl -fsSL "$1" >/dev/null');
    const runs: Ran[] = [];
    const step = async (args: string[], opts: Parameters<typeof ccsso>[2] = {}, expectCode = 0) => {
      const r = await ccsso(world, [...args, "--debug"], opts);
      runs.push(r);
      if (expectCode >= 0 && r.code !== expectCode) throw new Error(`ccsso ${r.what} exited ${r.code}: ${r.stderr}`);
      return r;
    };

    await step(["sso", "login", "--profile", "dev"]);
    await step(["sso", "login", "--profile", "dev", "--use-device-code"]);
    const helper = await step(["credential-helper", "--profile", "dev", "get"], { stdin: helperRequest, stdoutIsSecret: true });
    expect(helper.stdout).toMatch(helperAnswer);
    await step(["export-credentials", "--profile", "dev"], { stdoutIsSecret: true });
    await step(["whoami", "--profile", "dev"]);
    // A warm whoami (cached role credentials, no sign-in) still says what it used: profile and rule,
    // credential source, cache file, endpoint — and nothing secret (checked with the rest below).
    const warm = await step(["whoami", "--profile", "dev"]);
    for (const line of [
      "ccsso: debug: profile: profile dev (from --profile)",
      "ccsso: debug: credentials: SSO role Developer in 111111111111 (sso-session corp); role credentials cache " +
        world.sbx.path(".aws", "cli", "cache"),
      "; no network call",
      `ccsso: debug: STS endpoint ${apis.url}`,
    ])
      expect(warm.stderr).toContain(line);
    // The config also has a legacy profile that was never signed in: status says so with exit 3;
    // asked about dev alone it is 0.
    await step(["sso", "status"], {}, 3);
    await step(["sso", "status", "--json"], {}, 3);
    await step(["sso", "status", "--profile", "dev"]);
    // doctor exits 1 here (git is not set up for ccsso in this sandbox); only its output matters.
    await step(["doctor", "--profile", "dev"], {}, -1);
    await step(
      ["configure", "sso-session", "--sso-session", "other", "--start-url", START_URL, "--sso-region", "us-east-1", "--no-input"],
      {
        env: { AWS_CONFIG_FILE: world.sbx.path(".aws", "new-config") },
      },
    );

    // A refresh the service refuses: the token is inside the refresh window, its refresh token revoked,
    // and the role credentials must be fetched again.
    const path = tokenCachePath(world.sbx.env, corp);
    const token = JSON.parse(readFileSync(path, "utf8"));
    writeFileSync(path, JSON.stringify({ ...token, expiresAt: formatCacheTimestamp(Date.now() - 60_000) }));
    for (const f of readdirSync(world.sbx.path(".aws", "cli", "cache"))) writeFileSync(world.sbx.path(".aws", "cli", "cache", f), "{}");
    world.fake.revokeRefreshTokens();
    const refused = await step(["credential-helper", "--profile", "dev", "get"], { stdin: helperRequest, stdoutIsSecret: true }, 3);
    expect(refused.stdout).toBe("quit=1\n");
    expect(world.fake.log.some((e) => e.operation === "CreateToken" && e.awsType === "InvalidGrantException")).toBe(true);
    // The refused refresh token is still in the cache (the user may want to inspect it); log out for real.
    const secrets = secretsSeen(world);
    await step(["sso", "login", "--profile", "dev"]);
    await step(["credential-helper", "--profile", "dev", "get"], { stdin: helperRequest, stdoutIsSecret: true });
    const written = [
      ...filesUnder(world.sbx.path(".aws", "sso")),
      ...filesUnder(world.sbx.path(".aws", "cli")),
      ...filesUnder(world.sbx.path(".cache", "ccsso")),
      { path: world.sbx.path(".aws", "new-config"), dir: false },
    ].map((f) => ({ ...f, mode: (statSync(f.path).mode & 0o777).toString(8) }));
    await step(["sso", "logout", "--profile", "dev"]);
    for (const s of secretsSeen(world)) secrets.add(s);

    // Enough secrets of each kind were collected for the search to mean something.
    expect(secrets.size).toBeGreaterThanOrEqual(10);
    expect(runs.some((r) => r.stderr.includes("ccsso: debug:"))).toBe(true);
    for (const r of runs) {
      for (const s of secrets) {
        if (r.stderr.includes(s)) throw new Error(`ccsso ${r.what} printed a secret on stderr: …${s.slice(0, 6)}…`);
        if (!r.stdoutIsSecret && r.stdout.includes(s)) throw new Error(`ccsso ${r.what} printed a secret on stdout: …${s.slice(0, 6)}…`);
      }
    }

    // umask 000, yet: caches and locks private (as they were just before the logout removed the session).
    expect(written.filter((f) => !f.dir).length).toBeGreaterThanOrEqual(4);
    for (const f of written) expect({ path: f.path, mode: f.mode }).toEqual({ path: f.path, mode: f.dir ? "700" : "600" });
  }, 120_000);
});
