// The command table (docs/architecture.md §2). Each entry names its module, loaded
// lazily so a command only pays for what it imports. Flags are parsed by cac per command; the
// module's run(opts, args, ctx) does the work and returns an exit code (or throws a CcssoError).
import type { Context } from "../platform/context";

export type OptionSpec = [rawName: string, description: string, config?: { default?: unknown; type?: unknown[] }];

export interface CommandModule {
  run(opts: Record<string, unknown>, args: string[], ctx: Context): Promise<number | void>;
}

export interface CommandSpec {
  path: string[];
  /** Positional arguments in cac syntax, e.g. "<repo> [dir]" or "[...cmd]". */
  args?: string;
  summary: string;
  /** Longer help printed under the usage line. */
  details?: string;
  options: OptionSpec[];
  examples?: string[];
  hidden?: boolean;
  load: () => Promise<CommandModule>;
}

const profile: OptionSpec = ["--profile <name>", "AWS profile (default: $AWS_PROFILE, $AWS_DEFAULT_PROFILE, then \"default\")"];
const ssoSession: OptionSpec = ["--sso-session <name>", "[sso-session] section to use instead of a profile"];
const region: OptionSpec = ["--region <region>", "AWS Region (default: the profile's region)"];
const json: OptionSpec = ["--json", "Print machine-readable JSON"];
const noInput: OptionSpec = ["--no-input", "Never prompt; fail naming the missing flag instead"];
const deviceCode: OptionSpec = ["--use-device-code", "Use the device-code flow (automatic over SSH or without a display)"];
const noBrowser: OptionSpec = ["--no-browser", "Print the sign-in URL instead of opening a browser"];

export const commands: CommandSpec[] = [
  {
    path: ["configure", "sso"],
    summary: "Create or update an SSO profile (the `aws configure sso` wizard)",
    details:
      "Prompts in the AWS CLI's order: session name, start URL, SSO region, scopes, then signs in and lists\n" +
      "accounts and roles. Every prompt has a flag; with --no-input (or without a terminal) nothing is asked.\n" +
      "With --account-id and --role-name given, the profile is written without signing in.",
    options: [
      profile,
      ssoSession,
      ["--start-url <url>", "IAM Identity Center start URL (https://…/start)"],
      ["--sso-region <region>", "Region of the IAM Identity Center instance"],
      ["--scopes <list>", "Registration scopes, comma-separated (default: sso:account:access)"],
      ["--account-id <id>", "AWS account ID for the profile"],
      ["--role-name <name>", "Permission set (role) name for the profile"],
      region,
      ["--output <format>", "Default output format for the AWS CLI (json, text, table, yaml)"],
      deviceCode,
      noBrowser,
      noInput,
    ],
    examples: ["ccsso configure sso --sso-session corp --start-url https://corp.awsapps.com/start --sso-region us-east-1"],
    load: () => import("./configure-sso"),
  },
  {
    path: ["configure", "sso-session"],
    summary: "Create or update only an [sso-session] section",
    options: [
      ssoSession,
      ["--start-url <url>", "IAM Identity Center start URL"],
      ["--sso-region <region>", "Region of the IAM Identity Center instance"],
      ["--scopes <list>", "Registration scopes, comma-separated"],
      noInput,
    ],
    load: () => import("./configure-sso-session"),
  },
  {
    path: ["configure", "populate"],
    summary: "Write one profile per account and role you can reach",
    options: [
      ssoSession,
      ["--profile-template <template>", "Profile name template: {account_id} {account_name} {role_name} {session}", { default: "{account_name}.{role_name}" }],
      region,
      ["--prune", "Remove profiles ccsso populated earlier that you can no longer reach"],
      ["--dry-run", "Print the changes without writing"],
    ],
    load: () => import("./configure-populate"),
  },
  {
    path: ["sso", "login"],
    summary: "Sign in to IAM Identity Center and cache the token (shared with the AWS CLI)",
    details:
      "Uses the authorization-code flow with PKCE (browser + loopback on 127.0.0.1) for sso-session profiles,\n" +
      "and the device-code flow for legacy profiles, with --use-device-code, over SSH, or without a display.",
    options: [profile, ssoSession, deviceCode, noBrowser],
    load: () => import("./sso-login"),
  },
  {
    path: ["sso", "logout"],
    summary: "Sign out and delete the cached token and role credentials",
    options: [profile, ssoSession, ["--all", "Sign out of every session (what `aws sso logout` does)"]],
    load: () => import("./sso-logout"),
  },
  {
    path: ["sso", "status"],
    summary: "Show every SSO session, its expiry and cached role credentials (no secrets)",
    options: [json],
    load: () => import("./sso-status"),
  },
  {
    path: ["whoami"],
    summary: "Show the identity behind a profile (STS GetCallerIdentity)",
    options: [profile, json],
    load: () => import("./whoami"),
  },
  {
    path: ["export-credentials"],
    summary: "Print a profile's credentials (same formats as `aws configure export-credentials`)",
    options: [profile, ["--format <format>", "process, env, env-no-export, powershell, windows-cmd or fish", { default: "process" }]],
    examples: ['eval "$(ccsso export-credentials --profile dev --format env)"', "credential_process = ccsso export-credentials --profile dev"],
    load: () => import("./export-credentials"),
  },
  {
    path: ["exec"],
    args: "[...command]",
    summary: "Run a command with a profile's credentials in its environment",
    options: [profile],
    examples: ["ccsso exec --profile dev -- aws s3 ls"],
    load: () => import("./exec"),
  },
  {
    path: ["credential-helper"],
    args: "<operation>",
    summary: "git credential helper for CodeCommit (get, store, erase)",
    options: [profile],
    load: () => import("./credential-helper"),
  },
  {
    path: ["setup-git"],
    summary: "Configure git to use ccsso for CodeCommit HTTPS and codecommit:// URLs",
    options: [
      profile,
      ["--global", "Write to the user's git config (default)"],
      ["--system", "Write to the system git config"],
      ["--local", "Write to this repository's git config"],
      ["--uninstall", "Remove exactly what setup-git added"],
    ],
    load: () => import("./setup-git"),
  },
  {
    path: ["clone"],
    args: "<repository> [directory]",
    summary: "Clone a CodeCommit repository by name",
    options: [profile, region],
    load: () => import("./clone"),
  },
  {
    path: ["repos"],
    summary: "List CodeCommit repositories and their clone URLs",
    options: [profile, region, json],
    load: () => import("./repos"),
  },
  {
    path: ["doctor"],
    summary: "Check git, helper configuration, profile and session; print the fix for each problem",
    options: [profile, json],
    load: () => import("./doctor"),
  },
  {
    path: ["completion"],
    args: "<shell>",
    summary: "Print a shell completion script (bash, zsh, fish)",
    options: [],
    examples: ['eval "$(ccsso completion bash)"'],
    load: () => import("./completion"),
  },
  {
    path: ["__complete"],
    args: "<kind>",
    summary: "Print completion candidates: profiles, sso-sessions, regions or repos (used by `ccsso completion` scripts)",
    options: [profile, region],
    hidden: true,
    load: () => import("./complete-candidates"),
  },
];

/** Longest command path that prefixes argv, or undefined. */
export function matchCommand(argv: string[]): { spec: CommandSpec; rest: string[] } | undefined {
  let best: CommandSpec | undefined;
  for (const spec of commands) {
    if (spec.path.every((p, i) => argv[i] === p) && (!best || spec.path.length > best.path.length)) best = spec;
  }
  return best ? { spec: best, rest: argv.slice(best.path.length) } : undefined;
}
