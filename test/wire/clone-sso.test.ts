// The newcomer's path end to end, minus the browser: an SSO session (token cache as `sso login` leaves
// it), then whoami and clone with the real credential chain — role credentials from the Identity Center
// stand-in, STS and CodeCommit API calls checked against those issued credentials, and a real
// `git clone` whose CodeCommit password the git stand-in verifies. No setup-git first: clone injects the
// helper for that one host.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../src/cli/run";
import { formatCacheTimestamp } from "../../src/core/timestamps";
import { testContext } from "../../src/platform/context";
import { writeTokenCache } from "../../src/store/token-cache";
import { createFakeAwsApis } from "../fakes/aws-apis";
import { createFakeCodeCommit, type FakeCodeCommit } from "../fakes/codecommit-git";
import { createFakeIdentityCenter, type FakeIdentityCenter } from "../fakes/identity-center";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let ic: FakeIdentityCenter;
let cc: FakeCodeCommit;
let apis: { url: string; stop(): void };
let sandbox: Sandbox;
const apiFake = () => createFakeAwsApis({ issued: ic.issued, repositories: [{ name: "demo" }, { name: "tools", region: "eu-west-1" }] });

function git(args: string[], cwd: string, env: Record<string, string>) {
  const r = Bun.spawnSync(["git", ...args], { cwd, env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
}

beforeAll(() => {
  // Real clocks on every side: git runs the credential helper as a separate process.
  ic = createFakeIdentityCenter();
  cc = createFakeCodeCommit({ identityCenter: ic, repos: ["demo"] });
  apis = apiFake().start();
  sandbox = makeSandbox({
    AWS_ENDPOINT_URL_SSO_OIDC: ic.url,
    AWS_ENDPOINT_URL_SSO: ic.url,
    AWS_ENDPOINT_URL_STS: apis.url,
    AWS_ENDPOINT_URL_CODECOMMIT: apis.url,
    HTTPS_PROXY: cc.proxyUrl,
    NO_PROXY: "127.0.0.1",
    GIT_SSL_CAINFO: cc.caFile,
  });
  sandbox.writeConfig(
    "[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Developer\nregion = us-east-1\n" +
      "[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\n",
  );
  const minted = ic.mintToken();
  writeTokenCache(
    sandbox.env,
    { kind: "session", sessionName: "corp", startUrl: "https://d-1234567890.awsapps.com/start", region: "us-east-1" },
    {
      startUrl: "https://d-1234567890.awsapps.com/start",
      region: "us-east-1",
      accessToken: minted.accessToken,
      expiresAt: formatCacheTimestamp(Date.now() + minted.expiresIn * 1000),
    },
  );
  // One commit in the served repository, pushed straight into the bare repo.
  const seed = sandbox.path("seed");
  git(["init", "-q", seed], sandbox.home, sandbox.env);
  Bun.write(join(seed, "README.md"), "hello from CodeCommit\n");
  git(["add", "README.md"], seed, sandbox.env);
  git(["commit", "-qm", "first"], seed, sandbox.env);
  git(["push", "-q", cc.createRepo("demo"), "HEAD:refs/heads/main"], seed, sandbox.env);
});

afterAll(async () => {
  apis.stop();
  await cc.close();
  await ic.close();
  sandbox.cleanup();
});

function ctx() {
  const t = testContext({ env: { ...sandbox.env }, now: Date.now() });
  t.ctx.cwd = sandbox.home;
  return t;
}

describe("with an SSO session and nothing else set up", () => {
  it("whoami shows the SSO role the Identity Center issued", async () => {
    const t = ctx();
    expect(await run(["whoami", "--profile", "dev", "--json"], t.ctx)).toBe(0);
    const out = JSON.parse(t.stdout());
    expect(out.Account).toBe("111111111111");
    expect(out.Arn).toMatch(/^arn:aws:sts::111111111111:assumed-role\/AWSReservedSSO_Developer_/);
    expect(out.CredentialSource).toBe("sso");
    expect(ic.issued.size).toBeGreaterThan(0);
  });

  it("clone fetches the repository over HTTPS with ccsso signing the password, before setup-git", async () => {
    const t = ctx();
    const before = readFileSync(sandbox.gitConfig, "utf8");
    expect(await run(["clone", "demo", "--profile", "dev"], t.ctx)).toBe(0);
    const dir = sandbox.path("demo");
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe("hello from CodeCommit\n");
    const remote = Bun.spawnSync(["git", "remote", "get-url", "origin"], { cwd: dir, env: sandbox.env }).stdout.toString().trim();
    expect(remote).toBe("https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo");
    expect(cc.counters.authorized).toBeGreaterThan(0);
    expect(cc.authenticatedKeys.every((k) => ic.issued.has(k))).toBe(true);
    // Nothing was written to the user's git config.
    expect(readFileSync(sandbox.gitConfig, "utf8")).toBe(before);
  }, 30_000);

  it("clone refuses a repository that exists only in another region, naming the region", async () => {
    const t = ctx();
    expect(await run(["clone", "tools", "into-nowhere", "--profile", "dev"], t.ctx)).toBe(1);
    expect(t.stderr()).toContain('repository "tools" does not exist in us-east-1 for profile dev');
    expect(existsSync(sandbox.path("into-nowhere"))).toBe(false);
  });

  it("whoami with an account or role the person does not have: one line naming profile, account, role and the fix", async () => {
    const t = ctx();
    const { appendFileSync } = await import("node:fs");
    appendFileSync(
      sandbox.awsConfig,
      "[profile wrong]\nsso_session = corp\nsso_account_id = 999999999999\nsso_role_name = Developer\nregion = us-east-1\n",
    );
    expect(await run(["whoami", "--profile", "wrong"], t.ctx)).toBe(1);
    expect(t.stderr()).toBe(
      "ccsso: profile wrong: IAM Identity Center gives you no role Developer in account 999999999999 (GetRoleCredentials: ForbiddenException) — check sso_account_id and sso_role_name, or choose from your roles: ccsso configure sso --profile wrong\n",
    );
  });
});
