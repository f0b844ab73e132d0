// doctor against real git and a sandbox AWS config: each problem is set up deliberately, and doctor must
// find it, print its fix, and exit 1 (or only warn, for the ones that work today).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "bun:test";
import { chmodSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { classifyProbe } from "../../src/cli/doctor";
import { run } from "../../src/cli/run";
import { sha1Hex } from "../../src/core/cache-keys";
import { testContext } from "../../src/platform/context";
import { ccssoCommand } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sandbox: Sandbox;
let portal: ReturnType<typeof Bun.serve>;
beforeAll(() => {
  // A portal stand-in for the clock check: answers anything with a Date header of the real clock, as AWS does.
  portal = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () => new Response(null, { status: 404, headers: { date: new Date().toUTCString() } }),
  });
});
afterAll(() => portal.stop(true));
afterEach(() => sandbox?.cleanup());

const STATIC =
  "[profile keys]\nregion = us-east-1\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
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
  writeFileSync(
    join(bin, "ccsso"),
    `#!/bin/sh\nexec ${ccssoCommand()
      .map((a) => `'${a}'`)
      .join(" ")} "$@"\n`,
  );
  chmodSync(join(bin, "ccsso"), 0o755);
  if (opts.links !== false)
    for (const name of ["git-remote-codecommit", "git-credential-ccsso"]) symlinkSync(join(bin, "ccsso"), join(bin, name));
  sandbox.env.PATH = `${bin}:${sandbox.env.PATH}`;
  // Every endpoint doctor probes is the local stand-in: the checks run offline.
  sandbox.env.AWS_ENDPOINT_URL_SSO = portal.url.origin;
  sandbox.env.AWS_ENDPOINT_URL_SSO_OIDC = portal.url.origin;
  sandbox.env.AWS_ENDPOINT_URL_STS = portal.url.origin;
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
  writeFileSync(
    join(cache, `${sha1Hex("corp")}.json`),
    `{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "aoaSECRETSECRETSECRET", "expiresAt": "${expiresAt}"}`,
    { mode: 0o600 },
  );
}

describe("ccsso doctor", () => {
  it("shows the line that installs the shell function for `ccsso use`, without counting it as a problem", async () => {
    await healthy();
    sandbox.env.SHELL = "/usr/bin/fish";
    delete sandbox.env.CCSSO_SHELL;
    const without = await doctor();
    expect(without.out).toContain("the ccsso shell function is not installed");
    expect(without.out).toContain(
      "✓ the ccsso shell function is not installed (optional: ccsso use PROFILE would switch this shell's profile)\n    tip: add: ccsso shell-init fish | source",
    );
    expect(without.out).toContain("No problems");
    sandbox.env.CCSSO_SHELL = "fish";
    expect((await doctor()).out).toContain("✓ the ccsso fish function is installed");
    delete sandbox.env.CCSSO_SHELL;
  });

  it("quotes a hostile profile name in its fix and escapes it in its message", async () => {
    await healthy();
    const hostile = "x;touch${IFS}pwned\x1b[2J";
    const r = await doctor(["--profile", hostile]);
    expect(r.out).toContain("✗ profile x;touch${IFS}pwned^[[2J is not in the AWS config");
    expect(r.out).toContain("or run: ccsso configure sso --profile 'x;touch${IFS}pwned^[[2J'");
    expect(r.out).not.toContain("\x1b");
  });

  it("passes a machine set up by setup-git, and says so", async () => {
    await healthy();
    const r = await doctor();
    expect(r.out).toContain("✓ credential helper: ccsso only, with useHttpPath, for all 5 CodeCommit URL patterns");
    expect(r.out).toContain("✓ git-remote-codecommit →");
    expect(r.out).toContain("✓ profile keys uses access keys");
    expect(r.out).toContain("✓ git runs the credential helper for CodeCommit URLs (answered offline; it signs with profile dev)");
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

  it("proves the configured line runs: an old quoted line git cannot run fails, though it looks like ours", async () => {
    await healthy();
    // What setup-git wrote before the `!` form, for a ccsso under a directory with a space.
    const dir = sandbox.path("my tools");
    mkdirSync(dir);
    symlinkSync(sandbox.path("bin", "ccsso"), join(dir, "ccsso"));
    for (const pattern of [
      "https://git-codecommit.*.amazonaws.com",
      "https://git-codecommit-fips.*.amazonaws.com",
      "https://git-codecommit.*.amazonaws.com.cn",
      "https://*.git-codecommit.*.vpce.amazonaws.com",
      "https://*.git-codecommit-fips.*.vpce.amazonaws.com",
    ]) {
      git("config", "--global", "--unset-all", `credential.${pattern}.helper`);
      git("config", "--global", "--add", `credential.${pattern}.helper`, "");
      git("config", "--global", "--add", `credential.${pattern}.helper`, `'${dir}/ccsso' credential-helper`);
    }
    const r = await doctor();
    expect(r.out).toContain("✓ credential helper: ccsso only, with useHttpPath, for all 5 CodeCommit URL patterns");
    expect(r.out).toMatch(
      /✗ git could not run the credential helper for CodeCommit URLs: git: 'credential-.*my tools\/ccsso' is not a git command/,
    );
    expect(r.out).toContain("fix: run: ccsso setup-git (it writes a helper line git can run)");
    expect(r.code).toBe(1);
    // setup-git replaces the old line, and the round trip passes again.
    const t = testContext({ env: sandbox.env });
    t.ctx.cwd = sandbox.home;
    await run(["setup-git"], t.ctx);
    const again = await doctor();
    expect(again.out).toContain("✓ git runs the credential helper for CodeCommit URLs");
    expect(again.code).toBe(0);
  });

  it("sees a stored password answer before ccsso in the round trip", async () => {
    await healthy();
    const key = "credential.https://git-codecommit.*.amazonaws.com.helper";
    const ours = Bun.spawnSync(["git", "config", "--global", "--get-all", key], { env: sandbox.env })
      .stdout.toString()
      .trim()
      .split("\n")
      .at(-1)!;
    git("config", "--global", "--unset-all", key);
    git("config", "--global", "--add", key, "store");
    git("config", "--global", "--add", key, ours);
    writeFileSync(
      sandbox.path(".git-credentials"),
      "https://ASIAOLDKEY%25token:stale@git-codecommit.us-east-1.amazonaws.com/v1/repos/demo\n",
      { mode: 0o600 },
    );
    const r = await doctor();
    expect(r.out).toContain(
      "✗ store answered git for https://git-codecommit.*.amazonaws.com, not this ccsso: a stored or foreign password would be used",
    );
    expect(r.code).toBe(1);
  });

  it("reads the settings file: a misspelt key is a failure, and the helper's own line shows git stops", async () => {
    await healthy();
    mkdirSync(sandbox.path(".config", "ccsso"), { recursive: true });
    writeFileSync(sandbox.path(".config", "ccsso", "config.toml"), "[credential_helper]\nalow_login = true\n");
    const r = await doctor();
    expect(r.out).toContain(
      `✗ ccsso settings: ${sandbox.path(".config", "ccsso", "config.toml")}:2: credential_helper.alow_login is not a known setting (allow_login)`,
    );
    expect(r.out).toMatch(
      /✗ git runs the credential helper for CodeCommit URLs, and it stops git: ccsso: .*config\.toml:2: credential_helper\.alow_login/,
    );
    expect(r.code).toBe(1);
  });

  it("checks the profile the configured helper lines name, not the default", async () => {
    await healthy();
    signIn("2099-01-01T00:00:00Z");
    const t = testContext({ env: sandbox.env });
    t.ctx.cwd = sandbox.home;
    expect(await run(["setup-git", "--profile", "dev"], t.ctx)).toBe(0);
    const r = await doctor([]);
    expect(r.out).not.toContain("profile default");
    expect(r.out).toContain("✓ git runs the credential helper for CodeCommit URLs (answered offline; it signs with profile dev)");
    expect(r.out).toContain("✓ profile dev: account 111122223333, role Developer, sso-session corp, region us-east-1");
    expect(r.out).toContain(`✓ IAM Identity Center portal ${portal.url.origin} answered, direct (no proxy set)`);
    expect(r.code).toBe(0);
  });

  it("with one SSO profile and no default, checks that one, as git's helper chooses it", async () => {
    await healthy();
    signIn("2099-01-01T00:00:00Z");
    const r = await doctor([]);
    expect(r.out).toContain("✓ git runs the credential helper for CodeCommit URLs (answered offline; it signs with profile dev)");
    expect(r.out).toContain("✓ profile dev: account 111122223333");
    expect(r.out).not.toContain("profile default");
    expect(r.code).toBe(0);
  });

  it("with several SSO profiles and no default, says git's helper cannot choose, and how to choose", async () => {
    await healthy();
    sandbox.writeConfig(
      STATIC + SSO + "[profile ops]\nsso_session = corp\nsso_account_id = 444455556666\nsso_role_name = Ops\nregion = us-east-1\n",
    );
    const r = await doctor([]);
    expect(r.out).toContain(
      "✗ git runs the credential helper for CodeCommit URLs, and it stops git: ccsso: several SSO profiles and no default profile: dev, ops",
    );
    expect(r.out).toContain("✗ several SSO profiles and no default profile: dev, ops: git's helper cannot choose one");
    expect(r.out).toContain("fix: run: ccsso setup-git --profile dev (or another), or export AWS_PROFILE=dev");
    expect(r.code).toBe(1);
  });

  it("fails when the portal cannot be reached, and says the request went direct because of NO_PROXY", async () => {
    await healthy();
    signIn("2099-01-01T00:00:00Z");
    const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(null) });
    const dead = closed.url.origin;
    closed.stop(true);
    sandbox.env.AWS_ENDPOINT_URL_SSO = dead;
    // The stand-ins speak plain http, so HTTP_PROXY is the variable that NO_PROXY overrides here.
    Object.assign(sandbox.env, { HTTP_PROXY: "http://proxy.invalid:3128", NO_PROXY: "localhost,127.0.0.1" });
    const r = await doctor(["--profile", "dev"]);
    expect(r.out).toContain(`✗ cannot reach IAM Identity Center portal ${dead} (`);
    expect(r.out).toContain(
      'direct: NO_PROXY entry "127.0.0.1" matches the host, so HTTP_PROXY is not used: git fails once the cached role credentials run out',
    );
    expect(r.out).toContain(
      `✓ IAM Identity Center OIDC ${portal.url.origin} answered, direct: NO_PROXY entry "127.0.0.1" matches the host`,
    );
    expect(r.out).not.toContain("No problems");
    expect(r.code).toBe(1);
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
    expect(r.out).toContain("git config --global 'credential.https://git-codecommit-fips.*.amazonaws.com.useHttpPath' true");
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

  it("recognises a copy of this ccsso as this ccsso, and names a stale copy of an older one", async () => {
    await healthy({ links: false });
    // Windows keeps .exe copies rather than symlinks: a byte-identical copy is this program.
    copyFileSync(sandbox.path("bin", "ccsso"), sandbox.path("bin", "git-remote-codecommit"));
    chmodSync(sandbox.path("bin", "git-remote-codecommit"), 0o755);
    const stale = sandbox.path("bin", "git-credential-ccsso");
    writeFileSync(stale, "#!/bin/sh\n[ \"$1\" = --version ] && echo 'ccsso 0.9.0 (commit old, windows-x64)'\n");
    chmodSync(stale, 0o755);
    const r = await doctor();
    expect(r.out).toContain(`✓ git-remote-codecommit → ${sandbox.path("bin", "git-remote-codecommit")}`);
    expect(r.out).toContain(
      `✗ git-credential-ccsso on PATH is ${stale}, a copy of an older ccsso (ccsso 0.9.0 (commit old, windows-x64)), not this one (`,
    );
    expect(r.out).toContain("fix: run: ccsso setup-git (it refreshes the copy)");
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
    expect(r.out).toContain(
      "✗ profile dev: The value for sso_region is inconsistent between profile (eu-west-1) and sso-session (us-east-1).",
    );
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
    expect(report.checks).toContainEqual(
      expect.objectContaining({
        id: "protocol.codecommit.allow",
        status: "warn",
        fix: "run: git config --global protocol.codecommit.allow always",
      }),
    );
  });
});

describe("reading git's answer to the doctor probe", () => {
  const nonce = "0f1e2d3c-aaaa-bbbb-cccc-000011112222";
  it.each([
    [
      "ccsso answered",
      { code: 0, stdout: `protocol=https\nhost=h\nusername=ccsso-doctor-probe\npassword=${nonce} 1.2.3 abc123 dev\n`, stderr: "" },
      { kind: "answered", version: "1.2.3", commit: "abc123", profile: "dev" },
    ],
    [
      "a profile with a space",
      { code: 0, stdout: `username=ccsso-doctor-probe\npassword=${nonce} 1.2.3 abc my profile\n`, stderr: "" },
      { kind: "answered", version: "1.2.3", commit: "abc", profile: "my profile" },
    ],
    [
      "an older ccsso signed for real",
      { code: 0, stdout: "username=ASIAXXXX%token\npassword=20260101T000000Zabc\n", stderr: "" },
      { kind: "answered-other", username: "ASIAXXXX%token" },
    ],
    [
      "a stale nonce",
      { code: 0, stdout: "username=ccsso-doctor-probe\npassword=other 1 2 dev\n", stderr: "" },
      { kind: "answered-other", username: "ccsso-doctor-probe" },
    ],
    [
      "the helper stopped git",
      {
        code: 128,
        stdout: "",
        stderr: "ccsso: settings broken — run: ccsso doctor\nfatal: credential helper '!x credential-helper' told us to quit\n",
      },
      { kind: "refused", line: "ccsso: settings broken — run: ccsso doctor" },
    ],
    [
      "git could not find the sub-command",
      {
        code: 128,
        stdout: "",
        stderr:
          "git: 'credential-'/a b/ccsso' credential-helper' is not a git command. See 'git --help'.\nfatal: could not read Username for 'https://h': terminal prompts disabled\n",
      },
      { kind: "not-run", line: "git: 'credential-'/a b/ccsso' credential-helper' is not a git command. See 'git --help'." },
    ],
    [
      "sh could not find the program",
      { code: 128, stdout: "", stderr: "/bin/sh: 1: /gone/ccsso: not found\nfatal: could not read Username\n" },
      { kind: "not-run", line: "/bin/sh: 1: /gone/ccsso: not found" },
    ],
    [
      "nobody answered",
      { code: 128, stdout: "", stderr: "fatal: could not read Username for 'https://h': terminal prompts disabled\n" },
      { kind: "no-answer", line: "fatal: could not read Username for 'https://h': terminal prompts disabled" },
    ],
  ])("%s", (_name, result, outcome) => {
    expect(classifyProbe(result, nonce)).toEqual(outcome as ReturnType<typeof classifyProbe>);
  });
});
