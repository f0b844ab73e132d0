// Statements that set and unset environment variables, written for one shell, with every value quoted
// so that the shell's `eval` (bash, zsh), `source` (fish) or `Invoke-Expression` (PowerShell) takes it
// as data and never runs any of it. `ccsso use` prints these and the shell-init function evaluates
// them, so a profile name like `x'$(rm -rf ~)` or a credential holding a backtick or a newline must
// arrive in the variable byte for byte. Pure: no I/O.
//
// Each quoting rule is the one form of the shell that has no expansion at all:
//   sh/bash/zsh  the project's one POSIX quoter (src/core/shell-quote.ts): '…' where anything needs it.
//   fish         '…'   only \\ and \' are escapes inside (fish-language(1) "Quotes").
//   PowerShell   '…'   only a single quote is special; anything outside printable ASCII (which includes
//                      the typographic quotes PowerShell also ends strings on) is written as [char]0xNNNN.
import { UsageError } from "./errors";
import { shellQuote } from "./shell-quote";

export type ShellName = "bash" | "zsh" | "fish" | "powershell";
export const SHELL_NAMES: readonly ShellName[] = ["bash", "zsh", "fish", "powershell"];

export function isShellName(s: string | undefined): s is ShellName {
  return s !== undefined && (SHELL_NAMES as readonly string[]).includes(s);
}

/** A value quoted so that `shell` reads it back unchanged and expands nothing in it. */
export function quoteForShell(shell: ShellName, value: string): string {
  // No shell can hold a NUL in a variable; refusing it is better than a silently cut value.
  if (value.includes("\0"))
    throw new UsageError("a value to put in the shell contains a NUL character", "check the profile name and the credentials");
  switch (shell) {
    case "bash":
    case "zsh":
      return shellQuote(value);
    case "fish":
      return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
    case "powershell":
      return powershellLiteral(value);
  }
}

/**
 * A PowerShell expression for `value` in printable ASCII only: runs of printable ASCII in '…' (a quote
 * doubled), every other UTF-16 unit as [char]0xNNNN, joined with +. Windows PowerShell decodes a native
 * command's output with the console code page, where the UTF-8 bytes of an ordinary letter can turn into
 * a typographic quote (ё is D1 91, and 0x91 is ‘ in cp1252) and end the string early; it also splits the
 * output into lines, losing a CR. Nothing outside ASCII reaches it, so neither can happen.
 */
function powershellLiteral(value: string): string {
  const parts: string[] = [];
  for (const m of value.matchAll(/[\x20-\x7e]+|[^\x20-\x7e]/g)) {
    const run = m[0];
    parts.push(/^[\x20-\x7e]/.test(run) ? `'${run.replace(/'/g, "''")}'` : `[char]0x${run.charCodeAt(0).toString(16).padStart(4, "0")}`);
  }
  if (parts.length === 0) return "''";
  if (parts.length === 1 && parts[0]!.startsWith("'")) return parts[0]!;
  // A string first, so + concatenates strings instead of adding char codes.
  if (!parts[0]!.startsWith("'")) parts.unshift("''");
  return `(${parts.join(" + ")})`;
}

// Names are ours (AWS_PROFILE, AWS_ACCESS_KEY_ID, …), never user input; checked anyway so a mistake
// cannot turn a name into code.
function checkName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not an environment variable name: ${name}`);
  return name;
}

/** One statement that exports `name=value` in `shell`'s current session. */
export function setVariable(shell: ShellName, name: string, value: string): string {
  const n = checkName(name);
  const v = quoteForShell(shell, value);
  switch (shell) {
    case "bash":
    case "zsh":
      return `export ${n}=${v}`;
    case "fish":
      // -g: the statement is evaluated inside the `ccsso` function; a function-local variable would vanish.
      return `set -gx ${n} ${v}`;
    case "powershell":
      return `$Env:${n} = ${v}`;
  }
}

/** One statement that removes `names` from `shell`'s environment (no error when they are not set). */
export function unsetVariables(shell: ShellName, names: readonly string[]): string {
  const ns = names.map(checkName);
  switch (shell) {
    case "bash":
    case "zsh":
      return `unset ${ns.join(" ")}`;
    case "fish":
      // `set -e` fails (quietly, status 4) for a name that is not set; erase each on its own so one
      // missing name does not keep the others.
      return ns.map((n) => `set -e -g ${n}`).join("; ");
    case "powershell":
      // Assigning $null removes the variable from the process environment.
      return ns.map((n) => `$Env:${n} = $null`).join("; ");
  }
}
