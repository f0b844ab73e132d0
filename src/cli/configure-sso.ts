// `ccsso configure sso`: the `aws configure sso` wizard (awscli configure/sso.py ConfigureSSOCommand;
// docs/protocols.md §1.4). Same prompts, order, defaults and messages; every prompt also has a
// flag, and without a terminal (or with --no-input) nothing is asked: a missing value names its flag.
// Nothing is written until the end, in one atomic write (profile section first, then the session),
// so Ctrl-C or any failure leaves the config file as it was.
import { displayAccount, sortAccounts, sortRoleNames, type PortalAccount } from "../core/account-choice";
import {
  profileSectionHeader,
  profileValues,
  resolveSsoLogin,
  selectProfileName,
  ssoSessionSectionHeader,
  type AwsConfig,
} from "../core/aws-config";
import { CcssoError, ConfigError, InterruptedError, LoginRequiredError, RemoteError, UsageError } from "../core/errors";
import { regionProblem } from "../core/regions";
import { updateIniText } from "../core/ini";
import { commandLine, shellQuote } from "../core/shell-quote";
import type { SsoLogin } from "../core/types";
import type { Context } from "../platform/context";
import { interruptMessage, setInterruptNote } from "../platform/interrupt";
import { ask, terminalPrompter, type Prompter } from "../platform/prompt";
import { assertConfigWritable, loadConfigForEdit, resolveConfigPath, writeConfigText } from "../store/aws-config-files";
import type { configureSso as configureSsoCommand } from "./command-defs";
import type { OptionsOf } from "./command-model";
import type { ResolvedStartUrl } from "../core/start-url";
import { DEFAULT_SCOPES, resolveForConfigure, scopesProblem, startUrlProblem } from "./configure-sso-session";
import { accountIdProblem as portalAccountIdProblem, roleNameProblem } from "../core/portal-values";
import { sanitizeLine } from "../core/terminal-text";
import { signInFlags } from "./sign-in-flags";
import type { LoginOptions } from "../auth/login";

/** The wizard's flags; tests give only those they set (an absent switch is off, absent browser/input on). */
export type ConfigureSsoOptions = Partial<OptionsOf<typeof configureSsoCommand>>;

/** How the wizard talks to the person; tests pass scripted ones. Absent `prompter` = never ask. */
export interface WizardTerminal {
  prompter?: Prompter;
  /** Arrow-key menu over `items`; resolves with the chosen index. */
  pick?: (items: string[]) => Promise<number>;
}

/** CLI_OUTPUT_FORMATS (awscli/formatter.py): what `output =` may be. */
const OUTPUT_FORMATS = ["json", "text", "table", "yaml", "yaml-stream", "off"];

const LEGACY_WARNING =
  'WARNING: Configuring using legacy format (e.g. without an SSO session).\nConsider re-running "configure sso" command and providing a session name.\n';

export async function run(flags: OptionsOf<typeof configureSsoCommand>, _args: string[], ctx: Context): Promise<number> {
  const prompter = terminalPrompter(ctx.stdout);
  const interactive = flags.input !== false && prompter.interactive;
  try {
    const terminal: WizardTerminal = interactive
      ? {
          prompter,
          pick: async (items) => {
            // The line reader owns stdin while it is open; the picker needs it raw and to itself.
            prompter.close();
            const { pickFromList } = await import("../platform/picker");
            try {
              return await pickFromList(items, { color: !ctx.env.NO_COLOR });
            } catch (e) {
              // The config is written once, at the end: a Ctrl-C in a menu leaves it as it was.
              if (e instanceof InterruptedError) throw new InterruptedError(interruptMessage());
              throw e;
            }
          },
        }
      : {};
    return await configureSso(flags, ctx, terminal);
  } finally {
    prompter.close();
  }
}

/** A value from a flag, checked; undefined when the flag was not given. */
function flagValue(flag: string, value: string | undefined, problem?: (s: string) => string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const why = v === "" ? "must not be empty" : problem?.(v);
  if (why) throw new UsageError(`${flag} ${JSON.stringify(value)}: ${why}`, "run: ccsso help configure sso");
  return v;
}

function missing(flag: string, what: string): UsageError {
  return new UsageError(`${what} is needed and there is no terminal to ask on (or --no-input was given)`, `pass ${flag}`);
}

const nameProblem = (kind: string) => (s: string) =>
  /[\r\n[\]]/.test(s) ? `A ${kind} name cannot contain [, ] or line breaks` : undefined;
const outputProblem = (s: string) =>
  OUTPUT_FORMATS.includes(s) ? undefined : `Not a valid output format: ${s} (use one of ${OUTPUT_FORMATS.join(", ")})`;
const accountIdProblem = (s: string) => (/^\d{12}$/.test(s) ? undefined : "Not a valid AWS account ID (12 digits)");

export async function configureSso(flags: ConfigureSsoOptions, ctx: Context, terminal: WizardTerminal): Promise<number> {
  const out = ctx.stdout;
  const p = terminal.prompter;
  const path = resolveConfigPath(ctx.env);
  const { cfg } = loadConfigForEdit(path, ctx.env);
  // Before any question or sign-in: finding out at the end that the file is read-only wastes both.
  assertConfigWritable(path);

  // The one Region rule (src/core/regions.ts), for flags and prompt answers alike.
  const regionCheck = (text: string) => regionProblem(text, { allowUnknown: flags.allowUnknownRegion });
  // Flags first: a bad flag is a usage error before anything happens.
  const f = {
    ssoSession: flagValue("--sso-session", flags.ssoSession, nameProblem("session")),
    startUrl: flagValue("--start-url", flags.startUrl, startUrlProblem),
    ssoRegion: flagValue("--sso-region", flags.ssoRegion, regionCheck),
    scopes: flagValue("--scopes", flags.scopes, scopesProblem),
    accountId: flagValue("--account-id", flags.accountId, accountIdProblem),
    roleName: flagValue("--role-name", flags.roleName, nameProblem("role")),
    region: flagValue("--region", flags.region, regionCheck),
    output: flagValue("--output", flags.output, outputProblem),
    profile: flagValue("--profile", flags.profile, nameProblem("profile")),
  };
  // The CLI reads defaults from the selected profile (session.get_scoped_config(): --profile,
  // AWS_PROFILE, AWS_DEFAULT_PROFILE, else `default`), and asks for a profile name only when none was selected.
  const selected = selectProfileName(f.profile, ctx.env);
  const profileConfig = profileValues(cfg, selected.name) ?? {};
  const profileValuesToWrite: Record<string, string> = {};
  let sessionValuesToWrite: Record<string, string> | undefined;
  // Which prompts ask (documented in the command's help): a value with no flag is asked on a terminal;
  // a value that has a default (scopes, output format, making the profile the default) is asked only
  // while the person is answering the questions around it. Typed in flag form, nothing more is asked.
  let askedSession = false;

  // 1. SSO session name
  let sessionName = f.ssoSession;
  if (sessionName === undefined) {
    const current = profileConfig.sso_session;
    if (p) {
      askedSession = true;
      sessionName =
        current === undefined
          ? await ask(p, out, "SSO session name (Recommended)", { bare: true, validate: nameProblem("session") })
          : await ask(p, out, "SSO session name", { default: current, validate: nameProblem("session") });
    } else sessionName = current;
  }

  let login: SsoLogin;
  let newSession = false;
  let resolved: ResolvedStartUrl | undefined;
  const askStartUrlAndRegion = async (defaults: Record<string, string | undefined>) => {
    let startUrl = f.startUrl;
    if (startUrl === undefined) {
      if (p) askedSession = true;
      if (p) startUrl = await ask(p, out, "SSO start URL", { default: defaults.sso_start_url, required: true, validate: startUrlProblem });
      else startUrl = defaults.sso_start_url;
      if (startUrl === undefined) throw missing("--start-url <url>", "the SSO start URL");
    }
    // A default taken from an old profile is checked too: IAM Identity Center only serves https.
    const urlProblem = startUrlProblem(startUrl);
    if (urlProblem)
      throw new ConfigError(
        `the SSO start URL ${JSON.stringify(startUrl)} is not valid: ${urlProblem}`,
        "pass --start-url https://<your portal>/start",
      );
    let ssoRegion = f.ssoRegion;
    // A vanity start URL's redirect may name the region: then there is nothing to ask.
    if (ssoRegion === undefined) {
      // Kept for the sign-in below, so the start URL is asked once, as the AWS CLI asks it once.
      resolved = await resolveForConfigure(ctx, startUrl, sessionName);
      ssoRegion = resolved?.region;
    }
    if (ssoRegion === undefined) {
      if (p) askedSession = true;
      if (p) ssoRegion = await ask(p, out, "SSO region", { default: defaults.sso_region, required: true, validate: regionCheck });
      else ssoRegion = defaults.sso_region;
      if (ssoRegion === undefined) throw missing("--sso-region <region>", "the SSO region");
    }
    return { startUrl, ssoRegion };
  };

  // Without a terminal, the first thing missing is named first: the session (or start URL) before the
  // account, since nothing else can be worked out without it.
  if (!p && sessionName === undefined && f.startUrl === undefined && profileConfig.sso_start_url === undefined) {
    throw missing("--sso-session <name>", "an SSO session name (with --start-url and --sso-region for a new one)");
  }
  if (sessionName === undefined) {
    // 1a. Legacy format: everything goes into the profile (docs/protocols.md §1.4).
    out.write(ctx.stdout.isTTY && !ctx.env.NO_COLOR ? `\x1b[1m${LEGACY_WARNING}\x1b[0m` : LEGACY_WARNING);
    if (f.scopes !== undefined)
      throw new UsageError("--scopes needs an SSO session: the legacy format has no registration scopes", "pass --sso-session <name> too");
    const { startUrl, ssoRegion } = await askStartUrlAndRegion(profileConfig);
    profileValuesToWrite.sso_start_url = startUrl;
    profileValuesToWrite.sso_region = ssoRegion;
    login = { kind: "legacy", startUrl, region: ssoRegion };
  } else if (cfg.ssoSessions.has(sessionName)) {
    // 1b. An existing session: its URL, region and scopes are used as they are, nothing is asked.
    const existing = cfg.ssoSessions.get(sessionName)!;
    profileValuesToWrite.sso_session = sessionName;
    for (const [flag, key, value] of [
      ["--start-url", "sso_start_url", f.startUrl],
      ["--sso-region", "sso_region", f.ssoRegion],
      ["--scopes", "sso_registration_scopes", f.scopes],
    ] as const) {
      if (value !== undefined && existing[key] !== value) {
        throw new UsageError(
          `sso-session "${sessionName}" already exists with ${key} = ${existing[key] ?? "(unset)"}; ${flag} ${value} would change it for every profile using it`,
          `run: ${commandLine(["ccsso", "configure", "sso-session", "--sso-session", sessionName, flag, value])}, or drop ${flag}`,
        );
      }
    }
    login = resolveSsoLogin(cfg, { ssoSession: sessionName });
    // configure sso rewrites the session's lines with their current values (ConfigFileWriter normalises them).
    sessionValuesToWrite = { ...existing };
  } else {
    // 1c. A new session: start URL, region and scopes, with defaults from the profile's legacy keys.
    newSession = true;
    profileValuesToWrite.sso_session = sessionName;
    const { startUrl, ssoRegion } = await askStartUrlAndRegion(profileConfig);
    let scopes = f.scopes;
    if (scopes === undefined)
      scopes =
        p && askedSession
          ? await ask(p, out, "SSO registration scopes", { default: DEFAULT_SCOPES, validate: scopesProblem })
          : DEFAULT_SCOPES;
    sessionValuesToWrite = { sso_start_url: startUrl, sso_region: ssoRegion, sso_registration_scopes: scopes! };
    login = {
      kind: "session",
      sessionName,
      startUrl,
      region: ssoRegion,
      scopes: scopes!
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    };
  }

  // Without a terminal there is no menu to choose from: account and role must be given (and then no
  // sign-in is needed at all).
  if (!p) {
    if (f.accountId === undefined) throw missing("--account-id <id>", "the AWS account ID");
    if (f.roleName === undefined) throw missing("--role-name <name>", "the role name");
  }

  // 2. Sign in and choose account and role — unless both were given.
  let accountId = f.accountId;
  let roleName = f.roleName;
  if (accountId === undefined || roleName === undefined) {
    p?.close(); // Ctrl-C during sign-in must reach us as a signal, not as a keystroke for an idle line reader.
    const accessToken = await signIn(ctx, cfg, login, {
      reuse: !newSession,
      ...signInFlags(flags),
      browser: flags.browser,
      profile: undefined,
      resolved,
    });
    setInterruptNote("signed in, but the AWS config was not changed");
    const chosen = await chooseAccountAndRole(ctx, cfg, login, accessToken, terminal, { accountId, roleName });
    accountId = chosen.accountId;
    roleName = chosen.roleName;
  }
  if (accountId !== undefined) profileValuesToWrite.sso_account_id = accountId;
  if (roleName !== undefined) profileValuesToWrite.sso_role_name = roleName;
  const configuredForCredentials = accountId !== undefined && roleName !== undefined;

  // 3. Client defaults.
  let region = f.region;
  const askRegion = p !== undefined && region === undefined;
  if (region === undefined)
    region = p
      ? await ask(p, out, "Default client Region", { default: profileConfig.region, validate: regionCheck })
      : profileConfig.region;
  if (region !== undefined && region !== profileConfig.region) {
    const why = regionCheck(region);
    if (why) throw new UsageError(`--region ${region}: ${why}`, "run: ccsso help configure sso");
  }
  if (region !== undefined) profileValuesToWrite.region = region;
  let output = f.output;
  if (output === undefined) {
    // The output format has a default (json): asked along with the region, not after a --region flag.
    output =
      p && askRegion
        ? await ask(p, out, "CLI default output format (json if not specified)", { default: profileConfig.output, validate: outputProblem })
        : profileConfig.output;
  }
  if (output !== undefined) profileValuesToWrite.output = output;

  // 4. Profile name: asked only when none was selected by --profile, AWS_PROFILE or AWS_DEFAULT_PROFILE.
  let profile: string | undefined = selected.explicit ? selected.name : undefined;
  if (profile === undefined) {
    const suggestion = accountId !== undefined && roleName !== undefined ? `${roleName}-${accountId}` : undefined;
    profile = p ? await ask(p, out, "Profile name", { default: suggestion, required: true, validate: nameProblem("profile") }) : suggestion;
    if (profile === undefined) throw missing("--profile <name>", "a profile name");
  }

  // 4b. No default profile yet: offer this one as the default, in the one form every AWS tool honours —
  // a [default] section with the same settings. (botocore has no profile inheritance: source_profile is
  // read only next to role_arn, so "[default] source_profile = dev" would give no credentials; a
  // credential_process entry would work for credentials but not for `aws sso login`, the region or the
  // output.) Both sections name the same sso-session, so they share one sign-in and one token.
  let makeDefault = false;
  // AWS_PROFILE or AWS_DEFAULT_PROFILE already choose a profile in this shell: no offer then.
  const noDefaultYet =
    !ctx.env.AWS_PROFILE &&
    !ctx.env.AWS_DEFAULT_PROFILE &&
    profileValues(cfg, "default") === undefined &&
    profileValues(loadConfigForEdit(path, ctx.env).cfg, "default") === undefined;
  if (p && askedSession && configuredForCredentials && profile.toLowerCase() !== "default" && noDefaultYet) {
    const answer = await ask(p, out, `Also make ${profile} the default profile, for the AWS CLI and SDKs too (y/N)`, {
      default: "N",
      validate: (s) => (/^(y|yes|n|no)$/i.test(s) ? undefined : "Answer y or n"),
    });
    makeDefault = /^y/i.test(answer ?? "");
  }

  // 5. Write: profile first, then the session (ConfigFileWriter order, docs/protocols.md §1.4), on the file
  // as it is NOW (sign-in may have taken minutes and another tool may have written meanwhile).
  const current = loadConfigForEdit(path, ctx.env).text ?? "";
  let text = current;
  if (Object.keys(profileValuesToWrite).length > 0)
    text = updateIniText(text, profileSectionHeader(profile), orderProfileValues(profileValuesToWrite));
  if (sessionValuesToWrite && sessionName !== undefined)
    text = updateIniText(text, ssoSessionSectionHeader(sessionName), sessionValuesToWrite);
  if (makeDefault) text = updateIniText(text, "default", orderProfileValues(profileValuesToWrite));
  if (text !== current) writeConfigText(path, text);

  // 6. Conclusion, naming ccsso commands.
  if (!configuredForCredentials) out.write(`Successfully configured SSO for profile: ${profile}\n`);
  else if (profile.toLowerCase() === "default") {
    out.write(
      "ccsso and the AWS CLI are now configured to use the default profile.\nRun the following command to verify your configuration:\n\nccsso whoami\n",
    );
    out.write("\nTo use it with git for CodeCommit, run: ccsso setup-git\n");
  } else {
    out.write(
      `To use this profile, specify the profile name using --profile, as shown:\n\n${commandLine(["ccsso", "whoami", "--profile", profile])}\n`,
    );
    out.write(`\nTo use it with git for CodeCommit, run: ${commandLine(["ccsso", "setup-git", "--profile", profile])}\n`);
    out.write(
      makeDefault
        ? `\n${profile} is now also the [default] profile: ccsso, the AWS CLI and the SDKs use it when no profile is named.\n`
        : `\nTo use it by default in this shell (ccsso, the AWS CLI and the SDKs): export AWS_PROFILE=${shellQuote(profile)}\n`,
    );
  }
  return 0;
}

/** Key order of docs/protocols.md §1.4: sso_start_url, sso_region (legacy only), sso_session, account, role, region, output. */
function orderProfileValues(v: Record<string, string>): Record<string, string> {
  const order = ["sso_start_url", "sso_region", "sso_session", "sso_account_id", "sso_role_name", "region", "output"];
  return Object.fromEntries(order.filter((k) => v[k] !== undefined).map((k) => [k, v[k]!]));
}

/**
 * A token for listing: an existing session or legacy profile reuses a valid cached token (the CLI logs in
 * without force_refresh there); a new session always signs in (force_refresh=True).
 */
async function signIn(
  ctx: Context,
  cfg: AwsConfig,
  login: SsoLogin,
  opts: { reuse: boolean; profile?: string } & LoginOptions,
): Promise<string> {
  if (opts.reuse) {
    const { getSsoToken } = await import("../auth/sso-token");
    try {
      return (await getSsoToken(ctx, cfg, login)).accessToken;
    } catch (e) {
      if (!(e instanceof LoginRequiredError)) throw e;
    }
  }
  const { loginSso } = await import("../auth/login");
  // The wizard writes the session's region itself, after the account and role are chosen.
  const { reuse: _reuse, ...loginOpts } = opts;
  const result = await loginSso(ctx, cfg, login, { ...loginOpts, profile: undefined, saveRegion: false });
  return result.accessToken;
}

async function chooseAccountAndRole(
  ctx: Context,
  cfg: AwsConfig,
  login: SsoLogin,
  accessToken: string,
  terminal: WizardTerminal,
  given: { accountId?: string; roleName?: string },
): Promise<{ accountId?: string; roleName?: string }> {
  const out = ctx.stdout;
  const { resolveSsoEndpoints } = await import("../aws/endpoints");
  const { createPortalClient } = await import("../aws/portal");
  const endpoints = resolveSsoEndpoints(cfg, undefined, login.region, ctx.env);
  const portal = await createPortalClient({ endpoint: endpoints.portal, region: login.region, ctx });
  const pick = async (items: string[]) => {
    if (!terminal.pick) throw new UsageError("more than one choice and no terminal to choose on", "pass --account-id and --role-name");
    return terminal.pick(items);
  };
  let accountId = given.accountId;
  let roleName = given.roleName;
  try {
    if (accountId === undefined) {
      // An id that is not 12 digits is refused: it would be written into the config (and could carry a line break).
      const accounts = ((await portal.listAccounts(accessToken)) as PortalAccount[]).filter((a) => {
        const why = portalAccountIdProblem(a.accountId ?? "");
        if (why) ctx.stderr.write(sanitizeLine(`ccsso: skipped an account IAM Identity Center listed: ${why}`) + "\n");
        return !why;
      });
      if (accounts.length === 0)
        throw new CcssoError(
          "No AWS accounts are available to you.",
          "ask your administrator to assign you a permission set, or check the start URL",
        );
      if (accounts.length === 1) {
        accountId = accounts[0]!.accountId!;
        out.write(`The only AWS account available to you is: ${accountId}\n`);
      } else {
        out.write(`There are ${accounts.length} AWS accounts available to you.\n`);
        const sorted = sortAccounts(accounts);
        accountId = sorted[await pick(sorted.map((a) => sanitizeLine(displayAccount(a))))]!.accountId!;
      }
      out.write(`Using the account ID ${accountId}\n`);
    }
    if (roleName === undefined) {
      const roles = ((await portal.listAccountRoles(accessToken, accountId)) as Array<{ roleName?: string }>)
        .flatMap((r) => (r.roleName ? [r.roleName] : []))
        .filter((name) => {
          const why = roleNameProblem(name);
          if (why) ctx.stderr.write(sanitizeLine(`ccsso: skipped a role IAM Identity Center listed: ${why}`) + "\n");
          return !why;
        });
      if (roles.length === 0)
        throw new CcssoError(
          `No roles are available for the account ${accountId}`,
          "ask your administrator to assign you a permission set in that account",
        );
      if (roles.length === 1) {
        roleName = roles[0]!;
        out.write(`The only role available to you is: ${roleName}\n`);
      } else {
        out.write(`There are ${roles.length} roles available to you.\n`);
        const sorted = sortRoleNames(roles);
        roleName = sorted[await pick(sorted)]!;
      }
      out.write(`Using the role name "${roleName}"\n`);
    }
  } catch (e) {
    if (e instanceof RemoteError && e.details.awsType === "UnauthorizedException") {
      out.write("Unable to list AWS accounts and/or roles. Skipping configuring AWS credential provider for profile.\n");
      // As the CLI: an account already chosen stays in the profile; the missing role means no credentials.
      return { accountId, roleName };
    }
    throw e;
  }
  return { accountId, roleName };
}
