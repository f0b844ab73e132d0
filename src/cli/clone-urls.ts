// The two ways to name a CodeCommit repository to git, as `repos` prints them and `clone` uses them.
import { useFipsEndpoint } from "../aws/endpoints";
import type { AwsConfig } from "../core/aws-config";
import { codeCommitGitHost } from "../core/codecommit-host";
import type { Env } from "../platform/context";

/** The git HTTPS host: CODE_COMMIT_ENDPOINT (git-remote-codecommit's override), else the regional (FIPS) host. */
export function gitHost(env: Env, target: { cfg: AwsConfig; profile: string; region: string }): string {
  const endpoint = env.CODE_COMMIT_ENDPOINT?.trim();
  if (endpoint) return endpoint;
  return codeCommitGitHost(target.region, { fips: useFipsEndpoint(target.cfg, target.profile, env) });
}

export function cloneUrls(
  env: Env,
  target: { cfg: AwsConfig; profile: string; explicitProfile: boolean; region: string },
  repository: string,
): { https: string; codecommit: string } {
  // The profile goes into the codecommit:// URL only when one was chosen: the URL then works the same
  // from any shell, whatever AWS_PROFILE says there.
  const who = target.explicitProfile ? `${target.profile}@` : "";
  return {
    https: `https://${gitHost(env, target)}/v1/repos/${repository}`,
    codecommit: `codecommit::${target.region}://${who}${repository}`,
  };
}
