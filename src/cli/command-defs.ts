// What each command looks like from the outside: its words, arguments, options and help. Options are
// declared here once; the parser, --help, the completion scripts and the type of each run function's
// options object all come from these declarations (command-model.ts). The modules that do the work are
// paired with these in command-table.ts and loaded only when their command runs.
import { type CommandDef, type OptionDefs, negated, text, toggle } from "./command-model";

const profile = text(
  "--profile <name>",
  "AWS profile (default: $AWS_PROFILE, $AWS_DEFAULT_PROFILE, [default], else the only SSO profile)",
  {
    completes: { dynamic: "profiles" },
  },
);
const ssoSession = text("--sso-session <name>", "[sso-session] section to use instead of a profile", {
  completes: { dynamic: "sso-sessions" },
});
const region = text("--region <region>", "AWS Region (default: the profile's region)", { completes: { dynamic: "regions" }, region: true });
// The AWS CLI's --ca-bundle: over AWS_CA_BUNDLE and the profile's ca_bundle (docs/protocols.md §1.6).
const caBundle = text("--ca-bundle <file>", "PEM file of CAs to trust for AWS calls (over AWS_CA_BUNDLE and the profile's ca_bundle)", {
  completes: { any: true },
});
const ssoRegion = text("--sso-region <region>", "Region of the IAM Identity Center instance", {
  completes: { dynamic: "regions" },
  region: true,
});
// Every command that takes a Region flag declares this too (a test checks it): the built-in list is
// what botocore knew when this ccsso was built, and AWS opens new Regions.
const allowUnknownRegion = toggle(
  "--allow-unknown-region",
  "Accept a Region newer than the ones this ccsso knows (it must still look like us-east-1)",
);
const json = toggle("--json", "Print machine-readable JSON");
const input = negated("--no-input", "Never prompt; fail naming the missing flag instead");
const useDeviceCode = toggle("--use-device-code", "Use the device-code flow (automatic over SSH, in containers or without a display)");
const browser = negated("--no-browser", "Print the sign-in URL instead of opening a browser");
const useBrowser = toggle("--use-browser", "Use the browser flow wherever this runs, and forget a remembered --use-device-code");
const redirectPort = text(
  "--redirect-port <port>",
  "Listen for the browser on this fixed 127.0.0.1 port (for ssh -L; default: [login] redirect_port, else any)",
);
const copyUrl = toggle("--copy", "Copy the sign-in URL to the clipboard through the terminal (OSC 52; default: [login] copy_url)");

/** The command groups (`ccsso sso …`, `ccsso configure …`) and the line their help starts with. */
export const GROUPS = {
  configure: "ccsso configure — write SSO profiles and sessions to the AWS config",
  sso: "ccsso sso — sign in to and out of IAM Identity Center",
} as const;

/** Keeps each definition's exact option types (for OptionsOf) while checking it is a definition. */
const define = <O extends OptionDefs>(def: CommandDef<O>): CommandDef<O> => def;

export const configureSso = define({
  path: ["configure", "sso"],
  summary: "Create or update an SSO profile (the `aws configure sso` wizard)",
  details:
    "Prompts in the AWS CLI's order: session name, start URL, SSO region, scopes, then signs in and lists\n" +
    "accounts and roles. Every prompt has a flag; with --no-input (or without a terminal) nothing is asked.\n" +
    "A value that has a default (scopes, output format) is asked only along with the questions around it:\n" +
    "typed in flag form, nothing more is asked. With no default profile yet, it offers to make this one\n" +
    "the [default] (a copy the AWS CLI and SDKs read too). With --account-id and --role-name given, the\n" +
    "profile is written without signing in. A start URL on your own domain that redirects to the access\n" +
    "portal is resolved first; when the portal's host names the SSO region, it is not asked.",
  options: {
    profile,
    ssoSession,
    startUrl: text("--start-url <url>", "IAM Identity Center start URL (https://…/start)"),
    ssoRegion,
    scopes: text("--scopes <list>", "Registration scopes, comma-separated (default: sso:account:access)"),
    accountId: text("--account-id <id>", "AWS account ID for the profile"),
    roleName: text("--role-name <name>", "Permission set (role) name for the profile"),
    region,
    allowUnknownRegion,
    output: text("--output <format>", "Default output format for the AWS CLI (json, text, table, yaml)", {
      completes: { words: ["json", "text", "table", "yaml", "yaml-stream"] },
    }),
    useDeviceCode,
    useBrowser,
    redirectPort,
    copy: copyUrl,
    browser,
    input,
  },
  examples: ["ccsso configure sso --sso-session corp --start-url https://corp.awsapps.com/start --sso-region us-east-1"],
});

export const configureSsoSession = define({
  path: ["configure", "sso-session"],
  summary: "Create or update only an [sso-session] section",
  details:
    "A start URL on your own domain that redirects to the access portal is resolved first; when the\n" +
    "portal's host names the SSO region, it is not asked.",
  options: {
    ssoSession,
    startUrl: text("--start-url <url>", "IAM Identity Center start URL"),
    ssoRegion,
    allowUnknownRegion,
    scopes: text("--scopes <list>", "Registration scopes, comma-separated"),
    input,
  },
});

export const configurePopulate = define({
  path: ["configure", "populate"],
  summary: "Write one profile per account and role you can reach",
  options: {
    ssoSession,
    profileTemplate: text("--profile-template <template>", "Profile name template: {account_id} {account_name} {role_name} {session}", {
      default: "{account_name}.{role_name}",
    }),
    region,
    allowUnknownRegion,
    prune: toggle("--prune", "Remove profiles ccsso populated earlier that you can no longer reach"),
    dryRun: toggle("--dry-run", "Print the changes without writing"),
  },
});

export const ssoLogin = define({
  path: ["sso", "login"],
  summary: "Sign in to IAM Identity Center and cache the token (shared with the AWS CLI)",
  details:
    "Uses the authorization-code flow with PKCE (browser + loopback on 127.0.0.1) for sso-session profiles,\n" +
    "and the device-code flow for legacy profiles, with --use-device-code, over SSH, in a dev container or\n" +
    "codespace, or without a display; one line says which and why. WSL opens the Windows browser. In a CI\n" +
    "job (CI=true) it fails at once (exit 3) unless --use-device-code is given. --use-device-code is\n" +
    "remembered for the sso-session (in ~/.config/ccsso/config.toml) until --use-browser. Over SSH,\n" +
    "--redirect-port N listens on a fixed port and prints the `ssh -L N:127.0.0.1:N` line that lets your\n" +
    "workstation's browser finish the sign-in. --copy puts the URL on your clipboard through the terminal.\n" +
    "With --if-needed nothing opens while the session has more than [login] if_needed_threshold left\n" +
    "(default 1h, in ~/.config/ccsso/config.toml) or can renew itself; one line says who is signed in until when.\n" +
    "A start URL on your own domain is asked once where it redirects; one that does not lead to an AWS access\n" +
    "portal is refused. When the portal's host names another SSO region, sso_region is updated after sign-in.",
  options: {
    profile,
    ssoSession,
    caBundle,
    useDeviceCode,
    useBrowser,
    redirectPort,
    copy: copyUrl,
    browser,
    ifNeeded: toggle("--if-needed", "Sign in only when the session is missing, expired or about to expire"),
  },
  examples: ["ccsso sso login --profile dev --if-needed", "ccsso sso login --sso-session corp --redirect-port 8400"],
});

export const ssoLogout = define({
  path: ["sso", "logout"],
  summary: "Sign out and delete the cached token and role credentials",
  options: { profile, ssoSession, all: toggle("--all", "Sign out of every session (what `aws sso logout` does)") },
});

export const ssoStatus = define({
  path: ["sso", "status"],
  summary: "Show every SSO session, its expiry and cached role credentials (no secrets)",
  details:
    "With --profile or --sso-session, only that profile's session. Profiles made by `aws login`\n" +
    "(login_session) are listed too. Exit status, for scripts: 0 when every session shown is signed in (or\n" +
    "can renew itself without a browser), 3 when one needs ccsso sso login (or aws login), 1 when no\n" +
    "session is configured.",
  options: {
    profile: text("--profile <name>", "Show only this profile's session", { completes: { dynamic: "profiles" } }),
    ssoSession: text("--sso-session <name>", "Show only this [sso-session]", { completes: { dynamic: "sso-sessions" } }),
    json,
  },
});

export const whoami = define({
  path: ["whoami"],
  summary: "Show the identity behind a profile (STS GetCallerIdentity)",
  options: { profile, json, caBundle },
});

export const exportCredentials = define({
  path: ["export-credentials"],
  summary: "Print a profile's credentials (same formats as `aws configure export-credentials`)",
  options: {
    profile,
    caBundle,
    // docs/protocols.md §3.8: the formats `aws configure export-credentials` accepts.
    format: text("--format <format>", "process, env, env-no-export, powershell, windows-cmd or fish", {
      default: "process",
      completes: { words: ["process", "env", "env-no-export", "powershell", "windows-cmd", "fish"] },
    }),
  },
  examples: [
    'eval "$(ccsso export-credentials --profile dev --format env)"',
    "credential_process = ccsso export-credentials --profile dev",
  ],
});

export const exec = define({
  path: ["exec"],
  args: [{ name: "command", variadic: true, completes: { any: true } }],
  summary: "Run a command with a profile's credentials in its environment",
  details:
    "Exit status: the command's own (128 + the signal's number when a signal ends it); 127 when there is\nno such command, 126 when it cannot be run, as a shell reports them.",
  options: { profile, caBundle },
  examples: ["ccsso exec --profile dev -- aws s3 ls"],
});

export const serve = define({
  path: ["serve"],
  summary: "Serve a profile's credentials to containers (the AWS SDKs' container credentials endpoint)",
  details:
    "Prints AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN as export lines (or writes\n" +
    "them to --env-file, docker's format); a container given both gets short-lived role credentials from the\n" +
    "AWS CLI, the SDKs and ccsso's git helper without ~/.aws. The token is new on every start; requests\n" +
    "without it are refused. Runs until Ctrl-C (exit 130) or SIGTERM (exit 0).",
  options: {
    profile,
    address: text("--address <ip>", "IP address to listen on: loopback, or a bridge address containers reach", { default: "127.0.0.1" }),
    port: text("--port <n>", "TCP port; 0 picks a free one", { default: "0" }),
    envFile: text("--env-file <file>", "Write the two variables to this file (0600, for docker run --env-file) instead of stdout"),
  },
  examples: [
    "ccsso serve --profile dev --env-file ~/.ccsso/serve.env &",
    "docker run --network host --env-file ~/.ccsso/serve.env amazon/aws-cli sts get-caller-identity",
  ],
});

export const credentialHelper = define({
  path: ["credential-helper"],
  args: [{ name: "operation", required: true, completes: { words: ["get", "store", "erase"] } }],
  summary: "git credential helper for CodeCommit (get, store, erase)",
  details:
    "git runs it; ccsso setup-git writes the entries (it is also installed as git-credential-ccsso). get\n" +
    "reads git's request on stdin and answers with a freshly signed CodeCommit password (good for 5 minutes\n" +
    "at most); store keeps nothing; erase, after CodeCommit refused a password, forgets the cached role\n" +
    "credentials behind it. When it cannot answer for a CodeCommit URL it prints one line and tells git to\n" +
    "stop (quit=1), so git never falls back to asking for a username. Try it: ccsso doctor.",
  options: { profile },
});

export const setupGit = define({
  path: ["setup-git"],
  summary: "Configure git to use ccsso for CodeCommit HTTPS and codecommit:// URLs",
  details:
    "Writes URL-scoped credential helper entries for every CodeCommit host pattern (an empty helper first,\n" +
    "so no storing helper keeps the short-lived password), links git-remote-codecommit and\n" +
    "git-credential-ccsso next to this binary, and says which profile each pattern signs with. Without\n" +
    "--profile the helper lines name none: each time git runs, the helper follows AWS_PROFILE, [default],\n" +
    "else the only SSO profile. With several SSO profiles and no default, it asks which one to pin (or\n" +
    "lists them without a terminal) — except when run through the `ccsso use` shell function.",
  options: {
    // Unlike other commands, the profile here is written into git's config, not used once.
    profile: text("--profile <name>", "Pin git's helper to this profile (default: none; the helper follows AWS_PROFILE when git runs)", {
      completes: { dynamic: "profiles" },
    }),
    global: toggle("--global", "Write to the user's git config (default)"),
    system: toggle("--system", "Write to the system git config"),
    local: toggle("--local", "Write to this repository's git config"),
    uninstall: toggle("--uninstall", "Remove exactly what setup-git added"),
  },
});

export const clone = define({
  path: ["clone"],
  args: [
    { name: "repository", required: true, completes: { dynamic: "repos" } },
    { name: "directory", completes: { dirs: true } },
  ],
  summary: "Clone a CodeCommit repository by name",
  options: { profile, region, allowUnknownRegion, caBundle },
});

export const repos = define({
  path: ["repos"],
  summary: "List CodeCommit repositories and their clone URLs",
  options: { profile, region, allowUnknownRegion, json, caBundle },
});

const printUrl = toggle("--print", "Print the signed-in URL on stdout instead of opening it (it is a secret for 15 minutes)");
const sessionDuration = text(
  "--duration <seconds>",
  "Console session length, 900–43200 (only for a role assumed with an IAM user's access keys)",
);
const browserCommand = text("--browser <command>", "Open the URL with this command instead of $BROWSER or the platform opener");

export const awsConsole = define({
  path: ["console"],
  summary: "Open the AWS console in the browser, signed in as a profile's role",
  details:
    "Trades the profile's temporary role credentials (SSO, role_arn, credential_process, the environment)\n" +
    "for a console sign-in token at the Region's federation endpoint, then opens the console's logout page\n" +
    "followed by the sign-in, so a browser signed in to another account or role switches. Long-lived IAM\n" +
    "user keys cannot sign in this way. The browser is $BROWSER or the platform opener, as for sso login.",
  options: {
    profile,
    region,
    allowUnknownRegion,
    service: text("--service <name>", "Open this service's console (s3, ec2, codesuite, …) instead of the home page"),
    destination: text("--destination <url>", "Open this console URL after signing in"),
    print: printUrl,
    browser: browserCommand,
    duration: sessionDuration,
  },
  examples: ["ccsso console --profile dev", "ccsso console --profile dev --service s3", "ccsso console --print | xclip"],
});

export const browse = define({
  path: ["browse"],
  args: [{ name: "path-or-repository", completes: { any: true } }],
  summary: "Open this repository's CodeCommit page (a file, branch, commit or pull request) in the signed-in console",
  details:
    "Inside a git checkout, the repository, Region and profile come from its CodeCommit remote exactly as git's\n" +
    "helpers work them out (https or codecommit:// URL, [[repository]] rules in the settings file); PATH is\n" +
    "relative to the current directory and opens at the current branch unless --branch or --commit says\n" +
    "otherwise. With several CodeCommit remotes, --remote picks one. Outside a checkout, the argument is a\n" +
    "repository name (with --profile/--region).",
  options: {
    profile,
    region,
    allowUnknownRegion,
    branch: text("--branch <name>", "Show PATH on this branch (default: the current branch)", { completes: { dynamic: "branches" } }),
    commit: text("--commit <sha>", "Show PATH at this commit, or the commit itself without PATH"),
    pr: text("--pr <number>", "Show this pull request"),
    remote: text("--remote <name>", "The git remote to use when several are CodeCommit repositories"),
    print: printUrl,
    browser: browserCommand,
    duration: sessionDuration,
  },
  examples: [
    "ccsso browse",
    "ccsso browse src/main.ts",
    "ccsso browse --pr 42",
    "ccsso browse --print README.md",
    "ccsso browse demo --profile dev",
  ],
});

export const doctor = define({
  path: ["doctor"],
  summary: "Check that git really runs ccsso, the settings, profiles, session and endpoints; print the fix for each problem",
  options: { profile, json },
});

export const SHELLS = ["bash", "zsh", "fish", "powershell"] as const;

export const shellInit = define({
  path: ["shell-init"],
  args: [{ name: "shell", required: true, completes: { words: SHELLS } }],
  summary: "Print the ccsso shell function that makes `ccsso use` switch the current shell",
  details:
    "Install it with one line in your shell's startup file, then open a new shell:\n" +
    '  bash:       eval "$(ccsso shell-init bash)"        (~/.bashrc)\n' +
    '  zsh:        eval "$(ccsso shell-init zsh)"         (~/.zshrc)\n' +
    "  fish:       ccsso shell-init fish | source         (~/.config/fish/config.fish)\n" +
    "  PowerShell: ccsso shell-init powershell | Out-String | Invoke-Expression    ($PROFILE)\n" +
    "The function runs this binary for every ccsso command; for `ccsso use` it applies what the binary prints.",
  options: {},
  examples: ['eval "$(ccsso shell-init bash)"'],
});

export const use = define({
  path: ["use"],
  args: [{ name: "profile", completes: { dynamic: "profiles" } }],
  summary: "Switch this shell to a profile (AWS_PROFILE), signing in only if needed (needs `ccsso shell-init`)",
  details:
    "Signs in first when the session is missing or about to expire (as `sso login --if-needed`), then sets\n" +
    "AWS_PROFILE and unsets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN in this shell.\n" +
    "Without PROFILE, pick one with the arrow keys (type to filter). With --export, the role credentials\n" +
    "themselves go into the shell too, for tools that cannot read SSO profiles. Runs through the shell\n" +
    "function from `ccsso shell-init`; without it, statements for --shell are printed on stdout.",
  options: {
    export: toggle("--export", "Also put the profile's role credentials into the shell (AWS_ACCESS_KEY_ID, …)"),
    clear: toggle("--clear", "Unset AWS_PROFILE and the AWS credential variables"),
    shell: text("--shell <shell>", "Print statements for this shell (default: $CCSSO_SHELL, set by the shell function)", {
      completes: { words: SHELLS },
    }),
    useDeviceCode,
    useBrowser,
    redirectPort,
    copy: copyUrl,
    browser,
  },
  examples: ["ccsso use dev", "ccsso use", "ccsso use dev --export", "ccsso use --clear"],
});

export const prompt = define({
  path: ["prompt"],
  summary: "Print the current profile and its session's time left for a shell prompt (offline, fast)",
  details:
    "Prints `dev 5h12m` (`+`: renews itself silently), `dev renews`, `dev expired`, `dev signed out`, or just\n" +
    "`dev` for a profile without SSO; nothing when AWS_PROFILE is not set. Reads only the environment, the\n" +
    "AWS config and the token cache; never the network.",
  options: {},
  examples: ["PS1='$(ccsso prompt) \\$ '"],
});

export const completion = define({
  path: ["completion"],
  args: [{ name: "shell", required: true, completes: { words: SHELLS } }],
  summary: "Print a shell completion script (bash, zsh, fish, powershell)",
  options: {},
  examples: ['eval "$(ccsso completion bash)"'],
});

export const completeCandidates = define({
  path: ["__complete"],
  args: [{ name: "kind", required: true }],
  summary: "Print completion candidates: profiles, sso-sessions, regions, repos or branches (used by `ccsso completion` scripts)",
  // Not checked as a Region: completion must stay silent, whatever was typed before the TAB.
  options: {
    profile,
    region: text("--region <region>", "AWS Region (default: the profile's region)", { completes: { dynamic: "regions" } }),
  },
  hidden: true,
});
