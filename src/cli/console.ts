// `ccsso console`: the AWS console in the browser, signed in as a profile's role (docs/console.md) —
// what `aws-vault login` and `granted -c` do, for any profile ccsso's credential chain can serve.
import { UsageError } from "../core/errors";
import { consolePartition, consoleServiceUrl } from "../core/console-url";
import { sanitizeLine } from "../core/terminal-text";
import type { Context } from "../platform/context";
import { resolveApiTarget } from "./aws-target";
import type { awsConsole } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { deliverConsoleUrl, signedInConsoleUrl } from "./console-signin";

// The console has no Region-less home; without any configured Region the AWS CLI's default applies.
const FALLBACK_REGION = "us-east-1";

export async function run(opts: OptionsOf<typeof awsConsole>, _args: string[], ctx: Context): Promise<number> {
  if (opts.service !== undefined && opts.destination !== undefined)
    throw new UsageError("--service and --destination cannot be used together", "pass one of them");
  if (opts.service !== undefined && !/^[a-z0-9-]{1,64}$/.test(opts.service)) {
    throw new UsageError(
      `--service "${sanitizeLine(opts.service)}" is not a console service name`,
      "use the name in the console's address, e.g. --service s3 or --service codesuite",
    );
  }
  const target = await resolveApiTarget(ctx, "sts", { profile: opts.profile, region: opts.region, fallbackRegion: FALLBACK_REGION });
  if (!consolePartition(target.region))
    throw new UsageError(`ccsso cannot sign in to a console for region ${target.region}`, "use a commercial, China or GovCloud Region");
  let destination = consoleServiceUrl(target.region, opts.service);
  if (opts.destination !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(opts.destination);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== "https:")
      throw new UsageError(
        `--destination must be an https:// console URL`,
        "e.g. --destination https://us-east-1.console.aws.amazon.com/s3/home",
      );
    destination = url.href;
  }
  const who = target.credentials.source === "env" ? "the credentials in the environment" : `profile ${target.profile}`;
  const url = await signedInConsoleUrl(ctx, {
    region: target.region,
    destination,
    credentials: target.credentials,
    who,
    caBundle: target.caBundle,
    duration: opts.duration,
  });
  return deliverConsoleUrl(ctx, url, { print: opts.print, browser: opts.browser, what: `${who} (${target.region})` });
}
