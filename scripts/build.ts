// Builds the single-file executables (SPEC §7). `bun scripts/build.ts --single` → dist/ccsso for this
// machine; without --single → every target in the table plus dist/SHA256SUMS.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import pkg from "../package.json";

const root = resolve(import.meta.dir, "..");
const dist = join(root, "dist");

export const targets = [
  { name: "linux-x64", bun: "bun-linux-x64" },
  { name: "linux-arm64", bun: "bun-linux-arm64" },
  { name: "linux-x64-musl", bun: "bun-linux-x64-musl" },
  { name: "darwin-x64", bun: "bun-darwin-x64" },
  { name: "darwin-arm64", bun: "bun-darwin-arm64" },
  { name: "windows-x64", bun: "bun-windows-x64", exe: true },
] as const;

function gitCommit(): string {
  const r = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"], { cwd: root, stderr: "ignore" });
  return r.exitCode === 0 ? r.stdout.toString().trim() : "unknown";
}

async function buildOne(target: string | undefined, label: string, outfile: string): Promise<void> {
  const result = await Bun.build({
    entrypoints: [join(root, "src", "main.ts")],
    compile: {
      ...(target ? { target: target as Bun.Build.CompileTarget } : {}),
      outfile,
      // A credential helper runs inside other people's repositories: never read their .env or bunfig.toml.
      autoloadDotenv: false,
      autoloadBunfig: false,
    },
    minify: true,
    bytecode: true,
    define: {
      CCSSO_VERSION: JSON.stringify(pkg.version),
      CCSSO_COMMIT: JSON.stringify(gitCommit()),
      CCSSO_TARGET: JSON.stringify(label),
    },
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    throw new Error(`build failed for ${label}`);
  }
}

async function main(): Promise<void> {
  mkdirSync(dist, { recursive: true });
  if (process.argv.includes("--single")) {
    const label = `${process.platform}-${process.arch}`;
    await buildOne(undefined, label, join(dist, "ccsso"));
    console.log(`built dist/ccsso (${label})`);
    return;
  }
  const lines: string[] = [];
  for (const t of targets) {
    const file = `ccsso-${t.name}${"exe" in t && t.exe ? ".exe" : ""}`;
    await buildOne(t.bun, t.name, join(dist, file));
    const hash = new Bun.CryptoHasher("sha256").update(await Bun.file(join(dist, file)).arrayBuffer()).digest("hex");
    lines.push(`${hash}  ${file}`);
    console.log(`built dist/${file}`);
  }
  await Bun.write(join(dist, "SHA256SUMS"), lines.join("\n") + "\n");
  console.log("wrote dist/SHA256SUMS");
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
