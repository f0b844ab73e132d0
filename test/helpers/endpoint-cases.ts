// Endpoint resolution cases shared by the unit test (ccsso) and the interop test (botocore as the
// oracle): the same config, env and region must give the same URLs, or the same refusal, in both.

export interface EndpointCase {
  name: string;
  region: string;
  /** ~/.aws/config text. */
  config?: string;
  env?: Record<string, string>;
  /** The profile in use; undefined = botocore's default. */
  profile?: string;
  /** Expected URLs, or "error" when the combination is refused. */
  oidc: string | "error";
  portal: string | "error";
  sts?: string;
  codecommit?: string;
  /** Where botocore knowingly differs (it drops FIPS/dual-stack when an endpoint URL is configured,
   *  args.py compute_endpoint_resolver_builtin_defaults; the rule sets and the JS SDK refuse). */
  botocore?: { oidc: string; portal: string };
}

const stub = "http://127.0.0.1:9";

export const endpointCases: EndpointCase[] = [
  {
    name: "commercial region",
    region: "us-east-1",
    oidc: "https://oidc.us-east-1.amazonaws.com",
    portal: "https://portal.sso.us-east-1.amazonaws.com",
    sts: "https://sts.us-east-1.amazonaws.com",
    codecommit: "https://codecommit.us-east-1.amazonaws.com",
  },
  {
    name: "a region no partition lists yet falls back to aws",
    region: "xx-newplace-1",
    oidc: "https://oidc.xx-newplace-1.amazonaws.com",
    portal: "https://portal.sso.xx-newplace-1.amazonaws.com",
  },
  {
    name: "China",
    region: "cn-north-1",
    oidc: "https://oidc.cn-north-1.amazonaws.com.cn",
    portal: "https://portal.sso.cn-north-1.amazonaws.com.cn",
    sts: "https://sts.cn-north-1.amazonaws.com.cn",
    codecommit: "https://codecommit.cn-north-1.amazonaws.com.cn",
  },
  {
    name: "GovCloud",
    region: "us-gov-west-1",
    oidc: "https://oidc.us-gov-west-1.amazonaws.com",
    portal: "https://portal.sso.us-gov-west-1.amazonaws.com",
  },
  {
    name: "European Sovereign Cloud",
    region: "eusc-de-east-1",
    oidc: "https://oidc.eusc-de-east-1.amazonaws.eu",
    portal: "https://portal.sso.eusc-de-east-1.amazonaws.eu",
  },
  {
    name: "ISO",
    region: "us-iso-east-1",
    oidc: "https://oidc.us-iso-east-1.c2s.ic.gov",
    portal: "https://portal.sso.us-iso-east-1.c2s.ic.gov",
  },
  {
    name: "ISO-B",
    region: "us-isob-east-1",
    oidc: "https://oidc.us-isob-east-1.sc2s.sgov.gov",
    portal: "https://portal.sso.us-isob-east-1.sc2s.sgov.gov",
  },
  {
    name: "ISO-E",
    region: "eu-isoe-west-1",
    oidc: "https://oidc.eu-isoe-west-1.cloud.adc-e.uk",
    portal: "https://portal.sso.eu-isoe-west-1.cloud.adc-e.uk",
  },
  {
    name: "ISO-F",
    region: "us-isof-south-1",
    oidc: "https://oidc.us-isof-south-1.csp.hci.ic.gov",
    portal: "https://portal.sso.us-isof-south-1.csp.hci.ic.gov",
  },
  {
    name: "FIPS from the environment",
    region: "us-east-1",
    env: { AWS_USE_FIPS_ENDPOINT: "true" },
    oidc: "https://oidc-fips.us-east-1.amazonaws.com",
    portal: "https://portal.sso-fips.us-east-1.amazonaws.com",
    sts: "https://sts-fips.us-east-1.amazonaws.com",
    codecommit: "https://codecommit-fips.us-east-1.amazonaws.com",
  },
  {
    name: "FIPS from the profile",
    region: "us-west-2",
    config: "[default]\nuse_fips_endpoint = TRUE\n",
    oidc: "https://oidc-fips.us-west-2.amazonaws.com",
    portal: "https://portal.sso-fips.us-west-2.amazonaws.com",
  },
  {
    name: "FIPS set to false in the environment beats the profile",
    region: "us-west-2",
    config: "[default]\nuse_fips_endpoint = true\n",
    env: { AWS_USE_FIPS_ENDPOINT: "false" },
    oidc: "https://oidc.us-west-2.amazonaws.com",
    portal: "https://portal.sso.us-west-2.amazonaws.com",
  },
  {
    name: "FIPS in GovCloud keeps the normal host (except CodeCommit)",
    region: "us-gov-west-1",
    env: { AWS_USE_FIPS_ENDPOINT: "true" },
    oidc: "https://oidc.us-gov-west-1.amazonaws.com",
    portal: "https://portal.sso.us-gov-west-1.amazonaws.com",
    sts: "https://sts.us-gov-west-1.amazonaws.com",
    codecommit: "https://codecommit-fips.us-gov-west-1.amazonaws.com",
  },
  {
    name: "dual-stack",
    region: "eu-west-1",
    env: { AWS_USE_DUALSTACK_ENDPOINT: "true" },
    oidc: "https://oidc.eu-west-1.api.aws",
    portal: "https://portal.sso.eu-west-1.api.aws",
    sts: "https://sts.eu-west-1.api.aws",
  },
  {
    name: "dual-stack in China",
    region: "cn-northwest-1",
    config: "[default]\nuse_dualstack_endpoint = true\n",
    oidc: "https://oidc.cn-northwest-1.api.amazonwebservices.com.cn",
    portal: "https://portal.sso.cn-northwest-1.api.amazonwebservices.com.cn",
  },
  {
    name: "FIPS and dual-stack together",
    region: "us-east-2",
    env: { AWS_USE_FIPS_ENDPOINT: "true", AWS_USE_DUALSTACK_ENDPOINT: "true" },
    oidc: "https://oidc-fips.us-east-2.api.aws",
    portal: "https://portal.sso-fips.us-east-2.api.aws",
  },
  {
    name: "AWS_ENDPOINT_URL_SSO_OIDC moves only OIDC",
    region: "us-east-1",
    env: { AWS_ENDPOINT_URL_SSO_OIDC: `${stub}/oidc` },
    oidc: `${stub}/oidc`,
    portal: "https://portal.sso.us-east-1.amazonaws.com",
  },
  {
    name: "AWS_ENDPOINT_URL_SSO moves only the portal",
    region: "us-east-1",
    env: { AWS_ENDPOINT_URL_SSO: `${stub}/portal` },
    oidc: "https://oidc.us-east-1.amazonaws.com",
    portal: `${stub}/portal`,
  },
  {
    name: "AWS_ENDPOINT_URL moves every service",
    region: "us-east-1",
    env: { AWS_ENDPOINT_URL: stub },
    oidc: stub,
    portal: stub,
    sts: stub,
    codecommit: stub,
  },
  {
    name: "a service variable beats AWS_ENDPOINT_URL",
    region: "us-east-1",
    env: {
      AWS_ENDPOINT_URL: `${stub}/all`,
      AWS_ENDPOINT_URL_SSO: `${stub}/sso`,
      AWS_ENDPOINT_URL_STS: `${stub}/sts`,
      AWS_ENDPOINT_URL_CODECOMMIT: `${stub}/cc`,
    },
    oidc: `${stub}/all`,
    portal: `${stub}/sso`,
    sts: `${stub}/sts`,
    codecommit: `${stub}/cc`,
  },
  {
    name: "a [services] section per service",
    region: "us-east-1",
    config: `[default]\nservices = local\n\n[services local]\nsso_oidc =\n  endpoint_url = ${stub}/o\nsso =\n  endpoint_url = ${stub}/p\ncodecommit =\n  endpoint_url = ${stub}/c\n`,
    oidc: `${stub}/o`,
    portal: `${stub}/p`,
    sts: "https://sts.us-east-1.amazonaws.com",
    codecommit: `${stub}/c`,
  },
  {
    name: "AWS_ENDPOINT_URL beats the [services] section",
    region: "us-east-1",
    config: `[default]\nservices = local\n\n[services local]\nsso_oidc =\n  endpoint_url = ${stub}/o\n`,
    env: { AWS_ENDPOINT_URL: `${stub}/env` },
    oidc: `${stub}/env`,
    portal: `${stub}/env`,
  },
  {
    name: "the [services] section beats the profile's endpoint_url",
    region: "us-east-1",
    config: `[profile dev]\nendpoint_url = ${stub}/profile\nservices = local\n\n[services local]\nsso =\n  endpoint_url = ${stub}/p\n`,
    profile: "dev",
    oidc: `${stub}/profile`,
    portal: `${stub}/p`,
  },
  {
    name: "the profile in use decides (not default)",
    region: "us-east-1",
    config: `[default]\nendpoint_url = ${stub}/default\n\n[profile dev]\nregion = us-east-1\n`,
    profile: "dev",
    oidc: "https://oidc.us-east-1.amazonaws.com",
    portal: "https://portal.sso.us-east-1.amazonaws.com",
  },
  {
    name: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns every override off",
    region: "us-east-1",
    config: `[default]\nendpoint_url = ${stub}/profile\n`,
    env: { AWS_ENDPOINT_URL: stub, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" },
    oidc: "https://oidc.us-east-1.amazonaws.com",
    portal: "https://portal.sso.us-east-1.amazonaws.com",
  },
  {
    name: "ignore_configured_endpoint_urls in the profile turns every override off",
    region: "us-east-1",
    config: `[default]\nignore_configured_endpoint_urls = true\n`,
    env: { AWS_ENDPOINT_URL_SSO: stub },
    oidc: "https://oidc.us-east-1.amazonaws.com",
    portal: "https://portal.sso.us-east-1.amazonaws.com",
  },
  {
    name: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false keeps overrides",
    region: "us-east-1",
    env: { AWS_ENDPOINT_URL: stub, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "false" },
    oidc: stub,
    portal: stub,
  },
  {
    name: "a custom endpoint wins over FIPS, as in the AWS CLI",
    region: "us-east-1",
    env: { AWS_ENDPOINT_URL: stub, AWS_USE_FIPS_ENDPOINT: "true" },
    oidc: stub,
    portal: stub,
  },
  {
    name: "a custom endpoint wins over dual-stack, as in the AWS CLI",
    region: "us-east-1",
    env: { AWS_ENDPOINT_URL_SSO: stub, AWS_USE_DUALSTACK_ENDPOINT: "true" },
    oidc: "https://oidc.us-east-1.api.aws",
    portal: stub,
  },
  {
    name: "a profile naming a missing [services] section is refused",
    region: "us-east-1",
    config: "[default]\nservices = nowhere\n",
    oidc: "error",
    portal: "error",
  },
];
