// git-remote-codecommit's URL grammar (docs/protocols.md §5.4): its accepted forms and every URL
// its test suite calls malformed, plus the fixes for grc #13 (profile with @) and #49 (ignored path).
import { describe, expect, it } from "bun:test";
import { parseCodeCommitRemoteUrl } from "../../src/core/remote-url";

describe("the codecommit:// URL grammar", () => {
  it.each([
    ["codecommit://repo", { region: undefined, profile: undefined, repository: "repo" }],
    ["codecommit://profile@repo", { region: undefined, profile: "profile", repository: "repo" }],
    ["us-east-1://repo", { region: "us-east-1", profile: undefined, repository: "repo" }],
    ["us-east-1://profile@repo", { region: "us-east-1", profile: "profile", repository: "repo" }],
    ["us-gov-west-1://profile@repo", { region: "us-gov-west-1", profile: "profile", repository: "repo" }],
    ["cn-north-1://p@my.repo_name-1", { region: "cn-north-1", profile: "p", repository: "my.repo_name-1" }],
    ["codecommit://role@account@repo", { region: undefined, profile: "role@account", repository: "repo" }],
    ["zz-west-2://repo", { region: "zz-west-2", profile: undefined, repository: "repo" }],
  ])("reads %s", (url, want) => {
    expect(parseCodeCommitRemoteUrl(url)).toEqual(want);
  });

  it.each([
    null,
    "",
    "boom",
    "codecommit:/test_repo",
    "codecommit//test_repo",
    "://test_repo",
    "codecommit://",
    "codecommit:://test_repo",
    "codecommit:///test_repo",
    "github://test_repo",
  ])("calls %p malformed, as git-remote-codecommit does", (url) => {
    expect(() => parseCodeCommitRemoteUrl(url)).toThrow(/malformed URL/);
  });

  it.each([
    ["codecommit://git-codecommit.us-west-2.amazonaws.com/v1/repos/hello", /path/],
    ["codecommit://repo/", /path/],
    ["codecommit://p@repo:443", /port/],
    ["codecommit://repo?x=1", /query/],
    ["codecommit://repo#frag", /fragment/],
    ["codecommit://@repo", /profile/],
    ["codecommit://p@", /missing/],
    ["codecommit://..", /not a CodeCommit repository name/],
    ["codecommit://../etc", /path/],
    ["codecommit://re%2fpo", /not a CodeCommit repository name/],
    ["codecommit://repo\nx", /control/],
    [`codecommit://${"a".repeat(101)}`, /not a CodeCommit repository name/],
  ])("refuses %j with a reason", (url, reason) => {
    expect(() => parseCodeCommitRemoteUrl(url)).toThrow(reason);
  });

  it("names both accepted forms in the fix", () => {
    try {
      parseCodeCommitRemoteUrl("boom");
      throw new Error("expected a failure");
    } catch (e) {
      expect((e as { hint?: string }).hint).toContain("codecommit::<region>://<profile>@<repository>");
    }
  });
});
