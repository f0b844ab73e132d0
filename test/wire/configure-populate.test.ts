import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { chmodSync, readFileSync, statSync } from "node:fs";
import { run } from "../../src/cli/run";
import { parseAwsConfig } from "../../src/core/aws-config";
import { testContext } from "../../src/platform/context";
import { createFakeIdentityCenter, type FakeAccount, type FakeIdentityCenter } from "../fakes/identity-center";
import { corpSessionSection, signInCorp, useStandIn } from "../helpers/populate-fixture";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

// The size the task names: 300 accounts × 3 roles, every portal answer 50 ms late.
const accounts: FakeAccount[] = Array.from({ length: 300 }, (_, i) => ({
  accountId: String(200000000000 + i),
  accountName: i === 7 ? "Team Web (prod)" : `acct-${String(i).padStart(3, "0")}`,
  emailAddress: `aws+${i}@example.com`,
  roles: ["Admin", "Developer", "ReadOnly"],
}));

// Real HTTP with 50 ms per answer: a run takes a few seconds (the numbers are in bench/populate.md).
const LARGE_RUN_TIMEOUT_MS = 60_000;

let fake: FakeIdentityCenter;
let sandbox: Sandbox;
const userText = `# my own settings\n[default]\nregion = eu-west-1\noutput = json\n\n${corpSessionSection}\n[profile hand-written]\nregion = us-west-2\n`;

beforeAll(() => {
  fake = createFakeIdentityCenter({ accounts, latencyMs: 50 });
});
afterAll(() => fake.close());

beforeEach(() => {
  fake.knobs.accounts = accounts.map((a) => ({ ...a, roles: [...a.roles] }));
  fake.knobs.latencyMs = 50;
  sandbox = makeSandbox();
  useStandIn(sandbox, fake);
  sandbox.writeConfig(userText);
});
afterEach(() => sandbox.cleanup());

async function populate(...flags: string[]) {
  const t = testContext({ env: sandbox.env });
  signInCorp(sandbox, fake, t.ctx.now());
  const code = await run(["configure", "populate", "--sso-session", "corp", ...flags], t.ctx);
  return { code, out: t.stdout(), err: t.stderr(), sleeps: t.sleeps };
}

const config = () => readFileSync(sandbox.awsConfig, "utf8");
const profiles = () => parseAwsConfig(config()).profiles;

describe("configure populate against 300 accounts × 3 roles", () => {
  it(
    "writes one marked profile per account and role and keeps the user's text byte for byte",
    async () => {
      const r = await populate();
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(r.out).toContain('Found 900 roles in 300 accounts for sso-session "corp".');
      expect(r.out).toContain("900 added, 0 updated, 0 removed");
      expect(config().startsWith(userText)).toBe(true);
      const p = profiles();
      expect(p.get("acct-042.Developer")).toEqual({
        sso_session: "corp",
        sso_account_id: "200000000042",
        sso_role_name: "Developer",
        ccsso_populated: "true",
      });
      expect(p.get("Team-Web-prod.ReadOnly")?.sso_account_id).toBe("200000000007");
      expect([...p.keys()].filter((n) => p.get(n)?.ccsso_populated === "true")).toHaveLength(900);
      expect(statSync(sandbox.awsConfig).mode & 0o777).toBe(0o600);
    },
    LARGE_RUN_TIMEOUT_MS,
  );

  it(
    "lists every page and each account's roles once",
    async () => {
      const before = { ...fake.counters };
      await populate();
      expect(fake.counters.ListAccountRoles - before.ListAccountRoles).toBe(300);
      expect(fake.counters.ListAccounts - before.ListAccounts).toBeGreaterThanOrEqual(3);
    },
    LARGE_RUN_TIMEOUT_MS,
  );

  it(
    "says there is nothing to do on a second run and leaves the bytes identical",
    async () => {
      await populate("--region", "eu-central-1");
      const first = config();
      const r = await populate("--region", "eu-central-1");
      expect(r.out).toContain("No changes: 900 populated profiles");
      expect(config()).toBe(first);
    },
    LARGE_RUN_TIMEOUT_MS,
  );

  it(
    "with --prune removes only the profiles of accounts that are gone",
    async () => {
      await populate();
      fake.knobs.accounts = fake.knobs.accounts.filter((a) => a.accountId !== "200000000010");
      const kept = await populate();
      expect(kept.out).toContain("3 populated profiles are no longer reachable");
      expect(profiles().has("acct-010.Admin")).toBe(true);
      const r = await populate("--prune");
      expect(r.out).toContain("0 added, 0 updated, 3 removed, 897 unchanged");
      const p = profiles();
      expect(p.has("acct-010.Admin")).toBe(false);
      expect(p.has("acct-011.Admin")).toBe(true);
      expect(p.get("hand-written")).toEqual({ region: "us-west-2" });
    },
    LARGE_RUN_TIMEOUT_MS,
  );

  it(
    "with --dry-run prints a diff and writes nothing",
    async () => {
      const r = await populate("--dry-run", "--profile-template", "{session}-{account_id}-{role_name}");
      expect(config()).toBe(userText);
      expect(r.out).toContain(`--- ${sandbox.awsConfig}\n+++ ${sandbox.awsConfig} (after populate)\n@@ `);
      expect(r.out).toContain("+[profile corp-200000000000-Admin]\n+sso_session = corp\n");
      expect(r.out).toContain("Dry run: 900 to add, 0 to update, 0 to remove, 0 unchanged");
    },
    LARGE_RUN_TIMEOUT_MS,
  );

  it(
    "backs off and retries when the portal throttles, and still lists everything",
    async () => {
      fake.failNext("ListAccountRoles", { type: "TooManyRequestsException", message: "Rate exceeded", times: 12 });
      const r = await populate();
      expect(r.code).toBe(0);
      expect(profiles().size).toBe(902);
      expect(r.sleeps.length).toBeGreaterThan(0);
    },
    LARGE_RUN_TIMEOUT_MS,
  );
});

describe("configure populate refuses bad input with one line and leaves the config alone", () => {
  beforeEach(() => {
    fake.knobs.latencyMs = 0;
  });

  it("asks for --sso-session", async () => {
    const t = testContext({ env: sandbox.env });
    expect(await run(["configure", "populate"], t.ctx)).toBe(2);
    expect(t.stderr()).toBe(
      "ccsso: missing --sso-session: which [sso-session] to populate profiles for — e.g. ccsso configure populate --sso-session corp\n",
    );
  });

  it("names an unknown session and the ones it knows", async () => {
    const t = testContext({ env: sandbox.env });
    expect(await run(["configure", "populate", "--sso-session", "nope"], t.ctx)).toBe(1);
    expect(t.stderr()).toBe(
      'ccsso: The specified sso-session does not exist: "nope" — known sessions: corp; or run: ccsso configure sso-session --sso-session nope\n',
    );
    expect(config()).toBe(userText);
  });

  it("says how to sign in when there is no token", async () => {
    const t = testContext({ env: sandbox.env });
    expect(await run(["configure", "populate", "--sso-session", "corp"], t.ctx)).toBe(3);
    expect(t.stderr()).toBe('ccsso: no valid SSO token for sso-session "corp" — run: ccsso sso login --sso-session corp\n');
    expect(config()).toBe(userText);
  });

  it("says how to sign in again when the portal rejects the token while listing", async () => {
    const t = testContext({ env: sandbox.env });
    const token = signInCorp(sandbox, fake, t.ctx.now());
    fake.invalidate(token);
    expect(await run(["configure", "populate", "--sso-session", "corp"], t.ctx)).toBe(3);
    expect(t.stderr().trim().split("\n")).toHaveLength(1);
    expect(t.stderr()).toContain("run: ccsso sso login --sso-session corp");
    expect(config()).toBe(userText);
  });

  it("writes nothing when no account is reachable", async () => {
    fake.knobs.accounts = [];
    const r = await populate();
    expect(r.code).toBe(0);
    expect(r.err).toContain('no AWS accounts are available to you through sso-session "corp"');
    expect(r.out).toContain("No changes");
    expect(config()).toBe(userText);
  });

  it("adds nothing for an account without roles", async () => {
    fake.knobs.accounts = [{ accountId: "300000000000", accountName: "empty", emailAddress: "e@x", roles: [] }];
    const r = await populate();
    expect(r.out).toContain("Found 0 roles in 1 accounts");
    expect(config()).toBe(userText);
  });

  it("refuses a read-only config file", async () => {
    chmodSync(sandbox.awsConfig, 0o400);
    const r = await populate();
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `ccsso: the AWS config file ${sandbox.awsConfig} is read-only; nothing was written — make it writable (chmod u+w) and run the command again\n`,
    );
    expect(config()).toBe(userText);
  });

  it("names the malformed line of the config file", async () => {
    const broken = userText + "this line is not ini\n";
    sandbox.writeConfig(broken);
    const r = await populate();
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `ccsso: ${sandbox.awsConfig} line 13: line is neither a [section], a key = value, nor a comment; nothing was written — fix or remove that line, then run the command again\n`,
    );
    expect(config()).toBe(broken);
  });

  it("refuses an unknown template placeholder", async () => {
    const r = await populate("--profile-template", "{acct}.{role_name}");
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown placeholder {acct} in --profile-template");
  });
});
