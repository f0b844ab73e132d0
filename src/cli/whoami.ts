// `ccsso whoami`: STS GetCallerIdentity with the profile's credentials — the quickest proof that a
// profile, its session and its role work. `--json` uses the AWS CLI's keys (Account, Arn, UserId).
import { getCallerIdentity } from "../aws/sts";
import type { Context } from "../platform/context";
import type { whoami } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { styleFor } from "../platform/terminal";
import { resolveApiTarget } from "./aws-target";
import { formatRelative, isoSeconds } from "./time-text";
import { sanitizeLine } from "../core/terminal-text";
import { withCaBundleFlag } from "../auth/profile-ca-bundle";

// STS exists in every region; without any configured region the AWS CLI's own default is us-east-1.
const FALLBACK_REGION = "us-east-1";

export async function run(opts: OptionsOf<typeof whoami>, _args: string[], outer: Context): Promise<number> {
  const ctx = withCaBundleFlag(outer, opts.caBundle);
  const target = await resolveApiTarget(ctx, "sts", { profile: opts.profile, fallbackRegion: FALLBACK_REGION });
  const id = await getCallerIdentity(ctx, {
    region: target.region,
    endpoint: target.endpoint,
    credentials: target.credentials,
    caBundle: target.caBundle,
  });
  const expiration = target.credentials.expiration?.getTime();
  if (opts.json) {
    const out = {
      Account: id.account,
      Arn: id.arn,
      UserId: id.userId,
      Profile: target.credentials.source === "env" ? null : target.profile,
      Region: target.region,
      CredentialSource: target.credentials.source,
      ...(expiration !== undefined ? { Expiration: isoSeconds(expiration) } : {}),
    };
    ctx.stdout.write(JSON.stringify(out, null, 2) + "\n");
    return 0;
  }
  const s = styleFor(ctx.stdout, ctx.env);
  const source = target.credentials.source === "env" ? "environment variables" : `profile ${sanitizeLine(target.profile)}`;
  const lines = [
    // STS's answer and the config's region are not ours: printed through the output policy.
    `${s.bold("Account")}  ${sanitizeLine(id.account)}`,
    `${s.bold("Arn")}      ${sanitizeLine(id.arn)}`,
    `${s.bold("UserId")}   ${sanitizeLine(id.userId)}`,
    // An assumed role says which role and where its credentials came from (names from the config).
    `${s.bold("Source")}   ${source} (${target.credentials.description ? sanitizeLine(target.credentials.description) : describeSource(target.credentials.source)}), region ${sanitizeLine(target.region)}`,
  ];
  if (expiration !== undefined) lines.push(`${s.bold("Expires")}  ${formatRelative(expiration, ctx.now())} (${isoSeconds(expiration)})`);
  ctx.stdout.write(lines.join("\n") + "\n");
  return 0;
}

function describeSource(source: string): string {
  return (
    {
      env: "AWS_ACCESS_KEY_ID",
      sso: "IAM Identity Center role",
      static: "access keys",
      process: "credential_process",
      container: "container endpoint",
      login: "aws login session",
    }[source] ?? source
  );
}
