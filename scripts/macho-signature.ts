// Checks and writes ad-hoc code signatures of 64-bit Mach-O executables, so the darwin release binaries
// can be proven valid on a Linux build machine (no codesign there).
//
//   bun scripts/macho-signature.ts verify FILE...   exit 1 unless every file's signature covers all of it
//   bun scripts/macho-signature.ts sign FILE...     re-sign ad hoc in place (keeps flags and identifier)
//
// Why it exists: macOS refuses to run an arm64 binary without a valid signature, and Gatekeeper calls an
// x64 one with a wrong signature "damaged". `bun build --compile` for darwin-x64 (Bun 1.4.x, cross
// compiled) keeps the runtime's original signature although it appended the program after signing, so
// page hashes stop matching. The fix is what `codesign -s -` does: hash every page of the file up to the
// signature and write a fresh CodeDirectory.
//
// Layout (Apple's xnu `osfmk/kern/cs_blobs.h` and `EXTERNAL_HEADERS/mach-o/loader.h` define it): the
// LC_CODE_SIGNATURE load command points at a SuperBlob at the end of __LINKEDIT. The blob is big-endian,
// unlike the little-endian Mach-O around it: magic, length, count, then (type, offset) index entries.
// A CodeDirectory lists one hash per page of the file up to codeLimit ("code slots") and, before those,
// "special slots" hashing other blobs of the same SuperBlob (requirements, entitlements).
import { readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";

const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;

const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CSSLOT_CODEDIRECTORY = 0;
const CSSLOT_ALTERNATE_CODEDIRECTORIES = 0x1000;
const CSSLOT_ALTERNATE_CODEDIRECTORY_LIMIT = 5;
/** CodeDirectory version 0x20400 carries the exec-segment fields; it is what Apple's linker writes. */
const CS_SUPPORTSEXECSEG = 0x20400;
const CS_ADHOC = 0x2;

/** hashType → [node:crypto algorithm, bytes kept]. SHA-256 truncated to 20 bytes is type 3. */
const HASHES: Record<number, [string, number]> = { 1: ["sha1", 20], 2: ["sha256", 32], 3: ["sha256", 20], 4: ["sha384", 48] };

export interface Segment {
  name: string;
  /** Offset in the file of this load command (to rewrite its sizes). */
  commandOffset: number;
  vmaddr: bigint;
  vmsize: bigint;
  fileoff: bigint;
  filesize: bigint;
}

export interface MachO {
  segments: Segment[];
  /** Offset in the file of the LC_CODE_SIGNATURE command, and the signature it points at. */
  signatureCommandOffset: number;
  signatureOffset: number;
  signatureSize: number;
}

export interface CodeDirectory {
  /** Where the CodeDirectory starts, relative to the SuperBlob. */
  blobOffset: number;
  slotType: number;
  version: number;
  flags: number;
  hashOffset: number;
  identifier: string;
  nSpecialSlots: number;
  nCodeSlots: number;
  codeLimit: number;
  hashSize: number;
  hashType: number;
  platform: number;
  pageSizeLog2: number;
  execSegBase: bigint;
  execSegLimit: bigint;
  execSegFlags: bigint;
}

export interface SignatureReport {
  ok: boolean;
  /** One line per problem, naming what is wrong where. */
  problems: string[];
  codeDirectories: {
    identifier: string;
    hashType: number;
    flags: number;
    codeLimit: number;
    pages: number;
    badPages: number;
    firstBadPage?: number;
  }[];
}

function cstring(buf: Buffer, at: number, max = buf.length): string {
  let end = at;
  while (end < max && buf[end] !== 0) end++;
  return buf.toString("utf8", at, end);
}

export function parseMachO(file: Buffer): MachO {
  if (file.length < 32 || file.readUInt32LE(0) !== MH_MAGIC_64) throw new Error("not a thin little-endian 64-bit Mach-O file");
  const ncmds = file.readUInt32LE(16);
  const sizeofcmds = file.readUInt32LE(20);
  if (32 + sizeofcmds > file.length) throw new Error("load commands run past the end of the file");
  const segments: Segment[] = [];
  let signature: Pick<MachO, "signatureCommandOffset" | "signatureOffset" | "signatureSize"> | undefined;
  let at = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = file.readUInt32LE(at);
    const cmdsize = file.readUInt32LE(at + 4);
    if (cmdsize < 8 || at + cmdsize > 32 + sizeofcmds) throw new Error(`load command ${i} has a bad size`);
    if (cmd === LC_SEGMENT_64) {
      segments.push({
        name: cstring(file, at + 8, at + 24),
        commandOffset: at,
        vmaddr: file.readBigUInt64LE(at + 24),
        vmsize: file.readBigUInt64LE(at + 32),
        fileoff: file.readBigUInt64LE(at + 40),
        filesize: file.readBigUInt64LE(at + 48),
      });
    } else if (cmd === LC_CODE_SIGNATURE) {
      signature = { signatureCommandOffset: at, signatureOffset: file.readUInt32LE(at + 8), signatureSize: file.readUInt32LE(at + 12) };
    }
    at += cmdsize;
  }
  if (!signature) throw new Error("no LC_CODE_SIGNATURE load command: the file is not signed");
  if (signature.signatureOffset + signature.signatureSize > file.length) throw new Error("the signature runs past the end of the file");
  return { segments, ...signature };
}

/** The SuperBlob's index: (slot type, offset relative to the SuperBlob). */
export function superBlobIndex(sig: Buffer): { type: number; offset: number }[] {
  if (sig.length < 12 || sig.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE)
    throw new Error("the signature is not an embedded-signature SuperBlob");
  const length = sig.readUInt32BE(4);
  const count = sig.readUInt32BE(8);
  if (length > sig.length || 12 + count * 8 > length) throw new Error("the SuperBlob's length or count is out of range");
  const index: { type: number; offset: number }[] = [];
  for (let i = 0; i < count; i++) {
    const type = sig.readUInt32BE(12 + i * 8);
    const offset = sig.readUInt32BE(16 + i * 8);
    if (offset + 8 > length || offset + sig.readUInt32BE(offset + 4) > length)
      throw new Error(`blob ${i} (type ${type}) runs past the SuperBlob`);
    index.push({ type, offset });
  }
  return index;
}

export function parseCodeDirectory(sig: Buffer, offset: number, slotType: number): CodeDirectory {
  const cd = sig.subarray(offset, offset + sig.readUInt32BE(offset + 4));
  if (cd.readUInt32BE(0) !== CSMAGIC_CODEDIRECTORY) throw new Error(`blob at ${offset} is not a CodeDirectory`);
  const version = cd.readUInt32BE(8);
  const hasExecSeg = version >= CS_SUPPORTSEXECSEG && cd.length >= 88;
  let codeLimit = cd.readUInt32BE(32);
  // Version 0x20300 added a 64-bit limit for files past 4 GiB; 0 there means "use the 32-bit one".
  if (version >= 0x20300 && cd.length >= 64) {
    const limit64 = cd.readBigUInt64BE(56);
    if (limit64 !== 0n) codeLimit = Number(limit64);
  }
  return {
    blobOffset: offset,
    slotType,
    version,
    flags: cd.readUInt32BE(12),
    hashOffset: cd.readUInt32BE(16),
    identifier: cstring(cd, cd.readUInt32BE(20)),
    nSpecialSlots: cd.readUInt32BE(24),
    nCodeSlots: cd.readUInt32BE(28),
    codeLimit,
    hashSize: cd[36]!,
    hashType: cd[37]!,
    platform: cd[38]!,
    pageSizeLog2: cd[39]!,
    execSegBase: hasExecSeg ? cd.readBigUInt64BE(64) : 0n,
    execSegLimit: hasExecSeg ? cd.readBigUInt64BE(72) : 0n,
    execSegFlags: hasExecSeg ? cd.readBigUInt64BE(80) : 0n,
  };
}

function hasher(hashType: number): (data: Buffer) => Buffer {
  const h = HASHES[hashType];
  if (!h) throw new Error(`unknown CodeDirectory hash type ${hashType}`);
  const [algorithm, size] = h;
  return (data) => createHash(algorithm).update(data).digest().subarray(0, size);
}

/**
 * Recomputes everything an ad-hoc signature promises: each CodeDirectory's page hashes over the file up
 * to codeLimit, the special slots of the blobs present (and zero for those absent), and that the
 * signature covers the whole file (codeLimit is where the signature starts, and the file ends with it).
 */
export function verifyMachOSignature(file: Buffer): SignatureReport {
  const problems: string[] = [];
  const report: SignatureReport = { ok: false, problems, codeDirectories: [] };
  let macho: MachO;
  let index: { type: number; offset: number }[];
  try {
    macho = parseMachO(file);
    index = superBlobIndex(file.subarray(macho.signatureOffset, macho.signatureOffset + macho.signatureSize));
  } catch (e) {
    problems.push((e as Error).message);
    return report;
  }
  const sig = file.subarray(macho.signatureOffset, macho.signatureOffset + macho.signatureSize);
  const linkedit = macho.segments.find((s) => s.name === "__LINKEDIT");
  if (!linkedit) problems.push("no __LINKEDIT segment");
  else if (linkedit.fileoff + linkedit.filesize !== BigInt(file.length)) {
    problems.push(`__LINKEDIT ends at ${linkedit.fileoff + linkedit.filesize}, not at the end of the file (${file.length})`);
  }
  const sigEnd = macho.signatureOffset + macho.signatureSize;
  if (file.subarray(sigEnd).some((b) => b !== 0))
    problems.push(`${file.length - sigEnd} bytes of data after the signature are not covered by it`);

  const blobs = new Map(index.map((e) => [e.type, e.offset]));
  const cds = index.filter(
    (e) =>
      e.type === CSSLOT_CODEDIRECTORY ||
      (e.type >= CSSLOT_ALTERNATE_CODEDIRECTORIES && e.type < CSSLOT_ALTERNATE_CODEDIRECTORIES + CSSLOT_ALTERNATE_CODEDIRECTORY_LIMIT),
  );
  if (cds.length === 0) problems.push("the SuperBlob has no CodeDirectory");
  for (const entry of cds) {
    let cd: CodeDirectory;
    try {
      cd = parseCodeDirectory(sig, entry.offset, entry.type);
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    const where = `CodeDirectory ${entry.type === 0 ? "" : `${entry.type.toString(16)} `}(hash type ${cd.hashType})`;
    let hash: (data: Buffer) => Buffer;
    try {
      hash = hasher(cd.hashType);
    } catch (e) {
      problems.push(`${where}: ${(e as Error).message}`);
      continue;
    }
    const stated = sig.subarray(entry.offset, entry.offset + sig.readUInt32BE(entry.offset + 4));
    if (cd.hashSize !== hash(Buffer.alloc(0)).length)
      problems.push(`${where}: hash size ${cd.hashSize} does not fit hash type ${cd.hashType}`);
    if (cd.codeLimit !== macho.signatureOffset)
      problems.push(`${where}: covers ${cd.codeLimit} bytes, but the signature starts at ${macho.signatureOffset}`);
    const pageSize = cd.pageSizeLog2 === 0 ? Math.max(cd.codeLimit, 1) : 2 ** cd.pageSizeLog2;
    const pages = Math.ceil(cd.codeLimit / pageSize);
    if (cd.nCodeSlots !== pages) problems.push(`${where}: ${cd.nCodeSlots} page hashes for ${pages} pages of ${pageSize} bytes`);
    if (cd.hashOffset + cd.nCodeSlots * cd.hashSize > stated.length || cd.hashOffset < cd.nSpecialSlots * cd.hashSize) {
      problems.push(`${where}: hash slots run outside the CodeDirectory`);
      continue;
    }
    let bad = 0;
    let firstBad: number | undefined;
    const limit = Math.min(cd.codeLimit, file.length);
    for (let page = 0; page < cd.nCodeSlots; page++) {
      const start = page * pageSize;
      const actual = hash(file.subarray(Math.min(start, limit), Math.min(start + pageSize, limit)));
      const expected = stated.subarray(cd.hashOffset + page * cd.hashSize, cd.hashOffset + (page + 1) * cd.hashSize);
      if (!actual.equals(expected)) {
        bad++;
        firstBad ??= page;
      }
    }
    if (bad > 0) problems.push(`${where}: ${bad} of ${cd.nCodeSlots} page hashes do not match (first: page ${firstBad})`);
    // Special slot n hashes the blob of type n (2 requirements, 5 entitlements, 7 DER entitlements); slot
    // 1 (Info.plist) and 3 (resources) hash files outside a bare executable, so they must be empty here.
    for (let slot = 1; slot <= cd.nSpecialSlots; slot++) {
      const expected = stated.subarray(cd.hashOffset - slot * cd.hashSize, cd.hashOffset - (slot - 1) * cd.hashSize);
      const blobAt = blobs.get(slot);
      const actual = blobAt === undefined ? Buffer.alloc(cd.hashSize) : hash(sig.subarray(blobAt, blobAt + sig.readUInt32BE(blobAt + 4)));
      if (!actual.equals(expected))
        problems.push(
          `${where}: special slot ${slot} ${blobAt === undefined ? "is set but its blob is absent" : "does not match its blob"}`,
        );
    }
    for (const [type] of blobs) {
      if (type > 0 && type < CSSLOT_ALTERNATE_CODEDIRECTORIES && type > cd.nSpecialSlots)
        problems.push(`${where}: blob type ${type} is not covered by a special slot`);
    }
    report.codeDirectories.push({
      identifier: cd.identifier,
      hashType: cd.hashType,
      flags: cd.flags,
      codeLimit: cd.codeLimit,
      pages: cd.nCodeSlots,
      badPages: bad,
      ...(firstBad === undefined ? {} : { firstBadPage: firstBad }),
    });
  }
  report.ok = problems.length === 0;
  return report;
}

const CSMAGIC_REQUIREMENTS = 0xfade0c01;
const CSMAGIC_BLOBWRAPPER = 0xfade0b01;
const CSSLOT_REQUIREMENTS = 2;
const CSSLOT_SIGNATURESLOT = 0x10000;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const MH_EXECUTE = 0x2;
/** 4 KiB code pages, as Apple's tools hash (also on arm64, whose VM pages are 16 KiB). */
const PAGE_SIZE_LOG2 = 12;
/** Segment sizes in memory are multiples of the largest VM page size (16 KiB on arm64, 4 KiB on x64). */
const VM_PAGE = 0x4000n;
const CODE_DIRECTORY_HEADER = 88;

/**
 * Signs ad hoc, as `codesign --sign -` does: a SHA-256 CodeDirectory over every page up to the signature,
 * an empty requirement set, and an empty CMS slot (no certificate). The signature starts where the old
 * one did; when it needs more room the file, LC_CODE_SIGNATURE and __LINKEDIT grow to hold it.
 *
 * The flags become just "ad hoc": a runtime that Bun signed with its own certificate (hardened runtime,
 * Bun's entitlements and designated requirement) no longer matches once a program is appended, and
 * those promises cannot be kept by an ad-hoc signature. The identifier is kept unless one is given.
 */
export function signAdHoc(input: Buffer, opts: { identifier?: string } = {}): Buffer {
  const macho = parseMachO(input);
  if (input.readUInt32LE(12) !== MH_EXECUTE) throw new Error("only executables are signed here");
  const linkedit = macho.segments.at(-1);
  if (linkedit?.name !== "__LINKEDIT") throw new Error("__LINKEDIT is not the last segment");
  if (linkedit.fileoff + linkedit.filesize !== BigInt(macho.signatureOffset + macho.signatureSize)) {
    throw new Error("the signature is not at the end of __LINKEDIT");
  }
  const text = macho.segments.find((s) => s.name === "__TEXT");
  if (!text) throw new Error("no __TEXT segment");
  let identifier = opts.identifier;
  if (identifier === undefined) {
    const sig = input.subarray(macho.signatureOffset, macho.signatureOffset + macho.signatureSize);
    const cd = superBlobIndex(sig).find((e) => e.type === CSSLOT_CODEDIRECTORY);
    if (!cd) throw new Error("the old signature has no CodeDirectory to take the identifier from");
    identifier = parseCodeDirectory(sig, cd.offset, cd.type).identifier;
  }

  const codeLimit = macho.signatureOffset;
  const pageSize = 2 ** PAGE_SIZE_LOG2;
  const nCodeSlots = Math.ceil(codeLimit / pageSize);
  const hashSize = 32;
  const ident = Buffer.from(identifier + "\0", "utf8");
  const nSpecialSlots = CSSLOT_REQUIREMENTS;
  const hashOffset = CODE_DIRECTORY_HEADER + ident.length + nSpecialSlots * hashSize;
  const cdLength = hashOffset + nCodeSlots * hashSize;
  const requirements = Buffer.alloc(12);
  requirements.writeUInt32BE(CSMAGIC_REQUIREMENTS, 0);
  requirements.writeUInt32BE(12, 4); // count 0: no designated requirement beyond the cdhash itself
  const cms = Buffer.alloc(8);
  cms.writeUInt32BE(CSMAGIC_BLOBWRAPPER, 0);
  cms.writeUInt32BE(8, 4);
  const count = 3;
  const cdAt = 12 + count * 8;
  const superLength = cdAt + cdLength + requirements.length + cms.length;
  // Room for the blob, rounded like the linker does; never shrunk, so a re-sign does not move bytes.
  const room = Math.max(macho.signatureSize, Math.ceil(superLength / 16) * 16);

  const out = Buffer.alloc(codeLimit + room);
  input.copy(out, 0, 0, codeLimit);
  out.writeUInt32LE(room, macho.signatureCommandOffset + 12);
  const filesize = BigInt(codeLimit + room) - linkedit.fileoff;
  out.writeBigUInt64LE(filesize, linkedit.commandOffset + 48);
  const vmsize = ((filesize + VM_PAGE - 1n) / VM_PAGE) * VM_PAGE;
  if (vmsize > linkedit.vmsize) out.writeBigUInt64LE(vmsize, linkedit.commandOffset + 32);

  const sb = out.subarray(codeLimit);
  sb.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  sb.writeUInt32BE(superLength, 4);
  sb.writeUInt32BE(count, 8);
  const reqAt = cdAt + cdLength;
  const cmsAt = reqAt + requirements.length;
  [
    [CSSLOT_CODEDIRECTORY, cdAt],
    [CSSLOT_REQUIREMENTS, reqAt],
    [CSSLOT_SIGNATURESLOT, cmsAt],
  ].forEach(([type, offset], i) => {
    sb.writeUInt32BE(type!, 12 + i * 8);
    sb.writeUInt32BE(offset!, 16 + i * 8);
  });
  requirements.copy(sb, reqAt);
  cms.copy(sb, cmsAt);

  const cd = sb.subarray(cdAt, cdAt + cdLength);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(cdLength, 4);
  cd.writeUInt32BE(CS_SUPPORTSEXECSEG, 8);
  cd.writeUInt32BE(CS_ADHOC, 12);
  cd.writeUInt32BE(hashOffset, 16);
  cd.writeUInt32BE(CODE_DIRECTORY_HEADER, 20);
  cd.writeUInt32BE(nSpecialSlots, 24);
  cd.writeUInt32BE(nCodeSlots, 28);
  cd.writeUInt32BE(codeLimit, 32);
  cd[36] = hashSize;
  cd[37] = 2; // SHA-256
  cd[38] = 0;
  cd[39] = PAGE_SIZE_LOG2;
  // spare2, scatterOffset, teamOffset, spare3 and codeLimit64 stay 0 (the file is under 4 GiB).
  if (codeLimit > 0xffffffff) throw new Error("files past 4 GiB are not supported");
  cd.writeBigUInt64BE(text.fileoff, 64);
  cd.writeBigUInt64BE(text.filesize, 72);
  cd.writeBigUInt64BE(BigInt(CS_EXECSEG_MAIN_BINARY), 80);
  ident.copy(cd, CODE_DIRECTORY_HEADER);
  const hash = hasher(2);
  // Special slot 1 (Info.plist) stays zero; slot 2 is the requirement set.
  hash(requirements).copy(cd, hashOffset - CSSLOT_REQUIREMENTS * hashSize);
  // Every page after the header edits above, so the hashes cover the load commands as written.
  for (let page = 0; page < nCodeSlots; page++) {
    hash(out.subarray(page * pageSize, Math.min((page + 1) * pageSize, codeLimit))).copy(cd, hashOffset + page * hashSize);
  }
  return out;
}

function describe(report: SignatureReport): string {
  return report.codeDirectories
    .map(
      (cd) =>
        `${cd.flags & CS_ADHOC ? "ad-hoc" : "certificate"} signature "${cd.identifier}", ${cd.pages} page hashes (hash type ${cd.hashType}) over ${cd.codeLimit} bytes`,
    )
    .join("; ");
}

function main(argv: string[]): number {
  const [command, ...files] = argv;
  if ((command !== "verify" && command !== "sign") || files.length === 0) {
    console.error("usage: bun scripts/macho-signature.ts verify|sign FILE...");
    return 2;
  }
  let failed = false;
  for (const path of files) {
    try {
      if (command === "sign") writeFileSync(path, signAdHoc(readFileSync(path)));
      const report = verifyMachOSignature(readFileSync(path));
      // A certificate signature's CMS part is not checked here; a release binary must be ad hoc.
      if (report.ok && report.codeDirectories.some((cd) => !(cd.flags & CS_ADHOC))) report.problems.push("not signed ad hoc");
      if (report.problems.length > 0) {
        failed = true;
        console.error(`${path}: INVALID: ${report.problems.join("; ")}`);
      } else {
        console.log(`${path}: ${command === "sign" ? "signed" : "valid"}: ${describe(report)}`);
      }
    } catch (e) {
      failed = true;
      console.error(`${path}: ${(e as Error).message}`);
    }
  }
  return failed ? 1 : 0;
}

if (import.meta.main) process.exit(main(process.argv.slice(2)));
