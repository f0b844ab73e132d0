// Endpoint resolution (docs/protocols.md §1.5): the shared case table, plus the details a
// user notices in messages. test/interop/endpoints-botocore.test.ts checks the same table against botocore.
import { describe, expect, it } from "bun:test";
import {
  configuredEndpoint,
  partitionDnsSuffix,
  partitionName,
  resolveEndpoint,
  resolveServiceEndpoint,
  resolveSsoEndpoints,
} from "../../src/aws/endpoints";
import { parseAwsConfig } from "../../src/core/aws-config";
import { ConfigError } from "../../src/core/errors";
import { endpointCases } from "../helpers/endpoint-cases";

function outcome(f: () => string): string {
  try {
    return f();
  } catch (e) {
    if (e instanceof ConfigError) return "error";
    throw e;
  }
}

describe("resolveSsoEndpoints and resolveServiceEndpoint", () => {
  for (const c of endpointCases) {
    it(`resolves: ${c.name}`, () => {
      const cfg = parseAwsConfig(c.config ?? "", "");
      const env = c.env ?? {};
      expect(outcome(() => resolveEndpoint("SSO OIDC", c.region, cfg, c.profile, env).url)).toBe(c.oidc);
      expect(outcome(() => resolveEndpoint("SSO", c.region, cfg, c.profile, env).url)).toBe(c.portal);
      if (c.sts) expect(outcome(() => resolveServiceEndpoint("sts", c.region, cfg, c.profile, env))).toBe(c.sts);
      if (c.codecommit) expect(outcome(() => resolveServiceEndpoint("codecommit", c.region, cfg, c.profile, env))).toBe(c.codecommit);
      if (c.oidc !== "error" && c.portal !== "error") {
        expect(resolveSsoEndpoints(cfg, c.profile, c.region, env)).toEqual({ oidc: c.oidc, portal: c.portal });
      }
    });
  }
});

describe("endpoint details", () => {
  const empty = parseAwsConfig("", "");

  it.each([
    ["us-east-1", "aws", "amazonaws.com"],
    ["cn-north-1", "aws-cn", "amazonaws.com.cn"],
    ["us-gov-east-1", "aws-us-gov", "amazonaws.com"],
    ["eusc-de-east-1", "aws-eusc", "amazonaws.eu"],
    ["us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov"],
  ])("puts %s in partition %s with DNS suffix %s", (region, name, suffix) => {
    expect(partitionName(region)).toBe(name);
    expect(partitionDnsSuffix(region)).toBe(suffix);
  });

  it("says which setting a custom endpoint came from", () => {
    const cfg = parseAwsConfig(
      "[profile dev]\nservices = local\n\n[services local]\nsso_oidc =\n  endpoint_url = http://127.0.0.1:9/\n",
      "",
    );
    expect(configuredEndpoint("SSO OIDC", cfg, "dev", {})).toEqual({
      url: "http://127.0.0.1:9",
      source: { kind: "services", section: "local", service: "sso_oidc" },
    });
    expect(configuredEndpoint("SSO OIDC", cfg, "dev", { AWS_ENDPOINT_URL_SSO_OIDC: "http://x:1" })?.source).toEqual({
      kind: "env",
      name: "AWS_ENDPOINT_URL_SSO_OIDC",
    });
    expect(configuredEndpoint("SSO", cfg, "dev", {})).toBeUndefined();
  });

  it("reads endpoint_url from the credentials file too, as botocore merges it into the profile", () => {
    const cfg = parseAwsConfig("", "[dev]\nendpoint_url = http://127.0.0.1:9\n");
    expect(resolveSsoEndpoints(cfg, "dev", "us-east-1", {}).portal).toBe("http://127.0.0.1:9");
  });

  it("sends SSO traffic to the configured endpoint even when FIPS is on, as the AWS CLI does", () => {
    const got = resolveEndpoint("SSO", "us-east-1", empty, undefined, {
      AWS_ENDPOINT_URL_SSO: "http://127.0.0.1:9",
      AWS_USE_FIPS_ENDPOINT: "true",
    });
    expect(got.url).toBe("http://127.0.0.1:9");
  });

  it("quotes botocore's message for a profile naming a missing [services] section", () => {
    expect(() => resolveSsoEndpoints(parseAwsConfig("[profile dev]\nservices = gone\n", ""), "dev", "us-east-1", {})).toThrow(
      'The profile is configured to use the services section but the "gone" services configuration does not exist.',
    );
  });

  it.each([["not a url"], ["ftp://example.com"]])("refuses the endpoint URL %p", (url) => {
    expect(() => resolveSsoEndpoints(empty, undefined, "us-east-1", { AWS_ENDPOINT_URL: url })).toThrow(ConfigError);
  });

  it.each([[""], ["us east 1"], ["evil.com/x"]])("refuses the region %p instead of building a wrong host", (region) => {
    expect(() => resolveSsoEndpoints(empty, undefined, region, {})).toThrow(ConfigError);
  });
});
