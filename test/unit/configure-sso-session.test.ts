import { afterEach, describe, expect, it } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { run } from "../../src/cli/configure-sso-session";
import { InterruptedError, UsageError } from "../../src/core/errors";
import { testContext } from "../../src/platform/context";
import { scriptedPrompter } from "../../src/platform/prompt";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sbx: Sandbox;
afterEach(() => sbx?.cleanup());

function setup(config?: string) {
  sbx = makeSandbox();
  if (config !== undefined) sbx.writeConfig(config);
  return testContext({ env: sbx.env });
}
const config = () => readFileSync(sbx.awsConfig, "utf8");

describe("ccsso configure sso-session", () => {
  it("asks the AWS CLI's questions in its order and writes only the session", async () => {
    const t = setup("[default]\nregion = us-east-1\n");
    const p = scriptedPrompter(["corp", "https://corp.awsapps.com/start", "eu-west-1", ""]);
    expect(await run({}, [], t.ctx, p)).toBe(0);
    expect(p.asked).toEqual([
      "SSO session name: ",
      "SSO start URL [None]: ",
      "SSO region [None]: ",
      "SSO registration scopes [sso:account:access]: ",
    ]);
    expect(config()).toBe(
      "[default]\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n",
    );
    expect(t.stdout()).toBe(
      "\nCompleted configuring SSO session: corp\nRun the following to login and refresh access token for this session:\n\nccsso sso login --sso-session corp\n",
    );
  });

  it("offers an existing session's values as defaults and keeps them on Enter", async () => {
    const t = setup(
      "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = a:b\n",
    );
    const p = scriptedPrompter(["", "us-east-2", ""]);
    expect(await run({ ssoSession: "corp" }, [], t.ctx, p)).toBe(0);
    expect(p.asked).toEqual([
      "SSO start URL [https://corp.awsapps.com/start]: ",
      "SSO region [eu-west-1]: ",
      "SSO registration scopes [a:b]: ",
    ]);
    expect(config()).toBe(
      "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-2\nsso_registration_scopes = a:b\n",
    );
  });

  it("asks again after an invalid start URL, region or scope list", async () => {
    const t = setup();
    const p = scriptedPrompter([
      "corp",
      "http://corp.awsapps.com/start",
      "https://corp.awsapps.com/start",
      "",
      "eu west",
      "eu-west-1",
      "a b",
      "a,b",
    ]);
    expect(await run({}, [], t.ctx, p)).toBe(0);
    expect(t.stdout()).toContain("Not a valid Start URL");
    expect(t.stdout()).toContain("A value is required");
    expect(t.stdout()).toContain("Not a valid Region: eu west");
    expect(t.stdout()).toContain("Scope values must be separated by commas");
    expect(config()).toContain("sso_registration_scopes = a,b\n");
  });

  it("typed in flag form on a terminal, asks nothing more: the scopes take their default", async () => {
    const t = setup();
    const p = scriptedPrompter([]);
    expect(await run({ ssoSession: "corp", startUrl: "https://corp.awsapps.com/start", ssoRegion: "us-east-1" }, [], t.ctx, p)).toBe(0);
    expect(p.asked).toEqual([]);
    expect(config()).toContain("sso_registration_scopes = sso:account:access\n");
  });

  it("never prompts with --no-input and fills scopes with the default", async () => {
    const t = setup();
    const p = scriptedPrompter([]);
    expect(
      await run({ ssoSession: "corp", startUrl: "https://corp.awsapps.com/start", ssoRegion: "us-east-1", input: false }, [], t.ctx, p),
    ).toBe(0);
    expect(p.asked).toEqual([]);
    expect(config()).toContain("sso_registration_scopes = sso:account:access\n");
  });

  const missing: Array<[string, Record<string, unknown>, string]> = [
    ["the session name", {}, "--sso-session"],
    ["the start URL", { ssoSession: "corp" }, "--start-url"],
    ["the region", { ssoSession: "corp", startUrl: "https://corp.awsapps.com/start" }, "--sso-region"],
  ];
  for (const [what, opts, flag] of missing) {
    it(`without a terminal, names ${flag} when ${what} is missing`, async () => {
      const t = setup();
      const p = { ...scriptedPrompter([]), interactive: false };
      const err = await run(opts, [], t.ctx, p).catch((e) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect(err.hint).toContain(flag);
      expect(existsSync(sbx.awsConfig)).toBe(false);
    });
  }

  const badFlags: Array<[string, Record<string, unknown>]> = [
    ["a start URL without https", { startUrl: "http://corp.awsapps.com/start" }],
    ["a start URL without a host", { startUrl: "https:///start" }],
    ["scopes with whitespace", { scopes: "a b,c" }],
  ];
  for (const [what, bad] of badFlags) {
    it(`refuses ${what} as a usage error`, async () => {
      const t = setup();
      const opts = { ssoSession: "corp", startUrl: "https://corp.awsapps.com/start", ssoRegion: "us-east-1", input: false, ...bad };
      expect(await run(opts, [], t.ctx, scriptedPrompter([])).catch((e) => e)).toBeInstanceOf(UsageError);
    });
  }

  it("leaves the config untouched when interrupted mid-way", async () => {
    const t = setup("[default]\n");
    const err = await run({}, [], t.ctx, scriptedPrompter(["corp", "https://corp.awsapps.com/start"])).catch((e) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect(config()).toBe("[default]\n");
  });

  it("quotes a session name with a space like the AWS CLI", async () => {
    const t = setup();
    await run(
      { ssoSession: "my corp", startUrl: "https://corp.awsapps.com/start", ssoRegion: "us-east-1", input: false },
      [],
      t.ctx,
      scriptedPrompter([]),
    );
    expect(config()).toStartWith("[sso-session 'my corp']\n");
    expect(t.stdout()).toContain("ccsso sso login --sso-session 'my corp'\n");
  });
});
