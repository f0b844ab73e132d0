// The compiled ccsso's configure sso wizard as a person meets it: a real pseudo-terminal (keystrokes
// in, screen out), the Identity Center stand-in, and `curl` as the browser. Also the same command with
// no terminal at all, and with every answer given as a flag.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createFakeIdentityCenter, type FakeIdentityCenter } from "../fakes/identity-center";
import { ccssoCommand, runCcsso } from "../helpers/ccsso";
import { corpLogin, corpSessionSection, signInCorp, useStandIn } from "../helpers/populate-fixture";
import { keys, runInPty, type PtyStep } from "../helpers/pty";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let fake: FakeIdentityCenter;
let sandbox: Sandbox;

beforeAll(() => {
  if (!existsSync(join(import.meta.dir, "..", "..", "dist", "ccsso")) && !process.env.CCSSO_BIN)
    throw new Error("dist/ccsso is missing: run `make build` first");
  // 12 accounts (so the menu scrolls and filtering matters) with three roles each.
  fake = createFakeIdentityCenter({ accountCount: 12, rolesPerAccount: ["Developer", "ReadOnly", "Admin"] });
});
afterAll(() => fake.close());
beforeEach(() => {
  sandbox = makeSandbox({ BROWSER: "curl -fsSL" });
  useStandIn(sandbox, fake);
});
afterEach(() => sandbox.cleanup());

const wizard = (steps: PtyStep[], args: string[] = []) =>
  runInPty([...ccssoCommand({ compiled: true }), "configure", "sso", ...args], { env: sandbox.env, steps, timeoutSeconds: 30 });
const config = () => (existsSync(sandbox.awsConfig) ? readFileSync(sandbox.awsConfig, "utf8") : undefined);
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("configure sso in a terminal", () => {
  it("asks, signs in through the browser, lets the person pick with the arrow keys and by typing, and writes the profile", async () => {
    const r = await wizard([
      { expect: esc("SSO session name (Recommended): ") },
      { send: "corp\r" },
      { expect: esc("SSO start URL [None]: ") },
      { send: `${corpLogin.startUrl}\r` },
      { expect: esc("SSO region [None]: ") },
      { send: "us-east-1\r" },
      { expect: esc("SSO registration scopes [sso:account:access]: ") },
      { send: "\r" },
      { expect: "There are 12 AWS accounts available to you." },
      { expect: esc("> account-10, aws+account-10@example.com (100000000010)") },
      { send: keys.down + keys.down },
      { expect: esc("> account-12, aws+account-12@example.com (100000000012)") },
      { send: keys.enter },
      { expect: "Using the account ID 100000000012" },
      { expect: "There are 3 roles available to you." },
      { expect: esc("> Admin") },
      { send: "read" },
      { expect: esc('match "read"') },
      { send: keys.enter },
      { expect: esc('Using the role name "ReadOnly"') },
      { expect: esc("Default client Region [None]: ") },
      { send: "eu-west-1\r" },
      { expect: esc("CLI default output format (json if not specified) [None]: ") },
      { send: "\r" },
      { expect: esc("Profile name [ReadOnly-100000000012]: ") },
      { send: "\r" },
      // No default profile in this home yet: the offer, declined with Enter.
      { expect: esc("Also make ReadOnly-100000000012 the default profile, for the AWS CLI and SDKs too (y/N) [N]: ") },
      { send: "\r" },
      { expect: "ccsso whoami --profile ReadOnly-100000000012" },
    ]);
    expect(r.failed).toBeNull();
    expect(r.code).toBe(0);
    expect(config()).toBe(
      "[profile ReadOnly-100000000012]\nsso_session = corp\nsso_account_id = 100000000012\nsso_role_name = ReadOnly\nregion = eu-west-1\n" +
        `[sso-session corp]\nsso_start_url = ${corpLogin.startUrl}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n`,
    );
    // The menu is erased once a choice is made, as the AWS CLI's select_menu does.
    expect(r.output).toContain("\x1b[J");
  });

  it("stops on Ctrl-C at a question with exit 130 and leaves the config file untouched", async () => {
    sandbox.writeConfig("[default]\nregion = us-east-1\n");
    const r = await wizard([
      { expect: esc("SSO session name (Recommended): ") },
      { send: "corp\r" },
      { expect: esc("SSO start URL [None]: ") },
      { send: keys.ctrlC },
    ]);
    expect(r.failed).toBeNull();
    expect(r.code).toBe(130);
    expect(config()).toBe("[default]\nregion = us-east-1\n");
  });

  it("stops on Ctrl-C in the account menu with exit 130, the terminal restored and the config untouched", async () => {
    sandbox.writeConfig(corpSessionSection);
    signInCorp(sandbox, fake, Date.now());
    const r = await wizard([
      { expect: esc("SSO session name (Recommended): ") },
      { send: "corp\r" },
      { expect: esc("> account-10") },
      { send: keys.down + keys.ctrlC },
    ]);
    expect(r.failed).toBeNull();
    expect(r.code).toBe(130);
    expect(r.output).toContain("\x1b[?25h");
    expect(config()).toBe(corpSessionSection);
  });
});

describe("configure sso without a terminal", () => {
  it("fails naming the flag it would have asked for, and writes nothing", async () => {
    const r = await runCcsso(
      ["configure", "sso", "--sso-session", "corp", "--start-url", corpLogin.startUrl, "--sso-region", "us-east-1"],
      { env: sandbox.env, compiled: true },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "ccsso: the AWS account ID is needed and there is no terminal to ask on (or --no-input was given) — pass --account-id <id>\n",
    );
    expect(config()).toBeUndefined();
  });

  it("writes exactly the AWS CLI's layout from flags alone, without signing in", async () => {
    sandbox.writeConfig("# mine\n[default]\nregion = us-east-1\n");
    const before = { ...fake.counters };
    const r = await runCcsso(
      [
        "configure",
        "sso",
        "--profile",
        "dev",
        "--sso-session",
        "corp",
        "--start-url",
        corpLogin.startUrl,
        "--sso-region",
        "us-east-1",
        "--account-id",
        "111111111111",
        "--role-name",
        "Developer",
        "--region",
        "eu-west-1",
        "--output",
        "json",
        "--no-input",
      ],
      { env: sandbox.env, compiled: true },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(config()).toBe(
      "# mine\n[default]\nregion = us-east-1\n[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Developer\nregion = eu-west-1\noutput = json\n" +
        `[sso-session corp]\nsso_start_url = ${corpLogin.startUrl}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n`,
    );
    expect(fake.counters).toEqual(before);
  });
});
