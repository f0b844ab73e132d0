// A person's first hour, in order, as they meet it: a fresh home, the compiled binary on PATH, real git,
// the stand-ins for IAM Identity Center and CodeCommit, and a pseudo-terminal wherever a person would be
// typing. First the wizard with a profile that is not called `default`, then the README's quick start
// exactly as the README writes it, then the mistakes people make in that hour — each with the exact line
// they now see and the exit code a script gets. The tests share one home and run in order: each step
// starts from what the previous ones left behind, as the hour does.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { appendFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sandboxClientEnv, startSandboxServer } from "../fakes/sandbox-server";
import { compiledBinary, repoRoot } from "../helpers/ccsso";
import { keys, runInPty, type PtyStep } from "../helpers/pty";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The README's quick start (its first `make install` line), split at `# then:` into the commands and the git clone it suggests. */
function quickStart(): { commands: string[]; nextClone: string } {
  const block = /```sh\n(make install[\s\S]*?)```/.exec(readme)![1]!;
  const line = block.split("\n")[0]!;
  const [commands, comment] = line.split(/\s+#\s+/, 2) as [string, string];
  return { commands: commands.split("&&").map((c) => c.trim()), nextClone: /then: (git clone \S+)/.exec(comment)![1]! };
}

let sbx: Sandbox;
let server: ReturnType<typeof startSandboxServer>;

/** A person's shell: bash in the sandbox home with ccsso on PATH; on a pseudo-terminal when steps are given. */
async function shell(command: string, opts: { steps?: PtyStep[]; env?: Record<string, string | undefined> } = {}) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...sbx.env, ...opts.env })) if (v !== undefined) env[k] = v;
  if (opts.steps) {
    const r = await runInPty(["bash", "-c", command], { env, cwd: sbx.home, steps: opts.steps, timeoutSeconds: 40 });
    return { code: r.code, screen: r.screen, stdout: "", stderr: "", failed: r.failed };
  }
  const proc = Bun.spawn(["bash", "-c", command], { cwd: sbx.home, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr, screen: stdout + stderr, failed: null };
}

beforeAll(() => {
  if (!existsSync(compiledBinary)) throw new Error("dist/ccsso is missing: run `make build` (make e2e does)");
  sbx = makeSandbox();
  server = startSandboxServer({ repos: ["demo"] });
  const bin = sbx.path("bin");
  mkdirSync(bin);
  symlinkSync(compiledBinary, join(bin, "ccsso"));
  const browser = sbx.path("browser.sh");
  writeFileSync(browser, '#!/bin/sh\ncurl -fsSL "$1" >/dev/null\n', { mode: 0o755 });
  Object.assign(sbx.env, { PATH: `${bin}:${sbx.env.PATH}`, BROWSER: browser, ...sandboxClientEnv(server.info) });
  for (const k of ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT", "DISPLAY", "WAYLAND_DISPLAY", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"])
    delete sbx.env[k];
});

afterAll(async () => {
  await server?.close();
  sbx?.cleanup();
});

const ONLY_DEV = "ccsso: using profile dev, the only SSO profile (no --profile, AWS_PROFILE or [default] profile)";

describe("the first hour", () => {
  it("the README's quick start, exactly as written, with a profile named dev", async () => {
    const { commands, nextClone } = quickStart();
    // `make install` is what put ccsso on PATH; the rest runs as written, in one shell line.
    expect(commands[0]).toBe("make install");
    const line = commands.slice(1).join(" && ");
    expect(line).toBe("ccsso configure sso && ccsso sso login && ccsso setup-git");
    const r = await shell(`${line}; echo "exit=$?"`, {
      steps: [
        { expect: esc("SSO session name (Recommended): ") },
        { send: "my-company\r" },
        { expect: esc("SSO start URL [None]: ") },
        { send: "https://my-company.awsapps.com/start\r" },
        { expect: esc("SSO region [None]: ") },
        { send: "us-east-1\r" },
        { expect: esc("SSO registration scopes [sso:account:access]: ") },
        { send: "\r" },
        { expect: "There are 2 AWS accounts available to you." },
        { send: keys.enter },
        { expect: "There are 2 roles available to you." },
        { send: keys.enter },
        { expect: esc("Default client Region [None]: ") },
        { send: "us-east-1\r" },
        { expect: esc("CLI default output format (json if not specified) [None]: ") },
        { send: "\r" },
        { expect: esc("Profile name [Developer-111111111111]: ") },
        { send: "dev\r" },
        // No default profile yet: the offer. The hour goes on without one, the harder case.
        { expect: esc("Also make dev the default profile, for the AWS CLI and SDKs too (y/N) [N]: ") },
        { send: "\r" },
        { expect: "exit=" },
      ],
    });
    expect(r.failed).toBeNull();
    expect(r.screen).toContain("To use it by default in this shell (ccsso, the AWS CLI and the SDKs): export AWS_PROFILE=dev\n");
    // `sso login` with no --profile: the only SSO profile, said in one line; then setup-git.
    expect(r.screen).toContain(`${ONLY_DEV}\n`);
    expect(r.screen).toContain("Successfully logged into Start URL: https://my-company.awsapps.com/start\n");
    expect(r.screen).toContain("Configured git (global) to sign CodeCommit HTTPS passwords with ccsso:");
    expect(r.screen).toContain("exit=0");
    expect(readFileSync(sbx.awsConfig, "utf8")).not.toContain("[default]");

    // The README's "then:" — its placeholders filled in for the stand-in.
    const clone = nextClone.replace("<region>", "us-east-1").replace("<repo>", "demo");
    expect(clone).toBe("git clone https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo");
    const c = await shell(clone);
    expect({ code: c.code, stderr: c.stderr }).toMatchObject({ code: 0 });
    expect(existsSync(sbx.path("demo", ".git"))).toBe(true);
  }, 120_000);

  it("git clone codecommit://demo works with only the dev profile and no default", async () => {
    const r = await shell("git clone codecommit://demo demo-grc");
    expect(r.stderr).not.toContain("has no AWS Region");
    expect(r.code).toBe(0);
    expect(existsSync(sbx.path("demo-grc", ".git"))).toBe(true);
  }, 60_000);

  it("whoami with no --profile uses dev and says so; --debug says which rule, source, cache and endpoint", async () => {
    const r = await shell("ccsso whoami --debug");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Account  111111111111");
    expect(r.stderr).toContain(`${ONLY_DEV}\n`);
    expect(r.stderr).toContain(
      "ccsso: debug: profile: profile dev (the only SSO profile; no --profile, AWS_PROFILE, AWS_DEFAULT_PROFILE or [default] profile)\n",
    );
    expect(r.stderr).toContain("ccsso: debug: credentials: cached role credentials valid until ");
    expect(r.stderr).toContain(`ccsso: debug: STS endpoint ${server.info.awsApisUrl}`);
  }, 60_000);

  it("a wrong profile name: not found, with the one that was meant", async () => {
    const r = await shell("ccsso repos --profile dve");
    expect(r.stderr).toBe(
      'ccsso: profile "dve" was not found in the AWS config — did you mean dev? available profiles: dev; or run: ccsso configure sso --profile dve\n',
    );
    expect(r.code).toBe(1);
  });

  it("ccsso clone into a directory that exists says so, and what to run instead", async () => {
    const r = await shell("ccsso clone demo demo");
    expect(r.stderr).toBe(
      'ccsso: destination "demo" already exists and is not an empty directory — clone into another directory: ccsso clone demo demo-2\n',
    );
    expect(r.code).toBe(2);
  });

  it("an STS endpoint that is not STS: the status and the endpoint, and where that endpoint came from", async () => {
    const wrong = server.info.identityCenterUrl;
    const r = await shell("ccsso whoami --profile dev", { env: { AWS_ENDPOINT_URL_STS: wrong } });
    expect(r.stderr).toBe(
      `ccsso: STS GetCallerIdentity failed: HTTP 404 from ${wrong}, which did not answer as STS — check the STS endpoint: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, or endpoint_url in the profile or its [services] section\n`,
    );
    expect(r.code).toBe(1);
  });

  it("the device code without a display: says why, and does not then claim to open a browser; Ctrl-C is one line and exit 130", async () => {
    const r = await shell("ccsso sso login; echo after=$?", {
      env: { BROWSER: undefined },
      steps: [{ expect: "Then enter the code" }, { expect: "Waiting for approval" }, { send: keys.ctrlC }, { expect: "after=" }],
    });
    expect(r.failed).toBeNull();
    expect(r.screen).toContain(
      `${ONLY_DEV}\nccsso: using the device-code flow because there is no graphical display (DISPLAY/WAYLAND_DISPLAY unset).\nBrowser will not be automatically opened.\n`,
    );
    expect(r.screen).not.toContain("Attempting to open your default browser");
    // The shell went on to `echo`: a normal exit with 130, not death by the signal.
    expect(r.screen).toMatch(/ccsso: interrupted: not signed in; no token was saved\nafter=130\n/);
  }, 60_000);

  it("Ctrl-C while waiting for the browser: the same, and the session signed in before is untouched", async () => {
    const before = await shell("ccsso whoami --profile dev");
    expect(before.code).toBe(0);
    const r = await shell("ccsso sso login --profile dev; echo after=$?", {
      env: { BROWSER: "true" },
      steps: [{ expect: "Waiting for the browser" }, { send: keys.ctrlC }, { expect: "after=" }],
    });
    expect(r.failed).toBeNull();
    expect(r.screen).toMatch(/ccsso: interrupted: not signed in; no token was saved\nafter=130\n/);
    expect((await shell("ccsso whoami --profile dev")).code).toBe(0);
  }, 60_000);

  it("Ctrl-C in the wizard: one line, exit 130, the config as it was", async () => {
    const config = readFileSync(sbx.awsConfig, "utf8");
    const r = await shell("ccsso configure sso --profile other; echo after=$?", {
      steps: [{ expect: esc("SSO session name (Recommended): ") }, { send: keys.ctrlC }, { expect: "after=" }],
    });
    expect(r.failed).toBeNull();
    expect(r.screen).toMatch(/ccsso: interrupted: nothing was written\nafter=130\n/);
    expect(readFileSync(sbx.awsConfig, "utf8")).toBe(config);
  }, 60_000);

  it("configure sso-session typed in flag form on a terminal asks nothing (not the scopes)", async () => {
    const r = await shell(
      "ccsso configure sso-session --sso-session second --start-url https://second.awsapps.com/start --sso-region us-east-1; echo exit=$?",
      {
        steps: [{ expect: "exit=" }],
      },
    );
    expect(r.failed).toBeNull();
    expect(r.screen).not.toContain("SSO registration scopes");
    expect(r.screen).toContain("exit=0");
  }, 60_000);

  it("configure sso with --region on a terminal does not ask for the output format, and ends with export AWS_PROFILE", async () => {
    const r = await shell(
      "ccsso configure sso --profile dev-ro --sso-session my-company --account-id 111111111111 --role-name ReadOnly --region us-east-1; echo exit=$?",
      { steps: [{ expect: "exit=" }] },
    );
    expect(r.failed).toBeNull();
    expect(r.screen).not.toContain("output format");
    expect(r.screen).toContain("export AWS_PROFILE=dev-ro\n");
    expect(r.screen).toContain("exit=0");
  }, 60_000);

  it("--no-input with nothing given names the missing session first", async () => {
    const r = await shell("ccsso configure sso --no-input");
    expect(r.stderr).toBe(
      "ccsso: an SSO session name (with --start-url and --sso-region for a new one) is needed and there is no terminal to ask on (or --no-input was given) — pass --sso-session <name>\n",
    );
    expect(r.code).toBe(2);
  });

  it("with two SSO profiles and no default: the list and the flag; on a terminal, a menu", async () => {
    const r = await shell("ccsso whoami");
    expect(r.stderr).toBe(
      "ccsso: several SSO profiles and no default profile: dev, dev-ro — pass --profile (e.g. --profile dev), or export AWS_PROFILE=dev\n",
    );
    expect(r.code).toBe(2);
    const picked = await shell("ccsso whoami; echo exit=$?", {
      steps: [{ expect: esc("> dev") }, { send: keys.down }, { expect: esc("> dev-ro") }, { send: keys.enter }, { expect: "exit=" }],
    });
    expect(picked.failed).toBeNull();
    expect(picked.screen).toContain(
      "ccsso: using profile dev-ro (to skip this question: --profile dev-ro, or export AWS_PROFILE=dev-ro)\n",
    );
    expect(picked.screen).toContain("AWSReservedSSO_ReadOnly_");
    expect(picked.screen).toContain("exit=0");
    const interrupted = await shell("ccsso whoami; echo exit=$?", {
      steps: [{ expect: esc("> dev") }, { send: keys.ctrlC }, { expect: "exit=" }],
    });
    expect(interrupted.screen).toMatch(/ccsso: interrupted: no profile chosen; nothing was written\nexit=130\n/);
    // AWS_PROFILE decides, as in the AWS CLI: no question, no notice.
    const chosen = await shell("ccsso whoami", { env: { AWS_PROFILE: "dev" } });
    expect(chosen.code).toBe(0);
    expect(chosen.stderr).toBe("");
  }, 60_000);

  it("a role the person does not have: one line naming profile, account, role and the fix", async () => {
    appendFileSync(
      sbx.awsConfig,
      "[profile wrong]\nsso_session = my-company\nsso_account_id = 999999999999\nsso_role_name = Developer\nregion = us-east-1\n",
    );
    const r = await shell("ccsso whoami --profile wrong");
    expect(r.stderr).toBe(
      "ccsso: profile wrong: IAM Identity Center gives you no role Developer in account 999999999999 (GetRoleCredentials: ForbiddenException) — check sso_account_id and sso_role_name, or choose from your roles: ccsso configure sso --profile wrong\n",
    );
    expect(r.code).toBe(1);
  });

  it("the mistakes other parts of ccsso now catch: help for a group, a typo, a command not found", async () => {
    const help = await shell("ccsso sso --help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("login");
    const typo = await shell("ccsso whomai");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("whoami");
    const missing = await shell("ccsso exec --profile dev -- nosuchcmd");
    expect(missing.code).toBe(127);
    const badProfile = await shell("ccsso setup-git --profile dve");
    expect(badProfile.code).toBe(1);
    expect(badProfile.stderr).toContain('profile "dve" was not found');
    const extra = await shell("ccsso whoami --profile dev extra");
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('unexpected argument "extra"');
    const completion = await shell("ccsso completion");
    expect(completion.code).toBe(2);
    expect(completion.stderr).toContain("usage: ccsso completion <shell>");
    const region = await shell(
      "ccsso configure sso-session --sso-session third --start-url https://third.awsapps.com/start --sso-region us-esat-1",
    );
    expect(region.code).toBe(2);
    expect(region.stderr).toContain("did you mean us-east-1?");
    // The session configured by flags a few steps back was never signed in to: a script learns it from the code.
    const status = await shell("ccsso sso status");
    expect(status.code).toBe(3);
  }, 60_000);
});
