// Secret-safe file writes (docs/architecture.md §6, docs/protocols.md §2.1): directories 0700, files
// 0600, temp file + fsync + rename so a reader (or a crash) never sees half a file.
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname, join, basename } from "node:path";

/** Create `dir` (and parents) with mode 0700; tighten it if it already exists with group/other bits. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    const st = statSync(dir);
    // Only tighten directories we own as caches; a pre-existing ~/.aws of the user's is left alone
    // unless it is the cache directory itself (the caller passes cache dirs only).
    if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  } catch {
    // stat failed after mkdir succeeded: a race with a remover; the write below will report it.
  }
}

export interface AtomicWriteOptions {
  /** Mode of a new file; an existing file keeps its mode unless `forceMode` is set. Default 0600. */
  mode?: number;
  forceMode?: boolean;
  /** Create the parent directory 0700 (caches). Config files only get their parent created plain. */
  privateDir?: boolean;
}

export function atomicWriteFile(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const dir = dirname(path);
  if (opts.privateDir) ensurePrivateDir(dir);
  else mkdirSync(dir, { recursive: true, mode: 0o700 });
  let mode = opts.mode ?? 0o600;
  if (!opts.forceMode) {
    try {
      mode = statSync(path).mode & 0o777;
    } catch {
      // New file: use the requested mode.
    }
  }
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  const fd = openSync(tmp, "wx", mode);
  try {
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    // openSync's mode is filtered by umask; set it exactly.
    chmodSync(tmp, mode);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {}
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {}
    throw e;
  }
}

/** Read a file as UTF-8, or undefined when it does not exist. Other errors propagate. */
export function readFileIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw e;
  }
}

/** Delete a file; false when there was none (a cache entry someone else removed first is not an error). */
export function removeFileIfExists(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
}
