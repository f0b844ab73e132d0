# Installs ccsso on Windows: downloads this machine's ccsso-windows-<cpu>.zip (or, from a release without
# archives, the raw .exe) and SHA256SUMS from a release, checks the signature on SHA256SUMS (when a release
# key is configured) and the download's SHA-256, installs
# ccsso.exe with git-credential-ccsso.exe and git-remote-codecommit.exe next to it (hard links, or
# copies where the file system has none: git finds helpers by these names on PATH), adds the directory to
# the user's PATH, and optionally runs `ccsso setup-git`. The Windows counterpart of install.sh.
#
# Download it, check it, then run it as a file (not `irm … | iex`, which runs whatever arrived, unchecked):
#   Invoke-WebRequest -UseBasicParsing <release>/install.ps1 -OutFile install.ps1
#   Get-FileHash -Algorithm SHA256 install.ps1     # compare with the install.ps1 line of SHA256SUMS
#   powershell -NoProfile -ExecutionPolicy Bypass -File .\install.ps1 [-SetupGit | -NoSetupGit] [-Prefix DIR]
#
# Environment: CCSSO_RELEASE_URL (https:// base URL of the release files; plain http only to 127.0.0.1 or
# localhost), CCSSO_RELEASE_KEY (the OpenSSH public key that must have signed SHA256SUMS; overrides the
# built-in one; set but empty: no signature check), and for tests CCSSO_INSTALL_ARCH (AMD64 or ARM64, in
# place of PROCESSOR_ARCHITECTURE) and CCSSO_INSTALL_AVX2 (1 or 0: whether the CPU has AVX2; without it an
# x64 machine gets the -baseline build). Exit status 0 installed, 1 anything else with one
# line saying what went wrong; nothing is installed unless the download verified.
#
# Everything below is a function and only the last line runs anything, so a file cut short installs
# nothing: PowerShell refuses a truncated last line (an unclosed `& {`), and a file cut between
# functions only defines them (test/e2e/install-ps1.test.ts checks this structure).
param(
  [string]$Prefix = '',
  [switch]$SetupGit,
  [switch]$NoSetupGit
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$DefaultReleaseUrl = 'https://github.com/ccsso/ccsso/releases/latest/download'
# The key that signs each release's SHA256SUMS (`ssh-keygen -Y sign -n ccsso-release`). `make dist` with
# CCSSO_SIGNING_KEY writes the signing key's public half here in the released copy of this script.
$BuiltinReleaseKey = ''
$SignatureNamespace = 'ccsso-release'
$HelperNames = @('git-credential-ccsso.exe', 'git-remote-codecommit.exe')

function Write-Step([string]$Message) {
  Write-Host "ccsso-install: $Message"
}

function Stop-Install([string]$Message) {
  [Console]::Error.WriteLine("ccsso-install: error: $Message")
  exit 1
}

function Get-ReleaseUrl {
  $url = $env:CCSSO_RELEASE_URL
  if (-not $url) { $url = $DefaultReleaseUrl }
  $url = $url.TrimEnd('/')
  # TLS only, except to this machine (local mirrors and tests).
  if ($url -notmatch '^https://' -and $url -notmatch '^http://(127\.0\.0\.1|localhost|\[::1\])([:/]|$)') {
    Stop-Install "CCSSO_RELEASE_URL must be an https:// URL (plain http only to 127.0.0.1 or localhost), not $url"
  }
  return $url
}

# Whether the CPU has AVX2, which the regular x64 build needs (it stops with an illegal instruction
# without it). IsProcessorFeaturePresent(PF_AVX2_INSTRUCTIONS_AVAILABLE = 40) answers in every PowerShell;
# Windows older than 10 2004 does not know feature 40 and says no, which only costs a little speed.
function Test-Avx2 {
  if ($env:CCSSO_INSTALL_AVX2) { return ($env:CCSSO_INSTALL_AVX2 -eq '1') }
  try {
    Add-Type -Namespace CcssoInstall -Name Cpu -MemberDefinition '[DllImport("kernel32.dll")] public static extern bool IsProcessorFeaturePresent(uint feature);'
    return [CcssoInstall.Cpu]::IsProcessorFeaturePresent(40)
  } catch {
    return $false
  }
}

# The release target for this machine: windows-arm64, windows-x64, or windows-x64-baseline.
function Get-Target {
  # PROCESSOR_ARCHITEW6432 names the machine's CPU when this is a 32-bit PowerShell on 64-bit Windows.
  $cpu = $env:PROCESSOR_ARCHITEW6432
  if (-not $cpu) { $cpu = $env:PROCESSOR_ARCHITECTURE }
  if ($env:CCSSO_INSTALL_ARCH) { $cpu = $env:CCSSO_INSTALL_ARCH }
  if ($cpu -eq 'ARM64') { return 'windows-arm64' }
  if ($cpu -ne 'AMD64') { Stop-Install "unsupported CPU $cpu (ccsso is built for x64 and arm64 Windows); build from source with: make install" }
  if (Test-Avx2) { return 'windows-x64' }
  return 'windows-x64-baseline'
}

function Get-ReleaseKey {
  # Set but empty turns the check off, as in install.sh; unset means the built-in key.
  if (Test-Path Env:CCSSO_RELEASE_KEY) { $key = $env:CCSSO_RELEASE_KEY } else { $key = $BuiltinReleaseKey }
  if ($key -and $key -notmatch '^(ssh-ed25519|ssh-rsa|ecdsa-sha2-[a-z0-9]+|sk-[a-z0-9@.-]+) [A-Za-z0-9+/=]+( [^\r\n]*)?$') {
    Stop-Install 'CCSSO_RELEASE_KEY is not an OpenSSH public key (expected "ssh-ed25519 AAAA...")'
  }
  return $key
}

function Save-ReleaseFile([string]$BaseUrl, [string]$Name, [string]$OutFile) {
  try {
    Invoke-WebRequest -UseBasicParsing -Uri "$BaseUrl/$Name" -OutFile $OutFile
  } catch {
    Stop-Install "could not download $BaseUrl/$Name (check the URL or your network; CCSSO_RELEASE_URL overrides it): $($_.Exception.Message)"
  }
}

# SHA256SUMS signed by the release key proves who published the binary, not only that it arrived whole.
# Windows 10 1809 and later ship OpenSSH's ssh-keygen, which checks the signature (OpenSSH 8.1+).
function Confirm-SumsSignature([string]$BaseUrl, [string]$Key, [string]$Tmp) {
  if (-not $Key) { return }
  $keygen = Get-Command ssh-keygen -ErrorAction SilentlyContinue
  if (-not $keygen) {
    Stop-Install 'ssh-keygen (the OpenSSH client, a Windows optional feature) is needed to check the release signature; install it, or set CCSSO_RELEASE_KEY to an empty value to install without the check'
  }
  $sig = Join-Path $Tmp 'SHA256SUMS.sig'
  try {
    Invoke-WebRequest -UseBasicParsing -Uri "$BaseUrl/SHA256SUMS.sig" -OutFile $sig
  } catch {
    Stop-Install "could not download $BaseUrl/SHA256SUMS.sig: the release is not signed (or the URL is wrong); nothing was installed"
  }
  $allowed = Join-Path $Tmp 'allowed_signers'
  [IO.File]::WriteAllText($allowed, "$SignatureNamespace namespaces=`"$SignatureNamespace`" $Key`n")
  $out = Join-Path $Tmp 'verify.out'
  # The signed bytes must reach ssh-keygen unchanged: a file as standard input, never a PowerShell pipe
  # (which re-encodes text).
  $arguments = @('-Y', 'verify', '-f', "`"$allowed`"", '-I', $SignatureNamespace, '-n', $SignatureNamespace, '-s', "`"$sig`"")
  $p = Start-Process -FilePath $keygen.Path -ArgumentList $arguments -NoNewWindow -Wait -PassThru `
    -RedirectStandardInput (Join-Path $Tmp 'SHA256SUMS') -RedirectStandardOutput $out -RedirectStandardError "$out.err"
  if ($p.ExitCode -ne 0) {
    $why = (Get-Content -LiteralPath "$out.err" -TotalCount 1)
    Stop-Install "SHA256SUMS at $BaseUrl is not signed by the ccsso release key ($why); nothing was installed"
  }
  Write-Step 'verified the release signature on SHA256SUMS'
}

# The checksum listed for $Name in a `sha256sum` file ("<hex>  <name>" or "<hex> *<name>").
function Get-ListedHash([string]$SumsFile, [string]$Name) {
  foreach ($line in [IO.File]::ReadAllLines($SumsFile)) {
    if ($line -match '^([0-9a-fA-F]{64}) [ *](.+)$' -and $Matches[2] -ceq $Name) { return $Matches[1].ToLowerInvariant() }
  }
  return $null
}

function Get-Sha256([string]$Path) {
  return (Get-FileHash -Algorithm SHA256 -LiteralPath $Path).Hash.ToLowerInvariant()
}

# A helper name is ours when it is missing, or the same bytes as the ccsso.exe being replaced (a copy or
# hard link made by this script or `ccsso setup-git`); git-credential-ccsso.exe is only ever ccsso's.
# Anything else, e.g. pip's git-remote-codecommit.exe, is left alone.
function Test-OurHelper([string]$Path, [string]$OldHash, [string]$Name) {
  if (-not (Test-Path -LiteralPath $Path)) { return $true }
  if ($Name -eq 'git-credential-ccsso.exe') { return $true }
  return ($OldHash -and (Get-Sha256 $Path) -eq $OldHash)
}

function Add-UserPath([string]$Dir) {
  # Read the raw registry value so %VARIABLES% in it stay unexpanded when it is written back.
  $envKey = Get-Item -Path 'HKCU:\Environment'
  $current = [string]$envKey.GetValue('Path', '', 'DoNotExpandEnvironmentNames')
  $entries = @($current -split ';' | Where-Object { $_ })
  if ($entries | Where-Object { $_.TrimEnd('\') -ieq $Dir.TrimEnd('\') }) { return $false }
  $value = (@($Dir) + $entries) -join ';'
  Set-ItemProperty -Path 'HKCU:\Environment' -Name 'Path' -Value $value -Type ExpandString
  # Tell running programs (Explorer, new terminals) that the environment changed: setting any user
  # variable through .NET broadcasts WM_SETTINGCHANGE.
  [Environment]::SetEnvironmentVariable('CCSSO_INSTALL_PATH_CHANGED', '1', 'User')
  [Environment]::SetEnvironmentVariable('CCSSO_INSTALL_PATH_CHANGED', $null, 'User')
  $env:Path = "$Dir;$env:Path"
  return $true
}

function Install-Ccsso([string]$Prefix, [bool]$SetupGit, [bool]$NoSetupGit) {
  if (-not $PSCommandPath) {
    # Under `irm … | iex` nothing was checked before it ran, and `exit` would close the window.
    Write-Host 'ccsso-install: run this script as a file: download it, check it, then powershell -File .\install.ps1'
    return
  }
  if (-not $Prefix) { $Prefix = Join-Path $env:LOCALAPPDATA 'Programs\ccsso' }
  $bin = Join-Path $Prefix 'bin'
  $baseUrl = Get-ReleaseUrl
  $key = Get-ReleaseKey
  $target = Get-Target
  $BinaryName = "ccsso-$target.exe"
  $ArchiveName = "ccsso-$target.zip"
  # Windows PowerShell 5.1 may still default to TLS 1.0; release hosts require 1.2.
  [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12

  $tmp = Join-Path ([IO.Path]::GetTempPath()) ("ccsso-install-" + [Guid]::NewGuid().ToString('N'))
  New-Item -ItemType Directory -Path $tmp | Out-Null
  try {
    $sums = Join-Path $tmp 'SHA256SUMS'
    Save-ReleaseFile $baseUrl 'SHA256SUMS' $sums
    Confirm-SumsSignature $baseUrl $key $tmp
    # The zip is half the size of the raw .exe; a release without archives gets the .exe.
    $name = $BinaryName
    if (Get-ListedHash $sums $ArchiveName) { $name = $ArchiveName }
    Write-Step "downloading $name from $baseUrl"
    $download = Join-Path $tmp $name
    Save-ReleaseFile $baseUrl $name $download

    $expected = Get-ListedHash $sums $name
    if (-not $expected) { Stop-Install "SHA256SUMS at $baseUrl has no entry for $name; nothing was installed" }
    $actual = Get-Sha256 $download
    if ($actual -ne $expected) {
      Stop-Install "checksum mismatch for $name (expected $expected, got $actual): the download is corrupt or was tampered with; nothing was installed"
    }
    Write-Step "verified sha256 $actual"
    $program = $download
    if ($name -eq $ArchiveName) {
      $unpacked = Join-Path $tmp 'unpacked'
      Expand-Archive -LiteralPath $download -DestinationPath $unpacked
      $program = Join-Path $unpacked "ccsso-$target\ccsso.exe"
      if (-not (Test-Path -LiteralPath $program)) { Stop-Install "$name holds no ccsso-$target\ccsso.exe; nothing was installed" }
    }

    # (Windows PowerShell turns a native program's stderr into an exception under 'Stop': catch it.)
    try {
      $version = & $program --version 2>&1
      $runs = ($LASTEXITCODE -eq 0)
    } catch {
      $version = $_.Exception.Message
      $runs = $false
    }
    if (-not $runs) { Stop-Install "the downloaded $BinaryName does not run on this machine: $version; nothing was installed" }

    New-Item -ItemType Directory -Force -Path $bin | Out-Null
    $dest = Join-Path $bin 'ccsso.exe'
    $oldHash = $null
    if (Test-Path -LiteralPath $dest) { $oldHash = Get-Sha256 $dest }
    $ours = @($HelperNames | Where-Object { Test-OurHelper (Join-Path $bin $_) $oldHash $_ })
    foreach ($name in $HelperNames) {
      if ($ours -notcontains $name) { Write-Step "left $(Join-Path $bin $name) alone (it is not ccsso's; remove it to use ccsso for codecommit:// URLs)" }
    }

    # A running ccsso.exe (git may be using it) cannot be overwritten, but it can be renamed: move it
    # aside, then move the new file in; the old one is deleted when nothing runs it any more.
    $new = Join-Path $bin 'ccsso.exe.new'
    Copy-Item -LiteralPath $program -Destination $new -Force
    if (Test-Path -LiteralPath $dest) { Move-Item -LiteralPath $dest -Destination "$dest.old-$PID" -Force }
    Move-Item -LiteralPath $new -Destination $dest -Force
    Get-ChildItem -LiteralPath $bin -Filter 'ccsso.exe.old-*' | ForEach-Object { Remove-Item -LiteralPath $_.FullName -Force -ErrorAction SilentlyContinue }
    Write-Step "installed $dest"

    foreach ($name in $ours) {
      $path = Join-Path $bin $name
      if (Test-Path -LiteralPath $path) { Move-Item -LiteralPath $path -Destination "$path.old-$PID" -Force }
      # Hard links need no Developer Mode (symlinks do); a copy where the file system has no hard links.
      try {
        New-Item -ItemType HardLink -Path $path -Target $dest | Out-Null
      } catch {
        Copy-Item -LiteralPath $dest -Destination $path -Force
      }
      Remove-Item -LiteralPath "$path.old-$PID" -Force -ErrorAction SilentlyContinue
      Write-Step "made $path (same file as $dest)"
    }

    if (Add-UserPath $bin) { Write-Step "added $bin to your user PATH; open a new terminal to use it" }

    $run = $SetupGit
    if (-not $SetupGit -and -not $NoSetupGit -and [Environment]::UserInteractive -and -not [Console]::IsInputRedirected) {
      $answer = Read-Host 'Configure git to use ccsso for CodeCommit (runs: ccsso setup-git)? [Y/n]'
      $run = ($answer -eq '' -or $answer -match '^(y|yes)$')
    }
    if ($run) {
      & $dest setup-git
      if ($LASTEXITCODE -ne 0) { Stop-Install 'ccsso is installed, but `ccsso setup-git` failed (see above); run it again once fixed' }
    } else {
      Write-Step 'next: ccsso configure sso, then ccsso sso login, then ccsso setup-git'
    }
  } finally {
    Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
  }
}

& { Install-Ccsso -Prefix $Prefix -SetupGit $SetupGit.IsPresent -NoSetupGit $NoSetupGit.IsPresent }
