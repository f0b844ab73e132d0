// A small QR Code encoder (ISO/IEC 18004): byte mode, error correction L or M, versions 1–10, with
// mask selection by the standard's penalty rules. Enough for a device verification URL, which is why
// ccsso carries this instead of a dependency (docs/decisions.md §2.2).
// Pure: text in, a square matrix of booleans (true = dark) out.

export type QrErrorCorrection = "L" | "M";

export interface QrCode {
  version: number;
  size: number;
  errorCorrection: QrErrorCorrection;
  mask: number;
  /** modules[y][x], true = dark. No quiet zone. */
  modules: boolean[][];
}

export const QR_MAX_VERSION = 10;

// ISO/IEC 18004 Table 9, versions 1–10: error-correction codewords per block and number of blocks.
const EC_CODEWORDS_PER_BLOCK: Record<QrErrorCorrection, number[]> = {
  L: [7, 10, 15, 20, 26, 18, 20, 24, 30, 18],
  M: [10, 16, 26, 18, 24, 16, 18, 22, 22, 26],
};
const EC_BLOCKS: Record<QrErrorCorrection, number[]> = {
  L: [1, 1, 1, 1, 1, 2, 2, 2, 2, 4],
  M: [1, 1, 1, 2, 2, 4, 4, 4, 5, 5],
};
// Format information: the two error-correction level bits (Table 12).
const EC_FORMAT_BITS: Record<QrErrorCorrection, number> = { L: 1, M: 0 };

/**
 * Encode `text` (UTF-8) as a QR code, choosing the smallest version that fits. M is tried first (it
 * survives a smudged screen photo better); L only when M cannot hold the text in version 10.
 */
export function encodeQr(text: string, opts: { errorCorrection?: QrErrorCorrection; minVersion?: number; mask?: number } = {}): QrCode {
  const data = new TextEncoder().encode(text);
  const levels: QrErrorCorrection[] = opts.errorCorrection ? [opts.errorCorrection] : ["M", "L"];
  for (const ecl of levels) {
    for (let version = opts.minVersion ?? 1; version <= QR_MAX_VERSION; version++) {
      if (byteModeBits(data.length, version) <= dataCodewordCount(version, ecl) * 8) return build(data, version, ecl, opts.mask);
    }
  }
  throw new RangeError(`text of ${data.length} bytes is too long for a version ${QR_MAX_VERSION} QR code`);
}

/** How many bytes of text fit in `version` at `ecl` (ISO/IEC 18004 Table 7, byte mode). */
export function qrByteCapacity(version: number, ecl: QrErrorCorrection): number {
  return Math.floor((dataCodewordCount(version, ecl) * 8 - byteModeBits(0, version)) / 8);
}

function byteModeBits(length: number, version: number): number {
  // Mode indicator (4) + character count (8 bits up to version 9, 16 from version 10) + data.
  return 4 + (version <= 9 ? 8 : 16) + length * 8;
}

/** Modules left for data and error correction once the function patterns are placed. */
function rawDataModules(version: number): number {
  let n = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const align = Math.floor(version / 7) + 2;
    n -= (25 * align - 10) * align - 55;
    if (version >= 7) n -= 36; // two 6×3 version information blocks
  }
  return n;
}

function dataCodewordCount(version: number, ecl: QrErrorCorrection): number {
  const i = version - 1;
  return Math.floor(rawDataModules(version) / 8) - EC_CODEWORDS_PER_BLOCK[ecl][i]! * EC_BLOCKS[ecl][i]!;
}

/** `forcedMask` is for tests that prove every mask decodes; normally the lowest penalty wins. */
function build(data: Uint8Array, version: number, ecl: QrErrorCorrection, forcedMask?: number): QrCode {
  const codewords = addErrorCorrection(dataCodewords(data, version, ecl), version, ecl);
  const size = version * 4 + 17;
  const grid = new Grid(size);
  drawFunctionPatterns(grid, version);
  placeCodewords(grid, codewords);
  let best = -1;
  let bestPenalty = Infinity;
  for (let mask = 0; mask < 8; mask++) {
    if (forcedMask !== undefined && mask !== forcedMask) continue;
    const candidate = grid.copy();
    applyMask(candidate, mask);
    drawFormatBits(candidate, ecl, mask);
    const p = penalty(candidate.dark);
    if (p < bestPenalty) {
      bestPenalty = p;
      best = mask;
    }
  }
  applyMask(grid, best);
  drawFormatBits(grid, ecl, best);
  return { version, size, errorCorrection: ecl, mask: best, modules: grid.dark };
}

function dataCodewords(data: Uint8Array, version: number, ecl: QrErrorCorrection): number[] {
  const capacityBits = dataCodewordCount(version, ecl) * 8;
  const bits: number[] = [];
  const push = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  push(0b0100, 4); // byte mode
  push(data.length, version <= 9 ? 8 : 16);
  for (const b of data) push(b, 8);
  push(0, Math.min(4, capacityBits - bits.length)); // terminator
  push(0, (8 - (bits.length % 8)) % 8);
  const out: number[] = [];
  for (let i = 0; i < bits.length; i += 8) out.push(bits.slice(i, i + 8).reduce((acc, b) => (acc << 1) | b, 0));
  for (let pad = 0xec; out.length < capacityBits / 8; pad ^= 0xec ^ 0x11) out.push(pad);
  return out;
}

// --- Reed–Solomon over GF(2^8) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d) ---

function gfMultiply(a: number, b: number): number {
  let product = 0;
  for (let i = 7; i >= 0; i--) {
    product = (product << 1) ^ ((product >>> 7) * 0x11d);
    product ^= ((b >>> i) & 1) * a;
  }
  return product & 0xff;
}

/** Coefficients of ∏(x − α^i), i < degree, highest power first, leading 1 omitted. */
function rsGenerator(degree: number): number[] {
  const poly = new Array<number>(degree).fill(0);
  poly[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      poly[j] = gfMultiply(poly[j]!, root);
      if (j + 1 < degree) poly[j] = poly[j]! ^ poly[j + 1]!;
    }
    root = gfMultiply(root, 2);
  }
  return poly;
}

function rsRemainder(data: number[], generator: number[]): number[] {
  const rem = new Array<number>(generator.length).fill(0);
  for (const b of data) {
    const factor = b ^ rem.shift()!;
    rem.push(0);
    for (let i = 0; i < generator.length; i++) rem[i] = rem[i]! ^ gfMultiply(generator[i]!, factor);
  }
  return rem;
}

/** Split into blocks, append each block's EC codewords, interleave (ISO/IEC 18004 §7.6). */
function addErrorCorrection(data: number[], version: number, ecl: QrErrorCorrection): number[] {
  const blockCount = EC_BLOCKS[ecl][version - 1]!;
  const ecLength = EC_CODEWORDS_PER_BLOCK[ecl][version - 1]!;
  const total = Math.floor(rawDataModules(version) / 8);
  const shortBlocks = blockCount - (total % blockCount);
  const shortLength = Math.floor(total / blockCount) - ecLength;
  const generator = rsGenerator(ecLength);
  const dataBlocks: number[][] = [];
  const ecBlocks: number[][] = [];
  for (let i = 0, offset = 0; i < blockCount; i++) {
    const length = shortLength + (i < shortBlocks ? 0 : 1);
    const block = data.slice(offset, offset + length);
    offset += length;
    dataBlocks.push(block);
    ecBlocks.push(rsRemainder(block, generator));
  }
  const out: number[] = [];
  for (let i = 0; i <= shortLength; i++) for (const block of dataBlocks) if (i < block.length) out.push(block[i]!);
  for (let i = 0; i < ecLength; i++) for (const block of ecBlocks) out.push(block[i]!);
  return out;
}

// --- The matrix ---

class Grid {
  readonly dark: boolean[][];
  readonly reserved: boolean[][];
  constructor(readonly size: number, dark?: boolean[][], reserved?: boolean[][]) {
    this.dark = dark ?? Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
    this.reserved = reserved ?? Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  }
  set(x: number, y: number, dark: boolean): void {
    this.dark[y]![x] = dark;
    this.reserved[y]![x] = true;
  }
  copy(): Grid {
    return new Grid(this.size, this.dark.map((r) => [...r]), this.reserved);
  }
}

function alignmentCentres(version: number): number[] {
  if (version === 1) return [];
  const size = version * 4 + 17;
  const count = Math.floor(version / 7) + 2;
  const step = Math.ceil((version * 4 + 4) / (count * 2 - 2)) * 2;
  const centres = [6];
  for (let pos = size - 7; centres.length < count; pos -= step) centres.splice(1, 0, pos);
  return centres;
}

function drawFunctionPatterns(grid: Grid, version: number): void {
  const size = grid.size;
  for (let i = 0; i < size; i++) {
    grid.set(6, i, i % 2 === 0);
    grid.set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ] as const) {
    // Finder (7×7) plus its one-module light separator.
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (x < 0 || y < 0 || x >= size || y >= size) continue;
        const ring = Math.max(Math.abs(dx), Math.abs(dy));
        grid.set(x, y, ring !== 2 && ring !== 4);
      }
    }
  }
  const centres = alignmentCentres(version);
  const last = centres.length - 1;
  for (let i = 0; i <= last; i++) {
    for (let j = 0; j <= last; j++) {
      // Skip the three positions that would overlap a finder.
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) grid.set(centres[i]! + dx, centres[j]! + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    }
  }
  drawFormatBits(grid, "M", 0); // reserve the format areas; the real bits are drawn after masking
  if (version >= 7) {
    // Version information, BCH(18,6) with generator 0x1f25 (ISO/IEC 18004 Annex D).
    let rem = version;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (version << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      grid.set(a, b, dark);
      grid.set(b, a, dark);
    }
  }
}

function drawFormatBits(grid: Grid, ecl: QrErrorCorrection, mask: number): void {
  // Format information, BCH(15,5) with generator 0x537, XOR 0x5412 (ISO/IEC 18004 Annex C).
  const data = (EC_FORMAT_BITS[ecl] << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  const bits = ((data << 10) | rem) ^ 0x5412;
  const bit = (i: number) => ((bits >>> i) & 1) === 1;
  const size = grid.size;
  // Around the top-left finder.
  for (let i = 0; i <= 5; i++) grid.set(8, i, bit(i));
  grid.set(8, 7, bit(6));
  grid.set(8, 8, bit(7));
  grid.set(7, 8, bit(8));
  for (let i = 9; i < 15; i++) grid.set(14 - i, 8, bit(i));
  // The copy split between the other two finders.
  for (let i = 0; i < 8; i++) grid.set(size - 1 - i, 8, bit(i));
  for (let i = 8; i < 15; i++) grid.set(8, size - 15 + i, bit(i));
  grid.set(8, size - 8, true); // the always-dark module
}

/** Zig-zag placement in two-module columns from the bottom right, skipping the vertical timing column. */
function placeCodewords(grid: Grid, codewords: number[]): void {
  const size = grid.size;
  let bitIndex = 0;
  const totalBits = codewords.length * 8;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let vert = 0; vert < size; vert++) {
      const y = upward ? size - 1 - vert : vert;
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        if (grid.reserved[y]![x]) continue;
        // Remainder bits past the last codeword stay light.
        if (bitIndex < totalBits) grid.dark[y]![x] = ((codewords[bitIndex >>> 3]! >>> (7 - (bitIndex & 7))) & 1) === 1;
        bitIndex++;
      }
    }
  }
}

const MASKS: Array<(x: number, y: number) => boolean> = [
  (x, y) => (x + y) % 2 === 0,
  (_x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

function applyMask(grid: Grid, mask: number): void {
  const flip = MASKS[mask]!;
  for (let y = 0; y < grid.size; y++) {
    for (let x = 0; x < grid.size; x++) if (!grid.reserved[y]![x] && flip(x, y)) grid.dark[y]![x] = !grid.dark[y]![x];
  }
}

/** The four penalty rules of ISO/IEC 18004 §7.8.3; the mask with the lowest score is used. */
export function penalty(m: boolean[][]): number {
  const size = m.length;
  let score = 0;
  const lines: boolean[][] = [...m, ...m.map((_, x) => m.map((row) => row[x]!))];
  for (const line of lines) {
    // N1: runs of five or more same-coloured modules.
    let run = 1;
    for (let i = 1; i <= size; i++) {
      if (i < size && line[i] === line[i - 1]) run++;
      else {
        if (run >= 5) score += 3 + (run - 5);
        run = 1;
      }
    }
    // N3: a finder-like 1:1:3:1:1 pattern with four light modules on one side.
    for (let i = 0; i + 7 <= size; i++) {
      const finderLike = line[i] && !line[i + 1] && line[i + 2] && line[i + 3] && line[i + 4] && !line[i + 5] && line[i + 6];
      if (!finderLike) continue;
      const lightBefore = [1, 2, 3, 4].every((k) => i - k < 0 || !line[i - k]);
      const lightAfter = [7, 8, 9, 10].every((k) => i + k >= size || !line[i + k]);
      if (lightBefore || lightAfter) score += 40;
    }
  }
  // N2: 2×2 blocks of one colour.
  for (let y = 0; y + 1 < size; y++) {
    for (let x = 0; x + 1 < size; x++) {
      const c = m[y]![x];
      if (m[y]![x + 1] === c && m[y + 1]![x] === c && m[y + 1]![x + 1] === c) score += 3;
    }
  }
  // N4: how far the proportion of dark modules strays from half, in 5% steps.
  const dark = m.reduce((acc, row) => acc + row.filter(Boolean).length, 0);
  score += Math.floor(Math.abs(dark * 100 - size * size * 50) / (size * size * 5)) * 10;
  return score;
}
