// A hostile or broken IAM Identity Center portal: account ids that are not 12 digits (one ends in
// U+2028), role names carrying escape sequences and a line break that would add a key to the INI file.
// `configure populate` must write only valid profiles, say what it skipped, and print nothing raw.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { run } from "../../src/cli/run";
import { parseAwsConfig } from "../../src/core/aws-config";
import { testContext } from "../../src/platform/context";
import { createFakeIdentityCenter, type FakeAccount, type FakeIdentityCenter } from "../fakes/identity-center";
import { corpSessionSection, signInCorp, useStandIn } from "../helpers/populate-fixture";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

export const hostileAccounts: FakeAccount[] = [
  { accountId: "111111111111\u2028", accountName: "separator", emailAddress: "a@example.com", roles: ["Admin"] },
  { accountId: "22222222222", accountName: "eleven digits", emailAddress: "b@example.com", roles: ["Admin"] },
  {
    accountId: "333333333333",
    accountName: "Evil\x1b]0;PWNED\x07\x1b[2J",
    emailAddress: "c@example.com",
    roles: ["Dev\x1b[2J", "Ops\ncredential_process = sh -c id", "Developer"],
  },
];

let fake: FakeIdentityCenter;
let sandbox: Sandbox;
beforeAll(() => {
  fake = createFakeIdentityCenter({ accounts: hostileAccounts });
});
afterAll(() => fake.close());
beforeEach(() => {
  sandbox = makeSandbox();
  useStandIn(sandbox, fake);
  sandbox.writeConfig(corpSessionSection);
});
afterEach(() => sandbox.cleanup());

async function populate(...flags: string[]) {
  const t = testContext({ env: sandbox.env });
  signInCorp(sandbox, fake, t.ctx.now());
  const code = await run(["configure", "populate", "--sso-session", "corp", ...flags], t.ctx);
  return { code, out: t.stdout(), err: t.stderr() };
}

describe("configure populate against a hostile portal", () => {
  it("writes only the valid account × role and refuses the rest with one escaped line each", async () => {
    const r = await populate();
    expect(r.code).toBe(0);
    const text = readFileSync(sandbox.awsConfig, "utf8");
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u2028]/);
    expect(text).not.toContain("credential_process");
    const populated = [...parseAwsConfig(text).profiles.values()].filter((p) => p.ccsso_populated === "true");
    expect(populated).toEqual([
      { sso_session: "corp", sso_account_id: "333333333333", sso_role_name: "Developer", ccsso_populated: "true" },
    ]);
    expect(r.err).toContain(String.raw`skipped a role IAM Identity Center listed: the account id "111111111111\u2028" is not 12 digits`);
    expect(r.err).toContain('the account id "22222222222" is not 12 digits');
    expect(r.err).toContain(String.raw`the role name "Dev\u001b[2J" is not a permission set name`);
    expect(r.err).toContain(String.raw`the role name "Ops\ncredential_process = sh -c id" is not a permission set name`);
    expect(r.out + r.err).not.toMatch(/[\x1b\u2028]/);
    expect(r.out).toContain('Found 1 roles in 3 accounts for sso-session "corp".');
  });

  it("prints a --dry-run diff with nothing raw in it, even of the user's own odd bytes", async () => {
    sandbox.writeConfig(`${corpSessionSection}[profile mine]\nregion = eu-west-1 \x1b[31m\n`);
    const r = await populate("--dry-run");
    expect(r.code).toBe(0);
    expect(r.out).toContain("+sso_role_name = Developer");
    expect(r.out).toContain("eu-west-1 ^[[31m");
    expect(r.out + r.err).not.toMatch(/[\x1b\u2028]/);
  });
});
