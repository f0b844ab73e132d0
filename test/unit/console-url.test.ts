// The console URLs, table-driven against the shapes AWS documents and its console links to
// (docs/console.md §1): sign-in host per partition and Region, console origin, CodeCommit pages.
import { describe, expect, it } from "bun:test";
import {
  codeCommitPageUrl,
  consolePartition,
  consoleServiceUrl,
  federationEndpoint,
  federationSession,
  loginUrl,
  logoutThen,
  parseSigninTokenAnswer,
  signinTokenForm,
} from "../../src/core/console-url";

describe("federation endpoint per Region", () => {
  it.each([
    ["us-east-1", "https://signin.aws.amazon.com/federation"],
    ["us-west-2", "https://us-west-2.signin.aws.amazon.com/federation"],
    ["eu-west-1", "https://eu-west-1.signin.aws.amazon.com/federation"],
    // An opt-in Region refuses sessions minted by the global sign-in host.
    ["ap-east-1", "https://ap-east-1.signin.aws.amazon.com/federation"],
    ["cn-north-1", "https://signin.amazonaws.cn/federation"],
    ["cn-northwest-1", "https://signin.amazonaws.cn/federation"],
    ["us-gov-west-1", "https://signin.amazonaws-us-gov.com/federation"],
    ["us-gov-east-1", "https://us-gov-east-1.signin.amazonaws-us-gov.com/federation"],
  ])("%s → %s", (region, url) => {
    expect(federationEndpoint(region)).toBe(url);
  });

  it("knows which partitions have a console it can sign in to", () => {
    expect(consolePartition("eu-central-1")).toBe("aws");
    expect(consolePartition("cn-north-1")).toBe("aws-cn");
    expect(consolePartition("us-gov-west-1")).toBe("aws-us-gov");
    expect(consolePartition("us-iso-east-1")).toBeUndefined();
  });
});

describe("console pages", () => {
  it.each([
    ["us-east-1", undefined, "https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1"],
    ["eu-west-1", "s3", "https://eu-west-1.console.aws.amazon.com/s3/home?region=eu-west-1"],
    ["cn-north-1", undefined, "https://console.amazonaws.cn/console/home?region=cn-north-1"],
    ["us-gov-west-1", "ec2", "https://console.amazonaws-us-gov.com/ec2/home?region=us-gov-west-1"],
  ])("%s service %s → %s", (region, service, url) => {
    expect(consoleServiceUrl(region, service)).toBe(url);
  });

  const cc = "codesuite/codecommit/repositories";
  it.each([
    [
      "repository",
      "us-east-1",
      "demo",
      { kind: "repository" } as const,
      `https://us-east-1.console.aws.amazon.com/${cc}/demo/browse?region=us-east-1`,
    ],
    [
      "a file on a branch",
      "eu-west-1",
      "swagger-specs",
      { kind: "file", ref: { branch: "master" }, path: "d-store/api.yaml" } as const,
      `https://eu-west-1.console.aws.amazon.com/${cc}/swagger-specs/browse/refs/heads/master/--/d-store/api.yaml?region=eu-west-1`,
    ],
    [
      "a branch with a slash, a path with a space and non-ASCII",
      "us-east-1",
      "demo",
      { kind: "file", ref: { branch: "feature/new ui" }, path: "docs/Release Notes/ünïcode.md" } as const,
      `https://us-east-1.console.aws.amazon.com/${cc}/demo/browse/refs/heads/feature/new%20ui/--/docs/Release%20Notes/%C3%BCn%C3%AFcode.md?region=us-east-1`,
    ],
    [
      "characters that would end the path (#, ?, %)",
      "us-east-1",
      "demo",
      { kind: "file", ref: { branch: "main" }, path: "a#b/c?d/50%.txt" } as const,
      `https://us-east-1.console.aws.amazon.com/${cc}/demo/browse/refs/heads/main/--/a%23b/c%3Fd/50%25.txt?region=us-east-1`,
    ],
    [
      "the root of a branch",
      "us-east-1",
      "demo",
      { kind: "file", ref: { branch: "main" }, path: "" } as const,
      `https://us-east-1.console.aws.amazon.com/${cc}/demo/browse/refs/heads/main?region=us-east-1`,
    ],
    [
      "a file at a commit",
      "eu-west-1",
      "payments-api",
      { kind: "file", ref: { commit: "3f7a1c9" }, path: "src/x.ts" } as const,
      `https://eu-west-1.console.aws.amazon.com/${cc}/payments-api/browse/3f7a1c9/--/src/x.ts?region=eu-west-1`,
    ],
    [
      "a commit",
      "us-east-2",
      "demo",
      { kind: "commit", commit: "0123abcd" } as const,
      `https://us-east-2.console.aws.amazon.com/${cc}/demo/commit/0123abcd?region=us-east-2`,
    ],
    [
      "a pull request",
      "eu-west-2",
      "atlantis-test",
      { kind: "pull-request", number: 2 } as const,
      `https://eu-west-2.console.aws.amazon.com/${cc}/atlantis-test/pull-requests/2/details?region=eu-west-2`,
    ],
    ["China", "cn-north-1", "demo", { kind: "repository" } as const, `https://console.amazonaws.cn/${cc}/demo/browse?region=cn-north-1`],
    [
      "GovCloud",
      "us-gov-west-1",
      "demo",
      { kind: "pull-request", number: 7 } as const,
      `https://console.amazonaws-us-gov.com/${cc}/demo/pull-requests/7/details?region=us-gov-west-1`,
    ],
  ])("%s", (_name, region, repo, page, url) => {
    expect(codeCommitPageUrl(region, repo, page)).toBe(url);
  });
});

describe("sign-in exchange", () => {
  const creds = { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret/+=", sessionToken: "token+/=" };

  it("sends the session JSON under the endpoint's names, and SessionDuration only when asked", () => {
    const session = federationSession(creds);
    expect(JSON.parse(session)).toEqual({ sessionId: "ASIAEXAMPLE", sessionKey: "secret/+=", sessionToken: "token+/=" });
    const plain = signinTokenForm(session);
    expect(plain.get("Action")).toBe("getSigninToken");
    expect(plain.has("SessionDuration")).toBe(false);
    expect(JSON.parse(plain.get("Session")!)).toEqual(JSON.parse(session));
    expect(signinTokenForm(session, 3600).get("SessionDuration")).toBe("3600");
  });

  it("reads the token from the documented answer only", () => {
    expect(parseSigninTokenAnswer('{"SigninToken":"abc"}')).toBe("abc");
    expect(parseSigninTokenAnswer('{"SigninToken":""}')).toBeUndefined();
    expect(parseSigninTokenAnswer("<html>captive portal</html>")).toBeUndefined();
    expect(parseSigninTokenAnswer('{"Token":"abc"}')).toBeUndefined();
  });

  it("builds the login URL behind the logout redirect, every value decodable", () => {
    const destination = codeCommitPageUrl("us-east-1", "demo", { kind: "file", ref: { branch: "feature/x" }, path: "a b/ü.md" });
    const login = loginUrl("https://signin.aws.amazon.com/federation", { issuer: "ccsso", destination, token: "tok&en=1" });
    const outer = new URL(logoutThen("https://signin.aws.amazon.com/federation", login));
    expect(outer.origin + outer.pathname).toBe("https://signin.aws.amazon.com/oauth");
    expect(outer.searchParams.get("Action")).toBe("logout");
    const inner = new URL(outer.searchParams.get("redirect_uri")!);
    expect(inner.origin + inner.pathname).toBe("https://signin.aws.amazon.com/federation");
    expect(inner.searchParams.get("Action")).toBe("login");
    expect(inner.searchParams.get("Issuer")).toBe("ccsso");
    expect(inner.searchParams.get("SigninToken")).toBe("tok&en=1");
    expect(inner.searchParams.get("Destination")).toBe(destination);
  });
});
