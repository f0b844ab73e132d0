// What whoami, repos, clone and completion share: which profile, which region, which endpoint, which
// credentials — resolved the way the AWS CLI resolves them for a normal (non-SSO) client.
import { profileNames, profileValues, selectProfileName, type AwsConfig } from "../core/aws-config";
import { didYouMean } from "../core/did-you-mean";
import { ConfigError, ProfileNotFoundError } from "../core/errors";
import type { AwsCredentials } from "../core/types";
import type { CaBundle, Context, Env } from "../platform/context";
import { withProfileCaBundle } from "../auth/profile-ca-bundle";
import { debugLog } from "../platform/debug-log";
import { awsConfigPath } from "../platform/paths";
import { loadAwsConfig } from "../store/aws-config-files";
import { chooseCommandProfile } from "./profile-choice";
import { terminalMfaCode } from "./mfa-prompt";

/** docs/protocols.md §1.2: `--region` > AWS_REGION > AWS_DEFAULT_REGION > the profile's `region`. */
export function commandRegion(flag: string | undefined, cfg: AwsConfig, profile: string, env: Env): string | undefined {
  return flag || env.AWS_REGION || env.AWS_DEFAULT_REGION || profileValues(cfg, profile)?.region || undefined;
}

export interface ApiTarget {
  cfg: AwsConfig;
  profile: string;
  /** True when the profile was named (flag or AWS_PROFILE/AWS_DEFAULT_PROFILE) or chosen for the person. */
  explicitProfile: boolean;
  /** `--profile X` to repeat in suggested commands: the flag, or the profile chosen for the person. */
  profileFlag?: string;
  region: string;
  endpoint: string;
  credentials: AwsCredentials;
  /** The profile's ca_bundle, for the API calls made with this target. */
  caBundle?: CaBundle;
}

export async function resolveApiTarget(
  ctx: Context,
  service: "sts" | "codecommit",
  opts: { profile?: string; region?: string; fallbackRegion?: string /** TAB completion: no notice, no picker */; quiet?: boolean },
): Promise<ApiTarget> {
  const cfg = loadAwsConfig(ctx.env);
  const chosen = await chooseCommandProfile(ctx, cfg, opts.profile, "credentials", { quiet: opts.quiet });
  const sel = selectProfileName(chosen.profileFlag, ctx.env);
  // A named profile that does not exist is that, not "no region" (unless environment keys serve, as
  // they do in the AWS CLI when only AWS_PROFILE names it).
  const envKeys = Boolean(ctx.env.AWS_ACCESS_KEY_ID && ctx.env.AWS_SECRET_ACCESS_KEY);
  if (sel.explicit && (sel.fromFlag || !envKeys) && !profileValues(cfg, sel.name)) {
    const names = profileNames(cfg);
    throw new ProfileNotFoundError(sel.name, names, didYouMean(sel.name, names));
  }
  const region = commandRegion(opts.region, cfg, sel.name, ctx.env) ?? opts.fallbackRegion;
  if (!region) {
    throw new ConfigError(
      `no AWS Region for profile ${sel.name}`,
      `pass --region (e.g. --region us-east-1) or add "region = …" to the profile in ${awsConfigPath(ctx.env)}`,
    );
  }
  const { resolveServiceEndpoint } = await import("../aws/endpoints");
  const endpoint = resolveServiceEndpoint(service, region, cfg, sel.explicit ? sel.name : undefined, ctx.env);
  debugLog(ctx, `${service === "sts" ? "STS" : "CodeCommit"} endpoint ${endpoint} (region ${region})`);
  const { resolveCredentials } = await import("../auth/credentials");
  const credentials = await resolveCredentials(ctx, { profile: chosen.profileFlag, config: cfg, mfaCode: terminalMfaCode(ctx) });
  const { caBundle } = withProfileCaBundle(ctx, cfg, sel.name);
  return {
    cfg,
    profile: sel.name,
    explicitProfile: sel.explicit,
    profileFlag: chosen.profileFlag,
    region,
    endpoint,
    credentials,
    caBundle,
  };
}
