// `ccsso prompt`: the current profile and its session's time left, for PS1, fish_prompt, starship or a
// PowerShell prompt (src/core/prompt-text.ts has the vocabulary). A prompt runs before every command
// line, so this is a warm path like the credential helper: src/main.ts dispatches it before the command
// table and cac load, and it reads only the environment, the AWS config and one token file — never the
// network, never the settings file (so no smol-toml). It never fails loudly either: a prompt that printed
// an error on every line would be worse than one that shows the profile name alone.
import { profileValues, resolveSsoLogin, resolveSsoProfile } from "../core/aws-config";
import { promptText, type PromptSession } from "../core/prompt-text";
import { parseCacheTimestamp } from "../core/timestamps";
import { sanitizeLine } from "../core/terminal-text";
import type { SsoLogin } from "../core/types";
import type { Context } from "../platform/context";
import type { prompt } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { loadAwsConfig } from "../store/aws-config-files";
import { readTokenCache } from "../store/token-cache";
import { refreshable } from "../auth/sso-token";

export async function runPrompt(ctx: Context): Promise<number> {
  // AWS_PROFILE is what `ccsso use` sets; AWS_DEFAULT_PROFILE is the older spelling tools still honour.
  const profile = ctx.env.AWS_PROFILE || ctx.env.AWS_DEFAULT_PROFILE;
  if (!profile) return 0;
  let session: PromptSession;
  try {
    session = promptSession(ctx, profile);
  } catch {
    session = { kind: "no-sso" };
  }
  // The name comes from the environment and may hold anything; a prompt must not draw with it.
  ctx.stdout.write(sanitizeLine(promptText(profile, session, ctx.now())) + "\n");
  return 0;
}

/** The command-table entry (`ccsso help prompt` and `ccsso prompt --debug` go through cac). */
export async function run(_opts: OptionsOf<typeof prompt>, _args: string[], ctx: Context): Promise<number> {
  return runPrompt(ctx);
}

function promptSession(ctx: Context, profile: string): PromptSession {
  // Credentials exported into the shell (`ccsso use --export`) are what tools use: their expiry counts.
  const exported = ctx.env.AWS_ACCESS_KEY_ID && parseCacheTimestamp(ctx.env.AWS_CREDENTIAL_EXPIRATION ?? "");
  if (exported) return { kind: "environment", expiresAt: exported };
  const cfg = loadAwsConfig(ctx.env);
  const values = profileValues(cfg, profile);
  if (!values) return { kind: "no-sso" };
  let login: SsoLogin | undefined = resolveSsoProfile(cfg, profile)?.login;
  if (!login && (values.sso_session || values.sso_start_url)) login = resolveSsoLogin(cfg, { profile });
  if (!login) return { kind: "no-sso" };
  const token = readTokenCache({ env: ctx.env, debug: false, stderr: ctx.stderr }, login);
  if (!token) return { kind: "signed-out" };
  return { kind: "token", expiresAt: token.expiresAt, refreshable: login.kind === "session" && refreshable(token, ctx.now()) };
}
