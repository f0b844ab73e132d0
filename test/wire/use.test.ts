// `ccsso use` in-process against the Identity Center stand-in: stdout carries only the statements for
// the shell (the shell function evaluates all of it), everything for the person goes to stderr, and a
// failure prints no statement at all. The real shells evaluating this output: test/e2e/shell-use.test.ts.
import { afterEach, describe, expect, it } from "bun:test";
import { run } from "../../src/cli/run";
import { run as use } from "../../src/cli/use";
import { START_URL, ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";

let w: SsoWorld;
afterEach(async () => w?.close());

const UNSET_BASH = "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION";

describe("ccsso use", () => {
  it("signs in once, then prints only the statements that switch the shell", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL", CCSSO_SHELL: "bash" } });
    expect(await run(["use", "dev"], w.t.ctx)).toBe(0);
    expect(w.t.stdout()).toBe(`${UNSET_BASH}\nexport AWS_PROFILE=dev\n`);
    expect(w.t.stderr()).toContain(`Successfully logged into Start URL: ${START_URL}`);
    expect(w.fake.counters.Authorize).toBe(1);
    expect(await run(["use", "dev"], w.t.ctx)).toBe(0);
    expect(w.fake.counters.Authorize).toBe(1);
    expect(w.t.stderr()).toContain("profile dev = 111111111111/Developer");
    expect(w.t.stderr()).toContain("no browser needed.");
  });

  it("puts the role credentials themselves in the shell with --export, quoted for fish", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL" } });
    expect(await run(["use", "ops", "--export", "--shell", "fish"], w.t.ctx)).toBe(0);
    const out = w.t.stdout();
    const id = /^set -gx AWS_ACCESS_KEY_ID '(ASIA\w+)'$/m.exec(out)?.[1];
    expect(id).toBeDefined();
    const issued = w.fake.issued.get(id!)!;
    expect(out).toContain(`set -gx AWS_SECRET_ACCESS_KEY '${issued.secretAccessKey}'\n`);
    expect(out).toContain(`set -gx AWS_SESSION_TOKEN '${issued.sessionToken}'\n`);
    expect(out).toMatch(/^set -gx AWS_CREDENTIAL_EXPIRATION '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00'$/m);
    expect(out).toContain("set -gx AWS_PROFILE 'ops'\n");
    // The secret is for the shell only, never for the person's screen.
    expect(w.t.stderr()).not.toContain(issued.secretAccessKey);
  });

  it("clears the profile and every credential variable with --clear", async () => {
    w = ssoWorld({ env: { CCSSO_SHELL: "powershell" } });
    expect(await run(["use", "--clear"], w.t.ctx)).toBe(0);
    expect(w.t.stdout()).toBe(
      "$Env:AWS_PROFILE = $null; $Env:AWS_ACCESS_KEY_ID = $null; $Env:AWS_SECRET_ACCESS_KEY = $null; $Env:AWS_SESSION_TOKEN = $null; $Env:AWS_CREDENTIAL_EXPIRATION = $null\n",
    );
  });

  it("without the shell function, explains how to install it and prints no statement", async () => {
    w = ssoWorld({ env: { SHELL: "/usr/bin/zsh" } });
    expect(await run(["use", "dev"], w.t.ctx)).toBe(2);
    expect(w.t.stdout()).toBe("");
    expect(w.t.stderr()).toContain('eval "$(ccsso shell-init zsh)"');
  });

  it("prints no statement for a profile that does not exist", async () => {
    w = ssoWorld({ env: { CCSSO_SHELL: "bash" } });
    expect(await run(["use", "nope"], w.t.ctx)).toBe(1);
    expect(w.t.stdout()).toBe("");
    expect(w.t.stderr()).toContain('profile "nope" was not found');
  });

  it("prints no statement when the sign-in is refused", async () => {
    w = ssoWorld({ deny: true, env: { BROWSER: "curl -fsSL", CCSSO_SHELL: "bash" } });
    expect(await run(["use", "dev"], w.t.ctx)).not.toBe(0);
    expect(w.t.stdout()).toBe("");
  });

  it("offers the configured profiles in the picker with the current one marked", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL", AWS_PROFILE: "ops" } });
    let offered: string[] = [];
    const opts = {
      export: false,
      clear: false,
      shell: "zsh",
      useDeviceCode: false,
      useBrowser: false,
      redirectPort: undefined,
      copy: false,
      browser: true,
    };
    await use(opts, [], w.t.ctx, {
      pick: async (labels) => {
        offered = labels;
        return labels.indexOf("legacy");
      },
    });
    expect(offered).toEqual(["dev", "ops  (current)", "legacy"]);
    expect(w.t.stderr()).toStartWith("Choose the profile for this shell (AWS_PROFILE), 3 in the AWS config:\n");
    expect(w.t.stdout()).toEndWith("export AWS_PROFILE=legacy\n");
  });
});

describe("ccsso use without a profile and a single SSO profile", () => {
  it("uses it without asking (the project's default-profile rule)", async () => {
    w = ssoWorld({ env: { BROWSER: "curl -fsSL", CCSSO_SHELL: "bash", AWS_PROFILE: "elsewhere" } });
    w.sbx.writeConfig(
      "[profile solo]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Developer\n[profile keys]\nregion = us-east-1\n" +
        "[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\n",
    );
    const opts = {
      export: false,
      clear: false,
      shell: undefined,
      useDeviceCode: false,
      useBrowser: false,
      redirectPort: undefined,
      copy: false,
      browser: true,
    };
    await use(opts, [], w.t.ctx, {
      pick: async () => {
        throw new Error("the picker must not open");
      },
    });
    expect(w.t.stderr()).toContain("using profile solo, the only SSO profile");
    expect(w.t.stdout()).toEndWith("export AWS_PROFILE=solo\n");
  });
});
