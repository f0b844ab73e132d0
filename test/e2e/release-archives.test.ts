// The release archives make dist writes beside the raw binaries (scripts/build.ts writeArchives), read
// back with the system's own tar and unzip: what a user extracting them sees, and that a rebuild gives
// the same bytes. This machine's binary is the real dist/ccsso (it writes the completion scripts); the
// other targets are small stand-ins.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { linkSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { archiveFileName, distFileName, targets, writeArchives } from "../../scripts/build";
import { compiledBinary, repoRoot } from "../helpers/ccsso";

let dir: string;
const here = `linux-${process.arch}`;
const mtime = 1_790_000_000;

function run(argv: string[], cwd = dir): string {
  const r = Bun.spawnSync(argv, { cwd, env: { PATH: process.env.PATH!, TZ: "UTC", LC_ALL: "C" } });
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")} failed: ${r.stderr}`);
  return r.stdout.toString();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ccsso-archives-"));
  for (const t of targets) {
    if (t.name === here) linkSync(compiledBinary, join(dir, distFileName(t)));
    else writeFileSync(join(dir, distFileName(t)), `stand-in for ${t.name}\n`, { mode: 0o755 });
  }
  await writeArchives(dir, mtime, [here, "darwin-arm64", "windows-x64"]);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("release archives", () => {
  it("a Unix .tar.gz holds the binary, its two git names as links, README.md and four completion scripts, sorted, owned by 0, dated alike", () => {
    const listing = run(["tar", "-tvzf", "ccsso-darwin-arm64.tar.gz", "--numeric-owner", "--full-time"]).trim().split("\n");
    const names = listing.map((l) => l.split(/\s+/).slice(5).join(" "));
    expect(names).toEqual([
      "ccsso-darwin-arm64/",
      "ccsso-darwin-arm64/README.md",
      "ccsso-darwin-arm64/ccsso",
      "ccsso-darwin-arm64/completions/_ccsso",
      "ccsso-darwin-arm64/completions/ccsso.bash",
      "ccsso-darwin-arm64/completions/ccsso.fish",
      "ccsso-darwin-arm64/completions/ccsso.ps1",
      "ccsso-darwin-arm64/git-credential-ccsso -> ccsso",
      "ccsso-darwin-arm64/git-remote-codecommit -> ccsso",
    ]);
    for (const l of listing) {
      expect(l.split(/\s+/)[1]).toBe("0/0");
      expect(l).toContain(new Date(mtime * 1000).toISOString().slice(0, 19).replace("T", " "));
    }
    expect(listing.find((l) => l.endsWith("/ccsso"))).toStartWith("-rwxr-xr-x");
  });

  it("extracted, this machine's archive runs, its links start the same program, and the completions are the binary's own", () => {
    const out = join(dir, "x");
    run(["mkdir", "-p", out]);
    run(["tar", "-xzf", join(dir, `ccsso-${here}.tar.gz`), "-C", out]);
    const top = join(out, `ccsso-${here}`);
    expect(Bun.spawnSync([join(top, "ccsso"), "--version"]).stdout.toString()).toStartWith("ccsso ");
    expect(readFileSync(join(top, "ccsso"))).toEqual(readFileSync(compiledBinary));
    const viaLink = Bun.spawnSync([join(top, "git-credential-ccsso"), "erase"], { stdin: new Blob(["\n"]) });
    expect(viaLink.exitCode).toBe(0);
    expect(readFileSync(join(top, "completions", "ccsso.bash"), "utf8")).toBe(
      Bun.spawnSync([compiledBinary, "completion", "bash"]).stdout.toString(),
    );
    expect(readFileSync(join(top, "completions", "ccsso.fish"), "utf8")).toContain("complete -c ccsso");
    expect(readFileSync(join(top, "README.md"), "utf8")).toBe(readFileSync(join(repoRoot, "README.md"), "utf8"));
  });

  it("the Windows .zip holds ccsso.exe, README.md and the completions, passes unzip -t, and extracts byte for byte", () => {
    expect(run(["unzip", "-t", "ccsso-windows-x64.zip"])).toContain("No errors detected");
    const listing = run(["unzip", "-Z1", "ccsso-windows-x64.zip"]).trim().split("\n");
    expect(listing).toEqual([
      "ccsso-windows-x64/README.md",
      "ccsso-windows-x64/ccsso.exe",
      "ccsso-windows-x64/completions/_ccsso",
      "ccsso-windows-x64/completions/ccsso.bash",
      "ccsso-windows-x64/completions/ccsso.fish",
      "ccsso-windows-x64/completions/ccsso.ps1",
    ]);
    expect(run(["unzip", "-p", "ccsso-windows-x64.zip", "ccsso-windows-x64/ccsso.exe"])).toBe("stand-in for windows-x64\n");
  });

  it("a rebuild gives the same bytes", async () => {
    const first = [here, "darwin-arm64", "windows-x64"].map((n) =>
      readFileSync(join(dir, archiveFileName(targets.find((t) => t.name === n)!))),
    );
    await writeArchives(dir, mtime, [here, "darwin-arm64", "windows-x64"]);
    const second = [here, "darwin-arm64", "windows-x64"].map((n) =>
      readFileSync(join(dir, archiveFileName(targets.find((t) => t.name === n)!))),
    );
    for (let i = 0; i < first.length; i++) expect(Bun.hash(second[i]!)).toBe(Bun.hash(first[i]!));
  }, 60_000);
});
