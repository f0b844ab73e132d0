// `ccsso export-credentials`: the same output as `aws configure export-credentials` (docs/protocols.md §3.8), so it
// drops into `credential_process = ccsso export-credentials --profile P` and `eval "$(…--format env)"`.
import { selectProfileName } from "../core/aws-config";
import { formatExportedCredentials, isExportFormat, nextProfileChain, PROFILE_CHAIN_VAR, EXPORT_FORMATS } from "../core/credential-export";
import { CcssoError, UsageError } from "../core/errors";
import type { Context } from "../platform/context";
import type { exportCredentials } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { loadAwsConfig } from "../store/aws-config-files";
import { chooseCommandProfile } from "./profile-choice";
import { terminalMfaCode } from "./mfa-prompt";
import { withCaBundleFlag } from "../auth/profile-ca-bundle";

export async function run(opts: OptionsOf<typeof exportCredentials>, _args: string[], outer: Context): Promise<number> {
  const ctx = withCaBundleFlag(outer, opts.caBundle);
  const format = opts.format;
  if (!isExportFormat(format)) {
    throw new UsageError(`unknown --format "${format}"`, `use one of: ${EXPORT_FORMATS.join(", ")}`);
  }
  const cfg = loadAwsConfig(ctx.env);
  const profile = (await chooseCommandProfile(ctx, cfg, opts.profile, "credentials")).profileFlag;
  // The CLI's recursion barrier: checked and extended before resolving, and passed on through the
  // environment to any credential_process that resolution runs.
  ctx.env[PROFILE_CHAIN_VAR] = nextProfileChain(ctx.env[PROFILE_CHAIN_VAR], selectProfileName(profile, ctx.env).name);
  const { resolveCredentials } = await import("../auth/credentials");
  let creds;
  try {
    creds = await resolveCredentials(ctx, { profile, config: cfg, mfaCode: terminalMfaCode(ctx) });
  } catch (e) {
    // "Unable to retrieve credentials: <why>", as the CLI says it, keeping the error's kind (and exit code).
    if (e instanceof CcssoError) {
      e.message = `Unable to retrieve credentials: ${e.message}`;
      throw e;
    }
    throw e;
  }
  ctx.stdout.write(formatExportedCredentials(creds, format));
  return 0;
}
