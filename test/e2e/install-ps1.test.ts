// scripts/install.ps1, the Windows installer. PowerShell cannot run here (Debian does not package it, and
// the npm package "pwsh" downloads it from outside the registries at install time), so these tests read
// the script's text: the order of its checks, its structure against truncation, and what it never does.
// docs/platforms.md says what was not run.
import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../helpers/ccsso";

const text = readFileSync(join(repoRoot, "scripts", "install.ps1"), "utf8");
const lines = text.split("\n");
const code = lines.filter((l) => !l.trimStart().startsWith("#")).join("\n");

/** The body of `function Name … { … }`, by brace matching (the script has no braces inside strings that matter here). */
function functionBody(name: string): string {
  const start = code.indexOf(`function ${name}`);
  if (start < 0) throw new Error(`no function ${name}`);
  let depth = 0;
  for (let i = code.indexOf("{", start); i < code.length; i++) {
    if (code[i] === "{") depth++;
    if (code[i] === "}" && --depth === 0) return code.slice(start, i + 1);
  }
  throw new Error(`function ${name} is not closed`);
}

describe("install.ps1", () => {
  it("never runs downloaded text as code, and never changes the execution policy", () => {
    expect(code).not.toMatch(/Invoke-Expression|\biex\b|ScriptBlock\]::Create|Set-ExecutionPolicy|DownloadString/i);
  });

  it("checks the binary's SHA-256 with Get-FileHash against the SHA256SUMS line for it", () => {
    expect(functionBody("Get-Sha256")).toContain("Get-FileHash -Algorithm SHA256 -LiteralPath $Path");
    // sha256sum's format, name compared case-sensitively, as install.sh's awk does.
    expect(functionBody("Get-ListedHash")).toContain("'^([0-9a-fA-F]{64}) [ *](.+)$'");
    expect(functionBody("Get-ListedHash")).toContain("-ceq $Name");
  });

  it("refuses a mismatching or unlisted checksum before it writes anything to the install directory", () => {
    const body = functionBody("Install-Ccsso");
    const mismatch = body.indexOf("if ($actual -ne $expected)");
    const unlisted = body.indexOf("if (-not $expected)");
    const firstWrite = Math.min(
      ...["New-Item -ItemType Directory -Force -Path $bin", "Copy-Item", "Move-Item"].map((s) => body.indexOf(s)),
    );
    expect(mismatch).toBeGreaterThan(0);
    expect(unlisted).toBeGreaterThan(0);
    expect(mismatch).toBeLessThan(firstWrite);
    expect(unlisted).toBeLessThan(firstWrite);
    expect(body.slice(mismatch, body.indexOf("}", mismatch))).toContain('Stop-Install "checksum mismatch for $name');
    // Stop-Install ends the script with exit status 1.
    expect(functionBody("Stop-Install")).toContain("exit 1");
  });

  it("checks the signature on SHA256SUMS, when a key is configured, before downloading the binary", () => {
    const body = functionBody("Install-Ccsso");
    expect(body.indexOf("Confirm-SumsSignature")).toBeLessThan(body.indexOf("Save-ReleaseFile $baseUrl $name $download"));
    const verify = functionBody("Confirm-SumsSignature");
    expect(verify).toContain("if (-not $Key) { return }");
    expect(verify).toContain("'-Y', 'verify'");
    expect(verify).toContain("-RedirectStandardInput (Join-Path $Tmp 'SHA256SUMS')");
    expect(verify).toMatch(
      /if \(\$p\.ExitCode -ne 0\) \{\s+\$why = .*\s+Stop-Install "SHA256SUMS at \$BaseUrl is not signed by the ccsso release key/,
    );
    expect(verify).toContain("the release is not signed");
  });

  it("uses the same namespace and allowed-signers identity as install.sh and make dist", async () => {
    const { SIGNATURE_NAMESPACE } = await import("../../scripts/build");
    expect(code).toContain(`$SignatureNamespace = '${SIGNATURE_NAMESPACE}'`);
    expect(readFileSync(join(repoRoot, "scripts", "install.sh"), "utf8")).toContain(`SIGNATURE_NAMESPACE=${SIGNATURE_NAMESPACE}`);
  });

  it("installs ccsso.exe with git-credential-ccsso.exe and git-remote-codecommit.exe as hard links, falling back to copies", () => {
    expect(code).toContain("$HelperNames = @('git-credential-ccsso.exe', 'git-remote-codecommit.exe')");
    const body = functionBody("Install-Ccsso");
    expect(body).toMatch(
      /try \{\s+New-Item -ItemType HardLink -Path \$path -Target \$dest \| Out-Null\s+\} catch \{\s+Copy-Item -LiteralPath \$dest -Destination \$path -Force\s+\}/,
    );
    expect(code).not.toMatch(/SymbolicLink/);
  });

  it("adds the install directory to the user PATH without expanding the %VARIABLES% already in it", () => {
    const body = functionBody("Add-UserPath");
    expect(body).toContain("'DoNotExpandEnvironmentNames'");
    expect(body).toContain("-Type ExpandString");
  });

  it("accepts only https release URLs (plain http to this machine), with TLS 1.2 on Windows PowerShell", () => {
    expect(functionBody("Get-ReleaseUrl")).toContain("$url -notmatch '^https://'");
    expect(code).toContain("[Net.SecurityProtocolType]::Tls12");
  });

  it("downloads the zip when SHA256SUMS lists one (else the .exe), checks the download's sum, and runs and installs the ccsso.exe inside", () => {
    const body = functionBody("Install-Ccsso");
    expect(body).toContain('$BinaryName = "ccsso-$target.exe"');
    expect(body).toContain('$ArchiveName = "ccsso-$target.zip"');
    expect(body).toMatch(/\$name = \$BinaryName\s+if \(Get-ListedHash \$sums \$ArchiveName\) \{ \$name = \$ArchiveName \}/);
    // Extracted only after the sum matched; the extracted program is what runs and is installed.
    expect(body.indexOf("Expand-Archive")).toBeGreaterThan(body.indexOf("if ($actual -ne $expected)"));
    expect(body).toContain('$program = Join-Path $unpacked "ccsso-$target\\ccsso.exe"');
    expect(body).toContain("$version = & $program --version");
    expect(body).toContain("Copy-Item -LiteralPath $program -Destination $new");
  });

  it("picks windows-arm64 on ARM64, and windows-x64-baseline on an x64 CPU without AVX2 (feature 40 of IsProcessorFeaturePresent)", () => {
    const target = functionBody("Get-Target");
    expect(target).toContain("if ($cpu -eq 'ARM64') { return 'windows-arm64' }");
    expect(target).toMatch(/if \(Test-Avx2\) \{ return 'windows-x64' \}\s+return 'windows-x64-baseline'/);
    const avx2 = functionBody("Test-Avx2");
    expect(avx2).toContain("IsProcessorFeaturePresent(40)");
    expect(avx2).toMatch(/catch \{\s+return \$false/);
  });

  it("is all functions and assignments, so a file cut short runs nothing; the one call is a brace group on the last line", () => {
    const last = lines.filter((l) => l.trim()).at(-1)!;
    expect(last).toBe("& { Install-Ccsso -Prefix $Prefix -SetupGit $SetupGit.IsPresent -NoSetupGit $NoSetupGit.IsPresent }");
    // Every statement at the top level, other than that line, defines something.
    let depth = 0;
    const topLevel: string[] = [];
    for (const line of code.split("\n")) {
      if (depth === 0 && line.trim() && line !== last) topLevel.push(line);
      for (const ch of line) {
        if (ch === "{" || ch === "(") depth++;
        if (ch === "}" || ch === ")") depth--;
      }
    }
    expect(depth).toBe(0);
    const defining =
      /^(param\($|function [A-Z][\w-]+|Set-StrictMode -Version|\$[A-Za-z]+ = ('[^']*'|@\('[^)]*\))$|\$ErrorActionPreference = 'Stop'$|\$ProgressPreference = 'SilentlyContinue'$)/;
    expect(topLevel.filter((l) => !defining.test(l))).toEqual([]);
  });

  it("refuses to run from `irm … | iex` (nothing would have been checked)", () => {
    expect(functionBody("Install-Ccsso")).toMatch(/if \(-not \$PSCommandPath\) \{[^}]*return\s+\}/);
  });

  it("has exactly one built-in release key line for make dist to fill in", () => {
    expect(code.match(/^\$BuiltinReleaseKey = '.*'$/gm)).toEqual(["$BuiltinReleaseKey = ''"]);
  });
});
