// The npm packages make dist writes (scripts/npm-packages.ts), packed with `npm pack` and installed with
// the real npm, globally into a temporary prefix, from the packed files (--offline: no registry is
// involved; publishing to a local registry such as verdaccio is not tested here). The `ccsso` npm puts on
// PATH must be the native binary itself, with no Node launcher in git's warm path.
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { linkSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, closeSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeNpmPackages } from "../../scripts/npm-packages";
import { compiledBinary } from "../helpers/ccsso";
import { makeSandbox } from "../helpers/sandbox";

setDefaultTimeout(120_000);
let dir: string;
const target = `linux-${process.arch}`;

function sh(argv: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = Bun.spawnSync(argv, {
    cwd: opts.cwd ?? dir,
    env: { ...process.env, npm_config_cache: join(dir, "npm-cache"), ...opts.env },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

function firstBytes(path: string): string {
  const fd = openSync(path, "r");
  const b = Buffer.alloc(4);
  readSync(fd, b, 0, 4, 0);
  closeSync(fd);
  return b.toString("latin1");
}

function npmInstall(prefix: string, tarballs: string[], extra: string[] = []) {
  return sh([
    "npm",
    "install",
    "-g",
    "--prefix",
    prefix,
    "--offline",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    ...extra,
    ...tarballs.map((t) => join(dir, "packed", t)),
  ]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ccsso-npm-"));
  mkdirSync(join(dir, "dist"));
  linkSync(compiledBinary, join(dir, "dist", `ccsso-${target}`));
  expect(writeNpmPackages(join(dir, "dist"), "0.1.0", [target])).toEqual(["ccsso", `ccsso-${target}`]);
  mkdirSync(join(dir, "packed"));
  for (const p of ["ccsso", `ccsso-${target}`]) {
    const r = sh(["npm", "pack", "--silent", "--pack-destination", join(dir, "packed")], { cwd: join(dir, "dist", "npm", p) });
    if (r.code !== 0) throw new Error(`npm pack ${p}: ${r.stderr}`);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm install -g ccsso", () => {
  it("the platform package declares the os, cpu and libc npm selects it by", () => {
    const m = JSON.parse(readFileSync(join(dir, "dist", "npm", `ccsso-${target}`, "package.json"), "utf8"));
    expect([m.os, m.cpu, m.libc]).toEqual([["linux"], [process.arch], ["glibc"]]);
    const main = JSON.parse(readFileSync(join(dir, "dist", "npm", "ccsso", "package.json"), "utf8"));
    expect(main.optionalDependencies).toEqual({ [`ccsso-${target}`]: "0.1.0" });
  });

  it("puts the native binary itself on PATH as ccsso and both git helper names, and they work", () => {
    const prefix = join(dir, "global");
    const r = npmInstall(prefix, [`ccsso-${target}-0.1.0.tgz`, "ccsso-0.1.0.tgz"]);
    expect(r.code).toBe(0);
    for (const name of ["ccsso", "git-credential-ccsso", "git-remote-codecommit"]) {
      const onPath = join(prefix, "bin", name);
      expect(firstBytes(realpathSync(onPath))).toBe("\x7fELF");
      expect(readFileSync(onPath)).toEqual(readFileSync(compiledBinary));
    }
    const sbx = makeSandbox();
    try {
      expect(sh([join(prefix, "bin", "ccsso"), "--version"], { env: sbx.env }).stdout).toContain(`, ${target})`);
      const env = {
        ...sbx.env,
        AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
        AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      };
      const get = Bun.spawnSync([join(prefix, "bin", "git-credential-ccsso"), "get"], {
        env,
        stdin: new Blob(["protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/repos/smoke\n\n"]),
      });
      expect(get.stdout.toString()).toMatch(/^username=AKIAIOSFODNN7EXAMPLE\npassword=\d{8}T\d{6}Z[0-9a-f]{64}\n/);
    } finally {
      sbx.cleanup();
    }
  });

  it("with --ignore-scripts keeps the Node launcher, which still starts the binary", () => {
    const prefix = join(dir, "no-scripts");
    expect(npmInstall(prefix, [`ccsso-${target}-0.1.0.tgz`, "ccsso-0.1.0.tgz"], ["--ignore-scripts"]).code).toBe(0);
    expect(firstBytes(realpathSync(join(prefix, "bin", "ccsso")))).toBe("#!/u");
    expect(sh([join(prefix, "bin", "ccsso"), "--version"]).stdout).toContain(`, ${target})`);
  });

  it("without this platform's package says which package is missing and where the raw binary is", () => {
    const prefix = join(dir, "missing");
    const r = npmInstall(prefix, ["ccsso-0.1.0.tgz"]);
    expect(r.code).toBe(0);
    const run = sh([join(prefix, "bin", "ccsso"), "--version"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the package ccsso-${target} for this platform (linux ${process.arch}) is not installed`);
    expect(run.stderr).toContain("https://github.com/ccsso/ccsso/releases/latest/download");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });
});
