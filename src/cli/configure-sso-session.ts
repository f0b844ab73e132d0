// `ccsso configure sso-session`: writes only `[sso-session NAME]`, asking what `aws configure
// sso-session` asks, in its order and with its defaults (docs/protocols.md §1.4). Every prompt has a
// flag; with --no-input or without a terminal nothing is asked and a missing value names its flag.
import { ssoSessionSectionHeader } from "../core/aws-config";
import { UsageError } from "../core/errors";
import { regionProblem } from "../core/regions";
import type { Context } from "../platform/context";
import type { configureSsoSession } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { ask, terminalPrompter, type Prompter } from "../platform/prompt";
import { loadAwsConfig, updateAwsConfig } from "../store/aws-config-files";
import { commandLine } from "../core/shell-quote";
import { sanitizeLine } from "../core/terminal-text";
import { debugLog } from "../platform/debug-log";
import type { ResolvedStartUrl } from "../core/start-url";

/** Tests give only the flags they set; an absent `input` means prompting is allowed. */
export type ConfigureSsoSessionOptions = Partial<OptionsOf<typeof configureSsoSession>>;

/** The CLI's default registration scope for a new session. */
export const DEFAULT_SCOPES = "sso:account:access";

/** StartUrlValidator, stricter: an https URL with a host (IAM Identity Center only serves https). */
export function startUrlProblem(text: string): string | undefined {
  // Checked on the text too: WHATWG URL would read `https:///start` as host "start".
  if (!/^https:\/\/[^/?#\s]/i.test(text)) return "Not a valid Start URL: it must be https://<host>/…";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "Not a valid Start URL";
  }
  if (url.protocol !== "https:" || !url.hostname) return "Not a valid Start URL: it must be https://<host>/…";
  return undefined;
}

/**
 * The SSO region a vanity start URL's portal names (its host carries the region), printed so the person
 * sees why it was not asked. Any failure (no redirect, an unreachable host) means asking instead, as
 * `aws configure` does: the sign-in later says precisely what is wrong with the URL.
 */
export async function resolveForConfigure(
  ctx: Context,
  startUrl: string,
  sessionName: string | undefined,
): Promise<ResolvedStartUrl | undefined> {
  const { isAwsOwnedHost } = await import("../core/start-url");
  if (isAwsOwnedHost(new URL(startUrl).hostname)) return undefined;
  const { resolveStartUrl } = await import("../auth/start-url");
  try {
    const resolved = await resolveStartUrl(
      ctx,
      startUrl,
      undefined,
      sessionName ? `run: ${commandLine(["ccsso", "configure", "sso-session", "--sso-session", sessionName])}` : "",
    );
    ctx.stdout.write(`SSO region: ${sanitizeLine(resolved.region)} (the start URL leads to ${sanitizeLine(resolved.url)})\n`);
    return resolved;
  } catch (e) {
    debugLog(ctx, `could not resolve the start URL ${startUrl} (${(e as Error).message}); asking for the region`);
    return undefined;
  }
}

/** ScopesValidator: comma-separated, no whitespace inside a scope. */
export function scopesProblem(text: string): string | undefined {
  return text.split(",").some((s) => /\s/.test(s.trim())) ? "Scope values must be separated by commas" : undefined;
}

export async function run(opts: ConfigureSsoSessionOptions, _args: string[], ctx: Context, prompter?: Prompter): Promise<number> {
  const p = prompter ?? terminalPrompter(ctx.stdout);
  const canAsk = opts.input !== false && p.interactive;
  // The one Region rule (src/core/regions.ts), for the flag and for an answer at the prompt alike.
  const regionCheck = (text: string) => regionProblem(text, { allowUnknown: opts.allowUnknownRegion });
  try {
    const flagged = (flag: string, value: string | undefined, problem: (s: string) => string | undefined): string | undefined => {
      if (value === undefined) return undefined;
      const why = problem(value.trim());
      if (why) throw new UsageError(`${flag} ${JSON.stringify(value)}: ${why}`, `run: ccsso help configure sso-session`);
      return value.trim();
    };
    const missing = (flag: string, what: string) =>
      new UsageError(`${what} is needed and there is no terminal to ask on (or --no-input was given)`, `pass ${flag}`);

    // A value with a default (the scopes) is asked only while the person is answering questions; typed
    // in flag form (session name, start URL and region all given), the command asks nothing more.
    let asked = false;
    let name = flagged("--sso-session", opts.ssoSession, (s) =>
      s === "" ? "must not be empty" : /[\r\n\]]/.test(s) ? "must not contain ] or line breaks" : undefined,
    );
    if (name === undefined) {
      if (!canAsk) throw missing("--sso-session <name>", "an SSO session name");
      asked = true;
      name = await ask(p, ctx.stdout, "SSO session name", {
        bare: true,
        required: true,
        validate: (s) => (/\]/.test(s) ? "A session name cannot contain ]" : undefined),
      });
    }
    const sessionName = name!;
    const existing = loadAwsConfig(ctx.env).ssoSessions.get(sessionName) ?? {};

    let startUrl = flagged("--start-url", opts.startUrl, startUrlProblem);
    if (startUrl === undefined) {
      if (canAsk) asked = true;
      if (canAsk)
        startUrl = await ask(p, ctx.stdout, "SSO start URL", {
          default: existing.sso_start_url,
          required: true,
          validate: startUrlProblem,
        });
      else startUrl = existing.sso_start_url;
      if (startUrl === undefined) throw missing("--start-url <url>", "the SSO start URL");
    }

    let region = flagged("--sso-region", opts.ssoRegion, regionCheck);
    // A vanity start URL's redirect may name the region: then there is nothing to ask.
    if (region === undefined) region = (await resolveForConfigure(ctx, startUrl, sessionName))?.region;
    if (region === undefined) {
      if (canAsk) asked = true;
      if (canAsk) region = await ask(p, ctx.stdout, "SSO region", { default: existing.sso_region, required: true, validate: regionCheck });
      else region = existing.sso_region;
      if (region === undefined) throw missing("--sso-region <region>", "the SSO region");
    }

    let scopes = flagged("--scopes", opts.scopes, scopesProblem);
    if (scopes === undefined) {
      const fallback = existing.sso_registration_scopes ?? DEFAULT_SCOPES;
      scopes =
        canAsk && asked ? await ask(p, ctx.stdout, "SSO registration scopes", { default: fallback, validate: scopesProblem }) : fallback;
    }

    // Stored as the raw answer (`sso:account:access, foo:bar`), as the CLI does; readers split on commas.
    updateAwsConfig(ctx.env, ssoSessionSectionHeader(sessionName), {
      sso_start_url: startUrl,
      sso_region: region,
      sso_registration_scopes: scopes!,
    });
    ctx.stdout.write(
      `\nCompleted configuring SSO session: ${sessionName}\n` +
        "Run the following to login and refresh access token for this session:\n\n" +
        `${commandLine(["ccsso", "sso", "login", "--sso-session", sessionName])}\n`,
    );
    return 0;
  } finally {
    p.close();
  }
}
