// Cross-account roles as a user lives them: the compiled dist/ccsso as git's credential helper, REAL git,
// and the stand-ins — IAM Identity Center for the SSO profile, STS AssumeRole for two roles on top of it,
// and the CodeCommit git endpoint, which accepts only credentials the stand-ins issued. A loop in the
// config and a role that needs an MFA code stop git with one line (quit=1, no username prompt).
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { sandboxClientEnv, startSandboxServer } from "../fakes/sandbox-server";
import { compiledBinary } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { START_URL } from "../helpers/sso-stand-in";

const HOST = "git-codecommit.eu-west-1.amazonaws.com";
const CONFIG = `[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
region = us-east-1

[sso-session corp]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile a]
role_arn = arn:aws:iam::222222222222:role/RoleA
source_profile = dev

[profile repo]
role_arn = arn:aws:iam::333333333333:role/GitAccess
source_profile = a
region = eu-west-1

[profile mfa]
role_arn = arn:aws:iam::333333333333:role/GitAccess
source_profile = dev
mfa_serial = arn:aws:iam::111111111111:mfa/ana
region = eu-west-1

[profile loop1]
role_arn = arn:aws:iam::222222222222:role/RoleA
source_profile = loop2
region = eu-west-1

[profile loop2]
role_arn = arn:aws:iam::222222222222:role/RoleA
source_profile = loop1
`;

setDefaultTimeout(60_000);

let sbx: Sandbox;
let server: ReturnType<typeof startSandboxServer>;

async function sh(argv: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const proc = Bun.spawn(argv, {
    cwd: opts.cwd ?? sbx.home,
    env: { ...sbx.env, ...opts.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}
const ccsso = (args: string[], env: Record<string, string> = {}) => sh(["ccsso", ...args], { env });
const git = (args: string[], env: Record<string, string> = {}) => sh(["git", ...args], { env });

beforeAll(async () => {
  if (!existsSync(compiledBinary)) throw new Error("dist/ccsso is missing: run `make build` (make e2e does)");
  sbx = makeSandbox();
  server = startSandboxServer({ repos: ["shared"] });
  sbx.writeConfig(CONFIG);
  const bin = sbx.path("bin");
  mkdirSync(bin);
  symlinkSync(compiledBinary, join(bin, "ccsso"));
  const browser = sbx.path("browser.sh");
  await Bun.write(browser, '#!/bin/sh\ncurl -fsSL "$1" >/dev/null\n');
  await sh(["chmod", "755", browser]);
  Object.assign(sbx.env, { PATH: `${bin}:${sbx.env.PATH}`, ...sandboxClientEnv(server.info), BROWSER: browser });
  for (const k of ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT", "DISPLAY"]) delete sbx.env[k];
  expect((await ccsso(["setup-git"])).code).toBe(0);
  expect((await ccsso(["sso", "login", "--profile", "dev"])).code).toBe(0);
});

afterAll(async () => {
  await server?.close();
  sbx?.cleanup();
});

describe("git through a chain of assumed roles (compiled ccsso, real git)", () => {
  it("clones with SSO → RoleA → GitAccess: git's password is signed with GitAccess's credentials", async () => {
    const env = { AWS_PROFILE: "repo" };
    const dir = sbx.path("shared");
    expect((await git(["clone", "-q", `https://${HOST}/v1/repos/shared`, dir], env)).code).toBe(0);
    await Bun.write(join(dir, "README"), "cross-account\n");
    for (const args of [
      ["add", "README"],
      ["commit", "-q", "-m", "first"],
    ])
      expect((await sh(["git", ...args], { cwd: dir })).code).toBe(0);
    const push = await sh(["git", "push", "-q", "origin", "HEAD:main"], { cwd: dir, env });
    expect(push.stderr).toBe("");
    expect(push.code).toBe(0);
    const used = server.codecommit.authenticatedKeys.at(-1)!;
    expect(server.identityCenter.issued.get(used)).toMatchObject({ accountId: "333333333333", roleName: "GitAccess" });
  });

  it("fetches what it pushed through codecommit://repo@shared (ccsso as git-remote-codecommit), signed the same way", async () => {
    const dir = sbx.path("grc");
    const r = await sh(["git", "clone", "-q", "codecommit::eu-west-1://repo@shared", dir]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect((await sh(["git", "log", "--format=%s"], { cwd: dir })).stdout).toBe("first\n");
    const used = server.codecommit.authenticatedKeys.at(-1)!;
    expect(server.identityCenter.issued.get(used)).toMatchObject({ accountId: "333333333333", roleName: "GitAccess" });
  });

  it("whoami, doctor and sso status name the role and where its credentials come from", async () => {
    const who = await ccsso(["whoami", "--profile", "repo"]);
    expect(who.stdout).toContain("Arn      arn:aws:sts::333333333333:assumed-role/GitAccess/ccsso-session-");
    expect(who.stdout).toContain(
      "Source   profile repo (role GitAccess in 333333333333, from profile a (role RoleA in 222222222222)), region eu-west-1",
    );
    const doctor = await ccsso(["doctor", "--profile", "repo"]);
    expect(doctor.stdout).toContain(
      "profile repo assumes role GitAccess in 333333333333 (via profile a), from role RoleA in 222222222222, from profile dev",
    );
    expect(doctor.stdout).toContain("cached assumed-role credentials expire in");
    expect(doctor.stdout).toContain("profile dev: account 111111111111, role Developer, sso-session corp");
    const status = await ccsso(["sso", "status"]);
    expect(status.stdout).toMatch(/profile repo {2}333333333333\/GitAccess \(assumed from profile a\) {2}role credentials expire in/);
  });

  it("stops git with one line for a source_profile loop", async () => {
    const r = await git(["clone", "-q", `https://${HOST}/v1/repos/shared`, sbx.path("loop")], { AWS_PROFILE: "loop1" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toStartWith("ccsso: profile loop1: source_profile loop loop1 → loop2 → loop1 — ");
    expect(r.stderr).not.toContain("Username");
  });

  it("stops git with one line naming the command to run when the role needs an MFA code", async () => {
    const r = await git(["clone", "-q", `https://${HOST}/v1/repos/shared`, sbx.path("mfa")], { AWS_PROFILE: "mfa" });
    expect(r.code).not.toBe(0);
    expect(r.stderr.split("\n")[0]).toBe(
      "ccsso: profile mfa needs an MFA code from arn:aws:iam::111111111111:mfa/ana to assume role GitAccess in 333333333333, and nobody can be asked here — run on a terminal: ccsso whoami --profile mfa (it asks for the code and caches the role's credentials for git)",
    );
    expect(r.stderr).not.toContain("Username");
    // whoami without a terminal cannot ask either, and says the same (exit 3: a person must act).
    const who = await ccsso(["whoami", "--profile", "mfa"]);
    expect(who.code).toBe(3);
    expect(who.stderr).toContain("needs an MFA code from arn:aws:iam::111111111111:mfa/ana");
  });
});
