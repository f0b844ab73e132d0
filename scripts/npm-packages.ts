// The npm packages `make dist` writes to dist/npm/: `ccsso`, whose optionalDependencies are one package
// per platform (`ccsso-<target>`, with npm's os/cpu/libc fields, so npm installs only the one that fits)
// holding the native binary. On install, ccsso's postinstall (scripts/npm/install.cjs) puts that binary in
// place of its bin/ launcher, as esbuild does: the `ccsso` npm links onto PATH is then the program itself
// (docs/decisions.md). Baseline builds are not packaged: npm cannot select by CPU feature.
import { chmodSync, copyFileSync, linkSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pkg from "../package.json";
import { latestDownloadUrl } from "./manifests";

const here = resolve(import.meta.dir);
export const npmTargets = [
  { name: "linux-x64", os: "linux", cpu: "x64", libc: "glibc" },
  { name: "linux-arm64", os: "linux", cpu: "arm64", libc: "glibc" },
  { name: "linux-x64-musl", os: "linux", cpu: "x64", libc: "musl" },
  { name: "linux-arm64-musl", os: "linux", cpu: "arm64", libc: "musl" },
  { name: "darwin-x64", os: "darwin", cpu: "x64" },
  { name: "darwin-arm64", os: "darwin", cpu: "arm64" },
  { name: "windows-x64", os: "win32", cpu: "x64", exe: true },
  { name: "windows-arm64", os: "win32", cpu: "arm64", exe: true },
] as const;

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** Writes dist/npm/ccsso and dist/npm/ccsso-<target> for each target whose binary is in `dist`. */
export function writeNpmPackages(dist: string, version: string, only: string[] = npmTargets.map((t) => t.name)): string[] {
  const out = join(dist, "npm");
  rmSync(out, { recursive: true, force: true });
  const common = {
    version,
    description: pkg.description,
    homepage: "https://github.com/ccsso/ccsso",
    repository: { type: "git", url: "git+https://github.com/ccsso/ccsso.git" },
  };
  const written: string[] = [];
  for (const t of npmTargets.filter((x) => only.includes(x.name))) {
    const name = `ccsso-${t.name}`;
    const file = "exe" in t ? "ccsso.exe" : "ccsso";
    mkdirSync(join(out, name, "bin"), { recursive: true });
    linkOrCopy(join(dist, `ccsso-${t.name}${"exe" in t ? ".exe" : ""}`), join(out, name, "bin", file));
    const manifest = {
      name,
      ...common,
      description: `ccsso for ${t.name} (installed by the ccsso package)`,
      os: [t.os],
      cpu: [t.cpu],
      ...("libc" in t ? { libc: [t.libc] } : {}),
      files: ["bin"],
      preferUnplugged: true,
    };
    writeFileSync(join(out, name, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
    written.push(name);
  }
  const main = join(out, "ccsso");
  mkdirSync(join(main, "bin"), { recursive: true });
  const commands = ["ccsso", "git-credential-ccsso", "git-remote-codecommit"];
  for (const c of commands) {
    copyFileSync(join(here, "npm", "launcher.cjs"), join(main, "bin", c));
    chmodSync(join(main, "bin", c), 0o755);
  }
  for (const f of ["platform.cjs", "install.cjs"]) copyFileSync(join(here, "npm", f), join(main, f));
  copyFileSync(join(here, "..", "README.md"), join(main, "README.md"));
  const manifest = {
    name: "ccsso",
    ...common,
    bin: Object.fromEntries(commands.map((c) => [c, `bin/${c}`])),
    scripts: { postinstall: "node install.cjs" },
    optionalDependencies: Object.fromEntries(written.map((n) => [n, version])),
    files: ["bin", "platform.cjs", "install.cjs", "README.md"],
    ccssoReleases: latestDownloadUrl(),
  };
  writeFileSync(join(main, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  return ["ccsso", ...written];
}
