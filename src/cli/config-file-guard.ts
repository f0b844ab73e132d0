// What both configure wizards check before touching the AWS config file: it can be read, it has no
// line botocore would refuse (the AWS CLI cannot even start with such a file), and it may be written.
// Each failure is one line naming the file, the line and the fix; the file is left as it was.
import { realpathSync, statSync } from "node:fs";
import type { AwsConfigProblem } from "../core/aws-config";
import { ConfigError } from "../core/errors";
import type { Env } from "../platform/context";
import { awsConfigPath } from "../platform/paths";
import { atomicWriteFile, readFileIfExists } from "../store/atomic-file";

/** The config path, through a symlink (dotfile managers link ~/.aws/config) so writes keep the link. */
export function resolveConfigPath(env: Env): string {
  const path = awsConfigPath(env);
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export function readConfigText(path: string): string | undefined {
  try {
    return readFileIfExists(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read the AWS config file ${path} (${code ?? (e as Error).message})`, "check its permissions", { cause: e });
  }
}

export function configProblemError(path: string, problem: AwsConfigProblem): ConfigError {
  return new ConfigError(`${path} line ${problem.line}: ${problem.message}; nothing was written`, "fix or remove that line, then run the command again");
}

/** Refuse early (before any login or listing) when the file exists and is read-only. */
export function assertConfigWritable(path: string): void {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return; // missing: it will be created
  }
  // A config the user made read-only is a decision to respect, even when we (e.g. root) could replace it.
  if ((mode & 0o222) === 0) {
    throw new ConfigError(`the AWS config file ${path} is read-only; nothing was written`, "make it writable (chmod u+w) and run the command again");
  }
}

/** Replace the whole file atomically, keeping its mode (0600 when new). */
export function writeConfigText(path: string, text: string): void {
  assertConfigWritable(path);
  try {
    atomicWriteFile(path, text, { mode: 0o600 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot write the AWS config file ${path} (${code ?? (e as Error).message}); nothing was written`, "check the permissions of the file and its directory", { cause: e });
  }
}
