// `ccsso serve` as a person uses it for a container: the compiled binary signed in against the stand-ins,
// serving on loopback; then, in a separate process with its own empty HOME and nothing of the host's
// AWS set-up — only the two variables serve printed, plus the stand-ins' proxy and CA — real git clones
// a CodeCommit repository through `ccsso credential-helper`, which takes the container source. No secret
// of serve's shows in `ps`, in its log or in --debug output; Ctrl-C and SIGTERM stop it in one line.
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sandboxClientEnv, startSandboxServer } from "../fakes/sandbox-server";
import { compiledBinary } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { startServe, type ServeProcess } from "../helpers/serve-process";
import { START_URL } from "../helpers/sso-stand-in";

const US = "git-codecommit.us-east-1.amazonaws.com";
const CONFIG = `[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
region = us-east-1

[sso-session corp]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`;

// Real git and a signed-in binary on a shared, loaded machine: speed is bench's business.
setDefaultTimeout(90_000);

let sbx: Sandbox;
let server: ReturnType<typeof startSandboxServer>;
let bin: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function sh(argv: string[], env: Record<string, string | undefined>, cwd = sbx.home, stdin?: string): Promise<Run> {
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const proc = Bun.spawn(argv, {
    cwd,
    env: env as Record<string, string>,
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** A container's view: an empty HOME, no AWS config, only serve's two variables and the stand-ins' network. */
function containerEnv(serve: ServeProcess, home: string): Record<string, string> {
  const net = sandboxClientEnv(server.info);
  mkdirSync(home, { recursive: true });
  return {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: "1",
    AWS_CONTAINER_CREDENTIALS_FULL_URI: serve.url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: serve.token,
    HTTPS_PROXY: net.HTTPS_PROXY!,
    NO_PROXY: net.NO_PROXY!,
    GIT_SSL_CAINFO: net.GIT_SSL_CAINFO!,
  };
}

/** Every secret in play: what the stand-in issued, the SSO tokens it holds, and serve's token. */
function secrets(serve: ServeProcess): string[] {
  const issued = [...server.identityCenter.issued.values()].flatMap((c) => [c.secretAccessKey, c.sessionToken]);
  return [...issued, serve.token];
}

beforeAll(async () => {
  if (!existsSync(compiledBinary)) throw new Error("dist/ccsso is missing: run `make build` (make e2e does)");
  sbx = makeSandbox();
  server = startSandboxServer({ repos: ["demo"] });
  sbx.writeConfig(CONFIG);
  bin = sbx.path("bin");
  mkdirSync(bin);
  symlinkSync(compiledBinary, join(bin, "ccsso"));
  const browser = sbx.path("browser.sh");
  writeFileSync(browser, '#!/bin/sh\ncurl -fsSL "$1" >/dev/null\n', { mode: 0o755 });
  Object.assign(sbx.env, { PATH: `${bin}:${sbx.env.PATH}`, ...sandboxClientEnv(server.info), BROWSER: browser });
  for (const k of ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT", "DISPLAY"]) delete sbx.env[k];
  const login = await sh([compiledBinary, "sso", "login", "--profile", "dev"], { ...sbx.env });
  if (login.code !== 0) throw new Error(login.stderr);
});

afterAll(async () => {
  await server?.close();
  sbx?.cleanup();
});

describe("ccsso serve for a container", () => {
  it("git in a separate process with only the two variables clones through ccsso's credential helper; nothing secret in ps, logs or --debug", async () => {
    const serve = await startServe(["--profile", "dev", "--debug"], { ...sbx.env });
    try {
      expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
      expect(serve.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const env = containerEnv(serve, sbx.path("container-home"));
      const dir = sbx.path("container-clone");
      // What the devcontainer's postCreateCommand runs (README: Containers), in the container's own HOME.
      const setup = await sh(["ccsso", "setup-git"], { ...env });
      if (setup.code !== 0) throw new Error(`setup-git failed: ${setup.stderr}`);
      const clone = sh(["git", "clone", "-q", `https://${US}/v1/repos/demo`, dir], { ...env });
      let done = false;
      void clone.then(() => (done = true));
      const seen: string[] = [];
      while (!done) {
        const ps = await sh(["ps", "-eo", "args"], { PATH: process.env.PATH });
        seen.push(...ps.stdout.split("\n").filter((l) => /git|ccsso/.test(l)));
        await Bun.sleep(20);
      }
      const r = await clone;
      if (r.code !== 0) throw new Error(`clone failed: ${r.stderr}\n${serve.stderr()}\n${server.codecommit.rejections.join("\n")}`);
      expect(existsSync(join(dir, ".git"))).toBe(true);
      // The key git signed with is one the stand-in issued for the role serve holds.
      const used = server.codecommit.authenticatedKeys.at(-1)!;
      expect(server.identityCenter.issued.get(used)?.roleName).toBe("Developer");
      expect(serve.stderr()).toMatch(/ccsso: serve: GET \/credentials from 127\.0\.0\.1 200\n/);

      // The container's helper with --debug: says where credentials came from, shows none of them.
      const dbg = await sh(
        ["ccsso", "--debug", "credential-helper", "get"],
        { ...env },
        sbx.home,
        `protocol=https\nhost=${US}\npath=v1/repos/demo\n\n`,
      );
      expect(dbg.code).toBe(0);
      expect(dbg.stderr).toContain("credentials: container endpoint http://127.0.0.1:");

      for (const s of secrets(serve)) {
        for (const line of seen) expect(line).not.toContain(s);
        expect(serve.stderr()).not.toContain(s);
        expect(dbg.stderr).not.toContain(s);
      }
      expect(serve.stderr()).toContain("ccsso: debug: serve: credentials ");
      expect(seen.some((l) => l.includes("ccsso serve --profile dev --debug"))).toBe(true);
    } finally {
      await serve.stop();
    }
  });

  it("refuses the container's helper with a wrong token, and git says so in one line", async () => {
    const serve = await startServe(["--profile", "dev"], { ...sbx.env });
    try {
      const env = { ...containerEnv(serve, sbx.path("wrong-home")), AWS_CONTAINER_AUTHORIZATION_TOKEN: "x".repeat(43) };
      const r = await sh(["ccsso", "credential-helper", "get"], env, sbx.home, `protocol=https\nhost=${US}\npath=v1/repos/demo\n\n`);
      expect(r.code).not.toBe(0);
      // git-credential(1): quit=1 stops git asking anyone else (or the terminal) for a password.
      expect(r.stdout).toBe("quit=1\n");
      expect(r.stderr).toContain("refused the request (HTTP 403)");
      expect(serve.stderr()).toContain("403 (wrong token)");
      for (const s of secrets(serve)) expect(r.stderr + serve.stderr()).not.toContain(s);
    } finally {
      await serve.stop();
    }
  });

  it("Ctrl-C stops it with one line and exit 130; the token then no longer works", async () => {
    const serve = await startServe(["--profile", "dev"], { ...sbx.env });
    const code = await serve.stop("SIGINT");
    expect(code).toBe(130);
    expect(serve.stderr().trimEnd().split("\n").at(-1)).toBe("ccsso: serve stopped; the token no longer works");
    expect(
      await fetch(serve.url, { headers: { Authorization: serve.token } }).then(
        () => "answered",
        () => "refused",
      ),
    ).toBe("refused");
  });

  it("--env-file writes docker's format, 0600, prints no secret, and SIGTERM (exit 0) removes it", async () => {
    const file = sbx.path("serve.env");
    const serve = await startServe(["--profile", "dev", "--env-file", file], { ...sbx.env });
    const text = readFileSync(file, "utf8");
    const [, url] = /^AWS_CONTAINER_CREDENTIALS_FULL_URI=(http:\/\/127\.0\.0\.1:\d+\/credentials)\n/.exec(text) ?? [];
    const [, token] = /\nAWS_CONTAINER_AUTHORIZATION_TOKEN=([A-Za-z0-9_-]{43})\n$/.exec(text) ?? [];
    expect(url).toBeDefined();
    expect(token).toBeDefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(serve.stdout()).toBe("");
    expect(serve.stderr()).not.toContain(token!);
    const res = await fetch(url!, { headers: { Authorization: token! } });
    expect(res.status).toBe(200);
    expect(await serve.stop("SIGTERM")).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect(serve.stderr()).toContain(`ccsso: serve stopped; ${file} removed; the token no longer works\n`);
  });

  it("refuses to listen on every interface, in one line with exit 2", async () => {
    const r = await sh([compiledBinary, "serve", "--profile", "dev", "--address", "0.0.0.0"], { ...sbx.env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("--address 0.0.0.0 would listen on every network this machine is on");
  });
});
