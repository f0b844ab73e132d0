// scripts/macho-signature.ts: the verifier recomputes what a macOS kernel checks (every page hash, the
// special slots, coverage up to the signature), and the ad-hoc signer produces what it accepts.
// macOS itself cannot run here, so the verifier is held against signatures made by others: Apple's
// codesign (Bun's released runtimes are signed with it) and Bun's own signer (its darwin-arm64 output).
import { beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { parseCodeDirectory, parseMachO, signAdHoc, superBlobIndex, verifyMachOSignature } from "../../scripts/macho-signature";
import { currentReleaseOutput, repoRoot } from "../helpers/ccsso";

// Each test hashes ~25,000 pages of a 100 MB file, some several times; a loaded machine can pass 5 s.
setDefaultTimeout(30_000);
const work = mkdtempSync(join(tmpdir(), "ccsso-macho-"));
// Bun keeps each target's runtime in its install cache; the test preload's throw-away HOME would make
// every run download ~100 MB again, so the compiler runs with the real home directory.
const bunCache = join(userInfo().homedir, ".bun", "install", "cache");
const compiled: Record<string, Buffer> = {};

function compileHello(target: "darwin-x64" | "darwin-arm64", padding = 0): Buffer {
  // The padding makes the appended program bigger than the slack in the runtime's old signature.
  writeFileSync(join(work, "hello.ts"), `console.log("hello", ${JSON.stringify("x".repeat(padding))}.length);\n`);
  const outfile = join(work, `hello-${target}-${padding}`);
  const r = Bun.spawnSync([process.execPath, "build", "--compile", `--target=bun-${target}`, "hello.ts", "--outfile", outfile], {
    cwd: work,
    env: { ...process.env, HOME: userInfo().homedir },
  });
  if (r.exitCode !== 0) throw new Error(`bun build --compile for ${target} failed: ${r.stderr}`);
  return readFileSync(outfile);
}

beforeAll(() => {
  compiled["darwin-x64"] = compileHello("darwin-x64");
  compiled["darwin-arm64"] = compileHello("darwin-arm64");
  compiled["darwin-x64-large"] = compileHello("darwin-x64", 4_000_000);
}, 120_000); // three cross-compiles (a first run also downloads each runtime once)

function flipByte(file: Buffer, at: number): Buffer {
  const copy = Buffer.from(file);
  copy[at]! ^= 0xff;
  return copy;
}

describe("the Mach-O signature verifier", () => {
  it("accepts the runtime Bun ships for darwin-x64, signed by Apple's codesign: every page and special slot", () => {
    const runtime = join(bunCache, `bun-darwin-x64-v${Bun.version}`);
    const report = verifyMachOSignature(readFileSync(runtime));
    expect(report.problems).toEqual([]);
    // A certificate signature with entitlements: special slots 2, 5 and 7 are checked against their blobs.
    const [cd] = report.codeDirectories;
    expect(cd!.flags & 0x2).toBe(0);
    expect(cd!.pages).toBeGreaterThan(20_000);
  });

  it("accepts Bun's own ad-hoc signature of a darwin-arm64 program", () => {
    expect(verifyMachOSignature(compiled["darwin-arm64"]!).problems).toEqual([]);
  });

  it("refuses Bun's darwin-x64 output: its signature stops short of the appended program, page 0 among the bad ones", () => {
    const report = verifyMachOSignature(compiled["darwin-x64"]!);
    expect(report.ok).toBe(false);
    expect(report.codeDirectories[0]!.badPages).toBeGreaterThan(0);
    expect(report.codeDirectories[0]!.firstBadPage).toBe(0);
  });

  it("names the one page whose byte changed", () => {
    const report = verifyMachOSignature(flipByte(compiled["darwin-arm64"]!, 4096 * 1000 + 7));
    expect(report.problems).toEqual([
      "CodeDirectory (hash type 2): 1 of " + report.codeDirectories[0]!.pages + " page hashes do not match (first: page 1000)",
    ]);
  });

  it("refuses a changed entitlements blob (a special slot), not only changed pages", () => {
    const runtime = readFileSync(join(bunCache, `bun-darwin-x64-v${Bun.version}`));
    const m = parseMachO(runtime);
    const entitlements = superBlobIndex(runtime.subarray(m.signatureOffset)).find((e) => e.type === 5)!;
    const report = verifyMachOSignature(flipByte(runtime, m.signatureOffset + entitlements.offset + 20));
    expect(report.problems).toEqual(["CodeDirectory (hash type 2): special slot 5 does not match its blob"]);
  });

  it("refuses bytes appended after the signature, which nothing would cover", () => {
    const file = Buffer.concat([compiled["darwin-arm64"]!, Buffer.from("appended program")]);
    expect(verifyMachOSignature(file).problems.join("\n")).toContain("not covered");
  });

  it("refuses a file without a signature", () => {
    const file = Buffer.from(compiled["darwin-arm64"]!);
    // Rename LC_CODE_SIGNATURE (0x1d) to an unknown command: the file no longer claims a signature.
    const m = parseMachO(file);
    file.writeUInt32LE(0x7fff, m.signatureCommandOffset);
    expect(verifyMachOSignature(file).problems).toEqual(["no LC_CODE_SIGNATURE load command: the file is not signed"]);
  });
});

describe("the ad-hoc signer", () => {
  it("turns Bun's broken darwin-x64 output into a file whose signature covers all of it", () => {
    const signed = signAdHoc(compiled["darwin-x64"]!);
    const report = verifyMachOSignature(signed);
    expect(report.problems).toEqual([]);
    const m = parseMachO(signed);
    expect(m.signatureOffset + m.signatureSize).toBe(signed.length);
    expect(report.codeDirectories[0]!.codeLimit).toBe(m.signatureOffset);
    expect(report.codeDirectories[0]!.flags).toBe(0x2); // ad hoc, nothing else
  });

  it("keeps the identifier unless told otherwise, and keeps the program bytes before the signature", () => {
    const input = compiled["darwin-x64"]!;
    const m = parseMachO(input);
    const old = parseCodeDirectory(input.subarray(m.signatureOffset), superBlobIndex(input.subarray(m.signatureOffset))[0]!.offset, 0);
    const signed = signAdHoc(input);
    expect(verifyMachOSignature(signed).codeDirectories[0]!.identifier).toBe(old.identifier);
    expect(verifyMachOSignature(signAdHoc(input, { identifier: "ccsso" })).codeDirectories[0]!.identifier).toBe("ccsso");
    // Only the load commands' sizes in the header change; the code, data and the appended program do not.
    expect(signed.subarray(4096, m.signatureOffset).equals(input.subarray(4096, m.signatureOffset))).toBe(true);
  });

  it("grows __LINKEDIT to hold a larger signature, keeping its memory size a whole number of 16 KiB pages", () => {
    const input = compiled["darwin-x64-large"]!;
    const signed = signAdHoc(input);
    expect(verifyMachOSignature(signed).problems).toEqual([]);
    // The old signature (written for the runtime alone) is too small for the hashes of the whole file.
    expect(parseMachO(signed).signatureSize).toBeGreaterThan(parseMachO(input).signatureSize);
    const linkedit = parseMachO(signed).segments.find((s) => s.name === "__LINKEDIT")!;
    expect(linkedit.fileoff + linkedit.filesize).toBe(BigInt(signed.length));
    expect(linkedit.vmsize % 0x4000n).toBe(0n);
    expect(linkedit.vmsize).toBeGreaterThanOrEqual(linkedit.filesize);
  });

  it("is idempotent: signing a signed file again gives the same bytes", () => {
    const once = signAdHoc(compiled["darwin-x64"]!);
    expect(signAdHoc(once).equals(once)).toBe(true);
  });
});

const dist = join(repoRoot, "dist");
describe.skipIf(!currentReleaseOutput())("the make dist output", () => {
  it.each(["darwin-x64", "darwin-arm64"])("ccsso-%s carries a valid ad-hoc signature over the whole file", (target) => {
    const report = verifyMachOSignature(readFileSync(join(dist, `ccsso-${target}`)));
    expect(report.problems).toEqual([]);
    expect(report.codeDirectories.map((cd) => [cd.identifier, cd.flags])).toEqual([["ccsso", 0x2]]);
  });
});
