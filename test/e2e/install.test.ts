// scripts/install.sh end to end: a loopback HTTP server plays the release host, serving a small release
// tree built from dist/ccsso; the script runs under /bin/sh as a user would (`curl … | sh` minus the pipe).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compiledBinary, repoRoot } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const installScript = join(repoRoot, "scripts", "install.sh");
const releaseFiles = ["ccsso-linux-x64", "ccsso-linux-x64-musl", "ccsso-linux-arm64", "ccsso-darwin-arm64", "ccsso-darwin-x64", "ccsso-windows-x64.exe"];

let release: string;
let server: ReturnType<typeof Bun.serve>;
let requested: string[] = [];
let sbx: Sandbox;

function sha256(path: string): string {
  return new Bun.CryptoHasher("sha256").update(readFileSync(path)).digest("hex");
}

/**
 * This machine's file is dist/ccsso (the installer runs it before installing); the other platforms' are
 * small stand-ins, since those are only installed under a simulated uname and never run.
 */
function writeRelease(dir: string, tamper?: string, version = "1"): void {
  mkdirSync(dir, { recursive: true });
  const sums: string[] = [];
  for (const f of releaseFiles) {
    if (f === "ccsso-linux-x64") copyFileSync(compiledBinary, join(dir, f));
    else writeFileSync(join(dir, f), `#!/bin/sh\necho "${f} stand-in, version ${version}"\n`);
    sums.push(`${sha256(join(dir, f))}  ${f}`);
  }
  writeFileSync(join(dir, "SHA256SUMS"), sums.join("\n") + "\n");
  // Tampering after the sums were written: one byte appended, as a compromised mirror might serve.
  if (tamper) writeFileSync(join(dir, tamper), Buffer.concat([readFileSync(join(dir, tamper)), Buffer.from([0])]));
}

beforeAll(() => {
  if (!existsSync(compiledBinary)) throw new Error("dist/ccsso is missing: run `make build` first");
  release = mkdtempSync(join(tmpdir(), "ccsso-release-"));
  writeRelease(join(release, "good"));
  writeRelease(join(release, "tampered"), "ccsso-linux-x64");
  writeRelease(join(release, "v2"), undefined, "2");
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const path = decodeURIComponent(new URL(req.url).pathname);
      requested.push(path);
      // /dist/… is the real `make dist` output; everything else the trees built above.
      const file = path.startsWith("/dist/") ? join(repoRoot, path) : join(release, path);
      if (path.includes("..") || !existsSync(file) || !statSync(file).isFile()) return new Response("not found", { status: 404 });
      return new Response(Bun.file(file));
    },
  });
});

afterAll(() => {
  server?.stop(true);
  rmSync(release, { recursive: true, force: true });
});

beforeEach(() => {
  requested = [];
  sbx = makeSandbox();
});
afterEach(() => sbx.cleanup());

async function install(args: string[], opts: { tree?: string; env?: Record<string, string> } = {}) {
  const env = { ...sbx.env, CCSSO_RELEASE_URL: `${server.url.origin}/${opts.tree ?? "good"}`, ...opts.env };
  const proc = Bun.spawn(["/bin/sh", installScript, ...args], { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

/** A PATH with the tools install.sh uses, minus the ones named (to play a machine without them). */
function pathWithout(missing: string[]): string {
  const dir = sbx.path("tools");
  mkdirSync(dir);
  const tools = ["sh", "uname", "mkdir", "mktemp", "rm", "cp", "mv", "chmod", "ln", "readlink", "cmp", "awk", "cut", "head", "tr", "sed", "grep", "ldd", "getconf", "cat", "sha256sum", "curl", "wget"];
  for (const t of tools) {
    if (missing.includes(t)) continue;
    const real = Bun.which(t);
    if (real) symlinkSync(real, join(dir, t));
  }
  return dir;
}

describe("install.sh", () => {
  it("installs the verified binary to ~/.local/bin with mode 0755 and it runs", async () => {
    const r = await install(["--no-setup-git"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const bin = sbx.path(".local", "bin", "ccsso");
    expect(statSync(bin).mode & 0o777).toBe(0o755);
    expect(requested).toEqual(["/good/SHA256SUMS", "/good/ccsso-linux-x64"]);
    const v = Bun.spawnSync([bin, "--version"], { env: sbx.env });
    expect(v.stdout.toString()).toStartWith("ccsso ");
    expect(r.stdout).toContain("next: ccsso configure sso");
  });

  it("links git-credential-ccsso and git-remote-codecommit to the binary next to it", async () => {
    expect((await install(["--no-setup-git"])).code).toBe(0);
    for (const link of ["git-credential-ccsso", "git-remote-codecommit"]) {
      const path = sbx.path(".local", "bin", link);
      expect(lstatSync(path).isSymbolicLink()).toBe(true);
      expect(readlinkSync(path)).toBe("ccsso");
    }
  });

  it("installs into $PREFIX/bin when PREFIX is set", async () => {
    const prefix = sbx.path("opt", "tools");
    const r = await install([], { env: { PREFIX: prefix } });
    expect(r.code).toBe(0);
    expect(statSync(join(prefix, "bin", "ccsso")).mode & 0o777).toBe(0o755);
    expect(existsSync(sbx.path(".local", "bin", "ccsso"))).toBe(false);
  });

  it("is idempotent: a second run replaces the binary and keeps the links", async () => {
    expect((await install(["--no-setup-git"])).code).toBe(0);
    const again = await install(["--no-setup-git"]);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain("linked");
    expect(readlinkSync(sbx.path(".local", "bin", "git-remote-codecommit"))).toBe("ccsso");
  });

  it("on Windows copies the binary to the two helper names, and an upgrade replaces those copies", async () => {
    const windows = { CCSSO_INSTALL_UNAME_S: "MINGW64_NT-10.0-19045", CCSSO_INSTALL_UNAME_M: "x86_64" };
    const bindir = sbx.path(".local", "bin");
    expect((await install(["--no-setup-git"], { env: windows })).code).toBe(0);
    const upgrade = await install(["--no-setup-git"], { env: windows, tree: "v2" });
    expect(upgrade.code).toBe(0);
    expect(upgrade.stdout).not.toContain("alone");
    for (const name of ["ccsso.exe", "git-credential-ccsso.exe", "git-remote-codecommit.exe"]) {
      expect(lstatSync(join(bindir, name)).isSymbolicLink()).toBe(false);
      expect(readFileSync(join(bindir, name), "utf8")).toContain("version 2");
    }
  });

  it("leaves a git-remote-codecommit that is not ccsso's alone and says so", async () => {
    const bindir = sbx.path(".local", "bin");
    mkdirSync(bindir, { recursive: true });
    writeFileSync(join(bindir, "git-remote-codecommit"), "#!/usr/bin/env python3\n# pip's git-remote-codecommit\n", { mode: 0o755 });
    const r = await install(["--no-setup-git"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("left " + join(bindir, "git-remote-codecommit") + " alone");
    expect(readFileSync(join(bindir, "git-remote-codecommit"), "utf8")).toContain("pip's");
  });

  it("refuses a binary whose checksum does not match SHA256SUMS and installs nothing", async () => {
    const r = await install(["--no-setup-git"], { tree: "tampered" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("checksum mismatch for ccsso-linux-x64");
    expect(r.stderr).toContain("nothing was installed");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(sbx.path(".local", "bin"))).toBe(false);
  });

  it("refuses a release whose SHA256SUMS does not list the platform's file", async () => {
    const trimmed = join(release, "trimmed");
    mkdirSync(trimmed, { recursive: true });
    copyFileSync(join(release, "good", "ccsso-linux-x64"), join(trimmed, "ccsso-linux-x64"));
    writeFileSync(join(trimmed, "SHA256SUMS"), readFileSync(join(release, "good", "SHA256SUMS"), "utf8").split("\n").filter((l) => !l.endsWith(" ccsso-linux-x64")).join("\n"));
    const missing = await install(["--no-setup-git"], { tree: "trimmed" });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("has no entry for ccsso-linux-x64; nothing was installed");
    expect(existsSync(sbx.path(".local", "bin", "ccsso"))).toBe(false);
  });

  it.each([
    ["Linux", "x86_64", "musl", "ccsso-linux-x64-musl"],
    ["Linux", "aarch64", "glibc", "ccsso-linux-arm64"],
    ["Darwin", "arm64", "", "ccsso-darwin-arm64"],
    ["Darwin", "x86_64", "", "ccsso-darwin-x64"],
    ["MINGW64_NT-10.0-19045", "x86_64", "", "ccsso-windows-x64.exe"],
  ])("on %s %s %s downloads %s", async (s, m, libc, file) => {
    const env: Record<string, string> = { CCSSO_INSTALL_UNAME_S: s, CCSSO_INSTALL_UNAME_M: m };
    if (libc) env.CCSSO_INSTALL_LIBC = libc;
    const r = await install(["--no-setup-git"], { env });
    expect(r.stderr).toBe("");
    expect(requested).toEqual(["/good/SHA256SUMS", `/good/${file}`]);
    expect(existsSync(sbx.path(".local", "bin", file.endsWith(".exe") ? "ccsso.exe" : "ccsso"))).toBe(true);
  });

  it.each([
    ["SunOS", "i86pc", 'unsupported operating system "SunOS"'],
    ["Linux", "riscv64", 'unsupported CPU "riscv64"'],
    ["Linux", "aarch64", "unsupported platform linux-arm64-musl"],
  ])("refuses an unsupported platform (%s %s) before downloading anything", async (s, m, message) => {
    const r = await install(["--no-setup-git"], { env: { CCSSO_INSTALL_UNAME_S: s, CCSSO_INSTALL_UNAME_M: m, CCSSO_INSTALL_LIBC: "musl" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain("make install");
    expect(requested).toEqual([]);
    expect(existsSync(sbx.path(".local", "bin"))).toBe(false);
  });

  it("says to install curl or wget when neither is on PATH", async () => {
    const r = await install(["--no-setup-git"], { env: { PATH: pathWithout(["curl", "wget"]) } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("neither curl nor wget is installed");
    expect(requested).toEqual([]);
  });

  it("downloads with wget when curl is missing", async () => {
    const r = await install(["--no-setup-git"], { env: { PATH: pathWithout(["curl"]) } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(requested).toEqual(["/good/SHA256SUMS", "/good/ccsso-linux-x64"]);
  });

  it("names the URL when the release host has no such file", async () => {
    const r = await install(["--no-setup-git"], { tree: "no-such-release" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`could not download ${server.url.origin}/no-such-release/SHA256SUMS`);
  });

  it("runs `ccsso setup-git` when asked with --setup-git", async () => {
    const r = await install(["--setup-git"]);
    // Whatever setup-git does, the installer ran the installed binary's setup-git and reported its outcome.
    const setup = Bun.spawnSync([sbx.path(".local", "bin", "ccsso"), "setup-git"], { env: sbx.env });
    expect(r.code).toBe(setup.exitCode === 0 ? 0 : 1);
    if (setup.exitCode !== 0) expect(r.stderr).toContain("ccsso is installed, but `ccsso setup-git` failed");
    else expect(readFileSync(sbx.gitConfig, "utf8")).toContain("useHttpPath");
  });

  it("without a terminal and without --setup-git, does not touch git config", async () => {
    const before = readFileSync(sbx.gitConfig, "utf8");
    expect((await install([])).code).toBe(0);
    expect(readFileSync(sbx.gitConfig, "utf8")).toBe(before);
  });
});

describe.skipIf(!Bun.which("shellcheck"))("install.sh source", () => {
  it("is clean under shellcheck as POSIX sh", () => {
    const r = Bun.spawnSync(["shellcheck", "-s", "sh", installScript]);
    expect(r.stdout.toString()).toBe("");
    expect(r.exitCode).toBe(0);
  });
});

const realDist = join(repoRoot, "dist");
describe.skipIf(!existsSync(join(realDist, "SHA256SUMS")))("the make dist output", () => {
  it("installs with `curl <release>/install.sh | sh`, and the installed binary is this platform's release binary", async () => {
    const url = `${server.url.origin}/dist`;
    const proc = Bun.spawn(["/bin/sh", "-c", 'curl -fsSL "$CCSSO_RELEASE_URL/install.sh" | sh -s -- --no-setup-git'], {
      env: { ...sbx.env, CCSSO_RELEASE_URL: url },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const installed = sbx.path(".local", "bin", "ccsso");
    expect(sha256(installed)).toBe(sha256(join(realDist, `ccsso-linux-${process.arch}`)));
    const v = Bun.spawnSync([installed, "--version"], { env: sbx.env });
    expect(v.stdout.toString()).toContain(`, linux-${process.arch})`);
  });
});
