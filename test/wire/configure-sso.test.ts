// The configure sso wizard in-process: scripted answers and menu choices, the real login (curl as the
// browser) and portal client against the Identity Center stand-in, the real config file.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { chmodSync, existsSync, readFileSync } from "node:fs";
import { configureSso, type ConfigureSsoOptions, type WizardTerminal } from "../../src/cli/configure-sso";
import { renderError } from "../../src/cli/render-error";
import { testContext } from "../../src/platform/context";
import { scriptedPrompter } from "../../src/platform/prompt";
import { createFakeIdentityCenter, type FakeIdentityCenter } from "../fakes/identity-center";
import { corpLogin, corpSessionSection, signInCorp, useStandIn } from "../helpers/populate-fixture";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const URL_ = corpLogin.startUrl;
let fake: FakeIdentityCenter;
let sandbox: Sandbox;

beforeEach(() => {
  fake = createFakeIdentityCenter({ accountCount: 2, rolesPerAccount: ["ReadOnly", "Developer"] });
  sandbox = makeSandbox({ BROWSER: "curl -fsSL" });
  useStandIn(sandbox, fake);
});
afterEach(async () => {
  await fake.close();
  sandbox.cleanup();
});

/** Run the wizard with typed answers and menu choices; returns what a person would have seen. */
async function wizard(flags: ConfigureSsoOptions, answers: string[] | undefined, choices: number[] = [], env: Record<string, string> = {}) {
  const t = testContext({ env: { ...sandbox.env, ...env } });
  const menus: string[][] = [];
  const prompter = answers ? scriptedPrompter(answers, t.ctx.stdout) : undefined;
  const terminal: WizardTerminal = prompter
    ? {
        prompter,
        pick: async (items) => {
          menus.push(items);
          const choice = choices.shift();
          if (choice === undefined) throw new Error("the test gave no menu choice");
          return choice;
        },
      }
    : {};
  let code: number;
  try {
    code = await configureSso(flags, t.ctx, terminal);
  } catch (e) {
    code = renderError(e, t.ctx);
  }
  return { code, out: t.stdout(), err: t.stderr(), asked: prompter?.asked ?? [], menus, t };
}

const config = () => (existsSync(sandbox.awsConfig) ? readFileSync(sandbox.awsConfig, "utf8") : undefined);

describe("configure sso, interactively", () => {
  it("asks the AWS CLI's questions in its order, signs in, offers sorted menus and writes profile then session", async () => {
    const r = await wizard({}, ["corp", URL_, "us-east-1", "", "eu-west-1", "json", "", ""], [1, 0]);
    expect(r.err).not.toContain("ccsso: ");
    expect(r.code).toBe(0);
    expect(r.asked).toEqual([
      "SSO session name (Recommended): ",
      "SSO start URL [None]: ",
      "SSO region [None]: ",
      "SSO registration scopes [sso:account:access]: ",
      "Default client Region [None]: ",
      "CLI default output format (json if not specified) [None]: ",
      "Profile name [Developer-222222222222]: ",
      "Also make Developer-222222222222 the default profile, for the AWS CLI and SDKs too (y/N) [N]: ",
    ]);
    expect(r.menus).toEqual([
      ["dev, aws+dev@example.com (111111111111)", "prod, aws+prod@example.com (222222222222)"],
      ["Developer", "ReadOnly"],
    ]);
    expect(r.out).toContain("There are 2 AWS accounts available to you.\nUsing the account ID 222222222222\n");
    expect(r.out).toContain('There are 2 roles available to you.\nUsing the role name "Developer"\n');
    expect(r.out).toEndWith(
      "To use this profile, specify the profile name using --profile, as shown:\n\nccsso whoami --profile Developer-222222222222\n\nTo use it with git for CodeCommit, run: ccsso setup-git --profile Developer-222222222222\n" +
        "\nTo use it by default in this shell (ccsso, the AWS CLI and the SDKs): export AWS_PROFILE=Developer-222222222222\n",
    );
    expect(config()).toBe(
      "[profile Developer-222222222222]\nsso_session = corp\nsso_account_id = 222222222222\nsso_role_name = Developer\nregion = eu-west-1\noutput = json\n" +
        `[sso-session corp]\nsso_start_url = ${URL_}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n`,
    );
    expect(fake.counters.Authorize).toBe(1);
  });

  it("reuses an existing sso-session and its cached token without asking for URL, region or scopes", async () => {
    sandbox.writeConfig(`# mine\n${corpSessionSection}`);
    signInCorp(sandbox, fake, testContext().ctx.now());
    fake.knobs.accounts = [{ accountId: "333333333333", accountName: "only", emailAddress: "o@x", roles: ["Admin"] }];
    const r = await wizard({}, ["corp", "", "", "dev", ""]);
    expect(r.asked).toEqual([
      "SSO session name (Recommended): ",
      "Default client Region [None]: ",
      "CLI default output format (json if not specified) [None]: ",
      "Profile name [Admin-333333333333]: ",
      "Also make dev the default profile, for the AWS CLI and SDKs too (y/N) [N]: ",
    ]);
    expect(r.out).toContain("The only AWS account available to you is: 333333333333\nUsing the account ID 333333333333\n");
    expect(r.out).toContain('The only role available to you is: Admin\nUsing the role name "Admin"\n');
    expect(fake.counters.CreateToken + fake.counters.Authorize).toBe(0); // no new sign-in
    expect(config()).toBe(
      `# mine\n${corpSessionSection}[profile dev]\nsso_session = corp\nsso_account_id = 333333333333\nsso_role_name = Admin\n`,
    );
  });

  it("takes defaults from the selected profile and skips the profile-name question when AWS_PROFILE selects one", async () => {
    sandbox.writeConfig(`[profile work]\nsso_session = corp\nregion = eu-north-1\noutput = table\n${corpSessionSection}`);
    signInCorp(sandbox, fake, testContext().ctx.now());
    const r = await wizard({}, ["", "", ""], [0, 1], { AWS_PROFILE: "work" });
    expect(r.asked).toEqual([
      "SSO session name [corp]: ",
      "Default client Region [eu-north-1]: ",
      "CLI default output format (json if not specified) [table]: ",
    ]);
    expect(r.out).toContain("ccsso whoami --profile work\n");
    expect(readFileSync(sandbox.awsConfig, "utf8")).toStartWith(
      "[profile work]\nsso_session = corp\nregion = eu-north-1\noutput = table\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\n",
    );
  });

  it("with no default profile yet, makes the new profile the default on request: a [default] copy every AWS tool reads", async () => {
    sandbox.writeConfig(`# mine\n${corpSessionSection}`);
    signInCorp(sandbox, fake, testContext().ctx.now());
    fake.knobs.accounts = [{ accountId: "333333333333", accountName: "only", emailAddress: "o@x", roles: ["Admin"] }];
    const r = await wizard({}, ["corp", "us-east-1", "", "dev", "y"]);
    expect(r.code).toBe(0);
    expect(config()).toBe(
      `# mine\n${corpSessionSection}[profile dev]\nsso_session = corp\nsso_account_id = 333333333333\nsso_role_name = Admin\nregion = us-east-1\n` +
        "[default]\nsso_session = corp\nsso_account_id = 333333333333\nsso_role_name = Admin\nregion = us-east-1\n",
    );
    expect(r.out).toEndWith("\ndev is now also the [default] profile: ccsso, the AWS CLI and the SDKs use it when no profile is named.\n");
  });

  it("asks nothing more when typed in flag form on a terminal: no scopes, no output format, no default-profile offer", async () => {
    const r = await wizard(
      {
        ssoSession: "corp",
        startUrl: URL_,
        ssoRegion: "us-east-1",
        accountId: "111111111111",
        roleName: "ReadOnly",
        region: "us-east-1",
        profile: "dev",
      },
      [],
    );
    expect(r.code).toBe(0);
    expect(r.asked).toEqual([]);
    expect(config()).toContain(
      "[sso-session corp]\nsso_start_url = " + URL_ + "\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n",
    );
  });

  it("writes the legacy format, with the AWS CLI's warning, when no session name is given", async () => {
    fake.knobs.accounts = [{ accountId: "333333333333", accountName: "only", emailAddress: "o@x", roles: ["Admin"] }];
    const r = await wizard({ profile: "old" }, ["", URL_, "us-east-1", "", "", ""]);
    expect(r.out).toStartWith(
      'SSO session name (Recommended): WARNING: Configuring using legacy format (e.g. without an SSO session).\nConsider re-running "configure sso" command and providing a session name.\n',
    );
    expect(r.asked.slice(0, 5)).toEqual([
      "SSO session name (Recommended): ",
      "SSO start URL [None]: ",
      "SSO region [None]: ",
      "Default client Region [None]: ",
      "CLI default output format (json if not specified) [None]: ",
    ]);
    expect(config()).toBe(
      `[profile old]\nsso_start_url = ${URL_}\nsso_region = us-east-1\nsso_account_id = 333333333333\nsso_role_name = Admin\n`,
    );
    expect(fake.counters.DeviceVerification).toBe(1); // legacy profiles always use the device code, as the CLI
  });

  it("signs in with the device code when --use-device-code is given, and asks no profile name under AWS_DEFAULT_PROFILE", async () => {
    fake.knobs.accounts = [{ accountId: "333333333333", accountName: "only", emailAddress: "o@x", roles: ["Admin"] }];
    const r = await wizard({ useDeviceCode: true }, ["corp", URL_, "us-east-1", "", "", ""], [], { AWS_DEFAULT_PROFILE: "ci" });
    expect(r.code).toBe(0);
    expect(fake.counters.DeviceVerification).toBe(1);
    expect(fake.counters.Authorize).toBe(0);
    expect(r.asked).not.toContain("Profile name [Admin-333333333333]: ");
    expect(config()).toStartWith("[profile ci]\nsso_session = corp\nsso_account_id = 333333333333\n");
  });

  it("re-asks for a start URL that is not https, with the reason", async () => {
    const r = await wizard({ accountId: "111111111111", roleName: "ReadOnly", profile: "p" }, [
      "corp",
      "http://corp.example.com/start",
      URL_,
      "us-east-1",
      "",
      "",
      "",
      "",
    ]);
    expect(r.out).toContain("SSO start URL [None]: Not a valid Start URL: it must be https://<host>/…\nSSO start URL [None]: ");
    expect(r.code).toBe(0);
  });

  it("continues without account and role when the portal refuses the token while listing", async () => {
    sandbox.writeConfig(corpSessionSection);
    const token = signInCorp(sandbox, fake, testContext().ctx.now());
    fake.invalidate(token);
    const r = await wizard({}, ["corp", "", "", "dev"]);
    expect(r.out).toContain("Unable to list AWS accounts and/or roles. Skipping configuring AWS credential provider for profile.\n");
    expect(r.asked).toContain("Profile name [None]: ");
    expect(r.out).toEndWith("Successfully configured SSO for profile: dev\n");
    expect(config()).toBe(`${corpSessionSection}[profile dev]\nsso_session = corp\n`);
  });

  it("stops with the AWS CLI's message when no account is available, writing nothing", async () => {
    sandbox.writeConfig(corpSessionSection);
    signInCorp(sandbox, fake, testContext().ctx.now());
    fake.knobs.accounts = [];
    const r = await wizard({}, ["corp"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "ccsso: No AWS accounts are available to you. — ask your administrator to assign you a permission set, or check the start URL\n",
    );
    expect(config()).toBe(corpSessionSection);
  });

  it("stops with the AWS CLI's message when the account has no role, writing nothing", async () => {
    sandbox.writeConfig(corpSessionSection);
    signInCorp(sandbox, fake, testContext().ctx.now());
    fake.knobs.accounts = [{ accountId: "333333333333", accountName: "x", emailAddress: "x@x", roles: [] }];
    const r = await wizard({}, ["corp"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("ccsso: No roles are available for the account 333333333333");
    expect(config()).toBe(corpSessionSection);
  });

  it("offers only valid accounts and roles from a hostile portal, escaped, and writes nothing raw", async () => {
    sandbox.writeConfig(corpSessionSection);
    signInCorp(sandbox, fake, testContext().ctx.now());
    fake.knobs.accounts = [
      { accountId: "111111111111\u2028", accountName: "separator", emailAddress: "a@x", roles: ["Admin"] },
      { accountId: "333333333333", accountName: "Evil\x1b[2J", emailAddress: "c@x", roles: ["Dev\x1b[2J", "Ops\ncredential_process = id"] },
      { accountId: "444444444444", accountName: "ok", emailAddress: "d@x", roles: ["Dev\x1b[2J", "Developer"] },
    ];
    // Menus: pick "Evil…" (first by name) → its roles are all refused; so run again choosing "ok".
    const refused = await wizard({}, ["corp"], [0]);
    expect(refused.menus[0]).toEqual(["Evil^[[2J, c@x (333333333333)", "ok, d@x (444444444444)"]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      String.raw`skipped an account IAM Identity Center listed: the account id "111111111111\u2028" is not 12 digits`,
    );
    expect(refused.err).toContain(String.raw`skipped a role IAM Identity Center listed: the role name "Ops\ncredential_process = id"`);
    expect(refused.err).toContain("No roles are available for the account 333333333333");
    expect(config()).toBe(corpSessionSection);
    const ok = await wizard({}, ["corp", "", "", "dev", ""], [1]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('The only role available to you is: Developer\nUsing the role name "Developer"\n');
    expect(config()).toContain("[profile dev]\nsso_session = corp\nsso_account_id = 444444444444\nsso_role_name = Developer\n");
    for (const text of [refused.out, refused.err, ok.out, ok.err, config()!]) expect(text).not.toMatch(/[\x1b\u2028]/);
  });
});

describe("configure sso from flags only", () => {
  const allFlags: ConfigureSsoOptions = {
    profile: "dev",
    ssoSession: "corp",
    startUrl: URL_,
    ssoRegion: "us-east-1",
    accountId: "111111111111",
    roleName: "Developer",
    region: "eu-west-1",
    output: "json",
  };

  it("writes the expected bytes without signing in or calling the portal", async () => {
    sandbox.writeConfig("[default]\nregion = us-east-1\n");
    const r = await wizard(allFlags, undefined);
    expect(r.code).toBe(0);
    expect(config()).toBe(
      "[default]\nregion = us-east-1\n[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Developer\nregion = eu-west-1\noutput = json\n" +
        `[sso-session corp]\nsso_start_url = ${URL_}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n`,
    );
    expect(Object.values(fake.counters).every((n) => n === 0)).toBe(true);
  });

  it("with nothing given, names the missing session before the account", async () => {
    const r = await wizard({}, undefined);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "ccsso: an SSO session name (with --start-url and --sso-region for a new one) is needed and there is no terminal to ask on (or --no-input was given) — pass --sso-session <name>\n",
    );
  });

  it("names the missing flag when there is no terminal to ask on", async () => {
    const { accountId: _, ...noAccount } = allFlags;
    const r = await wizard(noAccount, undefined);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "ccsso: the AWS account ID is needed and there is no terminal to ask on (or --no-input was given) — pass --account-id <id>\n",
    );
    const { startUrl: __, ...noUrl } = allFlags;
    expect((await wizard(noUrl, undefined)).err).toContain("pass --start-url <url>");
    expect(config()).toBeUndefined();
  });

  it("refuses a start URL without https", async () => {
    const r = await wizard({ ...allFlags, startUrl: "http://corp.example.com/start" }, undefined);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'ccsso: --start-url "http://corp.example.com/start": Not a valid Start URL: it must be https://<host>/… — run: ccsso help configure sso\n',
    );
  });

  it("refuses to change an existing session through flags", async () => {
    sandbox.writeConfig(corpSessionSection);
    const r = await wizard({ ...allFlags, startUrl: "https://other.awsapps.com/start" }, undefined);
    expect(r.code).toBe(2);
    expect(r.err).toContain('sso-session "corp" already exists with sso_start_url = https://corp-example.awsapps.com/start');
    expect(config()).toBe(corpSessionSection);
  });

  it("refuses a read-only config file before asking anything", async () => {
    sandbox.writeConfig("[default]\n");
    chmodSync(sandbox.awsConfig, 0o400);
    const r = await wizard({}, ["corp"]);
    expect(r.code).toBe(1);
    expect(r.asked).toEqual([]);
    expect(r.err).toContain("is read-only; nothing was written");
  });

  it("names the malformed line of the config file", async () => {
    sandbox.writeConfig("[default]\nregion = us-east-1\noops\n");
    const r = await wizard(allFlags, undefined);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `ccsso: ${sandbox.awsConfig} line 3: line is neither a [section], a key = value, nor a comment; nothing was written — fix or remove that line, then run the command again\n`,
    );
    expect(config()).toBe("[default]\nregion = us-east-1\noops\n");
  });
});
