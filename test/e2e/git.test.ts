// The git side as a user lives it: the compiled dist/ccsso, REAL git, and the stand-ins (IAM Identity
// Center + a CodeCommit endpoint that checks SigV4 GIT passwords and runs git http-backend) in this test
// process. git reaches the real CodeCommit host names, on the default port, through the stand-in's CONNECT
// proxy (HTTPS_PROXY) and trusts its test CA (GIT_SSL_CAINFO) — so the URL patterns setup-git writes are
// exercised exactly as on a developer's machine. Every spawn is async: the stand-ins share this event loop.
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { roleCredentialsCacheKey } from "../../src/core/cache-keys";
import { readRoleCredentialsCache, writeRoleCredentialsCache } from "../../src/store/role-credentials-cache";
import { sandboxClientEnv, startSandboxServer } from "../fakes/sandbox-server";
import { compiledBinary } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { corp, START_URL } from "../helpers/sso-stand-in";

const STATIC = { accessKeyId: "AKIASTATICEXAMPLE123", secretAccessKey: "staticSecretKeyExample/abcdefghijklmnopqr" };
const US = "git-codecommit.us-east-1.amazonaws.com";
const EU = "git-codecommit.eu-west-1.amazonaws.com";

const CONFIG = `[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
region = us-east-1

[sso-session corp]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile static]
region = eu-west-1
`;

// Every test runs real git several times; on a loaded machine Bun's 5 s default would fail them for speed,
// which is bench's business, not this file's.
setDefaultTimeout(60_000);

let sbx: Sandbox;
let server: ReturnType<typeof startSandboxServer>;
let bin: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function sh(argv: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<Run> {
  const env = { ...sbx.env, ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const proc = Bun.spawn(argv, {
    cwd: opts.cwd ?? sbx.home,
    env: env as Record<string, string>,
    stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

const git = (args: string[], opts: Parameters<typeof sh>[1] = {}) => sh(["git", ...args], opts);
const ccsso = (args: string[], opts: Parameters<typeof sh>[1] = {}) => sh([join(bin, "ccsso"), ...args], opts);

async function ok(r: Promise<Run> | Run): Promise<Run> {
  const res = await r;
  if (res.code !== 0) throw new Error(`exit ${res.code}\n${res.stderr}\n${server?.codecommit.rejections.join("\n")}`);
  return res;
}

let n = 0;
async function commitAndPush(dir: string, opts: Parameters<typeof sh>[1] = {}): Promise<string> {
  // Others may have pushed meanwhile (an empty repository has nothing to pull: that failure is fine).
  await git(["pull", "-q", "--rebase", "origin", "main"], { cwd: dir, ...opts });
  const file = `file-${++n}.txt`;
  writeFileSync(join(dir, file), `change ${n}\n`);
  await ok(git(["add", file], { cwd: dir }));
  await ok(git(["commit", "-q", "-m", `change ${n}`], { cwd: dir }));
  await ok(git(["push", "-q", "origin", "HEAD:main"], { cwd: dir, ...opts }));
  return (await ok(git(["rev-parse", "HEAD"], { cwd: dir }))).stdout.trim();
}

beforeAll(async () => {
  if (!existsSync(compiledBinary)) throw new Error("dist/ccsso is missing: run `make build` (make e2e does)");
  sbx = makeSandbox();
  server = startSandboxServer({ repos: ["demo", "lib", "other"], staticKeys: [STATIC] });
  sbx.writeConfig(CONFIG);
  writeFileSync(
    sbx.awsCredentials,
    `[static]\naws_access_key_id = ${STATIC.accessKeyId}\naws_secret_access_key = ${STATIC.secretAccessKey}\n`,
    { mode: 0o600 },
  );
  // A PATH directory holding the user's `ccsso` (a link to the build): setup-git must write THIS path and put
  // its git-remote-codecommit / git-credential-ccsso links here, never into dist/.
  bin = sbx.path("bin");
  mkdirSync(bin);
  symlinkSync(compiledBinary, join(bin, "ccsso"));
  const browser = sbx.path("browser.sh");
  writeFileSync(browser, '#!/bin/sh\ncurl -fsSL "$1" >/dev/null\n', { mode: 0o755 });
  Object.assign(sbx.env, {
    PATH: `${bin}:${sbx.env.PATH}`,
    ...sandboxClientEnv(server.info),
    BROWSER: browser,
  });
  for (const k of ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT", "DISPLAY"]) delete sbx.env[k];
  // A storing helper for every host, as many developers have: setup-git must keep CodeCommit passwords out of it.
  await ok(git(["config", "--global", "credential.helper", "store"]));
});

afterAll(async () => {
  await server?.close();
  sbx?.cleanup();
});

describe("git with ccsso (compiled) against the CodeCommit stand-in", () => {
  it("setup-git writes the helper by its PATH path and links git-remote-codecommit next to it", async () => {
    // dist/ may hold links from a setup-git run by hand: what matters is that this run adds none there.
    const dist = join(import.meta.dir, "..", "..", "dist");
    const distBefore = readdirSync(dist).sort();
    const r = await ok(ccsso(["setup-git"]));
    expect(r.stdout).toContain("credential.https://git-codecommit.*.amazonaws.com.helper");
    const helpers = (await git(["config", "--global", "--get-all", `credential.https://git-codecommit.*.amazonaws.com.helper`])).stdout;
    expect(helpers).toBe(`\n!${join(bin, "ccsso")} credential-helper\n`);
    expect(existsSync(join(bin, "git-remote-codecommit"))).toBe(true);
    expect(existsSync(join(bin, "git-credential-ccsso"))).toBe(true);
    expect(readdirSync(dist).sort()).toEqual(distBefore);
  });

  it("clones, pushes and fetches over HTTPS with a static-keys profile", async () => {
    const env = { AWS_PROFILE: "static" };
    const a = sbx.path("static-a");
    await ok(git(["clone", "-q", `https://${EU}/v1/repos/other`, a], { env }));
    const head = await commitAndPush(a, { env });
    const b = sbx.path("static-b");
    await ok(git(["clone", "-q", `https://${EU}/v1/repos/other`, b], { env }));
    expect((await git(["rev-parse", "HEAD"], { cwd: b })).stdout.trim()).toBe(head);
    await commitAndPush(b, { env });
    await ok(git(["fetch", "-q"], { cwd: a, env }));
    expect(server.codecommit.authenticatedKeys).toContain(STATIC.accessKeyId);
    expect(server.codecommit.rejections).toEqual([]);
  });

  it("signs in with SSO, then clones, pushes and fetches with the role credentials", async () => {
    const login = await ccsso(["sso", "login", "--profile", "dev"]);
    expect(login.stdout).toContain(`Successfully logged into Start URL: ${START_URL}`);
    const env = { AWS_PROFILE: "dev" };
    const a = sbx.path("sso-a");
    await ok(git(["clone", "-q", `https://${US}/v1/repos/demo`, a], { env }));
    const head = await commitAndPush(a, { env });
    const b = sbx.path("sso-b");
    await ok(git(["clone", "-q", `https://${US}/v1/repos/demo`, b], { env }));
    expect((await git(["rev-parse", "HEAD"], { cwd: b })).stdout.trim()).toBe(head);
    const used = server.codecommit.authenticatedKeys.at(-1)!;
    expect(server.identityCenter.issued.has(used)).toBe(true);
  });

  it("works through codecommit://profile@repo, with no secret in any process's argv during a push", async () => {
    const dir = sbx.path("grc");
    await ok(git(["clone", "-q", "codecommit://dev@demo", dir]));
    writeFileSync(join(dir, "slow.txt"), "watched\n");
    await ok(git(["add", "slow.txt"], { cwd: dir }));
    await ok(git(["commit", "-q", "-m", "watched push"], { cwd: dir }));
    server.codecommit.knobs.latencyMs = 300;
    const secrets = [...server.identityCenter.issued.values()].flatMap((c) => [c.secretAccessKey, c.sessionToken]);
    const push = sh(["git", "push", "-q", "origin", "HEAD:main"], { cwd: dir });
    const seen: string[] = [];
    let done = false;
    void push.then(() => (done = true));
    while (!done) {
      const ps = await sh(["ps", "-eo", "args"]);
      seen.push(...ps.stdout.split("\n").filter((l) => /git|ccsso/.test(l)));
      await Bun.sleep(20);
    }
    server.codecommit.knobs.latencyMs = 0;
    expect((await push).code).toBe(0);
    expect(seen.some((l) => l.includes(`remote-https origin https://${US}/v1/repos/demo`))).toBe(true);
    for (const line of seen) {
      for (const s of secrets) expect(line).not.toContain(s);
      expect(line).not.toMatch(/\d{8}T\d{6}Z[0-9a-f]{64}/);
      expect(line).not.toMatch(/ASIA[A-Z0-9]+%25/);
    }
  });

  it("works through codecommit::us-east-1://profile@repo and fetches what the HTTPS clone pushed", async () => {
    const dir = sbx.path("grc-region");
    await ok(git(["clone", "-q", "codecommit::us-east-1://dev@demo", dir]));
    const head = await commitAndPush(sbx.path("sso-a"), { env: { AWS_PROFILE: "dev" } });
    await ok(git(["fetch", "-q", "origin"], { cwd: dir }));
    expect((await git(["rev-parse", "origin/main"], { cwd: dir })).stdout.trim()).toBe(head);
  });

  it("clones a codecommit:// submodule once protocol.codecommit.allow is set", async () => {
    const lib = sbx.path("lib-src");
    await ok(git(["clone", "-q", "codecommit://dev@lib", lib]));
    await commitAndPush(lib);
    const libFile = n;
    const sup = sbx.path("sso-a");
    await ok(git(["config", "--global", "protocol.codecommit.allow", "always"]));
    await ok(git(["submodule", "add", "-q", "codecommit://dev@lib", "lib"], { cwd: sup }));
    await ok(git(["commit", "-q", "-m", "add submodule"], { cwd: sup }));
    await ok(git(["push", "-q", "origin", "HEAD:main"], { cwd: sup, env: { AWS_PROFILE: "dev" } }));
    const fresh = sbx.path("with-submodule");
    await ok(git(["clone", "-q", "--recurse-submodules", "codecommit://dev@demo", fresh]));
    expect(readFileSync(join(fresh, ".gitmodules"), "utf8")).toContain("url = codecommit://dev@lib");
    expect(existsSync(join(fresh, "lib", `file-${libFile}.txt`))).toBe(true);
    expect((await git(["submodule", "status"], { cwd: fresh })).stdout).toMatch(/^ [0-9a-f]{40} lib/);
  });

  it("also reaches the stand-in directly with http.curloptResolve and an explicit port (signed without the port)", async () => {
    const url = `https://${US}:${server.info.port}/v1/repos/demo`;
    const r = await ok(
      git(
        [
          ...server.codecommit.resolveArgs(US),
          "-c",
          "credential.helper=",
          "-c",
          `credential.helper=${join(bin, "ccsso")} credential-helper --profile dev`,
          "-c",
          "credential.useHttpPath=true",
          "ls-remote",
          url,
          "main",
        ],
        { env: { HTTPS_PROXY: undefined } },
      ),
    );
    expect(r.stdout).toMatch(/^[0-9a-f]{40}\trefs\/heads\/main\n$/);
  });

  it("kept every CodeCommit password out of the globally configured `store` helper", () => {
    const stored = existsSync(sbx.path(".git-credentials")) ? readFileSync(sbx.path(".git-credentials"), "utf8") : "";
    expect(stored).not.toContain("codecommit");
    expect(stored).not.toContain("amazonaws");
  });

  it("makes 20 git operations in a row without one call to IAM Identity Center", async () => {
    const before = { ...server.identityCenter.counters };
    const challenged = server.codecommit.counters.unauthenticated;
    const authorized = server.codecommit.counters.authorized;
    for (let i = 0; i < 10; i++) {
      await ok(git(["ls-remote", "-q", `https://${US}/v1/repos/demo`], { env: { AWS_PROFILE: "dev" } }));
      await ok(git(["ls-remote", "-q", "codecommit://dev@demo"]));
    }
    // Each operation was challenged once (401 → the helper) and then served with a signed password.
    expect(server.codecommit.counters.unauthenticated - challenged).toBe(20);
    expect(server.codecommit.counters.authorized - authorized).toBeGreaterThanOrEqual(20);
    expect(server.identityCenter.counters).toEqual(before);
  });

  it("renews role credentials that run low mid-session, silently", async () => {
    const key = roleCredentialsCacheKey({ login: corp, accountId: "111111111111", roleName: "Developer" });
    const cached = readRoleCredentialsCache({ env: sbx.env, debug: false, stderr: { write() {}, isTTY: false } }, key)!;
    // Time passes: the cached credentials now have 5 minutes left — under the 15-minute reuse window.
    writeRoleCredentialsCache(sbx.env, key, { ...cached, expiration: Date.now() + 5 * 60_000 });
    const calls = server.identityCenter.counters.GetRoleCredentials;
    const r = await ok(git(["fetch", "origin"], { cwd: sbx.path("sso-a"), env: { AWS_PROFILE: "dev" } }));
    expect(r.stderr).not.toContain("ccsso");
    expect(server.identityCenter.counters.GetRoleCredentials).toBe(calls + 1);
    expect(server.codecommit.authenticatedKeys.at(-1)).not.toBe(cached.accessKeyId);
  });

  it("stops git with one line naming the login command when the session is gone (no username prompt)", async () => {
    await ok(ccsso(["sso", "logout", "--profile", "dev"]));
    const r = await git(["fetch", "origin"], { cwd: sbx.path("sso-a"), env: { AWS_PROFILE: "dev", GIT_TERMINAL_PROMPT: undefined } });
    expect(r.code).not.toBe(0);
    const ours = r.stderr.split("\n").filter((l) => l.startsWith("ccsso:"));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toContain("ccsso sso login");
    expect(ours[0]).toContain("dev");
    expect(r.stderr).toContain("told us to quit");
    expect(r.stderr).not.toMatch(/Username for/i);
  });

  it("--uninstall removes exactly what setup-git added", async () => {
    const before = readFileSync(sbx.gitConfig, "utf8");
    expect(before).toContain("credential-helper");
    await ok(ccsso(["setup-git", "--uninstall"]));
    const after = readFileSync(sbx.gitConfig, "utf8");
    expect(after).not.toContain("git-codecommit");
    expect(after).toContain("helper = store");
    expect(existsSync(join(bin, "git-remote-codecommit"))).toBe(false);
  });
});

describe("ccsso installed under a directory name that git's shell must quote", () => {
  // Each install is its own program file (a hard link or a copy, not a symlink to dist/), so both the path
  // setup-git writes and the path the codecommit:// helper hands to its child git are the awkward one.
  it.each([
    ["a space", "my tools"],
    ["a single quote", "o'brien"],
    ["a backslash", "back\\slash"],
  ])("with %s in it: setup-git, then clone and push over https and codecommit://", async (_what, name) => {
    const dir = sbx.path(name, "bin");
    mkdirSync(dir, { recursive: true });
    const exe = join(dir, "ccsso");
    try {
      linkSync(compiledBinary, exe);
    } catch {
      copyFileSync(compiledBinary, exe);
      chmodSync(exe, 0o755);
    }
    const gitConfig = sbx.path(`${name}.gitconfig`);
    writeFileSync(
      gitConfig,
      "[user]\n\tname = ccsso test\n\temail = test@example.invalid\n[init]\n\tdefaultBranch = main\n[credential]\n\thelper = store\n",
    );
    const env = { PATH: `${dir}:${sbx.env.PATH}`, GIT_CONFIG_GLOBAL: gitConfig, AWS_PROFILE: "static" };
    await ok(sh([exe, "setup-git"], { env }));
    const helpers = (await git(["config", "--global", "--get-all", `credential.https://git-codecommit.*.amazonaws.com.helper`], { env }))
      .stdout;
    expect(helpers).toBe(`\n!'${exe.replace(/'/g, "'\\''")}' credential-helper\n`);
    expect(existsSync(join(dir, "git-remote-codecommit"))).toBe(true);
    // As on Windows, git-remote-codecommit is a file of its own (a hard link), not a symlink: started by
    // that name, it must still hand its child git a helper line that runs ccsso, not itself.
    rmSync(join(dir, "git-remote-codecommit"));
    linkSync(exe, join(dir, "git-remote-codecommit"));
    expect((await ok(sh([join(dir, "git-remote-codecommit"), "--version"], { env }))).stdout).toBe(
      (await ok(sh([exe, "--version"], { env }))).stdout,
    );
    const before = server.codecommit.authenticatedKeys.length;

    const https = sbx.path(`${name}-https`);
    await ok(git(["clone", "-q", `https://${EU}/v1/repos/other`, https], { env }));
    const pushed = await commitAndPush(https, { env });
    const grc = sbx.path(`${name}-grc`);
    await ok(git(["clone", "-q", "codecommit://static@other", grc], { env }));
    expect((await git(["rev-parse", "HEAD"], { cwd: grc })).stdout.trim()).toBe(pushed);
    await commitAndPush(grc, { env });
    expect(server.codecommit.authenticatedKeys.length).toBeGreaterThan(before);
    expect(server.codecommit.authenticatedKeys.slice(before).every((k) => k === STATIC.accessKeyId)).toBe(true);
    expect(server.codecommit.rejections).toEqual([]);
  });
});

describe("hostile input to the compiled credential helper", () => {
  const helper = (stdin: string, env: Record<string, string> = {}) =>
    sh([compiledBinary, "credential-helper", "get"], {
      stdin,
      env: {
        AWS_ACCESS_KEY_ID: STATIC.accessKeyId,
        AWS_SECRET_ACCESS_KEY: STATIC.secretAccessKey,
        AWS_SESSION_TOKEN: "SessionTokenThatMustNotLeak",
        ...env,
      },
    });

  it.each([
    ["a CR smuggling a second host", `protocol=https\nhost=evil.example\rhost=${US}\npath=v1/repos/demo\n`],
    [
      "a CodeCommit host after the blank line that ends the request",
      `protocol=https\nhost=evil.example\npath=v1/repos/demo\n\nhost=${US}\n`,
    ],
    ["a NUL in the host", `protocol=https\nhost=${US}\0.evil.example\npath=v1/repos/demo\n`],
    ["a host that contains the CodeCommit name", `protocol=https\nhost=${US}.evil.example\npath=v1/repos/demo\n`],
    ["plain http", `protocol=http\nhost=${US}\npath=v1/repos/demo\n`],
    ["a 64 KiB line", `protocol=https\nhost=${US}\npath=${"x".repeat(64 * 1024)}\n`],
  ])("gives nothing away for %s", async (_name, stdin) => {
    const r = await helper(stdin);
    expect(r.stdout).not.toContain("SessionTokenThatMustNotLeak");
    expect(r.stdout).not.toContain("password=");
    expect(r.stderr).not.toContain("SessionTokenThatMustNotLeak");
  });

  it("answers through unknown keys and capability[]/wwwauth[] lines", async () => {
    const r = await helper(
      `capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=${US}\npath=v1/repos/demo\nwwwauth[]=Basic realm="AWS CodeCommit"\nfrom_the_future=1\n\n`,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^username=AKIASTATICEXAMPLE123%SessionTokenThatMustNotLeak\npassword=\d{8}T\d{6}Z[0-9a-f]{64}\npassword_expiry_utc=\d+\n$/,
    );
  });

  it("tells git to quit, with a one-line hint, when git sends no path", async () => {
    const r = await helper(`protocol=https\nhost=${US}\n`);
    expect(r.stdout).toBe("quit=1\n");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("useHttpPath");
  });

  it("answers real git nothing for a look-alike host, so git gets no token", async () => {
    // Configured for every host, the way `credential.helper = ccsso` would be: the anchoring is what protects.
    const r = await git(["-c", `credential.helper=${compiledBinary} credential-helper`, "credential", "fill"], {
      stdin: `url=https://${US}.evil.example/v1/repos/demo\n\n`,
      env: {
        AWS_ACCESS_KEY_ID: STATIC.accessKeyId,
        AWS_SECRET_ACCESS_KEY: STATIC.secretAccessKey,
        AWS_SESSION_TOKEN: "SessionTokenThatMustNotLeak",
      },
    });
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toContain("SessionTokenThatMustNotLeak");
  });
});
