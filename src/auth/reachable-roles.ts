// Every account × role the signed-in user can reach (ListAccounts, then ListAccountRoles per account),
// for `configure populate`: bounded concurrency so hundreds of accounts take seconds, and a jittered
// backoff when the portal throttles (TooManyRequestsException).
import { RemoteError } from "../core/errors";
import type { ReachableRole } from "../core/populate";
import type { Context } from "../platform/context";

/** The two portal calls this needs (src/aws/portal.ts PortalClient has them; tests may pass a fake). */
export interface AccountLister {
  listAccounts(accessToken: string): Promise<Array<{ accountId?: string; accountName?: string; emailAddress?: string }>>;
  listAccountRoles(accessToken: string, accountId: string): Promise<Array<{ roleName?: string; accountId?: string }>>;
}

/**
 * ListAccountRoles calls in flight at once. One call per account is unavoidable; 8 at a time lists
 * 300 accounts in ~40 rounds (~2 s at 50 ms per call) while staying a small, steady load on the portal,
 * whose per-user throttle answers TooManyRequestsException well before a few dozen parallel calls.
 */
export const LIST_ROLES_CONCURRENCY = 8;

/** Attempts per call when throttled (the first try plus 5 retries): enough to ride out a burst limit. */
export const THROTTLE_ATTEMPTS = 6;
/** Backoff base and cap: full jitter over 0.2 s, 0.4 s, 0.8 s … capped at 5 s (AWS "Exponential Backoff And Jitter"). */
export const THROTTLE_BASE_MS = 200;
export const THROTTLE_CAP_MS = 5_000;

export interface ListingStats {
  /** Portal requests made by this listing, retries included (ListAccounts pages are counted by the client, not here). */
  listAccountRolesCalls: number;
  throttleRetries: number;
}

const isThrottle = (e: unknown) => e instanceof RemoteError && e.details.awsType === "TooManyRequestsException";

/** Run `call`, retrying TooManyRequestsException with full-jitter exponential backoff on ctx.sleep. */
export async function withThrottleRetry<T>(
  call: () => Promise<T>,
  ctx: Context,
  opts: { random?: () => number; onRetry?: () => void } = {},
): Promise<T> {
  const random = opts.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (!isThrottle(e) || attempt >= THROTTLE_ATTEMPTS) throw e;
      opts.onRetry?.();
      const ceiling = Math.min(THROTTLE_CAP_MS, THROTTLE_BASE_MS * 2 ** (attempt - 1));
      await ctx.sleep(Math.floor(random() * ceiling));
    }
  }
}

/** Map with at most `limit` promises pending; results keep the input order; the first error wins. */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
  return results;
}

export async function listReachableRoles(
  lister: AccountLister,
  accessToken: string,
  ctx: Context,
  opts: { concurrency?: number; random?: () => number } = {},
): Promise<{ accounts: number; roles: ReachableRole[]; stats: ListingStats }> {
  const stats: ListingStats = { listAccountRolesCalls: 0, throttleRetries: 0 };
  const retry = { random: opts.random, onRetry: () => void stats.throttleRetries++ };
  const accounts = (await withThrottleRetry(() => lister.listAccounts(accessToken), ctx, retry)).filter((a) => a.accountId);
  const perAccount = await mapConcurrently(accounts, opts.concurrency ?? LIST_ROLES_CONCURRENCY, async (account) => {
    const roles = await withThrottleRetry(
      () => {
        stats.listAccountRolesCalls++;
        return lister.listAccountRoles(accessToken, account.accountId!);
      },
      ctx,
      retry,
    );
    return roles
      .filter((r) => r.roleName)
      .map(
        (r): ReachableRole => ({
          accountId: account.accountId!,
          ...(account.accountName !== undefined ? { accountName: account.accountName } : {}),
          ...(account.emailAddress !== undefined ? { emailAddress: account.emailAddress } : {}),
          roleName: r.roleName!,
        }),
      );
  });
  return { accounts: accounts.length, roles: perAccount.flat(), stats };
}
