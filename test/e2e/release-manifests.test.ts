// The package-manager manifests make dist writes (scripts/manifests.ts), read by each ecosystem's own
// language: the Homebrew formula by Ruby (`ruby -c`, and its `test do` block run by Ruby against the real
// binary through a small stand-in for Homebrew's test DSL), the winget manifests by a YAML parser
// (python3's yaml), the Scoop manifest as JSON — Scoop's JSON Schema is not in any package here, so the
// fields Scoop reads are checked by name. Each must name the checksums SHA256SUMS lists for its files.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultUrlLines, writeManifests, writeReleaseFiles } from "../../scripts/build";
import { DEFAULT_RELEASE_BASE_URL, latestDownloadUrl, parseSums } from "../../scripts/manifests";
import { compiledBinary, repoRoot } from "../helpers/ccsso";

let dir: string;
const base = "https://downloads.example.test/ccsso/releases";
const archives = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64"]
  .map((t) => `ccsso-${t}.tar.gz`)
  .concat(["ccsso-windows-x64.zip", "ccsso-windows-arm64.zip"]);
let sums: Map<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ccsso-manifests-"));
  const lines = archives.map((f) => {
    writeFileSync(join(dir, f), `stand-in for ${f}\n`);
    return `${new Bun.CryptoHasher("sha256").update(readFileSync(join(dir, f))).digest("hex")}  ${f}`;
  });
  writeFileSync(join(dir, "SHA256SUMS"), lines.join("\n") + "\n");
  sums = parseSums(readFileSync(join(dir, "SHA256SUMS"), "utf8"));
  writeManifests(dir, "1.2.3", base);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each file a manifest names by URL, with the checksum written next to it. */
function namedFiles(text: string, pair: RegExp): [string, string][] {
  return [...text.matchAll(pair)].map((m) => [m[1]!.split("/").at(-1)!, m[2]!.toLowerCase()]);
}

describe("Homebrew formula", () => {
  const formula = () => readFileSync(join(dir, "ccsso.rb"), "utf8");

  it("is valid Ruby (ruby -c)", () => {
    const r = Bun.spawnSync(["ruby", "-c", join(dir, "ccsso.rb")]);
    expect(r.stdout.toString().trim()).toBe("Syntax OK");
  });

  it("names the four Unix archives of this version with their SHA256SUMS checksums, and ccsso setup-git in its caveats", () => {
    const named = namedFiles(formula(), /url "([^"]+)"\n\s+sha256 "([0-9a-f]{64})"/g);
    expect(named.map(([f]) => f).sort()).toEqual(archives.filter((f) => f.endsWith(".tar.gz")).sort());
    for (const [file, sum] of named) expect(sum).toBe(sums.get(file)!);
    expect(formula()).toContain(`url "${base}/download/v1.2.3/ccsso-darwin-arm64.tar.gz"`);
    expect(formula()).toMatch(/def caveats[\s\S]*ccsso setup-git[\s\S]*test do/);
  });

  it("its test block passes against the real binary (ccsso --version, then a credential round trip with static keys)", () => {
    const prefix = join(dir, "prefix");
    Bun.spawnSync(["mkdir", "-p", join(prefix, "bin"), join(prefix, "test")]);
    symlinkSync(compiledBinary, join(prefix, "bin", "ccsso"));
    symlinkSync("ccsso", join(prefix, "bin", "git-credential-ccsso"));
    const version = /^ccsso (\S+) /.exec(Bun.spawnSync([compiledBinary, "--version"]).stdout.toString())![1]!;
    // Just enough of Homebrew's Formula DSL to load the file and run `test do` as `brew test` would.
    const harness = `
      require "open3"
      class Formula
        @@test = nil
        def self.method_missing(*) = nil
        def self.on_macos(&) = nil
        def self.on_linux(&) = nil
        def self.test(&block) = @@test = block
        def self.run_test = Formula.allocate.instance_exec(&@@test)
        def version = ${JSON.stringify(version)}
        def bin = ${JSON.stringify(join(prefix, "bin"))}
        def testpath = Pathname.new(${JSON.stringify(join(prefix, "test"))})
        def shell_output(cmd) = (out, st = Open3.capture2(cmd); raise "#{cmd} exited #{st.exitstatus}" unless st.success?; out)
        def pipe_output(cmd, input) = Open3.capture2(cmd, stdin_data: input).first
        def assert_match(re, s) = (raise "#{re.inspect} does not match #{s.inspect}" unless s.match?(re); $matched = ($matched || 0) + 1)
      end
      require "pathname"
      load ARGV[0]
      Formula.run_test
      puts "assertions: #{$matched}"
    `;
    const env: Record<string, string> = { PATH: "/usr/bin:/bin", HOME: join(prefix, "test") };
    const r = Bun.spawnSync(["ruby", "-e", harness, join(dir, "ccsso.rb")], { env });
    expect(r.stderr.toString()).toBe("");
    expect(r.stdout.toString().trim()).toBe("assertions: 3");
  });
});

describe("Scoop manifest", () => {
  it("has the fields Scoop reads, names both Windows zips with their checksums, and links the git helper names", () => {
    const m = JSON.parse(readFileSync(join(dir, "ccsso.json"), "utf8"));
    expect(m.version).toBe("1.2.3");
    expect(typeof m.description).toBe("string");
    expect(m.homepage).toStartWith("https://");
    for (const [arch, cpu] of [
      ["64bit", "x64"],
      ["arm64", "arm64"],
    ]) {
      const a = m.architecture[arch!];
      expect(a.url).toBe(`${base}/download/v1.2.3/ccsso-windows-${cpu}.zip`);
      expect(a.hash).toBe(sums.get(`ccsso-windows-${cpu}.zip`));
      expect(a.extract_dir).toBe(`ccsso-windows-${cpu}`);
    }
    expect(m.pre_install.join("\n")).toContain(
      'New-Item -ItemType HardLink -Path "$dir\\git-credential-ccsso.exe" -Target "$dir\\ccsso.exe"',
    );
    expect(m.pre_install.join("\n")).toContain("git-remote-codecommit.exe");
    expect(m.env_add_path).toBe(".");
    expect(m.notes).toContain("ccsso setup-git");
    expect(m.autoupdate.architecture["64bit"].url).toBe(`${base}/download/v$version/ccsso-windows-x64.zip`);
  });
});

describe("winget manifests", () => {
  function parseYaml(file: string): any {
    const r = Bun.spawnSync([
      "python3",
      "-c",
      "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
      join(dir, "winget", file),
    ]);
    if (r.exitCode !== 0) throw new Error(`python3 yaml could not parse ${file}: ${r.stderr}`);
    return JSON.parse(r.stdout.toString());
  }

  it("are three YAML files (version, installer, defaultLocale) of one package and version", () => {
    expect(readdirSync(join(dir, "winget")).sort()).toEqual([
      "ccsso.ccsso.installer.yaml",
      "ccsso.ccsso.locale.en-US.yaml",
      "ccsso.ccsso.yaml",
    ]);
    const types = readdirSync(join(dir, "winget")).map((f) => {
      const m = parseYaml(f);
      expect(m.PackageIdentifier).toBe("ccsso.ccsso");
      expect(m.PackageVersion).toBe("1.2.3");
      expect(m.ManifestVersion).toBe("1.6.0");
      return m.ManifestType;
    });
    expect(types.sort()).toEqual(["defaultLocale", "installer", "version"]);
    const locale = parseYaml("ccsso.ccsso.locale.en-US.yaml");
    for (const field of ["PackageLocale", "Publisher", "PackageName", "License", "ShortDescription"]) expect(locale[field]).toBeString();
    expect(locale.InstallationNotes).toContain("ccsso setup-git");
    expect(parseYaml("ccsso.ccsso.yaml").DefaultLocale).toBe(locale.PackageLocale);
  });

  it("the installer names both Windows zips with their checksums and the ccsso.exe inside each", () => {
    const m = parseYaml("ccsso.ccsso.installer.yaml");
    expect(m.InstallerType).toBe("zip");
    expect(m.NestedInstallerType).toBe("portable");
    expect(m.Installers.map((i: any) => i.Architecture)).toEqual(["x64", "arm64"]);
    for (const i of m.Installers) {
      const file = i.InstallerUrl.split("/").at(-1);
      expect(i.InstallerUrl).toBe(`${base}/download/v1.2.3/${file}`);
      expect(i.InstallerSha256).toBe(sums.get(file)!.toUpperCase());
      expect(i.NestedInstallerFiles).toEqual([
        { RelativeFilePath: `${file.replace(/\.zip$/, "")}\\ccsso.exe`, PortableCommandAlias: "ccsso" },
      ]);
    }
  });
});

describe("the release location", () => {
  it("the README's install commands and both installers' defaults come from the one base URL in scripts/manifests.ts", () => {
    const latest = latestDownloadUrl(DEFAULT_RELEASE_BASE_URL);
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    expect(readme).toContain(`curl --proto '=https' --tlsv1.2 -fsSL ${latest}/install.sh | sh`);
    expect(readme).toContain(`Invoke-WebRequest -UseBasicParsing ${latest}/install.ps1 -OutFile install.ps1`);
    // No other release location anywhere in the README.
    expect([...readme.matchAll(/https:\/\/[^\s)`'"]*releases[^\s)`'"]*/g)].map((m) => m[0]).filter((u) => !u.startsWith(latest))).toEqual(
      [],
    );
    for (const name of ["install.sh", "install.ps1"] as const) {
      expect(defaultUrlLines[name].exec(readFileSync(join(repoRoot, "scripts", name), "utf8"))?.[1]).toBe(latest);
    }
  });

  it("a release built for another location (CCSSO_RELEASE_BASE_URL) ships installers that download from there", async () => {
    const out = join(dir, "elsewhere");
    Bun.spawnSync(["mkdir", "-p", out]);
    writeFileSync(join(out, "ccsso-linux-x64"), "stand-in\n");
    const saved = process.env.CCSSO_RELEASE_BASE_URL;
    process.env.CCSSO_RELEASE_BASE_URL = base;
    try {
      await writeReleaseFiles(out, ["ccsso-linux-x64"]);
    } finally {
      if (saved === undefined) delete process.env.CCSSO_RELEASE_BASE_URL;
      else process.env.CCSSO_RELEASE_BASE_URL = saved;
    }
    expect(readFileSync(join(out, "install.sh"), "utf8")).toContain(`\nDEFAULT_RELEASE_URL="${base}/latest/download"\n`);
    expect(readFileSync(join(out, "install.ps1"), "utf8")).toContain(`\n$DefaultReleaseUrl = '${base}/latest/download'\n`);
  });
});
