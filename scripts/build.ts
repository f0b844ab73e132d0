// Builds the single-file executables (docs/architecture.md §8). `bun scripts/build.ts --single` → dist/ccsso
// for this machine; without --single → every target in the table plus dist/SHA256SUMS (`sha256sum -c`
// format), one archive per target, and the Homebrew/Scoop/winget manifests (scripts/manifests.ts);
// `--target NAME` → that one release binary; `--trace-modules OUT` → this machine's binary reporting which
// heavy packages it evaluated (tests).
// Cross targets: Bun downloads each target's runtime from the npm registry on first use and keeps it in its
// install cache (~/.bun/install/cache/bun-<target>-v<version>, ~100 MB each), so only the first `make dist`
// on a machine pays for the download (measured: all five, ~10 s on the CI machine).
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pkg from "../package.json";
import { signAdHoc, verifyMachOSignature } from "./macho-signature";
import { type ArchiveEntry, tarGz, zip } from "./archive";
import { writeNpmPackages } from "./npm-packages";
import { homebrewFormula, latestDownloadUrl, parseSums, releaseBaseUrl, scoopManifest, wingetManifests } from "./manifests";

const root = resolve(import.meta.dir, "..");
const dist = join(root, "dist");

export const targets = [
  { name: "linux-x64", bun: "bun-linux-x64" },
  { name: "linux-arm64", bun: "bun-linux-arm64" },
  { name: "linux-x64-musl", bun: "bun-linux-x64-musl" },
  { name: "darwin-x64", bun: "bun-darwin-x64" },
  { name: "darwin-arm64", bun: "bun-darwin-arm64" },
  { name: "windows-x64", bun: "bun-windows-x64", exe: true },
  // For x64 CPUs without AVX2 (pre-2013 and some low-power ones), where the builds above stop with an
  // illegal instruction; the installers choose these by the CPU's flags. Every other target Bun 1.4.4
  // offers (bun build --compile --target=bun-<t>) builds too; they are all here.
  { name: "linux-x64-baseline", bun: "bun-linux-x64-baseline" },
  { name: "linux-x64-musl-baseline", bun: "bun-linux-x64-musl-baseline" },
  { name: "linux-arm64-musl", bun: "bun-linux-arm64-musl" },
  { name: "darwin-x64-baseline", bun: "bun-darwin-x64-baseline" },
  { name: "windows-x64-baseline", bun: "bun-windows-x64-baseline", exe: true },
  { name: "windows-arm64", bun: "bun-windows-arm64", exe: true },
] as const;

/** The release archive of a target: .zip for Windows, .tar.gz elsewhere. */
export function archiveFileName(t: (typeof targets)[number]): string {
  return `ccsso-${t.name}${"exe" in t && t.exe ? ".zip" : ".tar.gz"}`;
}

export function distFileName(t: (typeof targets)[number]): string {
  return `ccsso-${t.name}${"exe" in t && t.exe ? ".exe" : ""}`;
}

/** The commit the binary is built from; "-dirty" when the work tree has uncommitted changes to tracked files. */
function gitCommit(): string {
  const r = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"], { cwd: root, stderr: "ignore" });
  if (r.exitCode !== 0) return "unknown";
  const dirty = Bun.spawnSync(["git", "diff", "--quiet", "HEAD", "--"], { cwd: root, stderr: "ignore" }).exitCode === 1;
  return r.stdout.toString().trim() + (dirty ? "-dirty" : "");
}

/**
 * The compile options every ccsso binary is built with; scripts/bench.ts builds its hello-world floor
 * with the same ones so the two are comparable.
 */
export function compileOptions(target: string | undefined, outfile: string) {
  return {
    ...(target ? { target: target as Bun.Build.CompileTarget } : {}),
    outfile,
    // A credential helper runs inside other people's repositories: never read their .env or bunfig.toml
    // (test/e2e/build.test.ts plants hostile ones).
    autoloadDotenv: false,
    autoloadBunfig: false,
  };
}

/** Packages the credential helper's warm path must not evaluate (docs/architecture.md §3), and what else is heavy. */
export const tracedPackages = /[\\/]node_modules[\\/](cac|smol-toml|aws4fetch|uqr|diff|@aws-sdk[\\/][^\\/]+|@smithy[\\/][^\\/]+)[\\/]/;

/**
 * For start-up tests only (`--trace-modules OUT`): every module of a traced package records its package
 * name when it is *evaluated*, and the binary prints `ccsso-trace-modules: a,b` on stderr at exit. The
 * bundler keeps `await import()` lazy (its modules are evaluated on first import), so this shows what a
 * command really loads, in a binary built like the release one.
 */
export const moduleTracePlugin: Bun.BunPlugin = {
  name: "ccsso-trace-modules",
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]main\.ts$/ }, async (args) => ({
      contents:
        `process.on("exit", () => process.stderr.write("ccsso-trace-modules: " + [...(globalThis.__ccssoTrace ?? [])].sort().join(",") + "\\n"));\n` +
        (await Bun.file(args.path).text()),
      loader: "ts",
    }));
    build.onLoad({ filter: /[\\/]node_modules[\\/].*\.(m?js|cjs)$/ }, async (args) => {
      const text = await Bun.file(args.path).text();
      const m = tracedPackages.exec(args.path);
      if (!m) return { contents: text, loader: "js" };
      return {
        contents: `(globalThis.__ccssoTrace ??= new Set()).add(${JSON.stringify(m[1]!.replace(/\\/g, "/"))});\n${text}`,
        loader: "js",
      };
    });
  },
};

export async function buildBinary(opts: {
  entry: string;
  target?: string;
  outfile: string;
  define?: Record<string, string>;
  plugins?: Bun.BunPlugin[];
}): Promise<void> {
  const result = await Bun.build({
    entrypoints: [opts.entry],
    compile: compileOptions(opts.target, opts.outfile),
    // Code splitting keeps every lazily imported module (the AWS SDK clients, cac, smol-toml, the
    // commands) in chunks of its own inside the binary, loaded only when imported. Without it the whole
    // 5.5 MB bundle is loaded at every start: a build whose main() returned at once took 7.2 ms against
    // 4.8 ms for a compiled hello world, most of the credential helper's gap (hyperfine, bench/results.md).
    // Splitting needs ESM output.
    format: "esm",
    splitting: true,
    minify: true,
    bytecode: true,
    define: opts.define ?? {},
    plugins: opts.plugins ?? [],
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    throw new Error(`build failed for ${opts.outfile}`);
  }
}

function stamp(label: string, commit: string): Record<string, string> {
  return {
    CCSSO_VERSION: JSON.stringify(process.env.CCSSO_VERSION || pkg.version),
    CCSSO_COMMIT: JSON.stringify(commit),
    CCSSO_TARGET: JSON.stringify(label),
  };
}

async function sha256(path: string): Promise<string> {
  return new Bun.CryptoHasher("sha256").update(await Bun.file(path).arrayBuffer()).digest("hex");
}

/**
 * Bun 1.4.4 and 1.4.5 cross-compiling for darwin-x64 keep the runtime's own signature, which stops short
 * of the appended program (75 of 23,777 page hashes wrong: Gatekeeper calls the file damaged); darwin-arm64
 * comes out valid. Every darwin binary is re-signed ad hoc, as `codesign --sign -` would, so both are
 * signed the same way whatever Bun does, and the result is checked before it is listed in SHA256SUMS.
 */
function resign(path: string): void {
  const before = verifyMachOSignature(readFileSync(path));
  writeFileSync(path, signAdHoc(readFileSync(path), { identifier: "ccsso" }));
  const after = verifyMachOSignature(readFileSync(path));
  if (!after.ok) throw new Error(`${path}: the ad-hoc signature does not verify: ${after.problems.join("; ")}`);
  console.log(`signed ${path} ad hoc (Bun's signature ${before.ok ? "was valid" : `was not: ${before.problems.join("; ")}`})`);
}

async function main(): Promise<void> {
  mkdirSync(dist, { recursive: true });
  const entry = join(root, "src", "main.ts");
  const commit = gitCommit();
  const traceAt = process.argv.indexOf("--trace-modules");
  if (traceAt > 0) {
    const outfile = resolve(process.argv[traceAt + 1] ?? join(dist, "ccsso-traced"));
    const label = `${process.platform}-${process.arch}`;
    await buildBinary({ entry, outfile, define: stamp(label, commit), plugins: [moduleTracePlugin] });
    console.log(`built ${outfile} (module tracing on)`);
    return;
  }
  if (process.argv.includes("--single")) {
    const label = `${process.platform}-${process.arch}`;
    await buildBinary({ entry, outfile: join(dist, "ccsso"), define: stamp(label, commit) });
    console.log(`built dist/ccsso (${label}, commit ${commit})`);
    return;
  }
  // `--target NAME`: one release binary alone (make platform runs the Windows one under Wine).
  const targetAt = process.argv.indexOf("--target");
  if (targetAt > 0) {
    const t = targets.find((x) => x.name === process.argv[targetAt + 1]);
    if (!t) throw new Error(`--target needs one of ${targets.map((x) => x.name).join(", ")}`);
    const file = distFileName(t);
    await buildBinary({ entry, target: t.bun, outfile: join(dist, file), define: stamp(t.name, commit) });
    if (t.name.startsWith("darwin-")) resign(join(dist, file));
    console.log(`built dist/${file} (commit ${commit})`);
    return;
  }
  // Old release files would otherwise be listed next to new ones by a careless upload.
  for (const f of readdirSync(dist)) if (f.startsWith("ccsso-") || releaseExtras.includes(f)) rmSync(join(dist, f));
  const binaries: string[] = [];
  for (const t of targets) {
    const file = distFileName(t);
    const started = performance.now();
    await buildBinary({ entry, target: t.bun, outfile: join(dist, file), define: stamp(t.name, commit) });
    if (t.name.startsWith("darwin-")) resign(join(dist, file));
    binaries.push(file);
    console.log(`built dist/${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const archives = await writeArchives(dist, commitTime());
  await writeReleaseFiles(dist, [...binaries, ...archives], { signingKey: process.env.CCSSO_SIGNING_KEY || undefined });
  console.log(`wrote dist/SHA256SUMS (commit ${commit})${process.env.CCSSO_SIGNING_KEY ? " and SHA256SUMS.sig" : ""}`);
  writeManifests(dist, process.env.CCSSO_VERSION || pkg.version);
  writeNpmPackages(dist, process.env.CCSSO_VERSION || pkg.version);
  console.log("wrote dist/npm/ (ccsso and one package per platform)");
}

/** The Homebrew formula, Scoop manifest and winget manifests for this release (scripts/manifests.ts). */
export function writeManifests(dir: string, version: string, base = releaseBaseUrl()): void {
  const sums = parseSums(readFileSync(join(dir, "SHA256SUMS"), "utf8"));
  writeFileSync(join(dir, "ccsso.rb"), homebrewFormula(base, version, sums));
  writeFileSync(join(dir, "ccsso.json"), scoopManifest(base, version, sums));
  rmSync(join(dir, "winget"), { recursive: true, force: true });
  mkdirSync(join(dir, "winget"));
  for (const [name, text] of Object.entries(wingetManifests(base, version, sums))) writeFileSync(join(dir, "winget", name), text);
  console.log(`wrote dist/ccsso.rb, dist/ccsso.json and dist/winget/ for ${base}`);
}

/** The commit's time, the date of every archive entry (SOURCE_DATE_EPOCH overrides it, as for other reproducible builds). */
function commitTime(): number {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  const r = Bun.spawnSync(["git", "log", "-1", "--format=%ct"], { cwd: root, stderr: "ignore" });
  return r.exitCode === 0 ? Number(r.stdout.toString().trim()) : 0;
}

/** The completion scripts, from this machine's binary: they are text, the same for every target. */
function completions(binary: string): ArchiveEntry[] {
  const files = { bash: "ccsso.bash", zsh: "_ccsso", fish: "ccsso.fish", powershell: "ccsso.ps1" } as const;
  return Object.entries(files).map(([shell, file]) => {
    // A bare environment: nothing of the build machine's configuration may end up in the scripts.
    const r = Bun.spawnSync([binary, "completion", shell], { env: { PATH: "/usr/bin:/bin", HOME: "/nonexistent" }, stderr: "pipe" });
    if (r.exitCode !== 0) throw new Error(`${binary} completion ${shell} failed: ${r.stderr.toString().trim()}`);
    return { name: `completions/${file}`, data: r.stdout, mode: 0o644 };
  });
}

/**
 * One archive per target beside its raw binary (a smaller download: gzip halves the binary): the binary,
 * README.md and the completion scripts under `ccsso-<target>/`. The repository has no LICENSE file yet, so
 * none is shipped. Unix archives carry git-credential-ccsso and git-remote-codecommit as links to ccsso.
 * The Windows zip holds ccsso.exe alone: zip has no links, and two more copies made it 171 MB, more than
 * the raw 121 MB binary (measured); install.ps1 and `ccsso setup-git` make the helper names as hard links.
 */
export async function writeArchives(dir: string, mtime: number, names: string[] = targets.map((t) => t.name)): Promise<string[]> {
  const here = targets.find((t) => t.name === `${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`);
  if (!here) throw new Error(`no release target runs on ${process.platform}-${process.arch} to write the completion scripts`);
  const native = join(dir, distFileName(here));
  const common: ArchiveEntry[] = [{ name: "README.md", data: readFileSync(join(root, "README.md")), mode: 0o644 }, ...completions(native)];
  const written: string[] = [];
  for (const t of targets.filter((x) => names.includes(x.name))) {
    const binary = new Uint8Array(readFileSync(join(dir, distFileName(t))));
    const top = `ccsso-${t.name}`;
    const file = archiveFileName(t);
    const bytes =
      "exe" in t && t.exe
        ? zip(top, [...common, { name: "ccsso.exe", data: binary, mode: 0o755 }])
        : tarGz(
            top,
            [
              ...common,
              { name: "ccsso", data: binary, mode: 0o755 },
              { name: "git-credential-ccsso", symlinkTo: "ccsso" },
              { name: "git-remote-codecommit", symlinkTo: "ccsso" },
            ],
            mtime,
          );
    writeFileSync(join(dir, file), bytes);
    written.push(file);
    console.log(`wrote ${file} (${(bytes.length / 1e6).toFixed(1)} MB)`);
  }
  return written;
}

/** What `make dist` writes besides the binaries. */
const releaseExtras = ["SHA256SUMS", "SHA256SUMS.sig", "install.sh", "install.ps1", "ccsso.rb", "ccsso.json"];
/** The namespace of release signatures: a signature made for anything else never verifies as one. */
export const SIGNATURE_NAMESPACE = "ccsso-release";
/** The line of each installer that holds its built-in release key (empty in the repository). */
const keyLines = { "install.sh": /^BUILTIN_RELEASE_KEY='([^'\n]*)'$/m, "install.ps1": /^\$BuiltinReleaseKey = '([^'\n]*)'$/m } as const;
/** The line of each installer that names where it downloads from by default. */
export const defaultUrlLines = {
  "install.sh": /^DEFAULT_RELEASE_URL="([^"\n]*)"$/m,
  "install.ps1": /^\$DefaultReleaseUrl = '([^'\n]*)'$/m,
} as const;

function run(argv: string[]): string {
  const r = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${argv.slice(0, 3).join(" ")} failed: ${r.stderr.toString().trim()}`);
  return r.stdout.toString();
}

/**
 * The release directory is complete on its own (`curl … <release>/install.sh | sh`): both installers,
 * SHA256SUMS over every file, and — with a signing key (an OpenSSH private key file; the release
 * workflow gets it from a secret) — SHA256SUMS.sig, made with `ssh-keygen -Y sign`. The installers then
 * carry the key's public half, so they refuse a release that it did not sign.
 */
export async function writeReleaseFiles(
  dir: string,
  binaries: string[],
  opts: {
    signingKey?: string /** tests: installer text instead of scripts/<name> */;
    installers?: Partial<Record<"install.sh" | "install.ps1", string>>;
  } = {},
): Promise<void> {
  let publicKey = "";
  if (opts.signingKey) {
    // "type base64 [comment]" → "type base64": the comment (often user@host) is nobody's business.
    publicKey = run(["ssh-keygen", "-y", "-f", opts.signingKey]).trim().split(/\s+/).slice(0, 2).join(" ");
  }
  const lines: string[] = [];
  for (const file of binaries) lines.push(`${await sha256(join(dir, file))}  ${file}`);
  for (const name of ["install.sh", "install.ps1"] as const) {
    let text = opts.installers?.[name] ?? readFileSync(join(root, "scripts", name), "utf8");
    const m = keyLines[name].exec(text);
    if (!m) throw new Error(`scripts/${name} has no built-in release key line`);
    if (m[1] && m[1] !== publicKey)
      throw new Error(
        `scripts/${name} pins release key "${m[1]}", but the release is ${publicKey ? `signed with "${publicKey}"` : "not signed (set CCSSO_SIGNING_KEY)"}`,
      );
    if (publicKey) text = text.replace(keyLines[name], (line) => line.replace("''", `'${publicKey}'`));
    // A release published elsewhere (CCSSO_RELEASE_BASE_URL) ships installers that download from there.
    const url = defaultUrlLines[name].exec(text);
    if (!url) throw new Error(`scripts/${name} has no default release URL line`);
    text = text.replace(defaultUrlLines[name], (line) => line.replace(url[1]!, latestDownloadUrl()));
    writeFileSync(join(dir, name), text, { mode: 0o755 });
    chmodSync(join(dir, name), 0o755);
    lines.push(`${await sha256(join(dir, name))}  ${name}`);
  }
  writeFileSync(join(dir, "SHA256SUMS"), lines.join("\n") + "\n");
  rmSync(join(dir, "SHA256SUMS.sig"), { force: true });
  if (opts.signingKey) {
    run(["ssh-keygen", "-q", "-Y", "sign", "-f", opts.signingKey, "-n", SIGNATURE_NAMESPACE, join(dir, "SHA256SUMS")]);
  }
}

if (import.meta.main) {
  main().catch((e) => {
    // Bun.build throws an AggregateError whose `errors` are the bundler's messages (file:line: text).
    for (const log of e instanceof AggregateError ? e.errors : []) {
      const at = log?.position ? `${log.position.file}:${log.position.line}: ` : "";
      console.error(`${at}${log?.message ?? String(log)}`);
    }
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
