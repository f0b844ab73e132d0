// `ccsso sso login [--profile P | --sso-session S] [--use-device-code] [--no-browser]`
// (docs/protocols.md §3.2–3.4). Instructions go to stderr; only the success line goes to stdout.
import { resolveSsoLogin, selectProfileName } from "../core/aws-config";
import type { Context } from "../platform/context";
import { loadAwsConfig } from "../store/aws-config-files";
import { loginSso } from "../auth/login";

export async function run(opts: Record<string, unknown>, _args: string[], ctx: Context): Promise<number> {
  const cfg = loadAwsConfig(ctx.env);
  const ssoSession = typeof opts.ssoSession === "string" ? opts.ssoSession : undefined;
  const sel = selectProfileName(typeof opts.profile === "string" ? opts.profile : undefined, ctx.env);
  const login = resolveSsoLogin(cfg, ssoSession ? { ssoSession } : { profile: sel.name });
  await loginSso(ctx, cfg, login, {
    deviceCode: Boolean(opts.useDeviceCode),
    browser: opts.browser !== false,
    // Messages name what the user typed: the session when given, else the profile.
    profile: ssoSession ? undefined : sel.name,
  });
  ctx.stdout.write(`Successfully logged into Start URL: ${login.startUrl}\n`);
  return 0;
}
