import { describe, expect, it } from "bun:test";
import { displayAccount, sortAccounts, sortRoleNames } from "../../src/core/account-choice";

describe("showing accounts as the AWS CLI does", () => {
  it.each([
    [{ accountId: "111111111111", accountName: "dev", emailAddress: "dev@x.com" }, "dev, dev@x.com (111111111111)"],
    [{ accountId: "111111111111", accountName: "dev" }, "dev (111111111111)"],
    [{ accountId: "111111111111", emailAddress: "dev@x.com" }, "dev@x.com (111111111111)"],
    [{ accountId: "111111111111" }, "111111111111"],
  ])("shows %j as %j", (account, text) => {
    expect(displayAccount(account)).toBe(text);
  });
});

describe("ordering accounts and roles as the AWS CLI ≥ 2.34.24 does", () => {
  it("sorts by lower-cased name, falling back to email, and puts id-only accounts last", () => {
    const sorted = sortAccounts([
      { accountId: "5" },
      { accountId: "4", accountName: "beta" },
      { accountId: "3", emailAddress: "Alpha@x.com" },
      { accountId: "2", accountName: "Gamma" },
      { accountId: "1" },
    ]);
    expect(sorted.map((a) => a.accountId)).toEqual(["3", "4", "2", "1", "5"]);
  });

  it("keeps the portal's order for accounts with the same name", () => {
    const sorted = sortAccounts([
      { accountId: "9", accountName: "dev" },
      { accountId: "1", accountName: "Dev" },
    ]);
    expect(sorted.map((a) => a.accountId)).toEqual(["9", "1"]);
  });

  it("sorts role names case-insensitively", () => {
    expect(sortRoleNames(["ReadOnly", "admin", "Billing"])).toEqual(["admin", "Billing", "ReadOnly"]);
  });
});
