// The shell login alias as a person lives it: real bash, zsh and fish on a pseudo-terminal, the compiled
// binary on PATH, the function installed with its one rc line, the Identity Center and CodeCommit
// stand-ins in this process, and curl as the person in the browser. In each shell: `ccsso use dev` signs
// in once and switches AWS_PROFILE; a second `ccsso use dev` opens no browser (the stand-in's Authorize
// counter and the browser's own log prove it); the picker switches to another profile; git reaches
// CodeCommit through the helper that `ccsso setup-git` (run through the function) wrote, with no
// --profile anywhere; a failed `use` changes nothing;
// `--clear` unsets; and a hostile profile name and hostile credential values (`use --export`) arrive in
// the shell byte for byte without running anything; credentials from `use --export` sign a real AWS
// CLI call (STS stand-in). PowerShell is not packaged for this machine; its
// function and completion are golden-text tests (test/unit/shell-init.test.ts, completion.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sandboxClientEnv, startSandboxServer } from "../fakes/sandbox-server";
import { compiledBinary } from "../helpers/ccsso";
import { keys, runInPty, type PtyStep } from "../helpers/pty";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { START_URL } from "../helpers/sso-stand-in";

const HOSTILE_NAME = 'hostile it\'s $(touch PWNED) `touch PWNED`; a&b|c "q" \\v';
const HOSTILE = {
  AccessKeyId: "AKIAHOSTILEEXAMPLE01",
  SecretAccessKey: "s3cr'et\"$(touch PWNED)`touch PWNED`;|&\\",
  SessionToken: "line one\ntouch PWNED\n'; touch PWNED; echo '",
};

const CONFIG = `[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
region = us-east-1

[profile ops]
sso_session = corp
sso_account_id = 222222222222
sso_role_name = ReadOnly
region = us-east-1

[sso-session corp]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`;

let server: ReturnType<typeof startSandboxServer>;
const sandboxes: Sandbox[] = [];

beforeAll(() => {
  if (!existsSync(compiledBinary)) throw new Error("dist/ccsso is missing: run `make build` (make e2e does)");
  server = startSandboxServer({ repos: ["demo"] });
});
afterAll(async () => {
  await server?.close();
  for (const s of sandboxes) s.cleanup();
});

/** A person's account: its own HOME, ccsso on PATH, a browser that logs each URL it is given. */
function person(): { sbx: Sandbox; browserLog: string } {
  const sbx = makeSandbox();
  sandboxes.push(sbx);
  sbx.writeConfig(CONFIG);
  const creds = sbx.path("hostile-creds.sh");
  const json = JSON.stringify({ Version: 1, ...HOSTILE, Expiration: new Date(Date.now() + 3 * 3600_000).toISOString() });
  writeFileSync(creds, `#!/bin/sh\ncat <<'EOF'\n${json}\nEOF\n`);
  chmodSync(creds, 0o755);
  writeFileSync(sbx.awsCredentials, `[${HOSTILE_NAME}]\ncredential_process = ${creds}\n`, { mode: 0o600 });
  const bin = sbx.path("bin");
  mkdirSync(bin);
  symlinkSync(compiledBinary, join(bin, "ccsso"));
  const browserLog = sbx.path("browser.log");
  const browser = sbx.path("browser.sh");
  writeFileSync(browser, `#!/bin/sh\necho "$1" >> '${browserLog}'\ncurl -fsSL "$1" >/dev/null\n`, { mode: 0o755 });
  Object.assign(sbx.env, { PATH: `${bin}:${sbx.env.PATH}`, ...sandboxClientEnv(server.info), BROWSER: browser, PS1: "$ " });
  for (const k of ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT", "DISPLAY", "AWS_PROFILE"]) delete sbx.env[k];
  return { sbx, browserLog };
}

type Shell = "bash" | "zsh" | "fish";

const SHELL_ARGV: Record<Shell, string[]> = {
  bash: ["bash", "--norc", "--noprofile", "-i"],
  zsh: ["zsh", "-f", "-i"],
  fish: ["fish", "--no-config", "-i"],
};
const INSTALL: Record<Shell, string> = {
  bash: 'eval "$(ccsso shell-init bash)"',
  zsh: 'eval "$(ccsso shell-init zsh)"',
  fish: "ccsso shell-init fish | source",
};
const STATUS: Record<Shell, string> = { bash: "$?", zsh: "$?", fish: "$status" };

const b64 = (s: string) => Buffer.from(s).toString("base64");
const re = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

let mark = 0;
/** Type `command`, then wait for a marker that only its output (never the echoed line) contains. */
function typed(command: string, ...expects: string[]): PtyStep[] {
  const n = ++mark;
  return [
    { send: `${command}; echo __done"${n}"__\r` },
    ...expects.map((e) => ({ expect: e, timeout: 30 })),
    { expect: `__done${n}__`, timeout: 30 },
  ];
}

describe.each(["bash", "zsh", "fish"] as const)("ccsso use in %s on a terminal", (shell) => {
  it("signs in once, switches profiles, serves git, clears, and round-trips hostile names and credentials", async () => {
    const { sbx, browserLog } = person();
    const authorizeBefore = server.identityCenter.counters.Authorize;
    const authorizedBefore = server.codecommit.counters.authorized;
    const keysBefore = server.codecommit.authenticatedKeys.length;
    const showProfile = `echo "P=[$AWS_PROFILE]"`;
    const steps: PtyStep[] = [
      ...typed(INSTALL[shell]),
      // setup-git through the function: with two SSO profiles it pins none, so git follows `ccsso use`.
      ...typed("ccsso setup-git", "the shell's AWS_PROFILE when git runs"),
      // First use: a sign-in through the browser, the URL and summary on the terminal (stderr).
      ...typed("ccsso use dev", `Successfully logged into Start URL: ${re(START_URL)}`, "this shell now uses profile dev"),
      ...typed(showProfile, "P=\\[dev\\]"),
      // Second use: the session is good, no browser.
      ...typed("ccsso use dev", "no browser needed", "this shell now uses profile dev"),
      ...typed("ccsso prompt", "dev \\d+[hm]\\S*"),
      // No profile named: the picker, the current one marked; type to filter, Enter to choose.
      { send: "ccsso use\r" },
      { expect: "dev  \\(current\\)", timeout: 30 },
      { expect: "type to filter", timeout: 30 },
      { send: "ops" },
      { expect: '1 of 3 match "ops"', timeout: 30 },
      { send: keys.enter },
      { expect: "this shell now uses profile ops", timeout: 30 },
      ...typed(showProfile, "P=\\[ops\\]"),
      // git through the credential helper setup-git installed; AWS_PROFILE is the only hint of a profile.
      ...typed(
        `git ls-remote https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo; echo "ls-remote=[${STATUS[shell]}]"`,
        "ls-remote=\\[0\\]",
      ),
      // A failed use evaluates nothing.
      ...typed(`ccsso use nope; echo "rc=[${STATUS[shell]}]"`, "rc=\\[1\\]"),
      ...typed(showProfile, "P=\\[ops\\]"),
      ...typed("ccsso use --clear", "cleared"),
      ...typed(showProfile, "P=\\[\\]"),
      // A hostile profile (from the credentials file) chosen in the picker, with hostile credentials exported.
      { send: "ccsso use --export\r" },
      { expect: "type to filter", timeout: 30 },
      { send: "hostile" },
      { expect: '1 of 3 match "hostile"', timeout: 30 },
      { send: keys.enter },
      { expect: "this shell now uses profile hostile", timeout: 30 },
      ...typed('printf %s "$AWS_PROFILE" | base64 -w0', re(b64(HOSTILE_NAME))),
      ...typed('printf %s "$AWS_ACCESS_KEY_ID" | base64 -w0', re(b64(HOSTILE.AccessKeyId))),
      ...typed('printf %s "$AWS_SECRET_ACCESS_KEY" | base64 -w0', re(b64(HOSTILE.SecretAccessKey))),
      ...typed('printf %s "$AWS_SESSION_TOKEN" | base64 -w0', re(b64(HOSTILE.SessionToken))),
      // Exported role credentials work for a real AWS client that reads only the environment's keys
      // (AWS CLI v1 knows nothing of sso-session profiles), checked by the STS stand-in's SigV4 verifier.
      ...typed("ccsso use dev --export", "this shell now uses profile dev"),
      ...typed("aws sts get-caller-identity --query Account --output text", "111111111111\\s"),
      // use again without --export: the exported keys go, or they would outrank AWS_PROFILE.
      ...typed("ccsso use dev", "this shell now uses profile dev"),
      ...typed(`echo "K=[$AWS_ACCESS_KEY_ID][$AWS_SESSION_TOKEN]"`, "K=\\[\\]\\[\\]"),
      { send: "exit\r" },
    ];
    const r = await runInPty(SHELL_ARGV[shell], { env: sbx.env, cwd: sbx.home, steps, timeoutSeconds: 120 });
    if (r.failed) throw new Error(`${shell}: step never happened: ${JSON.stringify(r.failed)}\n--- screen ---\n${r.screen.slice(-3000)}`);
    // One browser sign-in for the whole session: the second `use dev` and the picker's `ops` opened nothing.
    expect(server.identityCenter.counters.Authorize - authorizeBefore).toBe(1);
    expect(readFileSync(browserLog, "utf8").trim().split("\n")).toHaveLength(1);
    expect(server.codecommit.counters.authorized).toBeGreaterThan(authorizedBefore);
    // …signed with ops's role (account 222222222222), the profile `ccsso use` had just switched to.
    const signedWith = server.codecommit.authenticatedKeys.slice(keysBefore).map((k) => server.identityCenter.issued.get(k)?.accountId);
    expect(signedWith.length).toBeGreaterThan(0);
    expect(new Set(signedWith)).toEqual(new Set(["222222222222"]));
    // No --profile anywhere: not in the helper lines setup-git wrote, not on any command typed.
    const helpers = Bun.spawnSync(["git", "config", "--global", "--get-regexp", "^credential\\..*\\.helper$"], {
      env: sbx.env,
    }).stdout.toString();
    expect(helpers).toContain("credential-helper");
    expect(helpers).not.toContain("--profile");
    // Nothing in a name or a credential ran, wherever the shell was.
    expect(existsSync(sbx.path("PWNED"))).toBe(false);
    // The secret went into the shell, never onto the screen.
    expect(r.screen).not.toContain(HOSTILE.SecretAccessKey);
  }, 180_000);
});
