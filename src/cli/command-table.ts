// The command table (docs/architecture.md §2): each definition (command-defs.ts) paired with the module that
// does the work. A module is imported only when its command runs, so a command pays only for what it uses;
// the table itself imports no command module and no parser.
import { type Command, type CommandDef, command } from "./command-model";
import * as def from "./command-defs";

export const commands: readonly Command[] = [
  command(def.configureSso, () => import("./configure-sso")),
  command(def.configureSsoSession, () => import("./configure-sso-session")),
  command(def.configurePopulate, () => import("./configure-populate")),
  command(def.ssoLogin, () => import("./sso-login")),
  command(def.ssoLogout, () => import("./sso-logout")),
  command(def.ssoStatus, () => import("./sso-status")),
  command(def.whoami, () => import("./whoami")),
  command(def.exportCredentials, () => import("./export-credentials")),
  command(def.exec, () => import("./exec")),
  command(def.serve, () => import("./serve")),
  command(def.credentialHelper, () => import("./credential-helper")),
  command(def.setupGit, () => import("./setup-git")),
  command(def.clone, () => import("./clone")),
  command(def.repos, () => import("./repos")),
  command(def.awsConsole, () => import("./console")),
  command(def.browse, () => import("./browse")),
  command(def.doctor, () => import("./doctor")),
  command(def.shellInit, () => import("./shell-init")),
  command(def.use, () => import("./use")),
  command(def.prompt, () => import("./prompt")),
  // The script generator is handed the definitions instead of importing this table, so the two files
  // do not depend on each other.
  command(def.completion, async () => {
    const { completionCommand } = await import("./completion");
    return { run: completionCommand(definitions) };
  }),
  command(def.completeCandidates, () => import("./complete-candidates")),
];

/** Every command's definition, in table order (what help and completion are made from). */
export const definitions: readonly CommandDef[] = commands.map((c) => c.def);

/** Longest command path that prefixes argv, or undefined. */
export function matchCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const c of commands) {
    if (c.def.path.every((p, i) => argv[i] === p) && (!best || c.def.path.length > best.def.path.length)) best = c;
  }
  return best ? { command: best, rest: argv.slice(best.def.path.length) } : undefined;
}
