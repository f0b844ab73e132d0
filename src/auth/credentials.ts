// The credential chain (docs/protocols.md §1.2, §3.6): environment keys unless --profile named one
// (as botocore: AWS_PROFILE alone does not outrank AWS_ACCESS_KEY_ID), then the profile the way botocore
// orders its providers — an assumed role (role_arn), SSO, keys in the credentials file, credential_process,
// keys in the config file.
import { ConfigError, CcssoError, ProfileNotFoundError } from "../core/errors";
import { registerSecret } from "../core/redact";
import { shlexSplit } from "../core/shlex";
import { parseCacheTimestamp } from "../core/timestamps";
import type { AwsCredentials } from "../core/types";
import {
  chooseProfile,
  describeProfileChoice,
  profileNames,
  profileNotChosenError,
  profileValues,
  resolveSsoProfile,
  selectProfileName,
  type AwsConfig,
} from "../core/aws-config";
import type { Context } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { awsConfigPath, awsCredentialsPath } from "../platform/paths";
import { loadAwsConfig } from "../store/aws-config-files";
import { assumesRole } from "../core/role-chain";
import { withProfileCaBundle } from "./profile-ca-bundle";
import { getSsoRoleCredentials } from "./role-credentials";
import { commandLine } from "../core/shell-quote";

export interface ResolveOptions {
  profile?: string;
  config?: AwsConfig;
  /** the caller is git: a missing profile is fixed with setup-git */
  forGit?: boolean;
  /** Asks for an MFA code on a terminal; without it a role with mfa_serial and no cached credentials is an error naming the command to run. */
  mfaCode?: (serial: string, profile: string) => Promise<string | undefined>;
}

export async function resolveCredentials(ctx: Context, opts: ResolveOptions = {}): Promise<AwsCredentials> {
  const sel = selectProfileName(opts.profile, ctx.env);
  if (!sel.fromFlag) {
    const env = credentialsFromEnv(ctx);
    if (env) {
      debugLog(ctx, `credentials: environment variables (AWS_ACCESS_KEY_ID ${env.accessKeyId}); no --profile given`);
      return env;
    }
  }
  const cfg = opts.config ?? loadAwsConfig(ctx.env);
  // Only what is configured decides here (the one SSO profile when nothing else does); prompting and
  // pickers are the commands' business, never the helpers'.
  const choice = chooseProfile(cfg, opts.profile, ctx.env, "credentials");
  if (ctx.debug) debugLog(ctx, `credentials: ${describeProfileChoice(choice)}; config ${awsConfigPath(ctx.env)}`);
  if (choice.rule === "several candidates") throw profileNotChosenError(choice, opts.forGit);
  const name = choice.name;
  if (!profileValues(cfg, name)) {
    if (!choice.explicit) {
      if (containerConfigured(ctx)) return fromContainer(ctx);
      // git cannot pass --profile: for the helpers the fix is a profile that the rule then finds.
      throw new ConfigError(
        "no AWS credentials found: no --profile, AWS_PROFILE, [default] profile, SSO profile or AWS_ACCESS_KEY_ID",
        opts.forGit ? "run: ccsso configure sso (git then uses the profile it creates)" : "run: ccsso configure sso, or pass --profile",
      );
    }
    throw new ProfileNotFoundError(name, profileNames(cfg));
  }
  const values = profileValues(cfg, name)!;
  ctx = withProfileCaBundle(ctx, cfg, name);
  // botocore's chain: the assume-role provider comes before the profile's own providers.
  if (assumesRole(values)) {
    const { getAssumedRoleCredentials } = await import("./assume-role");
    return getAssumedRoleCredentials(ctx, cfg, name, {
      mfaCode: opts.mfaCode,
      profileCredentials: (source) => profileCredentials(ctx, cfg, source),
      environmentCredentials: () => credentialsFromEnv(ctx),
    });
  }
  if (values.role_arn !== undefined) {
    throw new ConfigError(
      `profile ${name} uses web_identity_token_file, which ccsso does not support yet`,
      "use a profile with sso_session, source_profile or access keys",
    );
  }
  return profileCredentials(ctx, cfg, name);
}

/** A profile's own credentials, not assuming a role: the rest of botocore's ProfileProviderBuilder order. */
async function profileCredentials(ctx: Context, cfg: AwsConfig, name: string): Promise<AwsCredentials> {
  const sso = resolveSsoProfile(cfg, name);
  if (sso) return getSsoRoleCredentials(ctx, cfg, sso);
  // botocore's ProfileProviderBuilder order: sso, shared-credentials-file, login, process, config-file.
  const fileKeys = staticCredentials(cfg.credentialProfiles.get(name));
  if (fileKeys) {
    debugLog(ctx, `credentials: access keys of profile ${name} in ${awsCredentialsPath(ctx.env)}`);
    return fileKeys;
  }
  // botocore's LoginProvider (`aws login`) comes after the credentials file and before credential_process.
  const loginSession = profileValues(cfg, name)!.login_session;
  if (loginSession) {
    const { getLoginCredentials } = await import("./login-credentials");
    return getLoginCredentials(ctx, cfg, name, loginSession);
  }
  const process = profileValues(cfg, name)!.credential_process;
  if (process) {
    debugLog(ctx, `credentials: credential_process of profile ${name}`);
    return runCredentialProcess(ctx, name, process);
  }
  const configKeys = staticCredentials(cfg.profiles.get(name));
  if (configKeys) {
    debugLog(ctx, `credentials: access keys of profile ${name} in ${awsConfigPath(ctx.env)}`);
    return configKeys;
  }
  if (containerConfigured(ctx)) return fromContainer(ctx);
  throw new ConfigError(
    `profile ${name} has no credentials (no SSO role, access keys or credential_process)`,
    `run: ${commandLine(["ccsso", "configure", "sso", "--profile", name])}`,
  );
}

// After every source a profile can name comes the container endpoint (botocore's chain: env, profile
// sources, container, instance metadata), so inside a container with only AWS_CONTAINER_CREDENTIALS_FULL_URI
// and AWS_CONTAINER_AUTHORIZATION_TOKEN set, git's helper works. Loaded only when those are set.
function containerConfigured(ctx: Context): boolean {
  return Boolean(ctx.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI);
}

async function fromContainer(ctx: Context): Promise<AwsCredentials> {
  const { containerCredentials } = await import("./container-credentials");
  return containerCredentials(ctx);
}

function credentialsFromEnv(ctx: Context): AwsCredentials | undefined {
  const id = ctx.env.AWS_ACCESS_KEY_ID;
  const secret = ctx.env.AWS_SECRET_ACCESS_KEY;
  if (!id || !secret) return undefined;
  registerSecret(secret);
  const out: AwsCredentials = { accessKeyId: id, secretAccessKey: secret, source: "env" };
  if (ctx.env.AWS_SESSION_TOKEN) {
    out.sessionToken = ctx.env.AWS_SESSION_TOKEN;
    registerSecret(out.sessionToken);
  }
  const exp = parseIsoDate(ctx.env.AWS_CREDENTIAL_EXPIRATION);
  if (exp !== undefined) out.expiration = new Date(exp);
  return out;
}

function staticCredentials(values: Record<string, string> | undefined): AwsCredentials | undefined {
  if (!values?.aws_access_key_id || !values.aws_secret_access_key) return undefined;
  registerSecret(values.aws_secret_access_key);
  const out: AwsCredentials = { accessKeyId: values.aws_access_key_id, secretAccessKey: values.aws_secret_access_key, source: "static" };
  if (values.aws_session_token) {
    out.sessionToken = values.aws_session_token;
    registerSecret(out.sessionToken);
  }
  if (values.aws_account_id) out.accountId = values.aws_account_id;
  return out;
}

/** ISO 8601 as credential_process emits it (`…Z`, `…+00:00`, with or without fractions); ms or undefined. */
function parseIsoDate(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ours = parseCacheTimestamp(text);
  if (ours !== undefined) return ours;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/** botocore ProcessProvider: split like a shell without running one, Version 1 JSON on stdout. */
async function runCredentialProcess(ctx: Context, profile: string, command: string): Promise<AwsCredentials> {
  let argv: string[];
  try {
    argv = shlexSplit(command);
  } catch (e) {
    throw new ConfigError(
      `credential_process for profile ${profile} cannot be parsed: ${(e as Error).message}`,
      "fix its quoting in the AWS config",
    );
  }
  if (argv.length === 0) throw new ConfigError(`credential_process for profile ${profile} is empty`, "set it to a command or remove it");
  let proc;
  try {
    proc = Bun.spawn(argv, { env: ctx.env as Record<string, string>, cwd: ctx.cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  } catch (e) {
    throw new ConfigError(
      `credential_process for profile ${profile} could not be started: ${argv[0]}: ${(e as Error).message}`,
      "check the command in the AWS config",
    );
  }
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) {
    const why = stderr.trim().split("\n").pop() || `exit status ${code}`;
    throw new CcssoError(`credential_process for profile ${profile} failed: ${why}`, `run it yourself to see why: ${argv[0]}`);
  }
  let doc: Record<string, unknown>;
  try {
    const parsed = JSON.parse(stdout);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    doc = parsed;
  } catch {
    throw new CcssoError(
      `credential_process for profile ${profile} did not print a JSON object`,
      "it must print Version 1 credentials JSON",
    );
  }
  if (doc.Version !== 1) {
    throw new CcssoError(
      `Unsupported version '${String(doc.Version)}' for credential process provider, supported versions: 1 (profile ${profile})`,
    );
  }
  const id = doc.AccessKeyId;
  const secret = doc.SecretAccessKey;
  if (typeof id !== "string" || !id || typeof secret !== "string" || !secret) {
    throw new CcssoError(
      `credential_process for profile ${profile} printed no ${typeof id !== "string" || !id ? "AccessKeyId" : "SecretAccessKey"}`,
    );
  }
  registerSecret(secret);
  const out: AwsCredentials = { accessKeyId: id, secretAccessKey: secret, source: "process" };
  if (typeof doc.SessionToken === "string" && doc.SessionToken) {
    out.sessionToken = doc.SessionToken;
    registerSecret(doc.SessionToken);
  }
  if (typeof doc.Expiration === "string") {
    const exp = parseIsoDate(doc.Expiration);
    if (exp === undefined)
      throw new CcssoError(`credential_process for profile ${profile} printed an unreadable Expiration "${doc.Expiration}"`);
    out.expiration = new Date(exp);
  }
  if (typeof doc.AccountId === "string" && doc.AccountId) out.accountId = doc.AccountId;
  return out;
}
