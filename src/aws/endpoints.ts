// Where ccsso sends each AWS call: the endpoint rule sets of sso-oidc, sso, sts and codecommit
// (botocore data/*/endpoint-rule-set-1.json, partitions.json) and the configured-endpoint lookup of
// botocore's ConfiguredEndpointProvider (docs/protocols.md §1.5). Pure: config and env in, URLs out.
import { profileValues, type AwsConfig } from "../core/aws-config";
import { ConfigError } from "../core/errors";
import { partitionOf, regionProblem } from "../core/regions";
import type { Env } from "../platform/context";

/** The service ids ccsso talks to, with botocore's snake-case id (env var suffix and `[services]` key). */
const serviceIds = {
  "SSO OIDC": { snake: "sso_oidc", prefix: "oidc", fipsPrefix: "oidc-fips" },
  SSO: { snake: "sso", prefix: "portal.sso", fipsPrefix: "portal.sso-fips" },
  STS: { snake: "sts", prefix: "sts", fipsPrefix: "sts-fips" },
  CodeCommit: { snake: "codecommit", prefix: "codecommit", fipsPrefix: "codecommit-fips" },
  // Only its configured endpoint is read through here; the default host is signinEndpoint's.
  Signin: { snake: "signin", prefix: "signin", fipsPrefix: "signin-fips" },
} as const;
export type ServiceId = keyof typeof serviceIds;

/** The partition name of a region: `aws`, `aws-cn`, `aws-us-gov`, `aws-eusc`, `aws-iso*`. */
export function partitionName(region: string): string {
  return partitionOf(region).name;
}

/** The DNS suffix of a region's partition: `amazonaws.com`, `amazonaws.com.cn`, `amazonaws.eu`, … */
export function partitionDnsSuffix(region: string): string {
  return partitionOf(region).dnsSuffix;
}

/** Where a configured endpoint came from, for `doctor` and error messages. */
export type EndpointSource =
  | { kind: "env"; name: string }
  | { kind: "services"; section: string; service: string }
  | { kind: "profile"; profile: string }
  | { kind: "default" };

export interface ResolvedEndpoint {
  url: string;
  source: EndpointSource;
}

/** botocore ensure_boolean: a string is true only when it is "true", case-insensitive. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === "true";
}

/**
 * Whether FIPS endpoints are asked for: AWS_USE_FIPS_ENDPOINT, else the profile's use_fips_endpoint.
 * The one reading of that switch, for the API endpoints here and the CodeCommit git host
 * (src/cli/clone-urls.ts gitHost).
 */
export function useFipsEndpoint(cfg: AwsConfig, profile: string | undefined, env: Env): boolean {
  return isTrue(setting(env, scopedConfig(cfg, profile), "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"));
}

function scopedConfig(cfg: AwsConfig, profile: string | undefined): Record<string, string> {
  // botocore reads the session's profile; with none selected that is `default` (Session.get_scoped_config).
  return profileValues(cfg, profile ?? "default") ?? {};
}

/** An env var, else the profile key (botocore ConfigValueStore: env first, then config file). */
function setting(env: Env, scoped: Record<string, string>, envName: string, configKey: string): string | undefined {
  const fromEnv = env[envName];
  // A set-but-empty variable still wins, as in botocore (EnvironmentProvider returns "", which is false).
  if (fromEnv !== undefined) return fromEnv;
  return scoped[configKey];
}

function checkUrl(url: string, from: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`endpoint URL "${url}" from ${from} is not a valid URL`, `set ${from} to a URL such as https://host:port`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new ConfigError(`endpoint URL "${url}" from ${from} must start with https:// or http://`, `fix ${from}`);
  }
  return url.replace(/\/+$/, "");
}

function describeSource(s: EndpointSource): string {
  switch (s.kind) {
    case "env":
      return s.name;
    case "services":
      return `[services ${s.section}] ${s.service} endpoint_url`;
    case "profile":
      return `endpoint_url in profile ${s.profile}`;
    case "default":
      return "the default endpoint";
  }
}

/**
 * botocore ConfiguredEndpointProvider, in its order: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`,
 * the profile's `services` → `[services X]` → `<service> endpoint_url`, the profile's `endpoint_url`.
 * All skipped when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` / `ignore_configured_endpoint_urls` is true.
 */
export function configuredEndpoint(
  serviceId: ServiceId,
  cfg: AwsConfig,
  profile: string | undefined,
  env: Env,
): ResolvedEndpoint | undefined {
  const scoped = scopedConfig(cfg, profile);
  if (isTrue(setting(env, scoped, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls"))) return undefined;
  const { snake } = serviceIds[serviceId];
  const serviceVar = `AWS_ENDPOINT_URL_${snake.toUpperCase()}`;
  for (const name of [serviceVar, "AWS_ENDPOINT_URL"]) {
    const v = env[name];
    if (v) return { url: checkUrl(v, name), source: { kind: "env", name } };
  }
  const sectionName = scoped.services;
  if (sectionName) {
    const section = cfg.services.get(sectionName);
    if (!section) {
      // botocore raises InvalidConfigError with this text.
      throw new ConfigError(
        `The profile is configured to use the services section but the "${sectionName}" services configuration does not exist.`,
        `add a [services ${sectionName}] section to the AWS config or remove "services = ${sectionName}" from profile ${profile ?? "default"}`,
      );
    }
    const v = section[snake]?.endpoint_url;
    if (v) {
      const source: EndpointSource = { kind: "services", section: sectionName, service: snake };
      return { url: checkUrl(v, describeSource(source)), source };
    }
  }
  if (scoped.endpoint_url) {
    const source: EndpointSource = { kind: "profile", profile: profile ?? "default" };
    return { url: checkUrl(scoped.endpoint_url, describeSource(source)), source };
  }
  return undefined;
}

/**
 * The endpoint of one service in one region: a configured endpoint (above) or the rule set's host,
 * with FIPS (`AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint`) and dual-stack
 * (`AWS_USE_DUALSTACK_ENDPOINT` / `use_dualstack_endpoint`) applied as the rule sets do.
 */
export function resolveEndpoint(
  serviceId: ServiceId,
  region: string,
  cfg: AwsConfig,
  profile: string | undefined,
  env: Env,
): ResolvedEndpoint {
  const scoped = scopedConfig(cfg, profile);
  const fips = useFipsEndpoint(cfg, profile, env);
  const dualStack = isTrue(setting(env, scoped, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"));
  const custom = configuredEndpoint(serviceId, cfg, profile, env);
  if (custom) {
    // As the AWS CLI ≥ 2.13 does (docs/protocols.md §1.5). botocore (args.py) drops FIPS and dual-stack when an
    // endpoint URL is configured, so the configured endpoint wins silently. (The JS SDK's rule set refuses
    // the combination instead; we follow the AWS CLI, whose files and behaviour users already rely on.)
    return custom;
  }
  if (region === "")
    throw new ConfigError("no AWS region is configured for this call", "set sso_region in the sso-session (or region in the profile)");
  // Only a Region-shaped name becomes part of a host; one no partition lists yet is fine (the AWS CLI
  // resolves it too), so this checks the shape only.
  const why = regionProblem(region, { allowUnknown: true });
  if (why) throw new ConfigError(why, "set sso_region (or region) to a Region such as us-east-1");
  const p = partitionOf(region);
  const { prefix, fipsPrefix } = serviceIds[serviceId];
  let host: string;
  if (fips && dualStack) host = `${fipsPrefix}.${region}.${p.dualStackDnsSuffix}`;
  // GovCloud endpoints are FIPS already: the rule sets keep the normal host there (CodeCommit excepted).
  else if (fips)
    host =
      p.name === "aws-us-gov" && serviceId !== "CodeCommit"
        ? `${prefix}.${region}.amazonaws.com`
        : `${fipsPrefix}.${region}.${p.dnsSuffix}`;
  else if (dualStack) host = `${prefix}.${region}.${p.dualStackDnsSuffix}`;
  else host = `${prefix}.${region}.${p.dnsSuffix}`;
  return { url: `https://${host}`, source: { kind: "default" } };
}

/** The IAM Identity Center OIDC and portal endpoints for an SSO region (docs/architecture.md §10 "AWS calls"). */
export function resolveSsoEndpoints(
  cfg: AwsConfig,
  profile: string | undefined,
  region: string,
  env: Env,
): { oidc: string; portal: string } {
  return {
    oidc: resolveEndpoint("SSO OIDC", region, cfg, profile, env).url,
    portal: resolveEndpoint("SSO", region, cfg, profile, env).url,
  };
}

/** STS (GetCallerIdentity) and the CodeCommit API, for aws4fetch calls; regional STS (botocore's default since 1.36). */
export function resolveServiceEndpoint(
  service: "sts" | "codecommit",
  region: string,
  cfg: AwsConfig,
  profile: string | undefined,
  env: Env,
): string {
  return resolveEndpoint(service === "sts" ? "STS" : "CodeCommit", region, cfg, profile, env).url;
}

// botocore args.py LEGACY_GLOBAL_STS_REGIONS: with sts_regional_endpoints = legacy these Regions still
// use the global endpoint.
const legacyGlobalStsRegions = new Set([
  "ap-northeast-1",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "aws-global",
  "ca-central-1",
  "eu-central-1",
  "eu-north-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
]);

/**
 * Where the assume-role provider sends AssumeRole (docs/protocols.md §3.10): botocore creates that STS
 * client in the region of the profile being resolved (AWS_REGION, AWS_DEFAULT_REGION, the profile's
 * `region` — never the source profile's), with that profile's configured endpoint. No region at all is
 * the global endpoint signed for us-east-1, as is a legacy-global Region under `sts_regional_endpoints = legacy`.
 */
export function resolveAssumeRoleEndpoint(cfg: AwsConfig, profile: string, env: Env): { url: string; region: string } {
  const scoped = scopedConfig(cfg, profile);
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || scoped.region || "";
  const custom = configuredEndpoint("STS", cfg, profile, env);
  if (custom) return { url: custom.url, region: region || "us-east-1" };
  const mode = (setting(env, scoped, "AWS_STS_REGIONAL_ENDPOINTS", "sts_regional_endpoints") || "regional").trim().toLowerCase();
  if (mode !== "regional" && mode !== "legacy") {
    throw new ConfigError(
      `sts_regional_endpoints "${mode}" is not valid`,
      'set sts_regional_endpoints (or AWS_STS_REGIONAL_ENDPOINTS) to "regional" or "legacy"',
    );
  }
  const fipsOrDualStack =
    useFipsEndpoint(cfg, profile, env) || isTrue(setting(env, scoped, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"));
  if (region === "" || region === "aws-global" || (mode === "legacy" && !fipsOrDualStack && legacyGlobalStsRegions.has(region))) {
    return { url: "https://sts.amazonaws.com", region: "us-east-1" };
  }
  return { url: resolveEndpoint("STS", region, cfg, profile, env).url, region };
}

/**
 * AWS Sign-In, for renewing `aws login` sessions (docs/protocols.md §3.11): a configured endpoint
 * (AWS_ENDPOINT_URL_SIGNIN, `[services]`…) or the partition's host, in the Region botocore's session
 * has — AWS_REGION, AWS_DEFAULT_REGION, else the profile's `region`.
 */
export function signinEndpoint(
  cfg: AwsConfig,
  profile: string,
  env: Env,
  host: (region: string, partition: string, dnsSuffix: string) => string,
): string {
  const custom = configuredEndpoint("Signin", cfg, profile, env);
  if (custom) return custom.url;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || scopedConfig(cfg, profile).region || "";
  if (region === "")
    throw new ConfigError(
      `profile ${profile} uses an aws login session but has no region`,
      `set region in profile ${profile} (aws login writes it)`,
    );
  const why = regionProblem(region, { allowUnknown: true });
  if (why) throw new ConfigError(why, `set region in profile ${profile} to a Region such as us-east-1`);
  const p = partitionOf(region);
  return `https://${host(region, p.name, p.dnsSuffix)}`;
}
