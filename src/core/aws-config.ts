// The AWS config model: what botocore reads from ~/.aws/config and ~/.aws/credentials
// (configloader.build_profile_map, Session.full_config; docs/protocols.md §1.2), and how an SSO
// profile or session resolves (awscli sso/utils.py BaseSSOCommand, botocore SSOProvider).
// Pure: text in, model out; errors are ConfigError with the AWS CLI's wording plus a ccsso hint.
import { ConfigError, ProfileNotChosenError, ProfileNotFoundError } from "./errors";
import { parseIni, parseNestedValue, splitSectionName, type IniProblem } from "./ini";
import { shellQuote } from "./shell-quote";
import { shlexQuote } from "./shlex";
import type { Env, SsoLogin, SsoProfile } from "./types";

export interface AwsConfigProblem extends IniProblem {
  file: "config" | "credentials";
}

export interface AwsConfig {
  /** Config-file profiles by name: `[default]`, `[profile X]` (shlex-unquoted); scalar keys only, lower-cased. */
  profiles: Map<string, Record<string, string>>;
  /** Credentials-file sections by name (no `profile ` prefix there). */
  credentialProfiles: Map<string, Record<string, string>>;
  /** `[sso-session X]` sections. */
  ssoSessions: Map<string, Record<string, string>>;
  /** `[services X]` → service (`sso_oidc`, `s3` …) → key → value. */
  services: Map<string, Record<string, Record<string, string>>>;
  /** Nested values of profiles (`s3 =` + indented `key = value` lines): profile → key → sub-key → value. */
  nested: Map<string, Record<string, Record<string, string>>>;
  /** Lines strict botocore would refuse (duplicates, stray text); ccsso reads past them, `doctor` reports them. */
  problems: AwsConfigProblem[];
}

function splitValues(values: Record<string, string>): { scalars: Record<string, string>; nested: Record<string, Record<string, string>> } {
  const scalars: Record<string, string> = {};
  const nested: Record<string, Record<string, string>> = {};
  for (const [k, v] of Object.entries(values)) {
    const sub = parseNestedValue(v);
    if (sub) nested[k] = sub;
    else scalars[k] = v;
  }
  return { scalars, nested };
}

/** Parse both files (either may be absent) into the model, with botocore's read semantics. */
export function parseAwsConfig(configText?: string, credentialsText?: string): AwsConfig {
  const cfg: AwsConfig = {
    profiles: new Map(),
    credentialProfiles: new Map(),
    ssoSessions: new Map(),
    services: new Map(),
    nested: new Map(),
    problems: [],
  };
  if (configText !== undefined) {
    const doc = parseIni(configText);
    for (const p of doc.problems) cfg.problems.push({ file: "config", ...p });
    // build_profile_map: a later section for the same name replaces the earlier one whole (dict.update),
    // so `[profile dev]` then `[profile "dev"]` leaves only the second; same for `[default]`/`[profile default]`.
    for (const section of doc.sections) {
      const { scalars, nested } = splitValues(section.values);
      if (section.name === "default") {
        cfg.profiles.set("default", scalars);
        cfg.nested.set("default", nested);
        continue;
      }
      const parts = splitSectionName(section.name);
      if (!parts) continue;
      // botocore tests key.startswith("profile"), so `[profilex y]` is profile "y" too.
      if (section.name.startsWith("profile")) {
        cfg.profiles.set(parts.name, scalars);
        cfg.nested.set(parts.name, nested);
      } else if (section.name.startsWith("sso-session")) cfg.ssoSessions.set(parts.name, scalars);
      else if (section.name.startsWith("services")) cfg.services.set(parts.name, nested);
    }
  }
  if (credentialsText !== undefined) {
    const doc = parseIni(credentialsText);
    for (const p of doc.problems) cfg.problems.push({ file: "credentials", ...p });
    for (const section of doc.sections) cfg.credentialProfiles.set(section.name, splitValues(section.values).scalars);
  }
  return cfg;
}

/** Profile names from both files, config first, in file order. */
export function profileNames(cfg: AwsConfig): string[] {
  return [...new Set([...cfg.profiles.keys(), ...cfg.credentialProfiles.keys()])];
}

/**
 * docs/protocols.md §1.2: `--profile`, then AWS_PROFILE, then AWS_DEFAULT_PROFILE, then `default` (the AWS
 * CLI v2 order). `explicit`: a profile was named (flag or variable), so a missing one is an error.
 * `fromFlag`: named by `--profile` (or an equivalent such as the helper's own flag) — only that makes
 * botocore drop environment keys from the chain (credentials.py create_credential_resolver: "An explicitly
 * provided profile will negate an EnvProvider"); with just AWS_PROFILE set, AWS_ACCESS_KEY_ID still wins in
 * the AWS CLI.
 */
export function selectProfileName(flag: string | undefined, env: Env): { name: string; explicit: boolean; fromFlag: boolean } {
  if (flag) return { name: flag, explicit: true, fromFlag: true };
  if (env.AWS_PROFILE) return { name: env.AWS_PROFILE, explicit: true, fromFlag: false };
  if (env.AWS_DEFAULT_PROFILE) return { name: env.AWS_DEFAULT_PROFILE, explicit: true, fromFlag: false };
  return { name: "default", explicit: false, fromFlag: false };
}

/** A profile's keys: the config file's, overridden by the credentials file's (Session.full_config). */
export function profileValues(cfg: AwsConfig, name: string): Record<string, string> | undefined {
  const fromConfig = cfg.profiles.get(name);
  const fromCredentials = cfg.credentialProfiles.get(name);
  if (!fromConfig && !fromCredentials) return undefined;
  return { ...fromConfig, ...fromCredentials };
}

/** sso_registration_scopes → list: split on `,`, strip, drop empties (awscli parse_sso_registration_scopes). */
export function parseScopes(raw: string): string[] {
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** The section header the AWS CLI writes for a profile (profile_to_section): `default`, `profile X`, `profile 'my name'`. */
export function profileSectionHeader(profile: string): string {
  if (profile === "default") return "default";
  return `profile ${/[ \t]/.test(profile) ? shlexQuote(profile) : profile}`;
}

/** The header for an sso-session section. */
export function ssoSessionSectionHeader(name: string): string {
  return `sso-session ${/[ \t]/.test(name) ? shlexQuote(name) : name}`;
}

const REQUIRED_SSO = ["sso_start_url", "sso_region"] as const;

function sessionLogin(cfg: AwsConfig, sessionName: string, hintProfile?: string): SsoLogin {
  const session = cfg.ssoSessions.get(sessionName);
  const fix = `ccsso configure sso-session --sso-session ${shellQuote(sessionName)}`;
  if (!session) {
    throw new ConfigError(
      `The specified sso-session does not exist: "${sessionName}"`,
      hintProfile ? `run: ${fix}, or fix sso_session in profile ${hintProfile}` : `run: ${fix}`,
    );
  }
  const missing = REQUIRED_SSO.filter((k) => session[k] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(`Missing the following required SSO configuration values: ${missing.join(", ")}.`, `run: ${fix}`);
  }
  const login: SsoLogin = { kind: "session", sessionName, startUrl: session.sso_start_url!, region: session.sso_region! };
  if (session.sso_registration_scopes !== undefined) login.scopes = parseScopes(session.sso_registration_scopes);
  return login;
}

/**
 * What `sso login`/`logout` signs into (awscli BaseSSOCommand._get_sso_config): `--sso-session`, else the
 * profile's `sso_session`, else the profile's legacy `sso_start_url`/`sso_region`. A named profile that is
 * not in either file is ProfileNotFoundError; `default` missing is just an unconfigured profile.
 */
export function resolveSsoLogin(cfg: AwsConfig, opts: { profile?: string; ssoSession?: string }): SsoLogin {
  if (opts.ssoSession) return sessionLogin(cfg, opts.ssoSession);
  const profile = opts.profile ?? "default";
  const values = profileValues(cfg, profile);
  if (!values && profile !== "default") throw new ProfileNotFoundError(profile, profileNames(cfg));
  const scoped = values ?? {};
  if (scoped.sso_session) return sessionLogin(cfg, scoped.sso_session, profile);
  const missing = REQUIRED_SSO.filter((k) => scoped[k] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      // The AWS CLI's first sentence; instead of its "please run: aws configure sso" the hint names the
      // exact command, with the profile.
      `Missing the following required SSO configuration values: ${missing.join(", ")}.`,
      `run: ccsso configure sso --profile ${shellQuote(profile)}`,
    );
  }
  return { kind: "legacy", startUrl: scoped.sso_start_url!, region: scoped.sso_region! };
}

/**
 * A profile's SSO role (botocore SSOProvider._load_sso_config): undefined unless it has `sso_account_id`
 * or `sso_role_name`; with `sso_session` the session's keys are merged in and any key set in both must be
 * equal; then start URL, region, account and role are all required.
 */
export function resolveSsoProfile(cfg: AwsConfig, profile: string): SsoProfile | undefined {
  const values = profileValues(cfg, profile);
  if (!values) return undefined;
  if (values.sso_role_name === undefined && values.sso_account_id === undefined) return undefined;
  const fix = `run: ccsso configure sso --profile ${shellQuote(profile)}`;
  const sessionName = values.sso_session;
  const merged: Record<string, string> = { ...values };
  if (sessionName !== undefined) {
    const session = cfg.ssoSessions.get(sessionName);
    if (!session) {
      throw new ConfigError(
        `The specified sso-session does not exist: "${sessionName}"`,
        `run: ccsso configure sso-session --sso-session ${shellQuote(sessionName)}`,
      );
    }
    for (const [key, val] of Object.entries(session)) {
      const mine = merged[key];
      if (mine !== undefined && mine !== val) {
        throw new ConfigError(
          `The value for ${key} is inconsistent between profile (${mine}) and sso-session (${val}).`,
          `make ${key} equal in [${profileSectionHeader(profile)}] and [${ssoSessionSectionHeader(sessionName)}], or remove it from the profile`,
        );
      }
      merged[key] = val;
    }
  }
  const required = [
    "sso_role_name",
    "sso_account_id",
    "sso_start_url",
    "sso_region",
    ...(sessionName !== undefined ? ["sso_session"] : []),
  ];
  const missing = required.filter((k) => merged[k] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      `The profile "${profile}" is configured to use SSO but is missing required configuration: ${missing.join(", ")}`,
      fix,
    );
  }
  const login: SsoLogin =
    sessionName !== undefined
      ? { kind: "session", sessionName, startUrl: merged.sso_start_url!, region: merged.sso_region! }
      : { kind: "legacy", startUrl: merged.sso_start_url!, region: merged.sso_region! };
  if (login.kind === "session" && merged.sso_registration_scopes !== undefined) login.scopes = parseScopes(merged.sso_registration_scopes);
  return { profile, login, accountId: merged.sso_account_id!, roleName: merged.sso_role_name! };
}

/** Which rule decided the profile; `--debug` names it and the notice line depends on it. */
export type ProfileRule =
  | "--profile"
  | "AWS_PROFILE"
  | "AWS_DEFAULT_PROFILE"
  | "default profile"
  | "environment keys"
  | "only SSO profile"
  | "only SSO session"
  | "several candidates"
  | "nothing configured";

export interface ProfileChoice {
  /** The profile to use. `default` when nothing decided (it may not exist: the caller's usual error follows). */
  name: string;
  /** Named by --profile or a variable: a missing profile is an error. */
  explicit: boolean;
  /** Named by --profile: only that outranks environment keys (see selectProfileName). */
  fromFlag: boolean;
  rule: ProfileRule;
  /** "only SSO session": the session to sign in to (no profile decided). */
  ssoSession?: string;
  /** "several candidates": what the person chooses between, and with which flag. */
  candidates?: { flag: "--profile" | "--sso-session"; names: string[] };
}

/** Profiles that get credentials from IAM Identity Center (what resolveSsoProfile treats as SSO). */
export function ssoProfileNames(cfg: AwsConfig): string[] {
  return profileNames(cfg).filter((name) => {
    const v = profileValues(cfg, name)!;
    return v.sso_account_id !== undefined || v.sso_role_name !== undefined;
  });
}

/**
 * The profile a command uses. selectProfileName's order comes first and is never overridden, so nothing
 * changes for anyone who has a `[default]` profile, AWS_PROFILE or AWS_DEFAULT_PROFILE (what the AWS CLI
 * and SDKs do). Only when none of those decides — where the AWS CLI would fail with "profile default
 * not found" — does the configuration itself decide: the one SSO profile there is, or, for commands
 * that sign in or out (`purpose: "session"`), the one place to sign in to (an sso-session, or a legacy
 * profile with its own start URL). With several, nothing is chosen and the candidates are returned so
 * the caller can list them (or offer a picker). Environment keys (AWS_ACCESS_KEY_ID) decide for
 * credential commands before any of this, as they do in botocore.
 */
export function chooseProfile(cfg: AwsConfig, flag: string | undefined, env: Env, purpose: "credentials" | "session"): ProfileChoice {
  const sel = selectProfileName(flag, env);
  const base = { name: sel.name, explicit: sel.explicit, fromFlag: sel.fromFlag };
  if (flag) return { ...base, rule: "--profile" };
  if (env.AWS_PROFILE) return { ...base, rule: "AWS_PROFILE" };
  if (env.AWS_DEFAULT_PROFILE) return { ...base, rule: "AWS_DEFAULT_PROFILE" };
  if (profileValues(cfg, "default")) return { ...base, rule: "default profile" };
  if (purpose === "credentials" && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return { ...base, rule: "environment keys" };
  const ssoProfiles = ssoProfileNames(cfg);
  if (ssoProfiles.length === 1) return { ...base, name: ssoProfiles[0]!, rule: "only SSO profile" };
  if (purpose === "session") {
    const legacy = profileNames(cfg).filter((n) => {
      const v = profileValues(cfg, n)!;
      return v.sso_session === undefined && v.sso_start_url !== undefined;
    });
    const sessions = [...cfg.ssoSessions.keys()];
    if (sessions.length === 1 && legacy.length === 0) return { ...base, rule: "only SSO session", ssoSession: sessions[0]! };
    if (ssoProfiles.length === 0 && legacy.length === 0 && sessions.length > 1) {
      return { ...base, rule: "several candidates", candidates: { flag: "--sso-session", names: sessions } };
    }
  }
  if (ssoProfiles.length > 1) return { ...base, rule: "several candidates", candidates: { flag: "--profile", names: ssoProfiles } };
  return { ...base, rule: "nothing configured" };
}

/** One clause for --debug and notices: why this profile (or session). */
export function describeProfileChoice(choice: ProfileChoice): string {
  const none = "no --profile, AWS_PROFILE, AWS_DEFAULT_PROFILE or [default] profile";
  switch (choice.rule) {
    case "--profile":
      return `profile ${choice.name} (from --profile)`;
    case "AWS_PROFILE":
    case "AWS_DEFAULT_PROFILE":
      return `profile ${choice.name} (from ${choice.rule})`;
    case "default profile":
      return "profile default (the [default] profile; no --profile or AWS_PROFILE)";
    case "environment keys":
      return "no profile: AWS_ACCESS_KEY_ID in the environment, and no --profile or AWS_PROFILE";
    case "only SSO profile":
      return `profile ${choice.name} (the only SSO profile; ${none})`;
    case "only SSO session":
      return `SSO session ${choice.ssoSession} (the only sso-session; ${none})`;
    case "several candidates":
      return `no profile chosen (${none}, and several to choose from: ${choice.candidates!.names.join(", ")})`;
    case "nothing configured":
      return `profile default (${none}, and no SSO profile configured)`;
  }
}

/** The error for "several candidates": lists them and names the flag (and AWS_PROFILE for profiles). */
export function profileNotChosenError(choice: ProfileChoice, forGit = false): ProfileNotChosenError {
  const { flag, names } = choice.candidates!;
  const first = shellQuote(names[0]!);
  if (flag === "--sso-session") {
    return new ProfileNotChosenError(
      `several SSO sessions and no profile chosen: ${names.join(", ")}`,
      `pass --sso-session (e.g. --sso-session ${first}) or --profile`,
      flag,
      names,
    );
  }
  const hint = forGit
    ? `run: ccsso setup-git --profile ${first} (or another), or export AWS_PROFILE=${first}`
    : `pass --profile (e.g. --profile ${first}), or export AWS_PROFILE=${first}`;
  return new ProfileNotChosenError(`several SSO profiles and no default profile: ${names.join(", ")}`, hint, flag, names);
}
