// One lock file per session (token refresh, login) or profile (role credentials), so 32 git helpers
// started at once make one network call between them (docs/architecture.md §7). Processes in the same
// program also queue in memory, so they never poll each other.
//
// The rules that give the lock exactly one holder (docs/security.md):
// - The lock file appears with its whole owner record at once (written to a private temp file, then
//   hard-linked into place; link(2) fails if the name exists and never follows a symlink there). So a
//   lock file whose content is not an owner record is never a holder still writing: it is junk, or a
//   symlink someone planted, and is taken over at once instead of after a minute.
// - The record names the holder: pid, start time, host and a random token. A holder on this host whose
//   pid is dead is taken over at once; a live one only when older than any holder could legitimately be
//   (its pid was reused, or it hung).
// - Taking over and releasing both happen under a short-lived guard lock (`<lock>.guard`), and both
//   re-read the record under it: a takeover replaces only the record it judged stale (rename(2) over it,
//   which also replaces a symlink rather than following it), and a release removes only a record
//   carrying its own token. So a takeover can never remove a fresh holder's lock, and a holder that was
//   taken over never deletes its successor's lock on the way out.
// - The lock file is never opened in a way that follows a symlink (O_NOFOLLOW on read, O_EXCL on create).
import { closeSync, constants, fstatSync, linkSync, openSync, readSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { CcssoError } from "../core/errors";
import { ensurePrivateDir } from "./atomic-file";

/** A holder does at most a few network calls, each with a timeout well under this; older is stale. */
export const staleLockMs = 60_000;
/** How often a waiter looks again: short next to a network call, long enough not to burn a core. */
const pollMs = 50;
/** Silence for a blocked git operation this long is normal; after it, say what we are waiting for. */
const noticeAfterMs = 3_000;
/** The guard is held for a few file operations; one older than this belongs to a process that hung. */
const guardStaleMs = 5_000;
/** A guard wait polls faster than the lock: it is held for microseconds. */
const guardPollMs = 5;
/** An owner record is one short line; anything longer is junk (and is not read further). */
const maxRecordBytes = 256;

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
  /** Host name the holder ran on; undefined in records written by ccsso before tokens existed. */
  host?: string;
  token?: string;
}

/** What acquireFileLock returns: the record we wrote, so only we can release it. */
export interface HeldLock {
  path: string;
  token: string;
  /** When our record says we took it (our clock). */
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

let cachedHost: string | undefined;
/** This machine's name, so a lock in a home directory shared over NFS is not judged by a pid from another host. */
async function thisHost(): Promise<string> {
  if (cachedHost === undefined) {
    // Imported here, not at the top: only a process that takes a lock pays for node:os.
    const { hostname } = await import("node:os");
    cachedHost = hostname().replace(/\s+/g, "_") || "localhost";
  }
  return cachedHost;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return hex;
}

export function formatOwnerRecord(h: Required<LockHolder>): string {
  return `${h.pid} ${h.createdAt} ${h.host} ${h.token}\n`;
}

/** `pid createdAt host token`, or the older `pid createdAt`; undefined for anything else. */
export function parseOwnerRecord(text: string): LockHolder | undefined {
  const m = /^(\d{1,10}) (\d{1,16})(?: (\S{1,128}) ([0-9a-f]{32}))?\n?$/.exec(text);
  if (!m) return undefined;
  return { pid: Number(m[1]), createdAt: Number(m[2]), ...(m[3] ? { host: m[3], token: m[4] } : {}) };
}

/** What is at the lock path: nothing, a regular file's text, or something else (symlink, directory, …). */
type Seen = { kind: "absent" } | { kind: "file"; text: string } | { kind: "other" };

function look(path: string): Seen {
  let fd: number;
  try {
    // O_NOFOLLOW: a symlink at the lock path fails with ELOOP instead of being read through.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { kind: "absent" };
    if (code === "ELOOP" || code === "EMLINK" || code === "EISDIR" || code === "ENXIO") return { kind: "other" };
    throw e;
  }
  try {
    if (!fstatSync(fd).isFile()) return { kind: "other" };
    const buf = new Uint8Array(maxRecordBytes + 1);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return { kind: "file", text: new TextDecoder().decode(buf.subarray(0, n)) };
  } finally {
    closeSync(fd);
  }
}

function sameSeen(a: Seen, b: Seen): boolean {
  return a.kind === b.kind && (a.kind !== "file" || (b.kind === "file" && a.text === b.text));
}

/** Write `content` to a private temp file next to `path`; the caller links or renames it into place. */
function writeTemp(path: string, content: string): string {
  const temp = `${path}.${process.pid}.${randomToken().slice(0, 12)}.tmp`;
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return temp;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {}
}

/** Publish `content` at `path` only if nothing is there; true when we created it. */
function tryCreate(path: string, content: string): boolean {
  const temp = writeTemp(path, content);
  try {
    linkSync(temp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  } finally {
    removeQuietly(temp);
  }
}

interface Judge {
  now: number;
  host: string;
  staleMs: number;
  isAlive(pid: number): boolean;
}

/** True when what is at the lock path is not a live holder's record (so it may be taken over). */
function isStale(seen: Seen, j: Judge): boolean {
  if (seen.kind === "absent") return false;
  // A symlink, a directory, junk: never a holder, because holders publish whole records at once.
  if (seen.kind === "other") return true;
  const h = parseOwnerRecord(seen.text);
  if (!h) return true;
  const onThisHost = h.host === undefined || h.host === j.host;
  if (onThisHost && !j.isAlive(h.pid)) return true;
  return j.now - h.createdAt > j.staleMs;
}

/**
 * Run `step` holding the guard for `path`. The guard is an ordinary O_EXCL-published record too; one whose
 * holder is dead (this host) or that is older than guardStaleMs is removed — by moving it aside and
 * checking it is still the one judged, putting it back otherwise.
 */
async function withGuard<T>(path: string, opts: LockOptions, j: Omit<Judge, "now" | "staleMs">, step: () => T): Promise<T> {
  const guard = `${path}.guard`;
  const record = formatOwnerRecord({ pid: opts.pid ?? process.pid, createdAt: opts.now(), host: j.host, token: randomToken() });
  const started = opts.now();
  for (;;) {
    if (tryCreate(guard, record)) break;
    const seen = look(guard);
    if (isStale(seen, { ...j, now: opts.now(), staleMs: guardStaleMs })) {
      const aside = `${guard}.${process.pid}.${randomToken().slice(0, 12)}.stale`;
      try {
        renameSync(guard, aside);
        if (!sameSeen(look(aside), seen)) {
          try {
            linkSync(aside, guard); // a fresh guard: put it back
          } catch {}
        }
        removeQuietly(aside);
      } catch {}
      continue;
    }
    if (opts.now() - started > guardStaleMs * 2)
      throw new CcssoError(`timed out waiting for the lock guard ${guard}`, "if no ccsso is running, delete that file");
    await opts.sleep(guardPollMs);
  }
  try {
    return step();
  } finally {
    // Ours for sure: nobody removes a guard younger than guardStaleMs whose holder is alive.
    removeQuietly(guard);
  }
}

const inProcess = new Map<string, Promise<void>>();

/** Run `fn` holding the lock at `path`; released however `fn` ends, and only if it is still ours. */
export async function withLock<T>(path: string, opts: LockOptions, fn: () => Promise<T>): Promise<T> {
  // Queue behind earlier holders in this process first.
  const before = inProcess.get(path) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const chained = before.then(() => mine);
  inProcess.set(path, chained);
  await before;
  try {
    const held = await acquireFileLock(path, opts);
    try {
      return await fn();
    } finally {
      await releaseFileLock(held, opts).catch(() => {});
    }
  } finally {
    release();
    if (inProcess.get(path) === chained) inProcess.delete(path);
  }
}

/** Remove the lock only if it still carries our token (another process may have taken it over meanwhile). */
export async function releaseFileLock(held: HeldLock, opts: LockOptions): Promise<boolean> {
  const ours = () => {
    const seen = look(held.path);
    if (seen.kind !== "file" || parseOwnerRecord(seen.text)?.token !== held.token) return false;
    unlinkSync(held.path);
    return true;
  };
  // Nobody takes over a live holder younger than staleMs, so a young lock of ours can only be ours until
  // we unlink it: no guard needed (this is the common case, and it keeps a queue of waiters moving).
  // Past half of staleMs another process's clock may already call it stale: check and unlink under the guard.
  if (opts.now() - held.createdAt < (opts.staleMs ?? staleLockMs) / 2) return ours();
  const host = await thisHost();
  return withGuard(held.path, opts, { host, isAlive: opts.isAlive ?? processIsAlive }, ours);
}

export async function acquireFileLock(path: string, opts: LockOptions): Promise<HeldLock> {
  ensurePrivateDir(dirname(path));
  const pid = opts.pid ?? process.pid;
  const isAlive = opts.isAlive ?? processIsAlive;
  const staleMs = opts.staleMs ?? staleLockMs;
  const host = await thisHost();
  const token = randomToken();
  let createdAt = opts.now();
  const record = () => {
    createdAt = opts.now();
    return formatOwnerRecord({ pid, createdAt, host, token });
  };
  const started = opts.now();
  let noticed = false;
  for (;;) {
    // Look first: while someone holds the lock, a poll costs one open and read, not a temp file.
    const seen = look(path);
    if (seen.kind === "absent") {
      if (tryCreate(path, record())) return { path, token, createdAt };
      continue; // someone else created it first: judge theirs
    }
    if (isStale(seen, { now: opts.now(), host, staleMs, isAlive })) {
      // Under the guard, and only if the lock is still exactly what we judged: put our record in its place.
      const took = await withGuard(path, opts, { host, isAlive }, () => {
        if (!sameSeen(look(path), seen)) return false;
        const temp = writeTemp(path, record());
        try {
          renameSync(temp, path);
        } catch (e) {
          removeQuietly(temp);
          throw e;
        }
        return true;
      });
      if (took) return { path, token, createdAt };
      continue;
    }
    const h = seen.kind === "file" ? parseOwnerRecord(seen.text) : undefined;
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
