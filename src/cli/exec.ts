// `ccsso exec [--profile P] -- CMD ARGS...` run a command with a profile's credentials in
// its environment, the way aws-vault exec does, so tools without SSO support still get short-lived keys.
import { statSync } from "node:fs";
import { constants } from "node:os";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { profileValues, selectProfileName } from "../core/aws-config";
import { CommandNotRunError, ExitCode, UsageError } from "../core/errors";
import { pythonIsoformatUtc } from "../core/credential-export";
import { commandLine } from "../core/shell-quote";
import type { AwsCredentials } from "../core/types";
import type { Context, Env } from "../platform/context";
import type { exec } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { loadAwsConfig } from "../store/aws-config-files";
import { chooseCommandProfile } from "./profile-choice";
import { terminalMfaCode } from "./mfa-prompt";
import { withCaBundleFlag } from "../auth/profile-ca-bundle";

/** The child's environment: credentials and region in, profile selectors and stale credentials out. */
export function execEnvironment(base: Env, creds: AwsCredentials, region: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  // Unset so the child's SDK uses the keys below and a child `ccsso exec`/`aws` does not resolve the
  // profile again (a credential_process pointing back here would loop).
  for (const k of ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION"])
    delete env[k];
  env.AWS_ACCESS_KEY_ID = creds.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey;
  if (creds.sessionToken) env.AWS_SESSION_TOKEN = creds.sessionToken;
  if (creds.expiration) env.AWS_CREDENTIAL_EXPIRATION = pythonIsoformatUtc(creds.expiration);
  if (region) {
    env.AWS_REGION = region;
    env.AWS_DEFAULT_REGION = region;
  }
  return env;
}

/** Exit status of a child as a shell reports it: its code, or 128 + signal number. */
export function exitStatus(code: number | null, signal: string | null | undefined): number {
  if (signal) {
    const n = (constants.signals as Record<string, number>)[signal];
    return 128 + (n ?? 0);
  }
  return code ?? 1;
}

/**
 * Why `cmd` could not be found as an executable, with the status a shell gives: 126 when a file by that
 * name exists but cannot be run (no execute permission, a directory), 127 when there is none. Like sh,
 * a name with a slash is a path; a bare name is looked up in each PATH directory.
 */
export function notRunnable(cmd: string, path: string, cwd: string): CommandNotRunError {
  const candidates = cmd.includes("/")
    ? [isAbsolute(cmd) ? cmd : resolve(cwd, cmd)]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(resolve(cwd, dir), cmd));
  for (const file of candidates) {
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st) continue;
    const what = st.isDirectory() ? "is a directory" : "is not executable";
    return new CommandNotRunError(
      `cannot run ${cmd}: ${file === cmd ? "it" : file} ${what}`,
      st.isDirectory() ? "name a program, not a directory" : `run: ${commandLine(["chmod", "+x", file])}`,
      ExitCode.cannotExecute,
    );
  }
  return new CommandNotRunError(`command not found: ${cmd}`, "check the name and your PATH", ExitCode.commandNotFound);
}

export async function run(opts: OptionsOf<typeof exec>, args: string[], outer: Context): Promise<number> {
  const ctx = withCaBundleFlag(outer, opts.caBundle);
  const [cmd, ...rest] = args;
  if (!cmd) throw new UsageError("exec needs a command to run", "run: ccsso exec --profile <name> -- <command> [args...]");
  const profile = opts.profile;
  const exe = Bun.which(cmd, { PATH: ctx.env.PATH ?? "", cwd: ctx.cwd });
  if (!exe) throw notRunnable(cmd, ctx.env.PATH ?? "", ctx.cwd);

  const cfg = loadAwsConfig(ctx.env);
  const chosen = await chooseCommandProfile(ctx, cfg, profile, "credentials");
  const { resolveCredentials } = await import("../auth/credentials");
  const creds = await resolveCredentials(ctx, { profile: chosen.profileFlag, config: cfg, mfaCode: terminalMfaCode(ctx) });
  const sel = selectProfileName(chosen.profileFlag, ctx.env);
  // Region as the AWS CLI resolves it for this profile: the environment first, then the profile's.
  const region = ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || profileValues(cfg, sel.name)?.region;

  let child;
  try {
    child = Bun.spawn([exe, ...rest], {
      env: execEnvironment(ctx.env, creds, region),
      cwd: ctx.cwd,
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    });
  } catch (e) {
    // Found and executable, yet the system would not start it (a #! interpreter that does not exist, a
    // binary for another machine): 126, as a shell says.
    throw new CommandNotRunError(
      `cannot run ${cmd}: ${(e as Error).message}`,
      "check that it is a program for this machine",
      ExitCode.cannotExecute,
      { cause: e },
    );
  }
  // The terminal sends Ctrl-C to the whole process group: let the child decide what it means, and
  // report its outcome, instead of dying first and leaving it orphaned.
  const ignore = () => {};
  const forwarded = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const handlers = forwarded.map((sig) => [sig, sig === "SIGINT" ? ignore : forward(sig)] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  try {
    const code = await child.exited;
    return exitStatus(code, child.signalCode === null ? null : String(child.signalCode));
  } finally {
    for (const [sig, h] of handlers) process.off(sig, h);
  }
}
