// The AWS console sign-in URLs (docs/console.md): the federation endpoint that trades role credentials
// for a sign-in token, the `login` URL that spends it, the logout redirect that ends whatever console
// session the browser already holds, and the console pages `ccsso console` and `ccsso browse` open.
// Pure: every host and path is computed from the Region and the names given, nothing is read or sent.
//
// Hosts, per partition (docs/console.md §1 lists the sources):
//   - sign-in: AWS's "AWS Sign-In endpoints and quotas" table (General Reference, signin-service) lists
//     signin.aws.amazon.com for us-east-1 and <region>.signin.aws.amazon.com for every other commercial
//     Region; the IAM guide "Enable custom identity broker access to the AWS console" sends
//     getSigninToken and login to <that host>/federation. A Region's own sign-in host is used because
//     a Region that is not enabled by default (opt-in) refuses sessions minted by the global one.
//     GovCloud: signin.amazonaws-us-gov.com (us-gov-west-1) and us-gov-east-1.signin.amazonaws-us-gov.com;
//     China: signin.amazonaws.cn.
//   - console: <region>.console.aws.amazon.com, console.amazonaws.cn and console.amazonaws-us-gov.com,
//     always with ?region= so the page opens in the Region meant.
import { partitionOf } from "./regions";

export type ConsolePartition = "aws" | "aws-cn" | "aws-us-gov";

/** The partitions whose console ccsso knows how to sign in to; the isolated ones have no public console. */
export function consolePartition(region: string): ConsolePartition | undefined {
  const name = partitionOf(region).name;
  return name === "aws" || name === "aws-cn" || name === "aws-us-gov" ? name : undefined;
}

function signinHost(region: string): string {
  switch (consolePartition(region)) {
    case "aws-cn":
      return "signin.amazonaws.cn";
    case "aws-us-gov":
      return region === "us-gov-west-1" ? "signin.amazonaws-us-gov.com" : `${region}.signin.amazonaws-us-gov.com`;
    default:
      return region === "us-east-1" ? "signin.aws.amazon.com" : `${region}.signin.aws.amazon.com`;
  }
}

/** Where getSigninToken and login go for `region`: `https://<sign-in host>/federation`. */
export function federationEndpoint(region: string): string {
  return `https://${signinHost(region)}/federation`;
}

/** The console's origin for `region` (no trailing slash). */
export function consoleOrigin(region: string): string {
  switch (consolePartition(region)) {
    case "aws-cn":
      return "https://console.amazonaws.cn";
    case "aws-us-gov":
      return "https://console.amazonaws-us-gov.com";
    default:
      return `https://${region}.console.aws.amazon.com`;
  }
}

/** The console home in `region`, or one service's home (`--service s3` → /s3/home). */
export function consoleServiceUrl(region: string, service?: string): string {
  const path = service ? `/${encodeURIComponent(service)}/home` : "/console/home";
  return `${consoleOrigin(region)}${path}?region=${encodeURIComponent(region)}`;
}

/** The session JSON getSigninToken takes: the role credentials under the names the endpoint uses. */
export function federationSession(creds: { accessKeyId: string; secretAccessKey: string; sessionToken: string }): string {
  return JSON.stringify({ sessionId: creds.accessKeyId, sessionKey: creds.secretAccessKey, sessionToken: creds.sessionToken });
}

/**
 * The form fields of getSigninToken. `sessionDuration` (seconds, 900–43200) is sent only when the caller
 * established that the endpoint accepts it (see docs/console.md §2): it is refused for chained roles.
 */
export function signinTokenForm(session: string, sessionDuration?: number): URLSearchParams {
  const form = new URLSearchParams({ Action: "getSigninToken" });
  if (sessionDuration !== undefined) form.set("SessionDuration", String(sessionDuration));
  form.set("Session", session);
  return form;
}

/** The documented answer is `{"SigninToken":"…"}`; anything else is undefined. */
export function parseSigninTokenAnswer(text: string): string | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    const token = v && typeof v === "object" ? (v as Record<string, unknown>).SigninToken : undefined;
    return typeof token === "string" && token.length > 0 ? token : undefined;
  } catch {
    return undefined;
  }
}

/** The URL that signs the browser in with `token` and lands on `destination`. */
export function loginUrl(federation: string, opts: { issuer: string; destination: string; token: string }): string {
  const q = new URLSearchParams({ Action: "login", Issuer: opts.issuer, Destination: opts.destination, SigninToken: opts.token });
  return `${federation}?${q.toString()}`;
}

/**
 * `url` behind the console's logout: a browser still signed in to another account or role would
 * otherwise keep that session and ignore the new sign-in. The logout lives next to the federation
 * endpoint (`/oauth?Action=logout`) and sends the browser on to `redirect_uri` afterwards.
 */
export function logoutThen(federation: string, url: string): string {
  const origin = new URL(federation).origin;
  return `${origin}/oauth?${new URLSearchParams({ Action: "logout", redirect_uri: url }).toString()}`;
}

/** What part of a CodeCommit repository to show. */
export type CodeCommitPage =
  | { kind: "repository" }
  | { kind: "file"; ref: { branch: string } | { commit: string }; path: string }
  | { kind: "commit"; commit: string }
  | { kind: "pull-request"; number: number };

/** Each segment percent-encoded (spaces, non-ASCII, `#`, `?`), the separators kept. */
function encodePath(path: string): string {
  return path
    .split("/")
    .filter((s) => s !== "")
    .map(encodeURIComponent)
    .join("/");
}

/**
 * The CodeCommit console page, in the shapes the console itself links to:
 *   …/codesuite/codecommit/repositories/REPO/browse                           (repository)
 *   …/repositories/REPO/browse/refs/heads/BRANCH/--/PATH                      (a file or folder on a branch)
 *   …/repositories/REPO/browse/COMMIT/--/PATH                                 (… at a commit)
 *   …/repositories/REPO/commit/COMMIT                                         (a commit)
 *   …/repositories/REPO/pull-requests/N/details                               (a pull request)
 * each followed by ?region=REGION. A branch keeps its slashes (refs/heads/feature/x is how the console
 * spells it); every other character that is not URL-safe is percent-encoded per segment.
 */
export function codeCommitPageUrl(region: string, repository: string, page: CodeCommitPage): string {
  const base = `${consoleOrigin(region)}/codesuite/codecommit/repositories/${encodeURIComponent(repository)}`;
  let path: string;
  switch (page.kind) {
    case "repository":
      path = "/browse";
      break;
    case "file": {
      const ref = "branch" in page.ref ? `refs/heads/${encodePath(page.ref.branch)}` : encodeURIComponent(page.ref.commit);
      const file = encodePath(page.path);
      path = `/browse/${ref}${file ? `/--/${file}` : ""}`;
      break;
    }
    case "commit":
      path = `/commit/${encodeURIComponent(page.commit)}`;
      break;
    case "pull-request":
      path = `/pull-requests/${page.number}/details`;
      break;
  }
  return `${base}${path}?region=${encodeURIComponent(region)}`;
}
