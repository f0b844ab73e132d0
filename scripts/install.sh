#!/bin/sh
# Installs ccsso: downloads the binary for this platform and SHA256SUMS from a release, verifies the
# checksum, installs to ~/.local/bin (or $PREFIX/bin) with the git-credential-ccsso and
# git-remote-codecommit links next to it (docs/architecture.md §2, §8), and optionally runs `ccsso setup-git`.
#
#   curl -fsSL <release>/install.sh | sh                    # asks before setup-git when a terminal is attached
#   curl -fsSL <release>/install.sh | sh -s -- --setup-git  # configure git too, without asking
#
# Options: --setup-git | --no-setup-git, --prefix DIR (same as PREFIX=DIR), -h | --help.
# Environment:
#   PREFIX                installs into $PREFIX/bin (default: $HOME/.local)
#   CCSSO_RELEASE_URL     base URL holding ccsso-<os>-<arch>[.exe] and SHA256SUMS (default below)
#   CCSSO_INSTALL_UNAME_S, CCSSO_INSTALL_UNAME_M
#                         stand in for `uname -s` / `uname -m` (for tests of other platforms)
#   CCSSO_INSTALL_LIBC    "musl" or "glibc": stands in for the libc detection (for tests)
# Exit status: 0 installed; 1 anything else, with one line saying what went wrong. Nothing is
# installed unless the download verified.
set -eu

DEFAULT_RELEASE_URL="https://github.com/ccsso/ccsso/releases/latest/download"

say() { printf 'ccsso-install: %s\n' "$*"; }
die() {
  printf 'ccsso-install: error: %s\n' "$*" >&2
  exit 1
}

usage() {
  printf '%s\n' "usage: install.sh [--setup-git | --no-setup-git] [--prefix DIR]" \
    "Installs ccsso to \$PREFIX/bin (default ~/.local/bin) from \$CCSSO_RELEASE_URL (default $DEFAULT_RELEASE_URL)."
}

setup_git=ask
prefix=${PREFIX:-${HOME:?HOME is not set}/.local}
while [ $# -gt 0 ]; do
  case $1 in
    --setup-git) setup_git=yes ;;
    --no-setup-git) setup_git=no ;;
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift ;;
    --prefix=*) prefix=${1#--prefix=} ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $1 (options: --setup-git, --no-setup-git, --prefix DIR)" ;;
  esac
  shift
done
base_url=${CCSSO_RELEASE_URL:-$DEFAULT_RELEASE_URL}
base_url=${base_url%/}
bindir=$prefix/bin

# --- platform -> release file name -------------------------------------------------------------
os_raw=${CCSSO_INSTALL_UNAME_S:-$(uname -s)}
arch_raw=${CCSSO_INSTALL_UNAME_M:-$(uname -m)}
supported="linux-x64, linux-arm64, linux-x64-musl, darwin-x64, darwin-arm64, windows-x64"

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
case $target in
  linux-x64 | linux-arm64 | linux-x64-musl | darwin-x64 | darwin-arm64) file=ccsso-$target; exe= ;;
  windows-x64) file=ccsso-$target.exe; exe=.exe ;;
  *) die "unsupported platform $target (ccsso is built for $supported); build from source with: make install" ;;
esac

# --- tools ---------------------------------------------------------------------------------------
if command -v curl >/dev/null 2>&1; then
  fetch() { curl -fsSL --retry 2 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
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

# --- download and verify -------------------------------------------------------------------------
tmp=$(mktemp -d 2>/dev/null || mktemp -d -t ccsso-install)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

say "downloading $file from $base_url"
fetch "$base_url/SHA256SUMS" "$tmp/SHA256SUMS" || die "could not download $base_url/SHA256SUMS (check the URL or your network; CCSSO_RELEASE_URL overrides it)"
fetch "$base_url/$file" "$tmp/$file" || die "could not download $base_url/$file (check the URL or your network; CCSSO_RELEASE_URL overrides it)"

# `sha256sum -c` format: "<hex>  <name>" (or "<hex> *<name>" in binary mode).
expected=$(awk -v f="$file" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/SHA256SUMS")
[ -n "$expected" ] || die "SHA256SUMS at $base_url has no entry for $file; nothing was installed"
actual=$(sha256_of "$tmp/$file")
if [ "$actual" != "$expected" ]; then
  die "checksum mismatch for $file (expected $expected, got $actual): the download is corrupt or was tampered with; nothing was installed"
fi
say "verified sha256 $actual"
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

# --- install -------------------------------------------------------------------------------------
mkdir -p "$bindir" || die "cannot create $bindir (set PREFIX to a directory you can write)"
dest=$bindir/ccsso$exe

# git finds `git-credential-ccsso` and `git-remote-codecommit` on PATH; the binary serves both by the
# name it is started with. Ours: a symlink to ccsso, or (Windows, where they are copies) a file equal to
# the ccsso being replaced. Anything else, e.g. pip's git-remote-codecommit, is left alone.
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
cp "$tmp/$file" "$bindir/.ccsso$exe.new.$$" || die "cannot write to $bindir (set PREFIX to a directory you can write)"
chmod 0755 "$bindir/.ccsso$exe.new.$$"
mv -f "$bindir/.ccsso$exe.new.$$" "$dest" || die "cannot replace $dest"
say "installed $dest"

for link in $ours; do
  path=$bindir/$link$exe
  rm -f "$path"
  if [ "$os" = windows ]; then
    cp "$dest" "$path"
    say "copied $dest to $path"
  else
    ln -s "ccsso$exe" "$path"
    say "linked $path -> ccsso$exe"
  fi
done

case ":${PATH:-}:" in
  *":$bindir:"*) ;;
  *) say "$bindir is not on your PATH; add it, e.g.: echo 'export PATH=\"$bindir:\$PATH\"' >> ~/.profile" ;;
esac

# --- setup-git -----------------------------------------------------------------------------------
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
