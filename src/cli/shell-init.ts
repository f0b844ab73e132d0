// `ccsso shell-init bash|zsh|fish|powershell`: the shell function behind `ccsso use`, installed with one
// line in the rc file (shellInitLine). It is named `ccsso` and forwards every command to the binary by
// absolute path; for `use` it evaluates what the binary prints, and only when the binary exits 0 — so a
// failed sign-in, a missing profile or Ctrl-C in the picker leaves the shell as it was. All the logic
// (picking, signing in, quoting) stays in the binary (src/cli/use.ts); these few lines per shell only
// capture and evaluate. CCSSO_SHELL tells the binary which syntax to print and `doctor` that the function
// is installed.
import { isShellName, quoteForShell, SHELL_NAMES, type ShellName } from "../core/shell-syntax";
import { UsageError } from "../core/errors";
import type { Context } from "../platform/context";
import { selfArgv } from "../platform/self-path";
import type { shellInit } from "./command-defs";
import type { OptionsOf } from "./command-model";

/** The line that installs the shell function, for messages, `doctor` and `setup-git`. */
export function shellInitLine(shell: ShellName): string {
  switch (shell) {
    case "bash":
      return `eval "$(ccsso shell-init bash)"   # in ~/.bashrc`;
    case "zsh":
      return `eval "$(ccsso shell-init zsh)"    # in ~/.zshrc`;
    case "fish":
      return "ccsso shell-init fish | source    # in ~/.config/fish/config.fish";
    case "powershell":
      return "ccsso shell-init powershell | Out-String | Invoke-Expression    # in $PROFILE";
  }
}

/** The user's shell as far as the environment tells (for the install hint), bash when it does not. */
export function guessShell(env: Context["env"]): ShellName {
  const name = (env.SHELL ?? "").split("/").pop() ?? "";
  if (isShellName(name)) return name;
  if (name === "pwsh" || env.PSModulePath) return "powershell";
  return "bash";
}

export async function run(_opts: OptionsOf<typeof shellInit>, args: string[], ctx: Context): Promise<number> {
  const shell = args[0];
  if (!isShellName(shell))
    throw new UsageError(`unknown shell "${shell ?? ""}": choose ${SHELL_NAMES.join(", ")}`, "run: ccsso shell-init bash");
  ctx.stdout.write(shellInitScript(shell, selfArgv(ctx.env, { stable: true })));
  return 0;
}

/** The function for `shell`, running ccsso as `argv` (the binary's absolute path; bun + main.ts in development). */
export function shellInitScript(shell: ShellName, argv: readonly string[]): string {
  const self = argv.map((w) => quoteForShell(shell, w)).join(" ");
  const install = `# ccsso shell integration for ${shell}; install: ${shellInitLine(shell)}`;
  switch (shell) {
    case "bash":
    case "zsh":
      return [
        install,
        "# `ccsso use [PROFILE]` switches this shell's AWS_PROFILE; every other command runs as usual.",
        "ccsso() {",
        '  if [ "${1-}" = use ]; then',
        "    local __ccsso_out",
        `    __ccsso_out="$(CCSSO_SHELL=${shell} ${self} "$@")" || return`,
        '    eval "$__ccsso_out"',
        "  else",
        `    CCSSO_SHELL=${shell} ${self} "$@"`,
        "  fi",
        "}",
        "",
      ].join("\n");
    case "fish":
      return [
        install,
        "# `ccsso use [PROFILE]` switches this shell's AWS_PROFILE; every other command runs as usual.",
        "function ccsso",
        '    if test "$argv[1]" = use',
        `        set -l __ccsso_out (CCSSO_SHELL=fish ${self} $argv)`,
        "        or return",
        "        string join \\n -- $__ccsso_out | source",
        "    else",
        `        CCSSO_SHELL=fish ${self} $argv`,
        "    end",
        "end",
        "",
      ].join("\n");
    case "powershell":
      return [
        install,
        "# `ccsso use [PROFILE]` switches this session's AWS_PROFILE; every other command runs as usual.",
        "$Env:CCSSO_SHELL = 'powershell'",
        "function ccsso {",
        "    if ($args.Count -gt 0 -and $args[0] -eq 'use') {",
        `        $ccssoOut = & ${self} @args`,
        "        if ($LASTEXITCODE -ne 0) { return }",
        '        if ($ccssoOut) { Invoke-Expression ($ccssoOut -join "`n") }',
        "    } else {",
        `        & ${self} @args`,
        "    }",
        "}",
        "",
      ].join("\n");
  }
}
