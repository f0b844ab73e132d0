// Values IAM Identity Center hands us that end up in ~/.aws/config (sso_account_id, sso_role_name).
// The config is an INI file every AWS tool reads, so a server-supplied value holding a newline could
// add keys of its own (`credential_process = …`), and one holding escape sequences would reach every
// terminal that shows the file. Such values are refused; the names only shown (account names) are
// printed through the output policy instead.

/** An AWS account id is exactly 12 ASCII digits (no U+2028, no Arabic-Indic digits). */
const ACCOUNT_ID = /^[0-9]{12}$/;
/**
 * A permission set name, which is what the portal returns as roleName: letters, digits and `+=,.@_-`
 * (the CreatePermissionSet pattern `[\w+=,.@-]+`, at most 32; a little room is left above that).
 */
const ROLE_NAME = /^[A-Za-z0-9_+=,.@-]{1,64}$/;

export function accountIdProblem(id: string): string | undefined {
  return ACCOUNT_ID.test(id) ? undefined : `the account id ${JSON.stringify(id)} is not 12 digits`;
}

export function roleNameProblem(name: string): string | undefined {
  return ROLE_NAME.test(name)
    ? undefined
    : `the role name ${JSON.stringify(name)} is not a permission set name (letters, digits and +=,.@_- only)`;
}

/** Split roles into those safe to write into the config and those refused, each with why. */
export function partitionPortalRoles<T extends { accountId: string; roleName: string }>(
  roles: readonly T[],
): { usable: T[]; refused: Array<{ role: T; why: string }> } {
  const usable: T[] = [];
  const refused: Array<{ role: T; why: string }> = [];
  for (const r of roles) {
    const why = accountIdProblem(r.accountId) ?? roleNameProblem(r.roleName);
    if (why) refused.push({ role: r, why });
    else usable.push(r);
  }
  return { usable, refused };
}
