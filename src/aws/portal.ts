// The IAM Identity Center access portal (sso 2019-06-10): GetRoleCredentials, ListAccounts,
// ListAccountRoles, Logout through @aws-sdk/client-sso, imported inside the factory (the credential
// helper's warm path never loads it). Unsigned (`smithy.api#noAuth`); the access token travels in the
// `x-amz-sso_bearer_token` header, which the SDK sets from `accessToken`.
import { RemoteError } from "../core/errors";
import { registerSecret } from "../core/redact";
import type { Context } from "../platform/context";
import { callWithDeadline, pinnedClientConfig, type CallSite } from "./sdk-transport";

// 5 s for GetRoleCredentials and Logout: they run under git (credential helper) or at exit, where git
// or the shell is blocked on us; the portal answers in well under a second, so 5 s separates "slow"
// from "dead" without leaving git hanging.
export const PORTAL_CREDENTIALS_TIMEOUT_MS = 5_000;
// 10 s per listing page: a person is waiting in `configure sso`/`populate`, as for the OIDC calls.
export const PORTAL_LIST_TIMEOUT_MS = 10_000;
// 2 attempts: one retry for a 5xx or network blip; callers that list hundreds of accounts handle
// TooManyRequestsException themselves (src/auth/reachable-roles.ts), with the fake clock in tests.
const PORTAL_MAX_ATTEMPTS = 2;
// No max_result on ListAccounts/ListAccountRoles: the AWS CLI sends none, and a larger page was never
// measured to save anything against the real portal (docs/protocols.md §3.1).

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds (ExpirationTimestampType). */
  expiration: number;
}

export interface PortalAccount {
  accountId: string;
  accountName?: string;
  emailAddress?: string;
}

export interface PortalRole {
  roleName: string;
  accountId: string;
}

export interface PortalClient {
  readonly endpoint: string;
  getRoleCredentials(req: { accessToken: string; accountId: string; roleName: string }): Promise<RoleCredentials>;
  /** Every account the token can reach, all pages followed, in the portal's order. */
  listAccounts(accessToken: string): Promise<PortalAccount[]>;
  /** Every role in one account, all pages followed. */
  listAccountRoles(accessToken: string, accountId: string): Promise<PortalRole[]>;
  logout(accessToken: string): Promise<void>;
}

export async function createPortalClient(opts: {
  endpoint: string;
  region: string;
  ctx: Context;
  timeoutMs?: number;
}): Promise<PortalClient> {
  const { ctx, endpoint } = opts;
  const sdk = await import("@aws-sdk/client-sso");
  const client = new sdk.SSOClient(
    pinnedClientConfig(ctx, endpoint, opts.region, PORTAL_MAX_ATTEMPTS) as import("@aws-sdk/client-sso").SSOClientConfig,
  );
  const site = (operation: string, timeoutMs: number): CallSite => ({
    serviceLabel: "IAM Identity Center portal",
    service: "sso",
    operation,
    endpoint,
    timeoutMs: opts.timeoutMs ?? timeoutMs,
  });
  const broken = (s: CallSite, what: string) =>
    new RemoteError(`IAM Identity Center portal ${s.operation} answered without ${what} (${s.endpoint})`, {
      service: "sso",
      operation: s.operation,
      endpoint: s.endpoint,
    });

  /** Follow nextToken until the last page; a repeated token would loop forever, so it is an error. */
  async function allPages<T>(
    operation: string,
    page: (nextToken: string | undefined, abortSignal: AbortSignal) => Promise<{ items: T[]; nextToken?: string }>,
  ): Promise<T[]> {
    const s = site(operation, PORTAL_LIST_TIMEOUT_MS);
    const out: T[] = [];
    const seen = new Set<string>();
    let next: string | undefined;
    do {
      const res = await callWithDeadline(ctx, s, (abortSignal) => page(next, abortSignal));
      out.push(...res.items);
      next = res.nextToken || undefined;
      if (next !== undefined) {
        if (seen.has(next)) throw broken(s, "a new page token (it repeated one)");
        seen.add(next);
      }
    } while (next !== undefined);
    return out;
  }

  return {
    endpoint,
    async getRoleCredentials({ accessToken, accountId, roleName }) {
      const s = site("GetRoleCredentials", PORTAL_CREDENTIALS_TIMEOUT_MS);
      const res = await callWithDeadline(ctx, s, (abortSignal) =>
        client.send(new sdk.GetRoleCredentialsCommand({ accessToken, accountId, roleName }), { abortSignal }),
      );
      const rc = res.roleCredentials;
      if (!rc?.accessKeyId || !rc.secretAccessKey || !rc.sessionToken || typeof rc.expiration !== "number")
        throw broken(s, "complete roleCredentials");
      registerSecret(rc.secretAccessKey);
      registerSecret(rc.sessionToken);
      return { accessKeyId: rc.accessKeyId, secretAccessKey: rc.secretAccessKey, sessionToken: rc.sessionToken, expiration: rc.expiration };
    },
    listAccounts(accessToken) {
      return allPages("ListAccounts", async (nextToken, abortSignal) => {
        const res = await client.send(new sdk.ListAccountsCommand({ accessToken, nextToken }), { abortSignal });
        const items = (res.accountList ?? []).flatMap((a): PortalAccount[] => {
          if (!a.accountId) return [];
          const acct: PortalAccount = { accountId: a.accountId };
          if (a.accountName !== undefined) acct.accountName = a.accountName;
          if (a.emailAddress !== undefined) acct.emailAddress = a.emailAddress;
          return [acct];
        });
        return { items, nextToken: res.nextToken };
      });
    },
    listAccountRoles(accessToken, accountId) {
      return allPages("ListAccountRoles", async (nextToken, abortSignal) => {
        const res = await client.send(new sdk.ListAccountRolesCommand({ accessToken, accountId, nextToken }), { abortSignal });
        const items = (res.roleList ?? []).flatMap((r): PortalRole[] =>
          r.roleName ? [{ roleName: r.roleName, accountId: r.accountId ?? accountId }] : [],
        );
        return { items, nextToken: res.nextToken };
      });
    },
    async logout(accessToken) {
      await callWithDeadline(ctx, site("Logout", PORTAL_CREDENTIALS_TIMEOUT_MS), (abortSignal) =>
        client.send(new sdk.LogoutCommand({ accessToken }), { abortSignal }),
      );
    },
  };
}
