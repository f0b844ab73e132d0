// How `aws configure sso` shows and orders accounts and roles (awscli configure/sso.py, CLI ≥ 2.34.24:
// display_account, get_account_sorting_key, and roles sorted by lower-cased name; docs/protocols.md §1.4).

export interface PortalAccount {
  accountId?: string;
  accountName?: string;
  emailAddress?: string;
}

/** `"{accountName}, {emailAddress} ({accountId})"`, dropping whichever of name and email is missing. */
export function displayAccount(a: PortalAccount): string {
  const id = a.accountId ?? "";
  if (a.accountName === undefined && a.emailAddress === undefined) return id;
  if (a.emailAddress === undefined) return `${a.accountName} (${id})`;
  if (a.accountName === undefined) return `${a.emailAddress} (${id})`;
  return `${a.accountName}, ${a.emailAddress} (${id})`;
}

/** Python compares str by code point; JS `<` by UTF-16 unit. Compare code points so the order matches. */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * get_account_sorting_key: accounts with only an id go last; otherwise by the lower-cased name, else
 * email, else id. Python's sort is stable, and so is Array.prototype.sort: ties keep the API's order.
 */
export function sortAccounts<T extends PortalAccount>(accounts: readonly T[]): T[] {
  const key = (a: PortalAccount): [boolean, string] => [
    a.accountName === undefined && a.emailAddress === undefined,
    (a.accountName ?? a.emailAddress ?? a.accountId ?? "").toLowerCase(),
  ];
  return [...accounts].sort((a, b) => {
    const [ao, as] = key(a);
    const [bo, bs] = key(b);
    if (ao !== bo) return ao ? 1 : -1;
    return compareCodePoints(as, bs);
  });
}

/** `sorted(roles, key=lambda x: x['roleName'].lower())`. */
export function sortRoleNames(names: readonly string[]): string[] {
  return [...names].sort((a, b) => compareCodePoints(a.toLowerCase(), b.toLowerCase()));
}
