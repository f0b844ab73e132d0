// Secret-safe file writes (docs/architecture.md §6, docs/protocols.md §2.1): directories 0700, files
// 0600, temp file + fsync + rename so a reader (or a crash) never sees half a file.
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { CcssoError } from "../core/errors";

/**
 * Windows refuses to replace a file another process has open without FILE_SHARE_DELETE — the AWS CLI
 * reading ~/.aws/config, an editor, a virus scanner, another ccsso reading a cache file — and says
 * EPERM, EACCES or EBUSY. Such holds last milliseconds, so the rename is tried again. The waits double
 * from 10 ms (most holds are a single read) and stop growing at 250 ms; the whole wait stays under
 * 2 s — long enough to outlast a scanner's look at a small file (Go's own tooling retries these errors for
 * 2 s; npm's graceful-fs for up to 60 s, too long for git waiting on its credential helper), short enough
 * that a file held open for good is reported while the user is still watching.
 */
export const RENAME_RETRY_DELAYS_MS: readonly number[] = [10, 20, 40, 80, 160, 250, 250, 250, 250, 250, 250]; // 1.81 s in all

/** The rename kept failing with a sharing violation: someone still has the file open. */
export class FileInUseError extends CcssoError {
  readonly code = "EBUSY";
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(
      `${path} is open in another program, so it could not be replaced; nothing was changed`,
      "close the program that has it open (an editor, another AWS tool) and run the command again",
      { cause },
    );
  }
}

export interface ReplaceDeps {
  platform: string;
  rename(from: string, to: string): void;
  /** A blocking wait (the writers are synchronous). */
  sleep(ms: number): void;
}

const realReplace: ReplaceDeps = {
  platform: process.platform,
  rename: renameSync,
  sleep: (ms) => Bun.sleepSync(ms),
};

const SHARING_VIOLATION = new Set(["EPERM", "EACCES", "EBUSY"]);

/**
 * rename(from, to), retried on Windows while `to` is held open by another process (see
 * RENAME_RETRY_DELAYS_MS); a FileInUseError naming `to` when it still is. Elsewhere one plain rename:
 * there EACCES/EPERM are real permission problems, and waiting would not change them.
 */
export function replaceFile(from: string, to: string, deps: ReplaceDeps = realReplace): void {
  for (let attempt = 0; ; attempt++) {
    try {
      deps.rename(from, to);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "";
      if (deps.platform !== "win32" || !SHARING_VIOLATION.has(code)) throw e;
      const delay = RENAME_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) throw new FileInUseError(to, e);
      deps.sleep(delay);
    }
  }
}

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

export function atomicWriteFile(
  path: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
  replace: ReplaceDeps = realReplace,
): void {
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
    replaceFile(tmp, path, replace);
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
