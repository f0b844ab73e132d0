// The statements `ccsso use` prints are evaluated by real shells: each hostile value must come back
// byte for byte and nothing in it may run. bash, zsh and fish are the oracles (Debian packages, installed
// by .ci/run); PowerShell is not packaged for this machine, so its quoting is checked as text.
import { afterAll, describe, expect, it } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quoteForShell, setVariable, unsetVariables, type ShellName } from "../../src/core/shell-syntax";

const work = mkdtempSync(join(tmpdir(), "ccsso-shell-syntax-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Each would create a file named PWNED (in the working directory) if any part of it ran.
export const HOSTILE_VALUES = [
  "it's",
  "$(touch PWNED)",
  "`touch PWNED`",
  "a; touch PWNED",
  "a\ntouch PWNED",
  "x'; touch PWNED; echo '",
  'x"; touch PWNED; echo "',
  "\\'; touch PWNED #",
  "\\",
  "trailing\n",
  "$HOME ~ * ? [a] {a,b} !! %s =cmd",
  "(touch PWNED)",
  "& touch PWNED",
  "| touch PWNED",
  "\r\ttab and CR",
  "‘’‚‛ typographic quotes; touch PWNED",
  "ünïcødé €",
  "-n",
  "",
];

type Posix = Exclude<ShellName, "powershell">;

/** Evaluate `script` in `shell` the way the shell-init function does, then print $X. */
function evaluate(shell: Posix, script: string): { out: string; code: number } {
  const cwd = mkdtempSync(join(work, `${shell}-`));
  const file = join(cwd, "statements");
  writeFileSync(file, script);
  const argv: Record<Posix, string[]> = {
    bash: ["bash", "--norc", "--noprofile", "-c", 'eval "$(cat "$1")"; printf %s "${X-unset}"', "bash", file],
    zsh: ["zsh", "-f", "-c", 'eval "$(cat "$1")"; printf %s "${X-unset}"', "zsh", file],
    // The function captures the lines with (…) and feeds them to `source`; a file is the same text.
    fish: ["fish", "--no-config", "-c", "source $argv[1]; if set -q X; printf %s $X; else; printf unset; end", file],
  };
  // fish keeps its own files under HOME: give it one outside the directory that is watched.
  const home = mkdtempSync(join(work, "home-"));
  const r = Bun.spawnSync(argv[shell], { cwd, env: { PATH: process.env.PATH!, HOME: home }, stdout: "pipe", stderr: "pipe" });
  const ran = readdirSync(cwd).filter((f) => f !== "statements");
  if (ran.length > 0) throw new Error(`${shell} ran part of a value: created ${ran.join(", ")}`);
  return { out: r.stdout.toString(), code: r.exitCode };
}

describe.each(["bash", "zsh", "fish"] as const)("%s reads back every value it is given", (shell) => {
  it.each(HOSTILE_VALUES.map((v) => [JSON.stringify(v), v]))("%s", (_label, value) => {
    // Command substitution in the shell function drops trailing newlines from the whole text, not
    // from inside a quoted value, so a value's own newline survives.
    const r = evaluate(shell, setVariable(shell, "X", value) + "\n");
    expect(r.code).toBe(0);
    expect(r.out).toBe(value);
  });

  it("unsets variables, including ones that were never set", () => {
    const r = evaluate(shell, [setVariable(shell, "X", "1"), unsetVariables(shell, ["X", "NEVER_SET_ANYWHERE"])].join("\n") + "\n");
    expect(r.out).toBe("unset");
  });
});

describe("PowerShell quoting (golden text: no PowerShell on this machine)", () => {
  it("doubles a single quote and leaves $ and ` alone inside '…'", () => {
    expect(quoteForShell("powershell", "it's $(x) `n")).toBe("'it''s $(x) `n'");
    expect(quoteForShell("powershell", "")).toBe("''");
  });

  it("writes everything outside printable ASCII as [char] codes, so no console code page can turn it into a quote", () => {
    // ё is D1 91 in UTF-8; Windows PowerShell reading that as cp1252 would see Ñ‘, and ‘ ends a '…' string.
    expect(quoteForShell("powershell", "dev-ё")).toBe("('dev-' + [char]0x0451)");
    expect(quoteForShell("powershell", "‘a’")).toBe("('' + [char]0x2018 + 'a' + [char]0x2019)");
    expect(quoteForShell("powershell", "line\r\nnext")).toBe("('line' + [char]0x000d + [char]0x000a + 'next')");
    expect(quoteForShell("powershell", "😀")).toBe("('' + [char]0xd83d + [char]0xde00)");
    for (const v of HOSTILE_VALUES) expect(quoteForShell("powershell", v)).toMatch(/^[\x20-\x7e]*$/);
  });

  it("sets and unsets with $Env:", () => {
    expect(setVariable("powershell", "AWS_PROFILE", "dev")).toBe("$Env:AWS_PROFILE = 'dev'");
    expect(unsetVariables("powershell", ["A", "B"])).toBe("$Env:A = $null; $Env:B = $null");
  });
});

describe("what no shell can hold", () => {
  it("refuses a NUL character instead of cutting the value", () => {
    for (const shell of ["bash", "zsh", "fish", "powershell"] as const) expect(() => quoteForShell(shell, "a\0b")).toThrow(/NUL/);
  });

  it("refuses a variable name that is not one", () => {
    expect(() => setVariable("bash", "X;touch PWNED", "v")).toThrow();
    expect(existsSync("PWNED")).toBe(false);
  });
});
