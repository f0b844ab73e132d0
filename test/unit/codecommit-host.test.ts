import { describe, expect, it } from "bun:test";
import { codeCommitGitHost, isHostWithPort, matchCodeCommitHost } from "../../src/core/codecommit-host";

describe("recognising CodeCommit git hosts", () => {
  it.each([
    ["git-codecommit.us-east-1.amazonaws.com", "us-east-1", false, false],
    ["git-codecommit-fips.us-east-1.amazonaws.com", "us-east-1", true, false],
    ["vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.us-east-1.vpce.amazonaws.com", "us-east-1", false, true],
    ["vpce-0b47ea360adebf88a-jkl88hez-us-west-2b.git-codecommit-fips.us-east-1.vpce.amazonaws.com", "us-east-1", true, true],
    ["git-codecommit.cn-north-1.amazonaws.com.cn", "cn-north-1", false, false],
    ["git-codecommit.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1", false, false],
    ["git-codecommit.us-gov-west-1.amazonaws.com", "us-gov-west-1", false, false],
    ["git-codecommit-fips.us-gov-east-1.amazonaws.com", "us-gov-east-1", true, false],
    ["GIT-CODECOMMIT.EU-WEST-1.AMAZONAWS.COM", "eu-west-1", false, false],
  ])("answers for %s (region %s)", (host, region, fips, vpce) => {
    expect(matchCodeCommitHost(host)).toMatchObject({ region, fips, vpce, custom: false });
  });

  it("allows a port and keeps it out of the signed host name", () => {
    expect(matchCodeCommitHost("git-codecommit.us-east-1.amazonaws.com:8443")).toMatchObject({
      hostname: "git-codecommit.us-east-1.amazonaws.com",
      port: 8443,
    });
  });

  it.each([
    ["git-codecommit.us-east-1.amazonaws.com.evil.com", "a suffix after the real name"],
    ["evil.com", "a plain other host"],
    ["git-codecommit.us-east-1.amazonaws.com.cn.evil.com", "a suffix after the China name"],
    ["evilgit-codecommit.us-east-1.amazonaws.com", "a prefix glued to the first label"],
    ["x.git-codecommit.us-east-1.amazonaws.com", "an extra label in front"],
    ["git-codecommit.amazonaws.com", "no region"],
    ["git-codecommit.us-east-1.vpce.amazonaws.com", "a VPC name without an endpoint id"],
    ["vpce-1.git-codecommit.us-east-1.amazonaws.com", "an endpoint id without .vpce."],
    ["git-codecommit.us-east-1.amazonaws.com.cn", "a commercial region under .cn"],
    ["git-codecommit.cn-north-1.amazonaws.com", "a China region under .com"],
    ["git-codecommit.us-east-1.amazonaws.com:99999", "a port out of range"],
    ["git-codecommit.us-east-1.amazonaws.com:", "an empty port"],
    ["git-codecommit.us-east-1.amazonaws.com@evil.com", "userinfo tricks"],
    ["codecommit.us-east-1.amazonaws.com", "the API host, not the git host"],
    ["", "an empty host"],
  ])("gives nothing to %s (%s)", (host) => {
    expect(matchCodeCommitHost(host)).toBeUndefined();
  });

  it("answers for a settings-file host with its configured region, any port", () => {
    const extra = [{ host: "git.corp.example", region: "eu-central-1" }];
    expect(matchCodeCommitHost("git.corp.example:443", extra)).toMatchObject({
      hostname: "git.corp.example",
      region: "eu-central-1",
      custom: true,
    });
    expect(matchCodeCommitHost("git.corp.example.evil.com", extra)).toBeUndefined();
  });

  it("requires the port when the settings-file host names one", () => {
    const extra = [{ host: "git.corp.example:8443", region: "eu-central-1" }];
    expect(matchCodeCommitHost("git.corp.example:8443", extra)).toBeDefined();
    expect(matchCodeCommitHost("git.corp.example", extra)).toBeUndefined();
  });
});

describe("deriving the git host for a region", () => {
  it.each([
    ["us-east-1", false, "git-codecommit.us-east-1.amazonaws.com"],
    ["us-east-1", true, "git-codecommit-fips.us-east-1.amazonaws.com"],
    ["cn-north-1", false, "git-codecommit.cn-north-1.amazonaws.com.cn"],
    ["us-gov-west-1", false, "git-codecommit.us-gov-west-1.amazonaws.com"],
  ])("%s (fips %s) → %s", (region, fips, host) => {
    expect(codeCommitGitHost(region, { fips })).toBe(host);
  });
});

describe("a host named by the settings file or CODE_COMMIT_ENDPOINT", () => {
  it.each([
    ["git.example.com", true],
    ["git.example.com:8443", true],
    ["127.0.0.1:443", true],
    ["https://git.example.com", false],
    ["git.example.com/v1/repos", false],
    ["user@git.example.com", false],
    ["git.example.com:", false],
    ["git example.com", false],
    ["", false],
  ])("%s → %s", (text, ok) => {
    expect(isHostWithPort(text)).toBe(ok);
  });
});
