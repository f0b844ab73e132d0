import { describe, expect, it } from "bun:test";
import { parseAwsConfig } from "../../src/core/aws-config";
import { UsageError } from "../../src/core/errors";
import {
  assignProfileNames,
  planPopulate,
  removeProfileSection,
  renderProfileName,
  sanitizeProfileName,
  summarize,
  validateTemplate,
  type ReachableRole,
} from "../../src/core/populate";
import { updateIniText } from "../../src/core/ini";
import { unifiedDiff } from "../../src/core/unified-diff";

const req = { session: "corp", template: "{account_name}.{role_name}", prune: false };
const roles: ReachableRole[] = [
  { accountId: "222222222222", accountName: "prod", roleName: "ReadOnly" },
  { accountId: "111111111111", accountName: "dev", roleName: "Admin" },
  { accountId: "111111111111", accountName: "dev", roleName: "ReadOnly" },
];

const handWritten =
  "# my settings\n[default]\nregion = eu-west-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";

describe("profile names", () => {
  it.each([
    ["dev.Admin", "dev.Admin"],
    ["My Account.Admin", "My-Account.Admin"],
    ["a  b", "a-b"],
    ["Développement.Admin", "D-veloppement.Admin"],
    ["[x]", "x"],
    ["quote'and\"double", "quote-and-double"],
    ["keep_these.@+%-", "keep_these.@+%"],
    ["path/like:name", "path-like-name"],
  ])("sanitises %j to %j", (raw, name) => {
    expect(sanitizeProfileName(raw)).toBe(name);
  });

  it("fills every placeholder", () => {
    const r = { accountId: "111111111111", accountName: "dev", roleName: "Admin" };
    expect(renderProfileName("{session}-{account_id}-{account_name}-{role_name}", r, "corp")).toBe("corp-111111111111-dev-Admin");
  });

  it("names an account without a name by its id", () => {
    expect(renderProfileName("{account_name}.{role_name}", { accountId: "333333333333", roleName: "Admin" }, "corp")).toBe(
      "333333333333.Admin",
    );
  });

  it("refuses an unknown placeholder and a template without the role", () => {
    expect(() => validateTemplate("{account}.{role_name}")).toThrow(UsageError);
    expect(() => validateTemplate("{account}.{role_name}")).toThrow("unknown placeholder {account}");
    expect(() => validateTemplate("{account_name}")).toThrow("must contain {role_name}");
  });

  it("appends the account id to names that two accounts want", () => {
    const names = assignProfileNames(
      [
        { accountId: "222222222222", accountName: "web", roleName: "Admin" },
        { accountId: "111111111111", accountName: "web", roleName: "Admin" },
        { accountId: "333333333333", accountName: "db", roleName: "Admin" },
      ],
      req.template,
      "corp",
      new Set(),
    );
    expect([...names.values()].sort()).toEqual(["db.Admin", "web.Admin-111111111111", "web.Admin-222222222222"]);
  });

  it("resolves clashes the same way whatever order the roles arrive in", () => {
    const input: ReachableRole[] = [
      { accountId: "1", accountName: "a", roleName: "Read Only" },
      { accountId: "1", accountName: "a", roleName: "Read-Only" },
      { accountId: "2", accountName: "a", roleName: "Read_Only" },
    ];
    const forward = assignProfileNames(input, req.template, "corp", new Set());
    const backward = assignProfileNames([...input].reverse(), req.template, "corp", new Set());
    expect([...forward.entries()].sort()).toEqual([...backward.entries()].sort());
    expect(new Set(forward.values()).size).toBe(3);
    expect([...forward.values()].sort()).toEqual(["a.Read-Only-1", "a.Read-Only-1-2", "a.Read_Only"]);
  });

  it("never takes the name of a profile it did not create", () => {
    const names = assignProfileNames([roles[1]!], req.template, "corp", new Set(["dev.Admin"]));
    expect(names.get("111111111111\u0000Admin")).toBe("dev.Admin-111111111111");
  });
});

describe("planning populate", () => {
  it("adds one marked profile per account and role after the existing text, which stays byte for byte", () => {
    const plan = planPopulate(handWritten, roles, { ...req, region: "eu-central-1" });
    expect(plan.text.startsWith(handWritten)).toBe(true);
    expect(plan.text.slice(handWritten.length)).toBe(
      "[profile dev.Admin]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Admin\nregion = eu-central-1\nccsso_populated = true\n" +
        "[profile dev.ReadOnly]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\nregion = eu-central-1\nccsso_populated = true\n" +
        "[profile prod.ReadOnly]\nsso_session = corp\nsso_account_id = 222222222222\nsso_role_name = ReadOnly\nregion = eu-central-1\nccsso_populated = true\n",
    );
    expect(summarize(plan.changes)).toMatchObject({ added: 3, updated: 0, removed: 0 });
  });

  it("produces a config the AWS config model reads as SSO profiles", () => {
    const cfg = parseAwsConfig(planPopulate(handWritten, roles, req).text);
    expect(cfg.problems).toEqual([]);
    expect(cfg.profiles.get("prod.ReadOnly")).toEqual({
      sso_session: "corp",
      sso_account_id: "222222222222",
      sso_role_name: "ReadOnly",
      ccsso_populated: "true",
    });
  });

  it("changes nothing on a second run", () => {
    const first = planPopulate(handWritten, roles, req).text;
    const second = planPopulate(first, roles, req);
    expect(second.text).toBe(first);
    expect(summarize(second.changes)).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 3 });
  });

  it("updates only the keys that differ and keeps keys the user added", () => {
    const first = planPopulate(handWritten, roles, req).text.replace("[profile dev.Admin]\n", "[profile dev.Admin]\noutput = table\n");
    const plan = planPopulate(first, roles, { ...req, region: "us-west-2" });
    expect(parseAwsConfig(plan.text).profiles.get("dev.Admin")).toMatchObject({ output: "table", region: "us-west-2" });
    expect(plan.changes.filter((c) => c.kind === "update").map((c) => c.kind === "update" && c.keys)).toEqual([
      ["region"],
      ["region"],
      ["region"],
    ]);
  });

  it("reports profiles that are no longer reachable and keeps them without --prune", () => {
    const first = planPopulate(handWritten, roles, req).text;
    const plan = planPopulate(first, roles.slice(1), req);
    expect(plan.text).toBe(first);
    expect(summarize(plan.changes).stale).toEqual(["prod.ReadOnly"]);
  });

  it("tells apart profiles a new template renames from roles that are gone", () => {
    const first = planPopulate(handWritten, roles, req).text;
    const plan = planPopulate(first, roles.slice(1), { ...req, template: "{account_id}-{role_name}" });
    expect(summarize(plan.changes)).toMatchObject({ added: 2, stale: ["prod.ReadOnly"], renamed: ["dev.Admin", "dev.ReadOnly"] });
  });

  it("with --prune removes exactly the populated profiles it no longer reaches", () => {
    const first = planPopulate(handWritten + "[profile mine]\nregion = us-east-1\n", roles, req).text;
    const plan = planPopulate(first, roles.slice(1), { ...req, prune: true });
    const cfg = parseAwsConfig(plan.text);
    expect([...cfg.profiles.keys()]).toEqual(["default", "mine", "dev.Admin", "dev.ReadOnly"]);
    expect(plan.changes.find((c) => c.kind === "remove")).toMatchObject({
      profile: "prod.ReadOnly",
      reason: expect.stringContaining("no longer reachable"),
    });
  });

  it("restores the original bytes when everything it added is pruned", () => {
    const first = planPopulate(handWritten, roles, req).text;
    expect(planPopulate(first, [], { ...req, prune: true }).text).toBe(handWritten);
  });

  it("never prunes hand-written profiles or another session's populated ones", () => {
    const other =
      "[profile x.Admin]\nsso_session = other\nsso_account_id = 9\nsso_role_name = Admin\nccsso_populated = true\n[profile y]\nsso_session = corp\nsso_account_id = 9\nsso_role_name = Admin\n";
    const plan = planPopulate(handWritten + other, [], { ...req, prune: true });
    expect(plan.text).toBe(handWritten + other);
  });

  it("removes a section but keeps the comment that introduces the next one", () => {
    const text = "[profile a]\nsso_session = corp\nccsso_populated = true\n\n# work\n[profile b]\nregion = x\n";
    expect(removeProfileSection(text, "a")).toBe("\n# work\n[profile b]\nregion = x\n");
  });

  it("edits exactly as one updateIniText call per profile would, in one pass", () => {
    // The reference: what planPopulate did before it batched its edits.
    const original =
      "; top\r\n[profile dev.Admin]\r\nsso_session = corp\r\nsso_account_id = 111111111111\r\nsso_role_name = Admin\r\nccsso_populated = true\r\n\r\n# keep me\r\n[profile gone.X]\r\nsso_session = corp\r\nsso_account_id = 999999999999\r\nsso_role_name = X\r\nccsso_populated = true\r\n[profile mine]\r\nregion = a\r\n[profile dev.ReadOnly]\r\nsso_session = corp\r\nsso_account_id = 111111111111\r\nsso_role_name = ReadOnly\r\nccsso_populated = true";
    const plan = planPopulate(original, roles, { ...req, region: "eu-north-1", prune: true });
    let expected = updateIniText(original, "profile dev.Admin", { region: "eu-north-1" });
    expected = updateIniText(expected, "profile dev.ReadOnly", { region: "eu-north-1" });
    expected = updateIniText(expected, "profile prod.ReadOnly", {
      sso_session: "corp",
      sso_account_id: "222222222222",
      sso_role_name: "ReadOnly",
      region: "eu-north-1",
      ccsso_populated: "true",
    });
    expected = removeProfileSection(expected, "gone.X");
    expect(plan.text).toBe(expected);
    expect(plan.text).toContain("# keep me\r\n[profile mine]");
  });

  it("lists each account and role once even if the portal repeats it", () => {
    const plan = planPopulate("", [...roles, roles[0]!], req);
    expect(summarize(plan.changes).added).toBe(3);
  });
});

describe("the dry-run diff", () => {
  it("is empty for equal texts", () => {
    expect(unifiedDiff("a\n", "a\n", { from: "a", to: "b" })).toBe("");
  });

  it("shows appended lines with three lines of context", () => {
    const d = unifiedDiff("1\n2\n3\n4\n5\n", "1\n2\n3\n4\n5\n6\n7\n", { from: "config", to: "config (after)" });
    expect(d).toBe("--- config\n+++ config (after)\n@@ -3,3 +3,5 @@\n 3\n 4\n 5\n+6\n+7\n");
  });

  it("shows a changed line in the middle as a removal and an addition", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    const after = before.replace("line 10\n", "line ten\n");
    expect(unifiedDiff(before, after, { from: "a", to: "b" })).toBe(
      "--- a\n+++ b\n@@ -7,7 +7,7 @@\n line 7\n line 8\n line 9\n-line 10\n+line ten\n line 11\n line 12\n line 13\n",
    );
  });

  it("numbers the hunk of a new file from line 0, as diff -u does", () => {
    expect(unifiedDiff("", "[profile a]\nregion = x\n", { from: "a", to: "b" })).toBe(
      "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+[profile a]\n+region = x\n",
    );
  });

  it("says so when only the final newline is added", () => {
    expect(unifiedDiff("[default]", "[default]\n", { from: "a", to: "b" })).toBe(
      "--- a\n+++ b\n\\ a newline is added at the end of the file\n",
    );
  });

  it("numbers hunks the way diff -u does", async () => {
    const before = Array.from({ length: 40 }, (_, i) => `l${i}`).join("\n") + "\n";
    const after = before.replace("l3\n", "").replace("l30\n", "l30\nnew\n");
    const ours = unifiedDiff(before, after, { from: "a", to: "b" });
    const dir = (await import("node:fs")).mkdtempSync((await import("node:os")).tmpdir() + "/diff-");
    await Bun.write(`${dir}/a`, before);
    await Bun.write(`${dir}/b`, after);
    const proc = Bun.spawnSync(["diff", "-u", "--label", "a", "--label", "b", `${dir}/a`, `${dir}/b`]);
    expect(ours).toBe(proc.stdout.toString());
  });
});
