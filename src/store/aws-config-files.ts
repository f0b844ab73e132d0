// Reading and editing the AWS config and credentials files (docs/protocols.md §1.1–1.3). The model and the editor are
// pure (src/core/aws-config.ts, src/core/ini.ts); this file adds paths, atomic writes and modes.
import { realpathSync } from "node:fs";
import { parseAwsConfig, type AwsConfig } from "../core/aws-config";
import { ConfigError } from "../core/errors";
import { updateIniText, type IniValue } from "../core/ini";
import type { Env } from "../platform/context";
import { awsConfigPath, awsCredentialsPath } from "../platform/paths";
import { atomicWriteFile, readFileIfExists } from "./atomic-file";

function readOrExplain(path: string, what: string): string | undefined {
  try {
    return readFileIfExists(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read the AWS ${what} file ${path} (${code ?? (e as Error).message})`, "check its permissions", { cause: e });
  }
}

/** Both files through botocore's read semantics; a missing file reads as empty. */
export function loadAwsConfig(env: Env): AwsConfig {
  return parseAwsConfig(readOrExplain(awsConfigPath(env), "config"), readOrExplain(awsCredentialsPath(env), "credentials"));
}

/**
 * Set (or, with null, delete) keys in one section of the AWS config file with ConfigFileWriter's rules
 * (see updateIniText). Unlike the AWS CLI the write is atomic (temp + rename), so a crash or a
 * concurrent reader never sees half a config; an existing file keeps its mode, a new one is 0600.
 * `sectionHeader` is the text between the brackets: "default", "profile dev", "sso-session corp".
 */
export function updateAwsConfig(env: Env, sectionHeader: string, values: Record<string, IniValue>, opts: { path?: string } = {}): void {
  const path = realPath(opts.path ?? awsConfigPath(env));
  const before = readOrExplain(path, "config") ?? "";
  const after = updateIniText(before, sectionHeader, values);
  if (after === before) return;
  try {
    atomicWriteFile(path, after, { mode: 0o600 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot write the AWS config file ${path} (${code ?? (e as Error).message})`, "check the directory's permissions", { cause: e });
  }
}

/** The same edit in the shared credentials file (`[name]` sections, no `profile ` prefix). */
export function updateAwsCredentials(env: Env, profile: string, values: Record<string, IniValue>): void {
  updateAwsConfig(env, profile, values, { path: awsCredentialsPath(env) });
}

/** Write through a symlink (dotfile managers link ~/.aws/config) instead of replacing the link. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
