// scripts/install.sh end to end: a loopback HTTP server plays the release host, serving a small release
// tree built from dist/ccsso; the script runs under /bin/sh as a user would (`curl … | sh` minus the pipe).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compiledBinary, currentReleaseOutput, repoRoot } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { SIGNATURE_NAMESPACE, writeArchives } from "../../scripts/build";

const installScript = join(repoRoot, "scripts", "install.sh");
// Each install copies, hashes and starts a ~100 MB binary; on a loaded 2-core machine that can pass 5 s.
setDefaultTimeout(30_000);
const releaseFiles = [
  "ccsso-linux-x64",
  "ccsso-linux-x64-musl",
  "ccsso-linux-arm64",
  "ccsso-linux-arm64-musl",
  "ccsso-darwin-arm64",
  "ccsso-darwin-x64",
  "ccsso-windows-x64.exe",
  "ccsso-windows-arm64.exe",
  "ccsso-linux-x64-baseline",
  "ccsso-linux-x64-musl-baseline",
  "ccsso-darwin-x64-baseline",
];

let release: string;
let server: ReturnType<typeof Bun.serve>;
let requested: string[] = [];
let sbx: Sandbox;
let releaseKey: string;

function sign(dir: string, who: "release" | "stranger"): void {
  const r = Bun.spawnSync([
    "ssh-keygen",
    "-q",
    "-Y",
    "sign",
    "-f",
    join(release, `${who}-key`),
    "-n",
    SIGNATURE_NAMESPACE,
    join(dir, "SHA256SUMS"),
  ]);
  if (r.exitCode !== 0) throw new Error(`ssh-keygen -Y sign failed (${r.exitCode}): ${r.stderr} ${r.stdout}`);
}

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
    // A hard link, not a copy: several trees share this ~100 MB file (tampering replaces, never edits, it).
    if (f === "ccsso-linux-x64") linkOrCopy(compiledBinary, join(dir, f));
    else writeFileSync(join(dir, f), `#!/bin/sh\necho "${f} stand-in, version ${version}"\n`);
    sums.push(`${sha256(join(dir, f))}  ${f}`);
  }
  writeFileSync(join(dir, "SHA256SUMS"), sums.join("\n") + "\n");
  // Tampering after the sums were written: one byte appended, as a compromised mirror might serve.
  if (tamper) appendByte(join(dir, tamper));
}

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** A new file with one byte more; the old one (maybe a hard link to dist/ccsso) is unlinked, not edited. */
function appendByte(path: string): void {
  const bytes = Buffer.concat([readFileSync(path), Buffer.from([0])]);
  rmSync(path);
  writeFileSync(path, bytes, { mode: 0o755 });
}

/** A release with archives as make dist writes them (linux-x64's holds dist/ccsso), listed in SHA256SUMS. */
async function writeArchivedRelease(dir: string): Promise<void> {
  writeRelease(dir);
  await writeArchives(dir, 0, ["linux-x64", "linux-x64-baseline", "darwin-arm64"]);
  const sums = ["ccsso-linux-x64.tar.gz", "ccsso-linux-x64-baseline.tar.gz", "ccsso-darwin-arm64.tar.gz"].map(
    (f) => `${sha256(join(dir, f))}  ${f}\n`,
  );
  writeFileSync(join(dir, "SHA256SUMS"), readFileSync(join(dir, "SHA256SUMS"), "utf8") + sums.join(""));
}

beforeAll(async () => {
  if (!existsSync(compiledBinary)) throw new Error("dist/ccsso is missing: run `make build` first");
  release = mkdtempSync(join(tmpdir(), "ccsso-release-"));
  writeRelease(join(release, "good"));
  writeRelease(join(release, "tampered"), "ccsso-linux-x64");
  writeRelease(join(release, "v2"), undefined, "2");
  await writeArchivedRelease(join(release, "archived"));
  await writeArchivedRelease(join(release, "archive-tampered"));
  appendByte(join(release, "archive-tampered", "ccsso-linux-x64.tar.gz"));
  // Release signing keys made for this run: the release key and a stranger's.
  for (const who of ["release", "stranger"]) {
    const r = Bun.spawnSync(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", join(release, `${who}-key`)]);
    if (r.exitCode !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  }
  releaseKey = readFileSync(join(release, "release-key.pub"), "utf8").trim();
  writeRelease(join(release, "signed"));
  sign(join(release, "signed"), "release");
  writeRelease(join(release, "signed-by-stranger"));
  sign(join(release, "signed-by-stranger"), "stranger");
  // Signed, then SHA256SUMS rewritten to match a tampered binary (what a compromised mirror could do).
  writeRelease(join(release, "resummed"));
  sign(join(release, "resummed"), "release");
  appendByte(join(release, "resummed", "ccsso-linux-x64"));
  writeFileSync(
    join(release, "resummed", "SHA256SUMS"),
    readFileSync(join(release, "resummed", "SHA256SUMS"), "utf8").replace(
      /^[0-9a-f]{64}(?=  ccsso-linux-x64$)/m,
      sha256(join(release, "resummed", "ccsso-linux-x64")),
    ),
  );
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
}, 60_000);

afterAll(() => {
  server?.stop(true);
  rmSync(release, { recursive: true, force: true });
});

beforeEach(() => {
  requested = [];
  sbx = makeSandbox();
});
afterEach(() => sbx.cleanup());

async function install(args: string[], opts: { tree?: string; env?: Record<string, string>; script?: string } = {}) {
  const env = { ...sbx.env, CCSSO_RELEASE_URL: `${server.url.origin}/${opts.tree ?? "good"}`, ...opts.env };
  const proc = Bun.spawn(["/bin/sh", opts.script ?? installScript, ...args], { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

/** A PATH with the tools install.sh uses, minus the ones named (to play a machine without them). */
function pathWithout(missing: string[]): string {
  const dir = sbx.path("tools");
  mkdirSync(dir);
  const tools = [
    "sh",
    "tar",
    "gzip",
    "uname",
    "mkdir",
    "mktemp",
    "rm",
    "cp",
    "mv",
    "chmod",
    "ln",
    "readlink",
    "cmp",
    "awk",
    "cut",
    "head",
    "tr",
    "sed",
    "grep",
    "ldd",
    "getconf",
    "cat",
    "sha256sum",
    "curl",
    "wget",
    "ssh-keygen",
  ];
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

  it("on Windows makes the two helper names as hard links to ccsso.exe, and an upgrade replaces them", async () => {
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
    // Hard links where the file system has them (no Developer Mode needed, unlike symlinks).
    const ino = statSync(join(bindir, "ccsso.exe")).ino;
    for (const name of ["git-credential-ccsso.exe", "git-remote-codecommit.exe"]) expect(statSync(join(bindir, name)).ino).toBe(ino);
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
    writeFileSync(
      join(trimmed, "SHA256SUMS"),
      readFileSync(join(release, "good", "SHA256SUMS"), "utf8")
        .split("\n")
        .filter((l) => !l.endsWith(" ccsso-linux-x64"))
        .join("\n"),
    );
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
    ["Linux", "aarch64", "musl", "ccsso-linux-arm64-musl"],
    ["MINGW64_NT-10.0-22631-ARM64", "aarch64", "", "ccsso-windows-arm64.exe"],
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
  ])("refuses an unsupported platform (%s %s) before downloading anything", async (s, m, message) => {
    const r = await install(["--no-setup-git"], {
      env: { CCSSO_INSTALL_UNAME_S: s, CCSSO_INSTALL_UNAME_M: m, CCSSO_INSTALL_LIBC: "musl" },
    });
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

describe("install.sh and the release archives", () => {
  it("prefers the .tar.gz the release lists, checks its sum, and installs the binary inside it", async () => {
    const r = await install(["--no-setup-git"], { tree: "archived" });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(requested).toEqual(["/archived/SHA256SUMS", "/archived/ccsso-linux-x64.tar.gz"]);
    const bin = sbx.path(".local", "bin", "ccsso");
    expect(sha256(bin)).toBe(sha256(compiledBinary));
    expect(statSync(bin).mode & 0o777).toBe(0o755);
    expect(readlinkSync(sbx.path(".local", "bin", "git-credential-ccsso"))).toBe("ccsso");
  });

  it("refuses an archive whose checksum does not match and installs nothing", async () => {
    const r = await install(["--no-setup-git"], { tree: "archive-tampered" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("checksum mismatch for ccsso-linux-x64.tar.gz");
    expect(requested).not.toContain("/archive-tampered/ccsso-linux-x64");
    expect(existsSync(sbx.path(".local", "bin"))).toBe(false);
  });

  it("takes the raw binary on a machine without tar", async () => {
    const r = await install(["--no-setup-git"], { tree: "archived", env: { PATH: pathWithout(["tar"]) } });
    expect(r.code).toBe(0);
    expect(requested).toEqual(["/archived/SHA256SUMS", "/archived/ccsso-linux-x64"]);
  });

  it("on macOS takes the darwin archive and installs the binary from it", async () => {
    const r = await install(["--no-setup-git"], {
      tree: "archived",
      env: { CCSSO_INSTALL_UNAME_S: "Darwin", CCSSO_INSTALL_UNAME_M: "arm64" },
    });
    expect(r.stderr).toBe("");
    expect(requested).toEqual(["/archived/SHA256SUMS", "/archived/ccsso-darwin-arm64.tar.gz"]);
    expect(readFileSync(sbx.path(".local", "bin", "ccsso"), "utf8")).toContain("ccsso-darwin-arm64 stand-in");
  });
});

describe("install.sh on a CPU without AVX2", () => {
  const flags = (avx2: boolean) => `processor\t: 0\nflags\t\t: fpu vme sse sse2 ssse3 sse4_1 sse4_2 avx ${avx2 ? "avx2 " : ""}bmi1 aes\n`;

  it.each([
    ["this Linux machine", {}, "ccsso-linux-x64-baseline"],
    [
      "Linux musl",
      { CCSSO_INSTALL_UNAME_S: "Linux", CCSSO_INSTALL_UNAME_M: "x86_64", CCSSO_INSTALL_LIBC: "musl" },
      "ccsso-linux-x64-musl-baseline",
    ],
    ["an Intel Mac", { CCSSO_INSTALL_UNAME_S: "Darwin", CCSSO_INSTALL_UNAME_M: "x86_64" }, "ccsso-darwin-x64-baseline"],
  ])("on %s installs the baseline build", async (_what, env, file) => {
    writeFileSync(sbx.path("cpuinfo"), flags(false));
    const r = await install(["--no-setup-git"], { env: { ...env, CCSSO_INSTALL_CPUINFO: sbx.path("cpuinfo") } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(requested).toEqual(["/good/SHA256SUMS", `/good/${file}`]);
    expect(readFileSync(sbx.path(".local", "bin", "ccsso"), "utf8")).toContain(`${file} stand-in`);
  });

  it("takes the baseline archive when the release has one", async () => {
    writeFileSync(sbx.path("cpuinfo"), flags(false));
    const r = await install(["--no-setup-git"], { tree: "archived", env: { CCSSO_INSTALL_CPUINFO: sbx.path("cpuinfo") } });
    expect(r.code).toBe(0);
    expect(requested).toEqual(["/archived/SHA256SUMS", "/archived/ccsso-linux-x64-baseline.tar.gz"]);
  });

  it("with avx2 among the flags installs the regular build", async () => {
    writeFileSync(sbx.path("cpuinfo"), flags(true));
    const r = await install(["--no-setup-git"], { env: { CCSSO_INSTALL_CPUINFO: sbx.path("cpuinfo") } });
    expect(r.code).toBe(0);
    expect(requested).toEqual(["/good/SHA256SUMS", "/good/ccsso-linux-x64"]);
  });

  it("never picks baseline for arm64", async () => {
    writeFileSync(sbx.path("cpuinfo"), "Features\t: fp asimd\n");
    const r = await install(["--no-setup-git"], {
      env: {
        CCSSO_INSTALL_UNAME_S: "Linux",
        CCSSO_INSTALL_UNAME_M: "aarch64",
        CCSSO_INSTALL_LIBC: "glibc",
        CCSSO_INSTALL_CPUINFO: sbx.path("cpuinfo"),
      },
    });
    expect(r.code).toBe(0);
    expect(requested).toEqual(["/good/SHA256SUMS", "/good/ccsso-linux-arm64"]);
  });
});

describe("install.sh and the release signature", () => {
  it("installs a release whose SHA256SUMS the configured key signed, and says it checked", async () => {
    const r = await install(["--no-setup-git"], { tree: "signed", env: { CCSSO_RELEASE_KEY: releaseKey } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("verified the release signature on SHA256SUMS");
    expect(requested).toEqual(["/signed/SHA256SUMS", "/signed/SHA256SUMS.sig", "/signed/ccsso-linux-x64"]);
    expect(existsSync(sbx.path(".local", "bin", "ccsso"))).toBe(true);
  });

  it.each([
    ["an unsigned release", "good", "the release is not signed"],
    ["a release signed by another key", "signed-by-stranger", "is not signed by the ccsso release key"],
    ["SHA256SUMS rewritten after signing to match a tampered binary", "resummed", "is not signed by the ccsso release key"],
  ])("refuses %s and installs nothing", async (_what, tree, message) => {
    const r = await install(["--no-setup-git"], { tree, env: { CCSSO_RELEASE_KEY: releaseKey } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain("nothing was installed");
    expect(requested).not.toContain(`/${tree}/ccsso-linux-x64`);
    expect(existsSync(sbx.path(".local", "bin"))).toBe(false);
  });

  it("uses the key built into the script (as make dist writes it) when CCSSO_RELEASE_KEY is unset", async () => {
    const pinned = sbx.path("install.sh");
    writeFileSync(pinned, readFileSync(installScript, "utf8").replace("BUILTIN_RELEASE_KEY=''", `BUILTIN_RELEASE_KEY='${releaseKey}'`));
    expect(readFileSync(pinned, "utf8")).toContain(releaseKey);
    const unsigned = await install(["--no-setup-git"], { script: pinned });
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toContain("the release is not signed");
    const signed = await install(["--no-setup-git"], { script: pinned, tree: "signed" });
    expect(signed.stderr).toBe("");
    expect(signed.code).toBe(0);
  });

  it("skips the check when CCSSO_RELEASE_KEY is set but empty (the user's explicit choice)", async () => {
    const pinned = sbx.path("install.sh");
    writeFileSync(pinned, readFileSync(installScript, "utf8").replace("BUILTIN_RELEASE_KEY=''", `BUILTIN_RELEASE_KEY='${releaseKey}'`));
    const r = await install(["--no-setup-git"], { script: pinned, env: { CCSSO_RELEASE_KEY: "" } });
    expect(r.code).toBe(0);
    expect(requested).toEqual(["/good/SHA256SUMS", "/good/ccsso-linux-x64"]);
  });

  it("refuses a CCSSO_RELEASE_KEY that is not an OpenSSH public key before downloading", async () => {
    const r = await install(["--no-setup-git"], { tree: "signed", env: { CCSSO_RELEASE_KEY: "not a key" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("CCSSO_RELEASE_KEY is not an OpenSSH public key");
    expect(requested).toEqual([]);
  });

  it("says how to go on when ssh-keygen is missing and a key is configured", async () => {
    const r = await install(["--no-setup-git"], {
      tree: "signed",
      env: { CCSSO_RELEASE_KEY: releaseKey, PATH: pathWithout(["ssh-keygen"]) },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ssh-keygen (OpenSSH 8.1 or later) is needed");
    expect(existsSync(sbx.path(".local", "bin"))).toBe(false);
  });
});

describe("install.sh transport", () => {
  it("refuses a plain-http release URL that is not this machine, before downloading", async () => {
    const r = await install(["--no-setup-git"], { env: { CCSSO_RELEASE_URL: "http://releases.example.invalid/ccsso" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("CCSSO_RELEASE_URL must be an https:// URL");
    expect(existsSync(sbx.path(".local", "bin"))).toBe(false);
  });

  it("documents curl with --proto '=https' --tlsv1.2 in its usage text", async () => {
    const r = await install(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("curl --proto '=https' --tlsv1.2 -fsSL https://");
    expect(r.stdout).toContain("xattr -d com.apple.quarantine");
  });
});

describe("documented download commands", () => {
  it("every curl download in the README, the docs and the installers keeps to TLS 1.2+ (--proto '=https' --tlsv1.2)", () => {
    const files = [
      "README.md",
      "scripts/install.sh",
      "scripts/install.ps1",
      ...readdirSync(join(repoRoot, "docs")).map((f) => `docs/${f}`),
    ];
    const curls = files.flatMap((f) =>
      readFileSync(join(repoRoot, f), "utf8")
        .split("\n")
        // A download for the user (a release URL), not a test's curl of a local stand-in.
        .filter((l) => /\bcurl (-|--)\w.*(https:\/\/|<release>)/.test(l))
        .map((l) => `${f}: ${l.trim()}`),
    );
    expect(curls.length).toBeGreaterThanOrEqual(3);
    expect(curls.filter((l) => !l.includes("curl --proto '=https' --tlsv1.2 "))).toEqual([]);
  });
});

describe("install.sh PATH hint", () => {
  // A directory with a space and a single quote: the suggested command must still be one that works.
  const prefixParts = ["my tools", "it's"];

  function hintCommand(stdout: string): string {
    const line = stdout.split("\n").find((l) => l.includes("is not on your PATH"));
    if (!line) throw new Error(`no PATH hint in:\n${stdout}`);
    return line.slice(line.indexOf(", run: ") + ", run: ".length);
  }

  it.each([
    ["zsh", "Linux", "~/.zshrc", "zsh", 'source ~/.zshrc; print -r -- "$PATH"'],
    ["zsh", "Darwin", "~/.zshrc", "zsh", 'source ~/.zshrc; print -r -- "$PATH"'],
    ["bash", "Linux", "~/.bashrc", "bash", 'source ~/.bashrc; printf "%s" "$PATH"'],
    ["bash", "Darwin", "~/.bash_profile", "bash", 'source ~/.bash_profile; printf "%s" "$PATH"'],
    ["sh", "Linux", "~/.profile", "sh", '. ~/.profile; printf "%s" "$PATH"'],
  ])(
    "for %s on %s names %s, and the command it prints puts the directory on PATH in that shell",
    async (shell, os, rc, runner, readBack) => {
      const shellPath = Bun.which(shell);
      if (!shellPath) throw new Error(`${shell} is not installed (.ci/run installs it)`);
      const prefix = sbx.path(...prefixParts);
      const env: Record<string, string> = { SHELL: shellPath, PREFIX: prefix };
      if (os === "Darwin") Object.assign(env, { CCSSO_INSTALL_UNAME_S: "Darwin", CCSSO_INSTALL_UNAME_M: "arm64" });
      const r = await install(["--no-setup-git"], { env });
      expect(r.code).toBe(0);
      const command = hintCommand(r.stdout);
      expect(command).toEndWith(`>> ${rc}`);
      // The user pastes it into their shell; then a new shell of that kind reads the file.
      expect(Bun.spawnSync([shellPath, "-c", command], { env: sbx.env }).exitCode).toBe(0);
      const path = Bun.spawnSync([Bun.which(runner)!, "-c", readBack], { env: sbx.env }).stdout.toString();
      expect(path.split(":")).toContain(join(prefix, "bin"));
    },
  );

  it.skipIf(!Bun.which("fish"))("for fish prints fish_add_path, which puts the directory on fish's PATH", async () => {
    const fish = Bun.which("fish")!;
    const prefix = sbx.path(...prefixParts);
    const r = await install(["--no-setup-git"], { env: { SHELL: fish, PREFIX: prefix } });
    expect(r.code).toBe(0);
    const command = hintCommand(r.stdout);
    expect(command).toStartWith("fish_add_path ");
    expect(Bun.spawnSync([fish, "-c", command], { env: sbx.env }).exitCode).toBe(0);
    const path = Bun.spawnSync([fish, "-c", "string join \\n $PATH"], { env: sbx.env }).stdout.toString();
    expect(path.split("\n")).toContain(join(prefix, "bin"));
  });

  it("says nothing about PATH when the directory is already on it", async () => {
    const r = await install(["--no-setup-git"], { env: { PATH: `${sbx.path(".local", "bin")}:${sbx.env.PATH}` } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("is not on your PATH");
  });
});

describe("install.sh cut short", () => {
  // `curl | sh` runs whatever has arrived when a download breaks off. Each prefix of the script is piped
  // to sh against a real release server, as if the connection dropped there, and must either fail or
  // leave nothing behind. Checked: every line boundary and the bytes either side of it, every byte of
  // the last 256 (the closing lines, where a cut is most dangerous), and 400 random offsets (seed in the
  // failure message; CCSSO_PREFIX_SEED repeats a run). Eight shells run at once.
  const script = readFileSync(installScript);
  // From here on the whole program has arrived (at most the final newline is missing): it may install.
  const complete = script.lastIndexOf('{ main "$@"; }') + '{ main "$@"; }'.length;

  function offsets(seed: number): number[] {
    const set = new Set<number>([0]);
    script.forEach((b, i) => {
      if (b === 0x0a) for (const d of [-1, 0, 1, 2]) set.add(i + d);
    });
    for (let i = Math.max(0, script.length - 256); i < script.length; i++) set.add(i);
    let x = seed >>> 0 || 1;
    for (let n = 0; n < 400; n++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      set.add((x >>> 0) % script.length);
    }
    return [...set].filter((o) => o >= 0 && o < complete).sort((a, b) => a - b);
  }

  async function runPrefix(length: number): Promise<{ length: number; code: number; left: string[] }> {
    const dir = sbx.path(`cut-${length}`);
    mkdirSync(join(dir, "tmp"), { recursive: true });
    const env = { ...sbx.env, PREFIX: join(dir, "prefix"), TMPDIR: join(dir, "tmp"), CCSSO_RELEASE_URL: `${server.url.origin}/good` };
    const proc = Bun.spawn(["/bin/sh"], { env, stdin: new Blob([script.subarray(0, length)]), stdout: "ignore", stderr: "ignore" });
    const code = await proc.exited;
    const left = [...(existsSync(join(dir, "prefix")) ? ["prefix"] : []), ...readdirSync(join(dir, "tmp")).map((f) => `tmp/${f}`)];
    rmSync(dir, { recursive: true, force: true });
    return { length, code, left };
  }

  it("the whole script piped to sh installs, with or without its final newline (so the harness can see an install)", async () => {
    expect(complete).toBeGreaterThan(script.length - 3);
    for (const length of [complete, script.length]) {
      const whole = await runPrefix(length);
      expect(whole.code).toBe(0);
      expect(whole.left).toEqual(["prefix"]);
    }
  }, 30_000);

  it("every prefix either exits non-zero or installs nothing", async () => {
    const seed = Number(process.env.CCSSO_PREFIX_SEED) || Math.floor(Math.random() * 2 ** 31);
    const cuts = offsets(seed);
    const results: { length: number; code: number; left: string[] }[] = [];
    for (let i = 0; i < cuts.length; i += 8) results.push(...(await Promise.all(cuts.slice(i, i + 8).map(runPrefix))));
    const halfInstalled = results.filter((r) => r.code === 0 && r.left.length > 0).map((r) => `${r.length}: ${r.left.join(", ")}`);
    expect({ seed, halfInstalled }).toEqual({ seed, halfInstalled: [] });
    // The harness did try both kinds of cut: ones that only define functions, and syntax errors.
    expect(results.some((r) => r.code === 0)).toBe(true);
    expect(results.some((r) => r.code !== 0)).toBe(true);
    expect(results.length).toBeGreaterThan(500);
  }, 120_000);
});

describe.skipIf(!Bun.which("shellcheck"))("install.sh source", () => {
  it("is clean under shellcheck as POSIX sh", () => {
    const r = Bun.spawnSync(["shellcheck", "-s", "sh", installScript]);
    expect(r.stdout.toString()).toBe("");
    expect(r.exitCode).toBe(0);
  });
});

const realDist = join(repoRoot, "dist");
describe.skipIf(!currentReleaseOutput())("the make dist output", () => {
  it("installs with `curl <release>/install.sh | sh`, and the installed binary is this platform's release binary", async () => {
    const url = `${server.url.origin}/dist`;
    const proc = Bun.spawn(["/bin/sh", "-c", 'curl -fsSL "$CCSSO_RELEASE_URL/install.sh" | sh -s -- --no-setup-git'], {
      env: { ...sbx.env, CCSSO_RELEASE_URL: url },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    // CI signs its make dist with a throw-away key (.ci/run); the released install.sh then pins that key.
    expect(stdout.includes("verified the release signature on SHA256SUMS")).toBe(existsSync(join(realDist, "SHA256SUMS.sig")));
    // From the release archive, not the raw binary (make dist writes both).
    expect(requested).toContain(`/dist/ccsso-linux-${process.arch}.tar.gz`);
    expect(requested).not.toContain(`/dist/ccsso-linux-${process.arch}`);
    const installed = sbx.path(".local", "bin", "ccsso");
    expect(sha256(installed)).toBe(sha256(join(realDist, `ccsso-linux-${process.arch}`)));
    const v = Bun.spawnSync([installed, "--version"], { env: sbx.env });
    expect(v.stdout.toString()).toContain(`, linux-${process.arch})`);
  }, 30_000);
});
