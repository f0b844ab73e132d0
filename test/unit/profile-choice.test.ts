// Which profile a command uses when the person named none: the AWS CLI's order first, untouched, then
// what the configuration makes obvious (one SSO profile, or one place to sign in to).
import { describe, expect, it } from "bun:test";
import { chooseProfile, describeProfileChoice, parseAwsConfig, profileNotChosenError, type ProfileRule } from "../../src/core/aws-config";
import { ProfileNotChosenError } from "../../src/core/errors";
import { chooseCommandProfile } from "../../src/cli/profile-choice";
import { testContext } from "../../src/platform/context";

const SESSION = "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";
const DEV = "[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Dev\nregion = us-east-1\n";
const PROD = "[profile prod]\nsso_session = corp\nsso_account_id = 222222222222\nsso_role_name = Admin\n";
const LEGACY =
  "[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 3\nsso_role_name = R\n";
const DEFAULT = "[default]\nregion = us-west-2\n";
const KEYS = { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret" };

type Case = [
  name: string,
  config: string,
  flag: string | undefined,
  env: Record<string, string>,
  purpose: "credentials" | "session",
  rule: ProfileRule,
  chosen: string,
];
const cases: Case[] = [
  ["--profile decides, even with one SSO profile", SESSION + DEV, "other", {}, "credentials", "--profile", "other"],
  ["AWS_PROFILE decides over the only SSO profile", SESSION + DEV, undefined, { AWS_PROFILE: "x" }, "credentials", "AWS_PROFILE", "x"],
  [
    "AWS_DEFAULT_PROFILE decides over the only SSO profile",
    SESSION + DEV,
    undefined,
    { AWS_DEFAULT_PROFILE: "y" },
    "credentials",
    "AWS_DEFAULT_PROFILE",
    "y",
  ],
  ["a [default] profile decides, as in the AWS CLI", DEFAULT + SESSION + DEV, undefined, {}, "credentials", "default profile", "default"],
  ["environment keys decide for credentials", SESSION + DEV, undefined, KEYS, "credentials", "environment keys", "default"],
  ["the only SSO profile decides when nothing else does", SESSION + DEV, undefined, {}, "credentials", "only SSO profile", "dev"],
  [
    "the only SSO profile decides a sign-in too, even with keys in the environment",
    SESSION + DEV,
    undefined,
    KEYS,
    "session",
    "only SSO profile",
    "dev",
  ],
  ["several SSO profiles: nothing is chosen", SESSION + DEV + PROD, undefined, {}, "credentials", "several candidates", "default"],
  [
    "several SSO profiles on one session: sign in to that session",
    SESSION + DEV + PROD,
    undefined,
    {},
    "session",
    "only SSO session",
    "default",
  ],
  ["one session and no profile yet: sign in to that session", SESSION, undefined, {}, "session", "only SSO session", "default"],
  [
    "a session and a legacy profile: two places to sign in",
    SESSION + DEV + PROD + LEGACY,
    undefined,
    {},
    "session",
    "several candidates",
    "default",
  ],
  ["nothing configured: the default, as before", "", undefined, {}, "credentials", "nothing configured", "default"],
];

describe("choosing the profile", () => {
  for (const [name, config, flag, env, purpose, rule, chosen] of cases) {
    it(name, () => {
      const c = chooseProfile(parseAwsConfig(config), flag, env, purpose);
      expect([c.rule, c.name]).toEqual([rule, chosen]);
    });
  }

  it("names the session it signs in to, and lists every profile when several could serve", () => {
    expect(chooseProfile(parseAwsConfig(SESSION + DEV + PROD), undefined, {}, "session").ssoSession).toBe("corp");
    expect(chooseProfile(parseAwsConfig(SESSION + DEV + PROD), undefined, {}, "credentials").candidates).toEqual({
      flag: "--profile",
      names: ["dev", "prod"],
    });
  });

  it("says which rule chose, for --debug", () => {
    expect(describeProfileChoice(chooseProfile(parseAwsConfig(SESSION + DEV), undefined, {}, "credentials"))).toBe(
      "profile dev (the only SSO profile; no --profile, AWS_PROFILE, AWS_DEFAULT_PROFILE or [default] profile)",
    );
    expect(describeProfileChoice(chooseProfile(parseAwsConfig(DEFAULT + DEV), undefined, {}, "credentials"))).toBe(
      "profile default (the [default] profile; no --profile or AWS_PROFILE)",
    );
  });

  it("with several, the error lists them and names the flag (and setup-git for git)", () => {
    const c = chooseProfile(parseAwsConfig(SESSION + DEV + PROD), undefined, {}, "credentials");
    const e = profileNotChosenError(c);
    expect(e).toBeInstanceOf(ProfileNotChosenError);
    expect(e.exitCode).toBe(2);
    expect(`${e.message} — ${e.hint}`).toBe(
      "several SSO profiles and no default profile: dev, prod — pass --profile (e.g. --profile dev), or export AWS_PROFILE=dev",
    );
    expect(profileNotChosenError(c, true).hint).toBe("run: ccsso setup-git --profile dev (or another), or export AWS_PROFILE=dev");
  });
});

describe("a command's profile", () => {
  it("says in one line when the only SSO profile was chosen, and passes it on as if given", async () => {
    const t = testContext();
    const ctx = t.ctx;
    const p = await chooseCommandProfile(ctx, parseAwsConfig(SESSION + DEV), undefined, "credentials");
    expect(p.profileFlag).toBe("dev");
    expect(t.stderr()).toBe("ccsso: using profile dev, the only SSO profile (no --profile, AWS_PROFILE or [default] profile)\n");
  });

  it("is silent, and passes nothing on, when a [default] profile decides", async () => {
    const t = testContext();
    const ctx = t.ctx;
    const p = await chooseCommandProfile(ctx, parseAwsConfig(DEFAULT + SESSION + DEV), undefined, "credentials");
    expect(p.profileFlag).toBeUndefined();
    expect(t.stderr()).toBe("");
  });

  it("without a terminal, stops with the list when several could serve", async () => {
    const t = testContext();
    const ctx = t.ctx;
    await expect(
      chooseCommandProfile(ctx, parseAwsConfig(SESSION + DEV + PROD), undefined, "credentials", { interactive: false }),
    ).rejects.toThrow("several SSO profiles and no default profile: dev, prod");
  });

  it("quiet (TAB completion): no line and no menu, even on a terminal", async () => {
    const t = testContext();
    const one = await chooseCommandProfile(t.ctx, parseAwsConfig(SESSION + DEV), undefined, "credentials", { quiet: true });
    expect(one.profileFlag).toBe("dev");
    const several = chooseCommandProfile(t.ctx, parseAwsConfig(SESSION + DEV + PROD), undefined, "credentials", {
      quiet: true,
      interactive: true,
      pick: async () => {
        throw new Error("no menu at TAB time");
      },
    });
    await expect(several).rejects.toThrow("several SSO profiles and no default profile");
    expect(t.stderr()).toBe("");
  });

  it("on a terminal, offers the picker and says how to skip it next time", async () => {
    const t = testContext();
    const ctx = t.ctx;
    const offered: string[][] = [];
    const p = await chooseCommandProfile(ctx, parseAwsConfig(SESSION + DEV + PROD), undefined, "credentials", {
      interactive: true,
      pick: async (names) => (offered.push([...names]), 1),
    });
    expect(offered).toEqual([["dev", "prod"]]);
    expect(p.profileFlag).toBe("prod");
    expect(t.stderr()).toContain("ccsso: using profile prod (to skip this question: --profile prod, or export AWS_PROFILE=prod)\n");
  });
});
