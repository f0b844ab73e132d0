// The shell function from `ccsso shell-init`, in real bash, zsh and fish, driving a stand-in binary whose
// output and exit status the test chooses: the function evaluates what `use` prints only when it exits
// 0, forwards every other command untouched (arguments, exit status), and reaches the binary by its
// absolute path even when that path holds spaces and quotes. PowerShell is not packaged for this
// machine: its function is checked as golden text.
import { afterAll, describe, expect, it } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shellInitScript } from "../../src/cli/shell-init";

const work = mkdtempSync(join(tmpdir(), "ccsso-shell-init-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// An install path no shell may split or expand.
const binDir = join(work, "my tools", "it's $(here)");
mkdirSync(binDir, { recursive: true });
const fakeBinary = join(binDir, "ccsso");
// Prints its arguments (one per line, after "ARGS") and CCSSO_SHELL to stderr; on `use`, prints the
// statements in $FAKE_OUT and exits with $FAKE_CODE.
writeFileSync(
  fakeBinary,
  `#!/bin/sh
printf 'ARGS\\n' >&2; for a in "$@"; do printf '[%s]\\n' "$a" >&2; done
printf 'CCSSO_SHELL=%s\\n' "$CCSSO_SHELL" >&2
if [ "$1" = use ]; then printf '%s' "$FAKE_OUT"; exit "\${FAKE_CODE:-0}"; fi
exit "\${FAKE_CODE:-0}"
`,
);
chmodSync(fakeBinary, 0o755);

type Posix = "bash" | "zsh" | "fish";

/** Source the function in `shell`, run `body`, and return what it printed. */
function inShell(shell: Posix, body: string, env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(work, "cwd-"));
  const init = join(cwd, "init");
  writeFileSync(init, shellInitScript(shell, [fakeBinary]));
  const argv: Record<Posix, string[]> = {
    bash: ["bash", "--norc", "--noprofile", "-c", `source ${init}\n${body}`],
    zsh: ["zsh", "-f", "-c", `source ${init}\n${body}`],
    fish: ["fish", "--no-config", "-c", `source ${init}\n${body}`],
  };
  const r = Bun.spawnSync(argv[shell], {
    cwd,
    env: { PATH: process.env.PATH!, HOME: join(work, "home"), ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { out: r.stdout.toString(), err: r.stderr.toString(), code: r.exitCode, cwd };
}

const STATUS: Record<Posix, string> = { bash: "$?", zsh: "$?", fish: "$status" };
const show: Record<Posix, string> = {
  bash: 'printf "P=%s" "${P-unset}"',
  zsh: 'printf "P=%s" "${P-unset}"',
  fish: "if set -q P; printf P=%s $P; else; printf P=unset; end",
};

describe.each(["bash", "zsh", "fish"] as const)("the %s function", (shell) => {
  const set = { bash: "export P='dev'", zsh: "export P='dev'", fish: "set -gx P 'dev'" }[shell];

  it("applies what `ccsso use` prints when it succeeds, and tells the binary which shell it is", () => {
    const r = inShell(shell, `ccsso use dev\n${show[shell]}`, { FAKE_OUT: `${set}\n` });
    expect(r.out).toBe("P=dev");
    expect(r.err).toContain("ARGS\n[use]\n[dev]\n");
    expect(r.err).toContain(`CCSSO_SHELL=${shell}\n`);
  });

  it("evaluates nothing and returns the status when `ccsso use` fails", () => {
    const r = inShell(shell, `ccsso use dev\necho "status=${STATUS[shell]}"\n${show[shell]}`, {
      FAKE_OUT: `${set}\ntouch PWNED\n`,
      FAKE_CODE: "3",
    });
    expect(r.out).toBe("status=3\nP=unset");
    expect(existsSync(join(r.cwd, "PWNED"))).toBe(false);
  });

  it("forwards every other command with its arguments intact and its exit status", () => {
    const r = inShell(shell, `ccsso sso login --profile 'a b' '$(x)' ''\necho "status=${STATUS[shell]}"`, { FAKE_CODE: "2" });
    expect(r.err).toContain("ARGS\n[sso]\n[login]\n[--profile]\n[a b]\n[$(x)]\n[]\n");
    expect(r.out).toBe("status=2\n");
  });

  it("is syntactically valid for the shell", () => {
    const file = join(work, `init.${shell}`);
    writeFileSync(file, shellInitScript(shell, [fakeBinary]));
    const check = { bash: ["bash", "-n", file], zsh: ["zsh", "-n", file], fish: ["fish", "--no-execute", file] }[shell];
    const r = Bun.spawnSync(check, { stdout: "pipe", stderr: "pipe" });
    expect(r.stderr.toString()).toBe("");
    expect(r.exitCode).toBe(0);
  });
});

describe("the PowerShell function (golden text: PowerShell is not packaged for this machine)", () => {
  const script = shellInitScript("powershell", ["C:\\Users\\O'Brien\\bin\\ccsso.exe"]);

  it("runs the binary by its absolute path, single-quoted with the quote doubled", () => {
    expect(script).toContain("& 'C:\\Users\\O''Brien\\bin\\ccsso.exe' @args");
  });

  it("writes a path outside ASCII as [char] codes, so the console code page cannot break its quoting", () => {
    expect(shellInitScript("powershell", ["C:\\Users\\Zoё\\ccsso.exe"])).toContain(
      "& ('C:\\Users\\Zo' + [char]0x0451 + '\\ccsso.exe') @args",
    );
  });

  it("evaluates the output of use only after a zero exit code", () => {
    const lines = script.split("\n").map((l) => l.trim());
    const call = lines.indexOf("$ccssoOut = & 'C:\\Users\\O''Brien\\bin\\ccsso.exe' @args");
    expect(call).toBeGreaterThan(0);
    expect(lines[call + 1]).toBe("if ($LASTEXITCODE -ne 0) { return }");
    expect(lines[call + 2]).toBe('if ($ccssoOut) { Invoke-Expression ($ccssoOut -join "`n") }');
  });

  it("matches the reviewed text", () => {
    expect(script).toMatchSnapshot();
  });
});
