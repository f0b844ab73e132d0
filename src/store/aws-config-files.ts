// Reading and editing the AWS config and credentials files (docs/protocols.md §1.1–1.3). The model and
// the editor are pure (src/core/aws-config.ts, src/core/ini.ts); this file adds paths, the checks every
// edit makes, atomic writes and modes. There is one way to write the config file — writeConfigText —
// and every edit goes through it, so none can skip the read-only check.
import { realpathSync, statSync } from "node:fs";
import { parseAwsConfig, type AwsConfig } from "../core/aws-config";
import { ConfigError } from "../core/errors";
import { parseIni, updateIniText, type IniProblem, type IniValue } from "../core/ini";
import type { Env } from "../platform/context";
import { awsConfigPath, awsCredentialsPath } from "../platform/paths";
import { atomicWriteFile, FileInUseError, readFileIfExists } from "./atomic-file";

function readOrExplain(path: string, what: string): string | undefined {
  try {
    return readFileIfExists(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read the AWS ${what} file ${path} (${code ?? (e as Error).message})`, "check its permissions", {
      cause: e,
    });
  }
}

/** Both files through botocore's read semantics; a missing file reads as empty. */
export function loadAwsConfig(env: Env): AwsConfig {
  return parseAwsConfig(readOrExplain(awsConfigPath(env), "config"), readOrExplain(awsCredentialsPath(env), "credentials"));
}

/** The config file to edit: AWS_CONFIG_FILE or ~/.aws/config, through a symlink (dotfile managers link
 * ~/.aws/config) so a write replaces the file and keeps the link. */
export function resolveConfigPath(env: Env): string {
  return realPath(awsConfigPath(env));
}

export function readConfigText(path: string): string | undefined {
  return readOrExplain(path, "config");
}

export function configProblemError(path: string, problem: IniProblem): ConfigError {
  return new ConfigError(
    `${path} line ${problem.line}: ${problem.message}; nothing was written`,
    "fix or remove that line, then run the command again",
  );
}

/**
 * The config file's text and the model of both files, for a command that is about to edit it. A line
 * botocore would refuse is an error before anything happens: the AWS CLI cannot even start with such a
 * file, and writing into it would hide the problem behind ccsso's own, more lenient, reading.
 */
export function loadConfigForEdit(path: string, env: Env): { text: string | undefined; cfg: AwsConfig } {
  const text = readConfigText(path);
  const cfg = parseAwsConfig(text, readOrExplain(awsCredentialsPath(env), "credentials"));
  const problem = cfg.problems.find((p) => p.file === "config");
  if (problem) throw configProblemError(path, problem);
  return { text, cfg };
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
    throw new ConfigError(
      `the AWS config file ${path} is read-only; nothing was written`,
      "make it writable (chmod u+w) and run the command again",
    );
  }
}

/** Replace the whole file atomically (temp + rename), keeping its mode (0600 when new). */
export function writeConfigText(path: string, text: string): void {
  assertConfigWritable(path);
  try {
    atomicWriteFile(path, text, { mode: 0o600 });
  } catch (e) {
    if (e instanceof FileInUseError) throw e; // its own message names the cause, not permissions
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `cannot write the AWS config file ${path} (${code ?? (e as Error).message}); nothing was written`,
      "check the permissions of the file and its directory",
      { cause: e },
    );
  }
}

/**
 * Set (or, with null, delete) keys in one section of the AWS config file with ConfigFileWriter's rules
 * (see updateIniText), through the same checks as every other edit: a file botocore would refuse, or
 * one the user made read-only, is left as it is. `sectionHeader` is the text between the brackets:
 * "default", "profile dev", "sso-session corp". `opts.path` edits another file of the same format.
 */
export function updateAwsConfig(env: Env, sectionHeader: string, values: Record<string, IniValue>, opts: { path?: string } = {}): void {
  const path = opts.path === undefined ? resolveConfigPath(env) : realPath(opts.path);
  const before = readConfigText(path) ?? "";
  const problem = parseIni(before).problems[0];
  if (problem) throw configProblemError(path, problem);
  const after = updateIniText(before, sectionHeader, values);
  if (after === before) return;
  writeConfigText(path, after);
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
