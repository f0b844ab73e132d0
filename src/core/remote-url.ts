// The codecommit:// URL grammar of git-remote-codecommit (docs/protocols.md §5.4), made strict:
//   codecommit://[profile@]repository           region from the profile
//   REGION://[profile@]repository               what git hands the helper for codecommit::REGION://...
// The profile is split off at the LAST `@` (profile names like role@account work: grc #13, PR #14; repository
// names cannot contain `@`). grc silently ignores a path, which cloned the wrong repository (grc #49); here a
// path, port, query or fragment is an error.
import { UsageError } from "./errors";
import { isRegionName } from "./regions";

export interface CodeCommitRemote {
  /** From `REGION://`; undefined for `codecommit://` (the profile's region applies). */
  region?: string;
  /** Undefined when the URL names none (AWS_PROFILE, then default). */
  profile?: string;
  repository: string;
}

/** CodeCommit: "letters, numbers, periods, underscores, and dashes", at most 100 characters. */
const REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** A name CodeCommit could have given a repository (never `.`/`..`, so it can never act as a path). */
export function isCodeCommitRepositoryName(name: string): boolean {
  return REPOSITORY_NAME.test(name) && name !== "." && name !== "..";
}

export const REMOTE_URL_FORMS = "codecommit://<profile>@<repository> or codecommit::<region>://<profile>@<repository>";

export class RemoteUrlError extends UsageError {
  constructor(url: string, reason: string) {
    super(`malformed URL ${JSON.stringify(url)}: ${reason}`, `use ${REMOTE_URL_FORMS}`);
  }
}

export function parseCodeCommitRemoteUrl(url: string | undefined | null): CodeCommitRemote {
  const text = url ?? "";
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(text);
  if (!m) throw new RemoteUrlError(text, "it has no scheme://");
  const scheme = m[1]!;
  const rest = m[2]!;
  let region: string | undefined;
  if (scheme === "codecommit") region = undefined;
  else if (isRegionName(scheme)) region = scheme;
  else throw new RemoteUrlError(text, `the scheme must be codecommit or a region, not "${scheme}"`);
  if (/[\0-\x1f\x7f]/.test(rest)) throw new RemoteUrlError(text, "it contains control characters");
  if (rest.includes("/")) throw new RemoteUrlError(text, "a path is not allowed (name the repository only)");
  if (rest.includes("?")) throw new RemoteUrlError(text, "a query is not allowed");
  if (rest.includes("#")) throw new RemoteUrlError(text, "a fragment is not allowed");
  const at = rest.lastIndexOf("@");
  const profile = at >= 0 ? rest.slice(0, at) : undefined;
  const repository = rest.slice(at + 1);
  if (profile !== undefined && profile === "") throw new RemoteUrlError(text, "the profile before @ is empty");
  if (repository === "") throw new RemoteUrlError(text, "the repository name is missing");
  if (repository.includes(":")) throw new RemoteUrlError(text, "a port or password is not allowed");
  if (!REPOSITORY_NAME.test(repository) || repository === "." || repository === "..") {
    throw new RemoteUrlError(text, `"${repository}" is not a CodeCommit repository name (letters, digits, . _ - only)`);
  }
  return { region, profile, repository };
}
