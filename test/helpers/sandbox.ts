// A private home for one test: its own HOME, AWS config, XDG config and git config, and an env with no
// inherited AWS_* (test isolation, docs/architecture.md §4). Spawned processes get `sandbox.env`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Sandbox {
  home: string;
  env: Record<string, string>;
  awsConfig: string;
  awsCredentials: string;
  gitConfig: string;
  path(...parts: string[]): string;
  writeConfig(text: string): void;
  cleanup(): void;
}

export function makeSandbox(extraEnv: Record<string, string> = {}): Sandbox {
  const home = mkdtempSync(join(tmpdir(), "ccsso-sbx-"));
  mkdirSync(join(home, ".aws"), { recursive: true, mode: 0o700 });
  const gitConfig = join(home, ".gitconfig");
  writeFileSync(gitConfig, "[user]\n\tname = ccsso test\n\temail = test@example.invalid\n[init]\n\tdefaultBranch = main\n");
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (k.startsWith("AWS_") || k.startsWith("GIT_") || k === "CODE_COMMIT_ENDPOINT" || k === "BROWSER") continue;
    // Where the tests run (a CI job, an SSH session, WSL, tmux) must not choose the sign-in flow.
    if (/^(CI|SSH_CONNECTION|SSH_TTY|SSH_CLIENT|REMOTE_CONTAINERS|CODESPACES|WSL_DISTRO_NAME|WSL_INTEROP|TMUX|STY)$/.test(k)) continue;
    if (/^(https?|no|all)_proxy$/i.test(k)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    AWS_CONFIG_FILE: join(home, ".aws", "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, ".aws", "credentials"),
    GIT_CONFIG_GLOBAL: gitConfig,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    NO_COLOR: "1",
    ...extraEnv,
  });
  return {
    home,
    env,
    awsConfig: env.AWS_CONFIG_FILE!,
    awsCredentials: env.AWS_SHARED_CREDENTIALS_FILE!,
    gitConfig,
    path: (...parts) => join(home, ...parts),
    writeConfig(text) {
      writeFileSync(env.AWS_CONFIG_FILE!, text, { mode: 0o600 });
    },
    cleanup() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}
