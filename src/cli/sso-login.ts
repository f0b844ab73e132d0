// `ccsso sso login [--profile P | --sso-session S] [--use-device-code] [--no-browser]`
// (docs/protocols.md §3.2–3.4). Instructions go to stderr; only the success line goes to stdout.
import { resolveSsoLogin, selectProfileName } from "../core/aws-config";
import type { Context } from "../platform/context";
import type { ssoLogin } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { loadAwsConfig } from "../store/aws-config-files";
import { loginSso } from "../auth/login";

export async function run(opts: OptionsOf<typeof ssoLogin>, _args: string[], ctx: Context): Promise<number> {
  const cfg = loadAwsConfig(ctx.env);
  const ssoSession = opts.ssoSession;
  const sel = selectProfileName(opts.profile, ctx.env);
  const login = resolveSsoLogin(cfg, ssoSession ? { ssoSession } : { profile: sel.name });
  await loginSso(ctx, cfg, login, {
    deviceCode: opts.useDeviceCode,
    browser: opts.browser,
    // Messages name what the user typed: the session when given, else the profile.
    profile: ssoSession ? undefined : sel.name,
  });
  ctx.stdout.write(`Successfully logged into Start URL: ${login.startUrl}\n`);
  return 0;
}
