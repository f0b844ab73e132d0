// `ccsso use [PROFILE] [--export] [--clear]`: switch the shell this runs in to a profile, signing in
// first only when the session needs it. A program cannot change its parent shell's environment, so the
// work is split: this command does everything (pick, sign in, fetch credentials) and prints statements
// for that shell on stdout; the `ccsso` function from `ccsso shell-init` evaluates them, and only when
// this exits 0. Everything meant for the person (the sign-in URL, the picker, the one-line summary)
// goes to stderr or the terminal, because stdout is being captured for evaluation.
import { chooseProfile, profileNames, profileValues, resolveSsoLogin, resolveSsoProfile, type AwsConfig } from "../core/aws-config";
import { pythonIsoformatUtc } from "../core/credential-export";
import { ProfileNotFoundError, UsageError } from "../core/errors";
import { isShellName, setVariable, unsetVariables } from "../core/shell-syntax";
import { sanitizeLine } from "../core/terminal-text";
import type { SsoLogin } from "../core/types";
import type { Context } from "../platform/context";
import { loadAwsConfig } from "../store/aws-config-files";
import type { use } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { guessShell, shellInitLine } from "./shell-init";
import { signInIfNeeded } from "./sso-login";
import { signInFlags } from "./sign-in-flags";
import { terminalMfaCode } from "./mfa-prompt";

export interface UseDeps {
  /** Choose one of `labels` (index); the arrow-key picker on the terminal by default. */
  pick?: (labels: string[]) => Promise<number>;
}

/** Left in the environment by an earlier `use --export` or by hand, they would outrank AWS_PROFILE. */
export const STALE_CREDENTIAL_VARIABLES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION"];

export async function run(opts: OptionsOf<typeof use>, args: string[], ctx: Context, deps: UseDeps = {}): Promise<number> {
  const shell = opts.shell ?? ctx.env.CCSSO_SHELL;
  if (!isShellName(shell)) {
    if (shell !== undefined && shell !== "")
      throw new UsageError(`unknown shell "${shell}": choose bash, zsh, fish or powershell`, "run: ccsso help use");
    throw new UsageError(
      "ccsso use changes the shell it runs in, so it runs through the ccsso shell function",
      `install it with: ${shellInitLine(guessShell(ctx.env))} — then open a new shell`,
    );
  }
  if (opts.clear) {
    if (args.length > 0 || opts.export) throw new UsageError("--clear takes no profile and no --export", "run: ccsso use --clear");
    ctx.stdout.write(unsetVariables(shell, ["AWS_PROFILE", ...STALE_CREDENTIAL_VARIABLES]) + "\n");
    ctx.stderr.write("ccsso: AWS_PROFILE and AWS credentials cleared from this shell.\n");
    return 0;
  }
  if (args.length > 1) throw new UsageError("ccsso use takes one profile name", "run: ccsso use PROFILE");
  const cfg = loadAwsConfig(ctx.env);
  const profile = args[0] ?? (await chooseProfileToUse(ctx, cfg, deps));
  if (!profileValues(cfg, profile)) throw new ProfileNotFoundError(profile, profileNames(cfg));

  const login = ssoLoginOf(cfg, profile);
  if (login) await signInIfNeeded(ctx, cfg, login, { profile, ...signInFlags(opts), browser: opts.browser }, ctx.stderr);

  const statements = [unsetVariables(shell, STALE_CREDENTIAL_VARIABLES), setVariable(shell, "AWS_PROFILE", profile)];
  if (opts.export) {
    const { resolveCredentials } = await import("../auth/credentials");
    const creds = await resolveCredentials(ctx, { profile, mfaCode: terminalMfaCode(ctx) });
    statements.push(
      setVariable(shell, "AWS_ACCESS_KEY_ID", creds.accessKeyId),
      setVariable(shell, "AWS_SECRET_ACCESS_KEY", creds.secretAccessKey),
    );
    if (creds.sessionToken !== undefined) statements.push(setVariable(shell, "AWS_SESSION_TOKEN", creds.sessionToken));
    if (creds.expiration) statements.push(setVariable(shell, "AWS_CREDENTIAL_EXPIRATION", pythonIsoformatUtc(creds.expiration)));
  }
  ctx.stdout.write(statements.join("\n") + "\n");
  ctx.stderr.write(
    `ccsso: this shell now uses profile ${sanitizeLine(profile)}${opts.export ? " (its role credentials are in the environment)" : ""}.\n`,
  );
  return 0;
}

/** The SSO session behind a profile: its role's (sso_account_id + sso_role_name), or a session-only profile's. */
function ssoLoginOf(cfg: ReturnType<typeof loadAwsConfig>, profile: string): SsoLogin | undefined {
  const sso = resolveSsoProfile(cfg, profile);
  if (sso) return sso.login;
  const v = profileValues(cfg, profile)!;
  return v.sso_session || v.sso_start_url ? resolveSsoLogin(cfg, { profile }) : undefined;
}

async function chooseProfileToUse(ctx: Context, cfg: AwsConfig, deps: UseDeps): Promise<string> {
  const names = profileNames(cfg);
  if (names.length === 0) throw new UsageError("there are no profiles in the AWS config to choose from", "run: ccsso configure sso");
  // The project's default-profile rule, asked as if this shell had no profile yet (the current one is
  // what is being changed): with a single SSO profile configured there is nothing to choose.
  const rule = chooseProfile(cfg, undefined, {}, "credentials");
  if (rule.rule === "only SSO profile") {
    ctx.stderr.write(`ccsso: using profile ${sanitizeLine(rule.name)}, the only SSO profile\n`);
    return rule.name;
  }
  const current = ctx.env.AWS_PROFILE;
  // Names come from a file: shown through the output policy, so a name cannot draw on the terminal.
  const labels = names.map((n) => `${sanitizeLine(n)}${n === current ? "  (current)" : ""}`);
  const pick = deps.pick ?? terminalPicker(ctx);
  // The menu alone does not say what choosing does (the wizard's pickers have their "There are…" line).
  ctx.stderr.write(`Choose the profile for this shell (AWS_PROFILE), ${names.length} in the AWS config:\n`);
  return names[await pick(labels)]!;
}

function terminalPicker(ctx: Context): (labels: string[]) => Promise<number> {
  return async (labels) => {
    // Keys come from stdin (not captured by the shell function); the menu is drawn on stderr or /dev/tty.
    if (!process.stdin.isTTY)
      throw new UsageError("no profile named and no terminal to choose one on", "run: ccsso use PROFILE (see: ccsso sso status)");
    const { pickFromList } = await import("../platform/picker");
    return pickFromList(labels, { color: !ctx.env.NO_COLOR });
  };
}
