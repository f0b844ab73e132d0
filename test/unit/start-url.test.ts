import { describe, expect, it } from "bun:test";
import { isAwsOwnedHost, normalizeResolvedUrl, regionOfPortalHost, startUrlFromRedirect } from "../../src/core/start-url";

describe("which hosts are AWS's", () => {
  it.each([
    "d-1234567890.awsapps.com",
    "D-1234567890.AWSAPPS.COM.",
    "start.us-gov-home.awsapps.com",
    "corp.awsapps.cn",
    "ssoins-1.portal.eu-west-1.app.aws",
    "ssoins-1.us-east-1.portal.amazonaws.com",
    "ssoins-1.cn-north-1.portal.amazonaws.com.cn",
    "ssoins-1.portal.cn-north-1.app.amazonwebservices.com.cn",
    "ssoins-1.eusc-de-east-1.portal.amazonaws.eu",
    "ssoins-1.portal.eusc-de-east-1.api.amazonwebservices.eu",
    "identitycenter.amazonaws.com",
    "identitycenter.us-gov.amazonaws.com",
    "awsapps.com",
  ])("%s is", (host) => expect(isAwsOwnedHost(host)).toBe(true));

  it.each([
    "sso.example.com",
    "evilawsapps.com",
    "corp.awsapps.com.example.net",
    "x.identitycenter.amazonaws.com",
    "sts.amazonaws.com",
    "portal.amazonaws.com.evil",
    "localhost",
    "127.0.0.1",
  ])("%s is not", (host) => expect(isAwsOwnedHost(host)).toBe(false));
});

describe("the region a portal host names", () => {
  it.each([
    ["ssoins-1.portal.eu-west-1.app.aws", "eu-west-1"],
    ["ssoins-1.us-gov-west-1.portal.amazonaws.com", "us-gov-west-1"],
    ["SSOINS-1.CN-NORTH-1.PORTAL.AMAZONAWS.COM.CN", "cn-north-1"],
    ["ssoins-1.portal.eusc-de-east-1.api.amazonwebservices.eu", "eusc-de-east-1"],
    ["d-1234567890.awsapps.com", undefined],
    ["a.b.portal.eu-west-1.app.aws", undefined],
  ])("%s → %s", (host, region) => expect(regionOfPortalHost(host)).toBe(region));
});

describe("the resolved URL as sent", () => {
  it("drops the default port, query, fragment, user name and trailing slashes, and lower-cases the host", () => {
    expect(normalizeResolvedUrl(new URL("https://u:p@SSOINS-1.Portal.eu-west-1.app.aws:443/start//?x=1#y"))).toBe(
      "https://ssoins-1.portal.eu-west-1.app.aws/start",
    );
    expect(normalizeResolvedUrl(new URL("https://d-1.awsapps.com:8443/"))).toBe("https://d-1.awsapps.com:8443");
  });

  it("prefers the portal's region to the configured one, and needs one of them", () => {
    expect(startUrlFromRedirect("https://sso.example.com", new URL("https://i.portal.ap-south-1.app.aws/"), "us-east-1")).toEqual({
      url: "https://i.portal.ap-south-1.app.aws",
      region: "ap-south-1",
      redirected: true,
    });
    expect(startUrlFromRedirect("https://sso.example.com", new URL("https://d-1.awsapps.com/start"), "us-east-1")).toMatchObject({
      region: "us-east-1",
    });
    expect(startUrlFromRedirect("https://sso.example.com", new URL("https://d-1.awsapps.com/start"), undefined)).toEqual({
      problem: "cannot tell the SSO region from the start URL https://sso.example.com (it leads to https://d-1.awsapps.com/start)",
    });
  });
});
