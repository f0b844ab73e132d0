// doctor against real git and a sandbox AWS config: each problem is set up deliberately, and doctor must
// find it, print its fix, and exit 1 (or only warn, for the ones that work today).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "bun:test";
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../src/cli/run";
import { sha1Hex } from "../../src/core/cache-keys";
import { testContext } from "../../src/platform/context";
import { ccssoCommand } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sandbox: Sandbox;
let portal: ReturnType<typeof Bun.serve>;
beforeAll(() => {
  // A portal stand-in for the clock check: answers anything with a Date header of the real clock, as AWS does.
  portal = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(null, { status: 404, headers: { date: new Date().toUTCString() } }) });
});
afterAll(() => portal.stop(true));
afterEach(() => sandbox?.cleanup());

const STATIC = "[profile keys]\nregion = us-east-1\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
const SSO =
  "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n" +
  "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\nregion = us-east-1\n";

function git(...args: string[]) {
  const r = Bun.spawnSync(["git", ...args], { env: sandbox.env, cwd: sandbox.home });
  if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
}

/** A sandbox where everything is right: setup-git done, links on PATH, submodules allowed, static keys. */
async function healthy(opts: { links?: boolean } = {}) {
  sandbox = makeSandbox();
  const bin = sandbox.path("bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "ccsso"), `#!/bin/sh\nexec ${ccssoCommand().map((a) => `'${a}'`).join(" ")} "$@"\n`);
  chmodSync(join(bin, "ccsso"), 0o755);
  if (opts.links !== false) for (const name of ["git-remote-codecommit", "git-credential-ccsso"]) symlinkSync(join(bin, "ccsso"), join(bin, name));
  sandbox.env.PATH = `${bin}:${sandbox.env.PATH}`;
  sandbox.env.AWS_ENDPOINT_URL_SSO = portal.url.origin;
  sandbox.writeConfig(STATIC + SSO);
  const setup = testContext({ env: sandbox.env });
  setup.ctx.cwd = sandbox.home;
  expect(await run(["setup-git"], setup.ctx)).toBe(0);
  git("config", "--global", "protocol.codecommit.allow", "always");
  return sandbox;
}

async function doctor(args: string[] = ["--profile", "keys"], now = Date.now()) {
  const t = testContext({ env: sandbox.env, now });
  t.ctx.cwd = sandbox.home;
  const code = await run(["doctor", ...args], t.ctx);
  return { code, out: t.stdout(), err: t.stderr() };
}

function signIn(expiresAt: string) {
  const cache = sandbox.path(".aws", "sso", "cache");
  mkdirSync(cache, { recursive: true, mode: 0o700 });
  writeFileSync(join(cache, `${sha1Hex("corp")}.json`), `{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "aoaSECRETSECRETSECRET", "expiresAt": "${expiresAt}"}`, { mode: 0o600 });
}

describe("ccsso doctor", () => {
  it("passes a machine set up by setup-git, and says so", async () => {
    await healthy();
    const r = await doctor();
    expect(r.out).toContain("✓ credential helper: ccsso only, with useHttpPath, for all 5 CodeCommit URL patterns");
    expect(r.out).toContain("✓ git-remote-codecommit →");
    expect(r.out).toContain("✓ profile keys uses access keys");
    expect(r.out).not.toContain("✗");
    expect(r.code).toBe(0);
  });

  it("names the config file that has a line botocore refuses, by the path AWS_CONFIG_FILE gives", async () => {
    await healthy();
    sandbox.writeConfig(STATIC + SSO + "stray text\n");
    const r = await doctor();
    expect(r.out).toContain("AWS config file line 13: line is neither a [section], a key = value, nor a comment");
    expect(r.out).toContain(`fix line 13 of ${sandbox.awsConfig}`);
  });

  it("does not blame a global osxkeychain helper that setup-git's empty helper cuts off", async () => {
    await healthy();
    // A global helper first, as in most users' configs: the empty helper in each CodeCommit section clears it.
    const text = await Bun.file(sandbox.gitConfig).text();
    writeFileSync(sandbox.gitConfig, "[credential]\n\thelper = osxkeychain\n" + text);
    const r = await doctor();
    expect(r.out).not.toContain("osxkeychain");
    expect(r.code).toBe(0);
  });

  it("finds a storing helper that still gets CodeCommit passwords, and prints the fix", async () => {
    await healthy();
    git("config", "--global", "--add", "credential.https://git-codecommit.*.amazonaws.com.helper", "store");
    const r = await doctor();
    expect(r.out).toContain("✗ the storing helper store also gets CodeCommit passwords for https://git-codecommit.*.amazonaws.com");
    expect(r.out).toContain("fix: run: ccsso setup-git");
    expect(r.out).toContain("git credential reject");
    expect(r.code).toBe(1);
  });

  it("finds git without ccsso for CodeCommit URLs", async () => {
    await healthy();
    const t = testContext({ env: sandbox.env });
    t.ctx.cwd = sandbox.home;
    await run(["setup-git", "--uninstall"], t.ctx);
    git("config", "--global", "credential.helper", "manager");
    const r = await doctor();
    expect(r.out).toContain("✗ no ccsso credential helper for https://git-codecommit.*.amazonaws.com");
    expect(r.code).toBe(1);
  });

  it("finds useHttpPath switched off for one pattern", async () => {
    await healthy();
    git("config", "--global", "credential.https://git-codecommit-fips.*.amazonaws.com.useHttpPath", "false");
    const r = await doctor();
    expect(r.out).toContain("✗ credential.useHttpPath is off for https://git-codecommit-fips.*.amazonaws.com");
    expect(r.out).toContain("credential.https://git-codecommit-fips.*.amazonaws.com.useHttpPath true");
    expect(r.code).toBe(1);
  });

  it("finds a missing git-remote-codecommit link, and one that is another program", async () => {
    await healthy({ links: false });
    const other = sandbox.path("bin", "git-credential-ccsso");
    writeFileSync(other, "#!/bin/sh\n");
    chmodSync(other, 0o755);
    const r = await doctor();
    expect(r.out).toContain("✗ git-remote-codecommit is not on PATH");
    expect(r.out).toContain(`✗ git-credential-ccsso on PATH is ${other}, which is not this ccsso`);
    expect(r.code).toBe(1);
  });

  it("only warns when codecommit:// is not allowed in submodules", async () => {
    await healthy();
    git("config", "--global", "--unset", "protocol.codecommit.allow");
    const r = await doctor();
    expect(r.out).toContain("! protocol.codecommit.allow is unset");
    expect(r.out).toContain("fix: run: git config --global protocol.codecommit.allow always");
    expect(r.code).toBe(0);
  });

  it("names a profile that is not configured and the ones that are", async () => {
    await healthy();
    const r = await doctor(["--profile", "nope"]);
    expect(r.out).toContain("✗ profile nope is not in the AWS config");
    expect(r.out).toContain("use one of: keys, dev");
    expect(r.code).toBe(1);
  });

  it("finds a profile that disagrees with its sso-session", async () => {
    await healthy();
    sandbox.writeConfig(STATIC + SSO + "sso_region = eu-west-1\n");
    const r = await doctor(["--profile", "dev"]);
    expect(r.out).toContain("✗ profile dev: The value for sso_region is inconsistent between profile (eu-west-1) and sso-session (us-east-1).");
    expect(r.code).toBe(1);
  });

  it("finds a missing SSO sign-in and prints the login command", async () => {
    await healthy();
    const r = await doctor(["--profile", "dev"]);
    expect(r.out).toContain("✗ not signed in to https://corp.awsapps.com/start");
    expect(r.out).toContain("fix: run: ccsso sso login --sso-session corp");
    expect(r.code).toBe(1);
  });

  it("finds an expired token that cannot refresh", async () => {
    await healthy();
    signIn("2020-01-01T00:00:00Z");
    const r = await doctor(["--profile", "dev"]);
    expect(r.out).toContain("SSO token expired");
    expect(r.out).toContain("cannot be refreshed");
    expect(r.out).not.toContain("aoaSECRETSECRETSECRET");
    expect(r.code).toBe(1);
  });

  it("finds a clock an hour ahead of the portal's Date header", async () => {
    await healthy();
    signIn("2099-01-01T00:00:00Z");
    const ok = await doctor(["--profile", "dev"]);
    expect(ok.out).toMatch(/✓ clock within \d+ s of AWS/);
    const skewed = await doctor(["--profile", "dev"], Date.now() + 60 * 60_000);
    expect(skewed.out).toContain("✗ this machine's clock is 60 min ahead of AWS");
    expect(skewed.out).toContain("fix: sync the clock");
    expect(skewed.code).toBe(1);
  });

  it("finds an AWS_CA_BUNDLE that is not a certificate file", async () => {
    await healthy();
    sandbox.env.AWS_CA_BUNDLE = sandbox.path("missing.pem");
    const r = await doctor();
    expect(r.out).toContain(`✗ AWS_CA_BUNDLE=${sandbox.path("missing.pem")} cannot be read: ENOENT`);
    expect(r.code).toBe(1);
  });

  it("reports every check as JSON with its status and fix", async () => {
    await healthy();
    git("config", "--global", "--unset", "protocol.codecommit.allow");
    const r = await doctor(["--profile", "keys", "--json"]);
    const report = JSON.parse(r.out);
    expect(report.ok).toBe(true);
    expect(report.checks).toContainEqual(expect.objectContaining({ id: "protocol.codecommit.allow", status: "warn", fix: "run: git config --global protocol.codecommit.allow always" }));
  });
});
