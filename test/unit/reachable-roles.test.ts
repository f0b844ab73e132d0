import { describe, expect, it } from "bun:test";
import {
  listReachableRoles,
  LIST_ROLES_CONCURRENCY,
  THROTTLE_ATTEMPTS,
  withThrottleRetry,
  type AccountLister,
} from "../../src/auth/reachable-roles";
import { RemoteError } from "../../src/core/errors";
import { testContext } from "../../src/platform/context";

const throttled = () =>
  new RemoteError("Rate exceeded", { service: "sso", operation: "ListAccountRoles", awsType: "TooManyRequestsException", status: 429 });

/** A portal in memory that records how many ListAccountRoles calls are in flight at once. */
function memoryPortal(accountCount: number, opts: { throttleFirst?: number } = {}) {
  let inFlight = 0;
  let maxInFlight = 0;
  let throttleLeft = opts.throttleFirst ?? 0;
  const lister: AccountLister = {
    async listAccounts() {
      return Array.from({ length: accountCount }, (_, i) => ({
        accountId: String(100000000000 + i),
        accountName: `acct${i}`,
        emailAddress: `a${i}@x`,
      }));
    },
    async listAccountRoles(_token, accountId) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      if (throttleLeft > 0) {
        throttleLeft--;
        throw throttled();
      }
      return [
        { roleName: "Admin", accountId },
        { roleName: "ReadOnly", accountId },
      ];
    },
  };
  return { lister, maxInFlight: () => maxInFlight };
}

describe("listing every reachable role", () => {
  it("lists each account's roles with at most the bounded number of calls in flight", async () => {
    const portal = memoryPortal(50);
    const t = testContext();
    const result = await listReachableRoles(portal.lister, "tok", t.ctx);
    expect(result.accounts).toBe(50);
    expect(result.roles).toHaveLength(100);
    expect(result.roles[0]).toEqual({ accountId: "100000000000", accountName: "acct0", emailAddress: "a0@x", roleName: "Admin" });
    expect(portal.maxInFlight()).toBe(LIST_ROLES_CONCURRENCY);
    expect(result.stats.listAccountRolesCalls).toBe(50);
  });

  it("retries throttled calls after a jittered backoff and still lists everything", async () => {
    const portal = memoryPortal(5, { throttleFirst: 3 });
    const t = testContext();
    const result = await listReachableRoles(portal.lister, "tok", t.ctx, { random: () => 0.5 });
    expect(result.roles).toHaveLength(10);
    expect(result.stats.throttleRetries).toBe(3);
    expect(t.sleeps).toHaveLength(3);
    for (const ms of t.sleeps) expect(ms).toBe(100);
  });
});

describe("retrying on TooManyRequestsException", () => {
  it("doubles the backoff ceiling each attempt and gives up after the last attempt", async () => {
    const t = testContext();
    let calls = 0;
    const failing = withThrottleRetry(
      async () => {
        calls++;
        throw throttled();
      },
      t.ctx,
      { random: () => 0.999 },
    );
    await expect(failing).rejects.toThrow("Rate exceeded");
    expect(calls).toBe(THROTTLE_ATTEMPTS);
    expect(t.sleeps).toEqual([199, 399, 799, 1598, 3196]);
  });

  it("does not retry other errors", async () => {
    const t = testContext();
    let calls = 0;
    const failing = withThrottleRetry(async () => {
      calls++;
      throw new RemoteError("no", { service: "sso", operation: "ListAccounts", awsType: "UnauthorizedException", status: 401 });
    }, t.ctx);
    await expect(failing).rejects.toThrow("no");
    expect(calls).toBe(1);
    expect(t.sleeps).toEqual([]);
  });
});
