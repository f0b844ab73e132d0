// Profiles that assume an IAM role (`role_arn` with `source_profile` or `credential_source`), read the
// way botocore's AssumeRoleProvider reads them (docs/protocols.md §3.10): which profile or source gives
// the first credentials, which roles are assumed on top of them in order, and the loops it refuses.
// Pure: the config in, a plan out; nothing is fetched here.
import { profileValues, type AwsConfig } from "./aws-config";
import { ConfigError } from "./errors";

/** The arguments of one STS AssumeRole call, as botocore passes them (and hashes them for the cache). */
export interface AssumeRoleArgs {
  RoleArn: string;
  RoleSessionName?: string;
  ExternalId?: string;
  SerialNumber?: string;
  DurationSeconds?: number;
}

export interface RoleStep {
  /** The profile holding `role_arn`. */
  profile: string;
  args: AssumeRoleArgs;
}

/** Where the credentials at the bottom of a chain come from. */
export type ChainSource =
  | { kind: "profile"; profile: string }
  | { kind: "environment" }
  | { kind: "unsupported"; credentialSource: string };

export interface RoleChain {
  source: ChainSource;
  /** Roles in the order they are assumed: steps[0] is assumed with the source's credentials. */
  steps: RoleStep[];
}

/** `arn:aws:iam::222222222222:role/path/GitAccess` → { account, name }; undefined when not a role ARN. */
export function parseRoleArn(arn: string): { account: string; name: string } | undefined {
  const m = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? { account: m[1]!, name: m[2]! } : undefined;
}

/** "role GitAccess in 222222222222", or the ARN as written when it is not a role ARN. */
export function describeRole(arn: string): string {
  const role = parseRoleArn(arn);
  return role ? `role ${role.name} in ${role.account}` : `role ${arn}`;
}

/** botocore: a profile assumes a role when it has role_arn and no web_identity_token_file. */
export function assumesRole(values: Record<string, string> | undefined): boolean {
  return values?.role_arn !== undefined && values.web_identity_token_file === undefined;
}

function hasStaticKeys(values: Record<string, string>): boolean {
  return values.aws_access_key_id !== undefined || values.aws_secret_access_key !== undefined;
}

/** The canonical names botocore's CanonicalNameCredentialSourcer accepts for credential_source. */
const credentialSources = ["Environment", "EcsContainer", "Ec2InstanceMetadata"];

function stepOf(profile: string, values: Record<string, string>): RoleStep {
  const args: AssumeRoleArgs = { RoleArn: values.role_arn! };
  // botocore passes each key that is present, even empty; duration_seconds only when it is an integer.
  if (values.role_session_name !== undefined) args.RoleSessionName = values.role_session_name;
  if (values.external_id !== undefined) args.ExternalId = values.external_id;
  if (values.mfa_serial !== undefined) args.SerialNumber = values.mfa_serial;
  const duration = values.duration_seconds;
  if (duration !== undefined && /^\s*[+-]?\d+\s*$/.test(duration)) args.DurationSeconds = Number.parseInt(duration, 10);
  return { profile, args };
}

/**
 * The chain for a profile that assumes a role (assumesRole(values) is true). Follows source_profile
 * while the source itself assumes a role and has no access keys of its own; a profile visited twice is a
 * loop, except a profile naming itself when it holds access keys (botocore allows that one).
 */
export function resolveRoleChain(cfg: AwsConfig, profile: string): RoleChain {
  const visited = [profile];
  const steps: RoleStep[] = [];
  let name = profile;
  for (;;) {
    const values = profileValues(cfg, name)!;
    const sourceProfile = values.source_profile;
    const credentialSource = values.credential_source;
    steps.unshift(stepOf(name, values));
    if (sourceProfile !== undefined && credentialSource !== undefined) {
      throw new ConfigError(`profile ${name} has both source_profile and credential_source`, `keep one of them in profile ${name}`);
    }
    if (credentialSource !== undefined) {
      if (!credentialSources.includes(credentialSource)) {
        throw new ConfigError(
          `profile ${name}: credential_source "${credentialSource}" is not valid`,
          `use one of ${credentialSources.join(", ")}`,
        );
      }
      return { source: credentialSource === "Environment" ? { kind: "environment" } : { kind: "unsupported", credentialSource }, steps };
    }
    if (sourceProfile === undefined) {
      throw new ConfigError(
        `profile ${name} has role_arn but neither source_profile nor credential_source`,
        `add "source_profile = <profile with credentials>" to profile ${name}`,
      );
    }
    const source = profileValues(cfg, sourceProfile);
    if (!source)
      throw new ConfigError(
        `profile ${name}: source_profile "${sourceProfile}" does not exist`,
        `fix source_profile in profile ${name}, or add profile ${sourceProfile}`,
      );
    if (visited.includes(sourceProfile) && (sourceProfile !== name || !hasStaticKeys(source))) {
      throw new ConfigError(
        `profile ${profile}: source_profile loop ${[...visited, sourceProfile].join(" → ")}`,
        `make one profile in the chain take its credentials from SSO, access keys or credential_source`,
      );
    }
    visited.push(sourceProfile);
    // Access keys in the source end the chain (a profile naming itself uses its keys); so does a source
    // without role_arn (SSO, credential_process…). Otherwise the source is the next role down.
    if (hasStaticKeys(source) || !assumesRole(source)) return { source: { kind: "profile", profile: sourceProfile }, steps };
    name = sourceProfile;
  }
}
