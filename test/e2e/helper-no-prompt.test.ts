// Whatever goes wrong inside the credential helper, git must stop with ccsso's one line instead of asking
// the person for a CodeCommit username (there is no password they could type). Driven as a person meets
// it: real `git credential fill` on a pseudo-terminal, so git WOULD prompt on /dev/tty if the helper let it.
import { afterEach, describe, expect, it } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { roleCredentialsCacheKey } from "../../src/core/cache-keys";
import { commandLine } from "../../src/core/shell-quote";
import { settingsPath } from "../../src/platform/paths";
import { ccssoCommand } from "../helpers/ccsso";
import { runInPty, type PtyStep } from "../helpers/pty";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { seedWarmSsoProfile, warmProfile } from "../helpers/warm-sso-profile";

let sbx: Sandbox;
afterEach(() => sbx?.cleanup());

const URL_ = "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo";

/** `git credential fill` for a CodeCommit URL on a terminal, with `helper` as the only helper for it. */
async function fillOnTerminal(helper: string | null, env: Record<string, string> = {}, steps: PtyStep[] = [{ expect: "\\[exit \\d+\\]" }]) {
  const e: Record<string, string> = { ...sbx.env, ...env };
  // A person at a terminal: git may prompt (the sandbox's GIT_TERMINAL_PROMPT=0 is what hides prompts in CI).
  delete e.GIT_TERMINAL_PROMPT;
  delete e.SSH_ASKPASS;
  const config = helper === null ? [] : ["-c", "credential.helper=", "-c", `credential.helper=${helper}`];
  const git = commandLine(["git", ...config, "-c", "credential.useHttpPath=true", "credential", "fill"]);
  return runInPty(["sh", "-c", `printf 'url=%s\\n\\n' ${URL_} | ${git}; echo "[exit $?]"`], {
    env: e,
    // A prompt instead of the exit line makes the expect step fail (and the screen shows the prompt).
    steps,
    timeoutSeconds: 15,
  });
}

const ours = () => "!" + commandLine([...ccssoCommand({ compiled: true }), "credential-helper"]);

function ccssoLines(screen: string): string[] {
  return screen.split("\n").filter((l) => l.startsWith("ccsso:"));
}

describe("credential-helper get never leaves git prompting (real git on a terminal)", () => {
  it("control: with no helper, git does prompt for a username (so the test can see one)", async () => {
    sbx = makeSandbox();
    const r = await fillOnTerminal(null, {}, [{ expect: "Username for" }, { send: "\r" }, { expect: "Password for" }, { send: "\r" }]);
    expect(r.failed).toBeNull();
    expect(r.screen).toContain("Username for");
  }, 30_000);

  it.each([
    [
      "a misspelt key in the settings file",
      () => {
        seedWarmSsoProfile(sbx.env);
        const p = settingsPath(sbx.env);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, "[credential_helper]\nalow_login = true\n");
        return { env: { AWS_PROFILE: "dev" }, says: /config\.toml:2.*alow_login/ };
      },
    ],
    [
      "a profile that is not in the AWS config",
      () => {
        seedWarmSsoProfile(sbx.env);
        return { env: { AWS_PROFILE: "nosuch" }, says: /nosuch/ };
      },
    ],
    [
      "a portal that cannot be reached",
      () => {
        seedWarmSsoProfile(sbx.env);
        const key = roleCredentialsCacheKey({ login: warmProfile.login, accountId: warmProfile.accountId, roleName: warmProfile.roleName });
        rmSync(join(sbx.home, ".aws", "cli", "cache", `${key}.json`));
        return {
          env: { AWS_PROFILE: "dev", AWS_ENDPOINT_URL_SSO: "https://127.0.0.1:9" },
          says: /cannot reach IAM Identity Center portal at https:\/\/127\.0\.0\.1:9/,
        };
      },
    ],
    [
      "a signed-out session",
      () => {
        seedWarmSsoProfile(sbx.env);
        rmSync(join(sbx.home, ".aws", "sso", "cache"), { recursive: true });
        rmSync(join(sbx.home, ".aws", "cli", "cache"), { recursive: true });
        return { env: { AWS_PROFILE: "dev" }, says: /ccsso sso login/ };
      },
    ],
  ])(
    "with %s: quit=1 and one line, no Username prompt",
    async (_what, arrange) => {
      sbx = makeSandbox();
      const { env, says } = arrange();
      const r = await fillOnTerminal(ours(), env);
      expect(r.failed).toBeNull();
      expect(r.screen).not.toContain("Username for");
      expect(r.screen).not.toContain("Password for");
      const lines = ccssoLines(r.screen);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(says);
      expect(r.screen).toContain("told us to quit");
      expect(r.screen).toMatch(/\[exit [1-9]\d*\]/);
    },
    30_000,
  );
});
