// `ccsso sso logout [--profile P | --sso-session S | --all]` (docs/protocols.md §3.7). Default: the selected
// session only — the AWS CLI can only sign out of everything, which is what --all does.
import { UsageError } from "../core/errors";
import { resolveSsoLogin } from "../core/aws-config";
import type { Context } from "../platform/context";
import type { ssoLogout } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { loadAwsConfig } from "../store/aws-config-files";
import { logoutAll, logoutSession } from "../auth/logout";
import { chooseCommandProfile } from "./profile-choice";
import { sanitizeLine } from "../core/terminal-text";

export async function run(opts: OptionsOf<typeof ssoLogout>, _args: string[], ctx: Context): Promise<number> {
  const cfg = loadAwsConfig(ctx.env);
  const ssoSession = opts.ssoSession;
  const profileFlag = opts.profile;
  if (opts.all) {
    if (ssoSession || profileFlag)
      throw new UsageError(
        "--all signs out of every session; it cannot be combined with --profile or --sso-session",
        "run: ccsso sso logout --all",
      );
    const r = await logoutAll(ctx, cfg);
    ctx.stdout.write(
      `Signed out of ${r.tokens} SSO session${r.tokens === 1 ? "" : "s"}; removed ${r.removedCredentials} cached role credential${r.removedCredentials === 1 ? "" : "s"}.\n`,
    );
    return 0;
  }
  const chosen = ssoSession ? undefined : await chooseCommandProfile(ctx, cfg, profileFlag, "session");
  const session = ssoSession ?? chosen?.ssoSession;
  const login = resolveSsoLogin(cfg, session ? { ssoSession: session } : { profile: chosen!.name });
  const r = await logoutSession(ctx, cfg, login, { profile: session ? undefined : chosen!.name });
  const what = sanitizeLine(login.kind === "session" ? `SSO session ${login.sessionName}` : `start URL ${login.startUrl}`);
  ctx.stdout.write(
    r.hadToken
      ? `Signed out of ${what}; removed ${r.removedCredentials} cached role credential${r.removedCredentials === 1 ? "" : "s"}.\n`
      : `No cached sign-in for ${what}; removed ${r.removedCredentials} cached role credential${r.removedCredentials === 1 ? "" : "s"}.\n`,
  );
  return 0;
}
