// One lock file per session (token refresh) or profile (role credentials), so 32 git helpers started
// at once make one network call between them (docs/architecture.md §7). O_EXCL create holds it; a lock whose holder
// is dead, or that is older than any holder could legitimately be, is taken over. Processes in the
// same program also queue in memory, so they never poll each other.
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { CcssoError } from "../core/errors";
import { ensurePrivateDir } from "./atomic-file";

/** A holder does at most a few network calls, each with a timeout well under this; older is stale. */
export const staleLockMs = 60_000;
/** How often a waiter looks again: short next to a network call, long enough not to burn a core. */
const pollMs = 50;
/** Silence for a blocked git operation this long is normal; after it, say what we are waiting for. */
const noticeAfterMs = 3_000;

export interface LockOptions {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Told once, after a few seconds of waiting, who holds the lock. */
  onWait?(holder: LockHolder | undefined): void;
  pid?: number;
  isAlive?(pid: number): boolean;
  staleMs?: number;
  /** When to tell onWait (default 3 s); a login lock says so at once. */
  noticeAfterMs?: number;
  /** Give up waiting after this long (default twice staleMs). */
  maxWaitMs?: number;
}

export interface LockHolder {
  pid: number;
  createdAt: number;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else — alive.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(path: string): { text: string; holder?: LockHolder } | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const m = /^(\d+) (\d+)$/.exec(text.trim());
  return m ? { text, holder: { pid: Number(m[1]), createdAt: Number(m[2]) } } : { text };
}

function tryCreate(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Remove a stale lock unless someone replaced it since we judged it; true when it is gone. */
function takeOver(path: string, judged: string): boolean {
  const aside = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return true; // already gone: just try to create it again
  }
  let moved = "";
  try {
    moved = readFileSync(aside, "utf8");
  } catch {}
  if (moved !== judged) {
    // We moved a fresh lock another process had just taken; put it back if the name is still free.
    try {
      linkSync(aside, path);
    } catch {}
  }
  try {
    unlinkSync(aside);
  } catch {}
  return moved === judged;
}

const inProcess = new Map<string, Promise<void>>();

/** Run `fn` holding the lock at `path`; released however `fn` ends. */
export async function withLock<T>(path: string, opts: LockOptions, fn: () => Promise<T>): Promise<T> {
  // Queue behind earlier holders in this process first.
  const before = inProcess.get(path) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const chained = before.then(() => mine);
  inProcess.set(path, chained);
  await before;
  try {
    await acquireFileLock(path, opts);
    try {
      return await fn();
    } finally {
      try {
        unlinkSync(path);
      } catch {}
    }
  } finally {
    release();
    if (inProcess.get(path) === chained) inProcess.delete(path);
  }
}

export async function acquireFileLock(path: string, opts: LockOptions): Promise<void> {
  ensurePrivateDir(dirname(path));
  const pid = opts.pid ?? process.pid;
  const isAlive = opts.isAlive ?? processIsAlive;
  const staleMs = opts.staleMs ?? staleLockMs;
  const started = opts.now();
  let noticed = false;
  for (;;) {
    if (tryCreate(path, `${pid} ${opts.now()}\n`)) return;
    const seen = readHolder(path);
    if (seen === undefined) continue; // released between our create and read: try again at once
    const h = seen.holder;
    // Unreadable content is a holder that died mid-write (or not ours): stale once old enough.
    const stale = h ? !isAlive(h.pid) || opts.now() - h.createdAt > staleMs : opts.now() - started > staleMs;
    if (stale) {
      takeOver(path, seen.text);
      continue;
    }
    if (!noticed && opts.now() - started >= (opts.noticeAfterMs ?? noticeAfterMs)) {
      noticed = true;
      opts.onWait?.(h);
    }
    if (opts.now() - started > (opts.maxWaitMs ?? staleMs * 2)) {
      throw new CcssoError(`timed out waiting for the lock ${path}`, `if no ccsso is running, delete that file`);
    }
    await opts.sleep(pollMs);
  }
}
