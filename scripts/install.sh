#!/bin/sh
# Installs ccsso: downloads the archive (or, from a release without one, the raw binary) for this
# platform and SHA256SUMS from a release, checks the signature on SHA256SUMS (when a release key is
# configured) and the download's checksum, installs to
# ~/.local/bin (or $PREFIX/bin) with the git-credential-ccsso and git-remote-codecommit links next to it
# (docs/architecture.md §2, §8), and optionally runs `ccsso setup-git`.
#
#   curl --proto '=https' --tlsv1.2 -fsSL <release>/install.sh | sh                    # asks before setup-git on a terminal
#   curl --proto '=https' --tlsv1.2 -fsSL <release>/install.sh | sh -s -- --setup-git  # configure git too, without asking
#
# Options: --setup-git | --no-setup-git, --prefix DIR (same as PREFIX=DIR), -h | --help.
# Environment:
#   PREFIX                installs into $PREFIX/bin (default: $HOME/.local)
#   CCSSO_RELEASE_URL     https:// base URL holding ccsso-<os>-<arch>[.exe], SHA256SUMS and SHA256SUMS.sig
#                         (default below; plain http only to a loopback address, for local mirrors and tests)
#   CCSSO_RELEASE_KEY     the OpenSSH public key ("ssh-ed25519 AAAA…") that must have signed SHA256SUMS;
#                         overrides the key built into this script; set but empty: no signature check
#   CCSSO_INSTALL_UNAME_S, CCSSO_INSTALL_UNAME_M
#                         stand in for `uname -s` / `uname -m` (for tests of other platforms)
#   CCSSO_INSTALL_LIBC    "musl" or "glibc": stands in for the libc detection (for tests)
#   CCSSO_INSTALL_CPUINFO a file standing in for the CPU's feature flags (/proc/cpuinfo, or macOS's
#                         `sysctl -n machdep.cpu.leaf7_features`): an x64 CPU without AVX2 gets the
#                         -baseline build (for tests)
# Exit status: 0 installed; 1 anything else, with one line saying what went wrong. Nothing is
# installed unless the download verified.
#
# Everything below is a function, and the only line that runs anything is the last one, so a download
# cut short anywhere (`curl | sh` runs what has arrived) either defines a few functions and stops, or is
# a syntax error: it never installs half of ccsso (test/e2e/install.test.ts pipes prefixes of this file
# to sh). The last line is a brace group so that even its own prefixes (`{ main`) are syntax errors.

DEFAULT_RELEASE_URL="https://github.com/ccsso/ccsso/releases/latest/download"
# The key that signs each release's SHA256SUMS (`ssh-keygen -Y sign -n ccsso-release`). `make dist` with
# CCSSO_SIGNING_KEY writes the signing key's public half here in the released copy of this script.
BUILTIN_RELEASE_KEY=''
SIGNATURE_NAMESPACE=ccsso-release

say() { printf 'ccsso-install: %s\n' "$*"; }
die() {
  printf 'ccsso-install: error: %s\n' "$*" >&2
  exit 1
}

# One shell word for any string: '…' with each ' written as '\'' (sh, bash, zsh and fish all read it).
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

usage() {
  printf '%s\n' "usage: install.sh [--setup-git | --no-setup-git] [--prefix DIR]" \
    "Installs ccsso to \$PREFIX/bin (default ~/.local/bin) from \$CCSSO_RELEASE_URL (default $DEFAULT_RELEASE_URL)." \
    "Run it as: curl --proto '=https' --tlsv1.2 -fsSL $DEFAULT_RELEASE_URL/install.sh | sh" \
    "macOS: a binary downloaded with a browser is quarantined and Gatekeeper blocks it; this script downloads" \
    "with curl, which does not quarantine. For a browser download run: xattr -d com.apple.quarantine ./ccsso-darwin-arm64"
}

parse_args() {
  setup_git=ask
  prefix=${PREFIX:-${HOME:?HOME is not set}/.local}
  while [ $# -gt 0 ]; do
    case $1 in
      --setup-git) setup_git=yes ;;
      --no-setup-git) setup_git=no ;;
      --prefix)
        [ $# -ge 2 ] || die "--prefix needs a directory"
        prefix=$2
        shift
        ;;
      --prefix=*) prefix=${1#--prefix=} ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) die "unknown option $1 (options: --setup-git, --no-setup-git, --prefix DIR)" ;;
    esac
    shift
  done
  bindir=$prefix/bin
  base_url=${CCSSO_RELEASE_URL:-$DEFAULT_RELEASE_URL}
  base_url=${base_url%/}
  # TLS 1.2 or later and never a redirect to plain http; plain http only to this machine.
  case $base_url in
    https://*) curl_protocols="--proto =https --tlsv1.2" ;;
    http://127.0.0.1[:/]* | http://localhost[:/]* | "http://[::1]"[:/]*) curl_protocols="--proto =http" ;;
    *) die "CCSSO_RELEASE_URL must be an https:// URL (plain http only to 127.0.0.1 or localhost), not $base_url" ;;
  esac
  release_key=${CCSSO_RELEASE_KEY-$BUILTIN_RELEASE_KEY}
}

detect_platform() {
  os_raw=${CCSSO_INSTALL_UNAME_S:-$(uname -s)}
  arch_raw=${CCSSO_INSTALL_UNAME_M:-$(uname -m)}
  supported="linux-x64, linux-arm64, linux-x64-musl, linux-arm64-musl, darwin-x64, darwin-arm64, windows-x64, windows-arm64 (x64 also as -baseline, for CPUs without AVX2)"

  case $os_raw in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) os=windows ;;
    *) die "unsupported operating system \"$os_raw\" (ccsso is built for $supported); build from source with: make install" ;;
  esac
  case $arch_raw in
    x86_64 | amd64 | x64) arch=x64 ;;
    aarch64 | arm64 | armv8*) arch=arm64 ;;
    *) die "unsupported CPU \"$arch_raw\" on $os_raw (ccsso is built for $supported); build from source with: make install" ;;
  esac

  # An x64 shell under Rosetta 2 on Apple silicon: the native arm64 binary is the right one.
  if [ "$os" = darwin ] && [ "$arch" = x64 ] && [ -z "${CCSSO_INSTALL_UNAME_M:-}" ] &&
    [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
    arch=arm64
  fi

  libc=
  if [ "$os" = linux ]; then
    libc=${CCSSO_INSTALL_LIBC:-}
    if [ -z "$libc" ]; then
      # glibc answers GNU_LIBC_VERSION; a musl system (Alpine) does not, and its ldd or loader says musl.
      # (A glibc system can have /lib/ld-musl-* too, from Debian's musl package: that alone is not enough.)
      libc=glibc
      if ! getconf GNU_LIBC_VERSION >/dev/null 2>&1; then
        if ldd --version 2>&1 | grep -qi musl; then
          libc=musl
        else
          for f in /lib/ld-musl-*; do [ -e "$f" ] && libc=musl && break; done
        fi
      fi
    fi
    case $libc in
      glibc | musl) ;;
      *) die "CCSSO_INSTALL_LIBC must be glibc or musl, not \"$libc\"" ;;
    esac
  fi

  target=$os-$arch
  [ "$libc" = musl ] && target=$target-musl
  # The regular x64 builds use AVX2 and stop with an illegal instruction on a CPU without it.
  [ "$arch" = x64 ] && ! has_avx2 && target=$target-baseline
  case $target in
    linux-x64 | linux-arm64 | linux-x64-musl | linux-arm64-musl | darwin-x64 | darwin-arm64 | \
      linux-x64-baseline | linux-x64-musl-baseline | darwin-x64-baseline)
      file=ccsso-$target
      exe=
      ;;
    windows-x64 | windows-arm64 | windows-x64-baseline)
      file=ccsso-$target.exe
      exe=.exe
      ;;
    *) die "unsupported platform $target (ccsso is built for $supported); build from source with: make install" ;;
  esac
}

# Whether this x64 CPU has AVX2: /proc/cpuinfo's flags on Linux (and under MSYS/Cygwin on Windows),
# sysctl on macOS. A machine simulated for tests (CCSSO_INSTALL_UNAME_*) has it unless a cpuinfo says not.
has_avx2() {
  if [ -n "${CCSSO_INSTALL_CPUINFO:-}" ]; then
    flags=$(cat "$CCSSO_INSTALL_CPUINFO") || die "cannot read CCSSO_INSTALL_CPUINFO ($CCSSO_INSTALL_CPUINFO)"
  elif [ -n "${CCSSO_INSTALL_UNAME_S:-}${CCSSO_INSTALL_UNAME_M:-}" ]; then
    return 0
  elif [ "$os" = darwin ]; then
    flags=$(sysctl -n machdep.cpu.leaf7_features 2>/dev/null || true)
  else
    flags=$(grep -m 1 '^flags' /proc/cpuinfo 2>/dev/null || true)
  fi
  # Unknown flags count as no AVX2: the baseline build runs on every x64 CPU, only a little slower.
  printf '%s\n' "$flags" | grep -qiw avx2
}

choose_tools() {
  if command -v curl >/dev/null 2>&1; then
    # $curl_protocols is two or four words on purpose.
    # shellcheck disable=SC2086
    fetch() { curl $curl_protocols -fsSL --retry 2 -o "$2" "$1"; }
  elif command -v wget >/dev/null 2>&1; then
    # wget (often BusyBox's) has no portable way to refuse an https→http redirect; the checksum and the
    # signature on SHA256SUMS still hold.
    fetch() { wget -q -O "$2" "$1"; }
  else
    die "neither curl nor wget is installed; install one of them (e.g. apt-get install curl, apk add curl) and run this again"
  fi

  if command -v sha256sum >/dev/null 2>&1; then
    sha256_of() { sha256sum "$1" | cut -d ' ' -f 1; }
  elif command -v shasum >/dev/null 2>&1; then
    sha256_of() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
  else
    die "neither sha256sum nor shasum is installed, so the download cannot be verified; install coreutils (or perl's shasum) and run this again"
  fi

  if [ -n "$release_key" ]; then
    case $release_key in
      ssh-ed25519\ * | ecdsa-sha2-* | ssh-rsa\ * | sk-*) ;;
      *) die "CCSSO_RELEASE_KEY is not an OpenSSH public key (expected \"ssh-ed25519 AAAA…\")" ;;
    esac
    command -v ssh-keygen >/dev/null 2>&1 ||
      die "ssh-keygen (OpenSSH 8.1 or later) is needed to check the release signature; install it (e.g. apt-get install openssh-client), or set CCSSO_RELEASE_KEY= (empty) to install without the check"
  fi
}

# SHA256SUMS must be signed by the release key: the checksums then prove who published the binary, not
# only that it arrived whole. ssh-keygen's -Y verify (OpenSSH 8.1+) needs no new tool on most machines.
verify_sums_signature() {
  [ -n "$release_key" ] || return 0
  fetch "$base_url/SHA256SUMS.sig" "$tmp/SHA256SUMS.sig" ||
    die "could not download $base_url/SHA256SUMS.sig: the release is not signed (or the URL is wrong); nothing was installed"
  printf '%s namespaces="%s" %s\n' "$SIGNATURE_NAMESPACE" "$SIGNATURE_NAMESPACE" "$release_key" >"$tmp/allowed_signers"
  if ! ssh-keygen -Y verify -f "$tmp/allowed_signers" -I "$SIGNATURE_NAMESPACE" -n "$SIGNATURE_NAMESPACE" \
    -s "$tmp/SHA256SUMS.sig" <"$tmp/SHA256SUMS" >"$tmp/verify.out" 2>&1; then
    die "SHA256SUMS at $base_url is not signed by the ccsso release key ($(head -n 1 "$tmp/verify.out")); nothing was installed"
  fi
  say "verified the release signature on SHA256SUMS"
}

# The checksum SHA256SUMS lists for $1 (`sha256sum -c` format: "<hex>  <name>" or "<hex> *<name>").
listed_sum() { awk -v f="$1" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/SHA256SUMS"; }

# Downloads $1 from the release into $tmp and checks it against SHA256SUMS.
fetch_verified() {
  say "downloading $1 from $base_url"
  fetch "$base_url/$1" "$tmp/$1" || die "could not download $base_url/$1 (check the URL or your network; CCSSO_RELEASE_URL overrides it)"
  expected=$(listed_sum "$1")
  [ -n "$expected" ] || die "SHA256SUMS at $base_url has no entry for $1; nothing was installed"
  actual=$(sha256_of "$tmp/$1")
  if [ "$actual" != "$expected" ]; then
    die "checksum mismatch for $1 (expected $expected, got $actual): the download is corrupt or was tampered with; nothing was installed"
  fi
  say "verified sha256 $actual"
}

download_and_verify() {
  fetch "$base_url/SHA256SUMS" "$tmp/SHA256SUMS" || die "could not download $base_url/SHA256SUMS (check the URL or your network; CCSSO_RELEASE_URL overrides it)"
  verify_sums_signature

  # The .tar.gz is half the size of the raw binary; a release without archives (or a machine without
  # tar and gzip) gets the raw binary. Windows archives are zips, so MSYS shells take the .exe.
  archive=ccsso-$target.tar.gz
  if [ "$os" != windows ] && [ -n "$(listed_sum "$archive")" ] &&
    command -v tar >/dev/null 2>&1 && command -v gzip >/dev/null 2>&1; then
    fetch_verified "$archive"
    mkdir "$tmp/x"
    gzip -dc "$tmp/$archive" | tar -xf - -C "$tmp/x" "ccsso-$target/ccsso" ||
      die "could not extract ccsso from $archive; nothing was installed"
    mv "$tmp/x/ccsso-$target/ccsso" "$tmp/$file"
  else
    fetch_verified "$file"
  fi
  chmod 0755 "$tmp/$file"

  # A binary that cannot start here (e.g. musl without libstdc++) is refused before it replaces anything.
  # Skipped when the platform is simulated (the binary is then for another machine).
  if [ -z "${CCSSO_INSTALL_UNAME_S:-}${CCSSO_INSTALL_UNAME_M:-}${CCSSO_INSTALL_LIBC:-}" ]; then
    if ! version=$("$tmp/$file" --version 2>&1); then
      hint=
      [ "$libc" = musl ] && hint=" (on Alpine: apk add libstdc++ libgcc)"
      die "the downloaded $file does not run on this machine$hint: $(printf '%s\n' "$version" | head -n 1); nothing was installed"
    fi
  fi
}

install_files() {
  mkdir -p "$bindir" || die "cannot create $bindir (set PREFIX to a directory you can write)"
  dest=$bindir/ccsso$exe

  # git finds `git-credential-ccsso` and `git-remote-codecommit` on PATH; the binary serves both by the
  # name it is started with. Ours: a symlink to ccsso, or (Windows, where they are copies) a file equal
  # to the ccsso being replaced. Anything else, e.g. pip's git-remote-codecommit, is left alone.
  ours=
  for link in git-credential-ccsso git-remote-codecommit; do
    path=$bindir/$link$exe
    if ! [ -e "$path" ] && ! [ -L "$path" ]; then
      ours="$ours $link"
    elif [ -L "$path" ] && [ "$(readlink "$path")" = "ccsso$exe" ]; then
      :
    elif ! [ -L "$path" ] && [ -f "$dest" ] && cmp -s "$path" "$dest"; then
      ours="$ours $link"
    elif [ "$link" = git-credential-ccsso ]; then
      ours="$ours $link" # only ccsso has that name
    else
      say "left $path alone (it is not ccsso's; remove it to use ccsso for codecommit:// URLs)"
    fi
  done

  # Copy next to the destination, then rename: a running ccsso (git may be using it) is never half-written.
  new=$bindir/.ccsso$exe.new.$$
  cp "$tmp/$file" "$new" || die "cannot write to $bindir (set PREFIX to a directory you can write)"
  chmod 0755 "$new"
  mv -f "$new" "$dest" || {
    rm -f "$new"
    die "cannot replace $dest"
  }
  say "installed $dest"

  for link in $ours; do
    path=$bindir/$link$exe
    rm -f "$path"
    if [ "$os" = windows ]; then
      # Hard links where the file system has them (NTFS), copies elsewhere; never symlinks, which
      # Windows allows only in Developer Mode.
      ln "$dest" "$path" 2>/dev/null || cp "$dest" "$path"
      say "made $path (same file as $dest)"
    else
      ln -s "ccsso$exe" "$path"
      say "linked $path -> ccsso$exe"
    fi
  done
}

# The line that puts $bindir on PATH, for the shell the user logs in with. zsh is the macOS default and
# never reads ~/.profile; Terminal.app starts bash as a login shell, which reads ~/.bash_profile, not
# ~/.bashrc; fish keeps PATH additions itself (fish_add_path).
path_hint() {
  case ":${PATH:-}:" in *":$bindir:"*) return 0 ;; esac
  shell_name=${SHELL:-sh}
  shell_name=${shell_name##*/}
  export_line="export PATH=$(quote "$bindir"):\"\$PATH\""
  # The file names are printed for the user's shell to expand, not expanded here.
  # shellcheck disable=SC2088
  case $shell_name in
    zsh) rc='~/.zshrc' ;;
    bash) if [ "$os" = darwin ]; then rc='~/.bash_profile'; else rc='~/.bashrc'; fi ;;
    fish)
      say "$bindir is not on your PATH; for fish, run: fish_add_path $(quote "$bindir")"
      return 0
      ;;
    *) rc='~/.profile' ;;
  esac
  say "$bindir is not on your PATH; for $shell_name, run: echo $(quote "$export_line") >> $rc"
  say "then open a new terminal"
}

maybe_setup_git() {
  if [ "$setup_git" = ask ]; then
    setup_git=no
    # Under `curl | sh` stdin is the script, so the question goes to the terminal itself.
    if [ -t 1 ] && (: </dev/tty) 2>/dev/null; then
      printf 'Configure git to use ccsso for CodeCommit (runs: ccsso setup-git)? [Y/n] ' >/dev/tty
      read -r answer </dev/tty || answer=n
      case $answer in "" | y | Y | yes | Yes) setup_git=yes ;; esac
    fi
  fi
  if [ "$setup_git" = yes ]; then
    "$dest" setup-git || die "ccsso is installed, but \`ccsso setup-git\` failed (see above); run it again once fixed"
  else
    say "next: ccsso configure sso, then ccsso sso login, then ccsso setup-git"
  fi
}

main() {
  set -eu
  parse_args "$@"
  detect_platform
  choose_tools
  tmp=$(mktemp -d 2>/dev/null || mktemp -d -t ccsso-install)
  trap 'rm -rf "$tmp"' EXIT
  trap 'exit 130' INT TERM
  download_and_verify
  install_files
  path_hint
  maybe_setup_git
}

{ main "$@"; }
