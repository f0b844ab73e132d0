// The release archives (`make dist`): .tar.gz for Unix targets, .zip for Windows, written here rather than
// by `tar`/`zip` so that the same inputs give the same bytes on any machine — entries sorted by name, one
// fixed time, owner and group 0 — with no GNU-tar-only flags, compressed with libdeflate (~2 s per 115 MB
// binary, against ~7 s CPU for gzip -6).
// test/e2e/release-files.test.ts reads every archive back with the system's tar and unzip.

export type ArchiveEntry = { name: string; data: Uint8Array; mode: number } | { name: string; symlinkTo: string };

const DEFLATE = { library: "libdeflate", level: 6 } as const;

function sorted(entries: ArchiveEntry[]): ArchiveEntry[] {
  return [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, "0") + "\0";
}

/** One POSIX ustar header block (names up to 100 bytes, which every release path is). */
function tarHeader(name: string, opts: { mode: number; size: number; mtime: number; type: "0" | "2" | "5"; link?: string }): Uint8Array {
  const enc = new TextEncoder();
  if (enc.encode(name).length > 100 || enc.encode(opts.link ?? "").length > 100) throw new Error(`archive name too long: ${name}`);
  const h = new Uint8Array(512);
  const put = (at: number, s: string) => h.set(enc.encode(s), at);
  put(0, name);
  put(100, octal(opts.mode, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(opts.size, 12));
  put(136, octal(opts.mtime, 12));
  put(148, "        ");
  put(156, opts.type);
  if (opts.link) put(157, opts.link);
  put(257, "ustar\0");
  put(263, "00");
  put(265, "root");
  put(297, "root");
  let sum = 0;
  for (const b of h) sum += b;
  put(148, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

/** A gzip-compressed tar of `entries` under the directory `top/`, every entry dated `mtime` (Unix seconds). */
export function tarGz(top: string, entries: ArchiveEntry[], mtime: number): Uint8Array {
  const parts: Uint8Array[] = [tarHeader(`${top}/`, { mode: 0o755, size: 0, mtime, type: "5" })];
  for (const e of sorted(entries)) {
    const name = `${top}/${e.name}`;
    if ("symlinkTo" in e) {
      parts.push(tarHeader(name, { mode: 0o777, size: 0, mtime, type: "2", link: e.symlinkTo }));
      continue;
    }
    parts.push(tarHeader(name, { mode: e.mode, size: e.data.length, mtime, type: "0" }), e.data);
    const pad = (512 - (e.data.length % 512)) % 512;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(1024));
  const tar = Buffer.concat(parts);
  // gzip's header carries no name and a zero time here (Bun writes none), so the bytes depend on the tar alone.
  return Bun.gzipSync(tar, DEFLATE);
}

/**
 * A zip of `entries` under `top/`, deflated, every entry dated 1980-01-01 00:00 (the zip format's own
 * epoch: DOS times have no zone, so any other fixed time would read differently per machine). Entries
 * with the same bytes share one compression (the zip stays as large as the copies, though).
 */
export function zip(top: string, entries: ArchiveEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const local: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  const compressed = new Map<Uint8Array, { crc: number; data: Uint8Array }>();
  let offset = 0;
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const e of sorted(entries)) {
    if ("symlinkTo" in e) throw new Error(`zip: ${e.name}: zip holds no links`);
    let c = compressed.get(e.data);
    if (!c) {
      c = { crc: Bun.hash.crc32(e.data), data: Bun.deflateSync(e.data as Uint8Array<ArrayBuffer>, DEFLATE) };
      compressed.set(e.data, c);
    }
    const name = enc.encode(`${top}/${e.name}`);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x0800, 6); // names are UTF-8
    lh.writeUInt16LE(8, 8); // deflate
    lh.writeUInt16LE(dosTime, 10);
    lh.writeUInt16LE(dosDate, 12);
    lh.writeUInt32LE(c.crc, 14);
    lh.writeUInt32LE(c.data.length, 18);
    lh.writeUInt32LE(e.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    lh.writeUInt16LE(0, 28);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE((3 << 8) | 20, 4); // made by Unix: the high half of the external attributes is the mode
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x0800, 8);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt16LE(dosTime, 12);
    ch.writeUInt16LE(dosDate, 14);
    ch.writeUInt32LE(c.crc, 16);
    ch.writeUInt32LE(c.data.length, 20);
    ch.writeUInt32LE(e.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(((0o100000 | e.mode) << 16) >>> 0, 38);
    ch.writeUInt32LE(offset, 42);
    local.push(lh, name, c.data);
    central.push(ch, name);
    offset += lh.length + name.length + c.data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length / 2, 8);
  end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  if (offset + cd.length > 0xffffffff) throw new Error("zip: archive over 4 GB needs zip64");
  return Buffer.concat([...local, cd, end]);
}
