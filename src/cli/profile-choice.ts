// The commands' side of chooseProfile (src/core/aws-config.ts): say in one line when the configuration
// itself chose the profile, and when several could serve either offer the picker (a person at a
// terminal) or stop with the list and the flag (a script). The git helpers never come here: they apply
// only what is configured, silently (src/auth/credentials.ts, src/cli/remote-helper.ts).
import { chooseProfile, describeProfileChoice, profileNotChosenError, type AwsConfig, type ProfileChoice } from "../core/aws-config";
import { InterruptedError } from "../core/errors";
import type { Context } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { shellQuote } from "../core/shell-quote";

export interface CommandProfile {
  /** The profile the command works with (`default` when nothing decided, as before). */
  name: string;
  /**
   * What to pass on as if it had been given with --profile: the flag itself, or the profile the
   * configuration or the picker chose. Undefined when AWS_PROFILE, a [default] profile or environment
   * keys decide, so those keep working exactly as they do in the AWS CLI.
   */
  profileFlag?: string;
  /** The sso-session to sign in to when the only one decided (session commands). */
  ssoSession?: string;
  choice: ProfileChoice;
}

export interface ChooseOptions {
  /** Offer a picker when several could serve; default: stdin and stderr are terminals. */
  interactive?: boolean;
  /** No notice line and no picker: for callers that must not touch the terminal (TAB completion). */
  quiet?: boolean;
  /** The picker (tests pass their own); resolves with an index into the names. */
  pick?: (names: readonly string[]) => Promise<number>;
}

export async function chooseCommandProfile(
  ctx: Context,
  cfg: AwsConfig,
  flag: string | undefined,
  purpose: "credentials" | "session",
  opts: ChooseOptions = {},
): Promise<CommandProfile> {
  const choice = chooseProfile(cfg, flag, ctx.env, purpose);
  debugLog(ctx, `profile: ${describeProfileChoice(choice)}`);
  if (choice.rule === "only SSO profile") {
    if (!opts.quiet)
      ctx.stderr.write(`ccsso: using profile ${choice.name}, the only SSO profile (no --profile, AWS_PROFILE or [default] profile)\n`);
    return { name: choice.name, profileFlag: choice.name, choice };
  }
  if (choice.rule === "only SSO session") {
    if (!opts.quiet)
      ctx.stderr.write(
        `ccsso: using SSO session ${choice.ssoSession}, the only one configured (no --profile, AWS_PROFILE or [default] profile)\n`,
      );
    return { name: choice.name, ssoSession: choice.ssoSession, choice };
  }
  if (choice.rule === "several candidates") {
    const interactive = !opts.quiet && (opts.interactive ?? (Boolean(process.stdin.isTTY) && ctx.stderr.isTTY));
    if (!interactive) throw profileNotChosenError(choice);
    const { flag: which, names } = choice.candidates!;
    const what = which === "--profile" ? "profile" : "SSO session";
    ctx.stderr.write(`ccsso: no default profile; choose the ${what} to use (next time pass ${which}):\n`);
    const pick =
      opts.pick ??
      (async (items: readonly string[]) => {
        const { pickFromList } = await import("../platform/picker");
        return pickFromList(items, { color: !ctx.env.NO_COLOR });
      });
    let index: number;
    try {
      index = await pick(names);
    } catch (e) {
      if (e instanceof InterruptedError) throw new InterruptedError("interrupted: no profile chosen; nothing was written");
      throw e;
    }
    const picked = names[index]!;
    ctx.stderr.write(
      which === "--profile"
        ? `ccsso: using profile ${picked} (to skip this question: --profile ${shellQuote(picked)}, or export AWS_PROFILE=${shellQuote(picked)})\n`
        : `ccsso: using SSO session ${picked} (to skip this question: --sso-session ${shellQuote(picked)})\n`,
    );
    return which === "--profile" ? { name: picked, profileFlag: picked, choice } : { name: choice.name, ssoSession: picked, choice };
  }
  return { name: choice.name, profileFlag: flag, choice };
}
