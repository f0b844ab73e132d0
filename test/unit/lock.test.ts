import { afterEach, describe, expect, it } from "bun:test";
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { acquireFileLock, formatOwnerRecord, parseOwnerRecord, staleLockMs, withLock } from "../../src/store/lock";
import { testContext } from "../../src/platform/context";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sbx: Sandbox;
afterEach(() => sbx?.cleanup());
const lockPath = () => sbx.path(".aws", "sso", "cache", "x.lock");

describe("the session lock", () => {
  it("holds a lock file with our pid while the work runs and removes it afterwards", async () => {
    sbx = makeSandbox();
    const t = testContext();
    let during = "";
    await withLock(lockPath(), t.ctx, async () => {
      during = readFileSync(lockPath(), "utf8");
    });
    expect(during).toStartWith(`${process.pid} `);
    expect(existsSync(lockPath())).toBe(false);
  });

  it("releases the lock when the work throws", async () => {
    sbx = makeSandbox();
    const t = testContext();
    await expect(withLock(lockPath(), t.ctx, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(existsSync(lockPath())).toBe(false);
  });

  it("runs same-process holders one at a time", async () => {
    sbx = makeSandbox();
    const t = testContext();
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withLock(lockPath(), t.ctx, async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 1));
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
  });

  it("takes over a lock whose holder process is dead", async () => {
    sbx = makeSandbox();
    mkdirSync(sbx.path(".aws", "sso", "cache"), { recursive: true });
    const t = testContext();
    writeFileSync(lockPath(), `999999 ${t.ctx.now()}\n`);
    await acquireFileLock(lockPath(), { ...t.ctx, isAlive: () => false });
    expect(readFileSync(lockPath(), "utf8")).toStartWith(`${process.pid} `);
    expect(t.sleeps).toEqual([]);
  });

  it("waits for a live holder, says so after a few seconds, and takes over once the lock is stale", async () => {
    sbx = makeSandbox();
    mkdirSync(sbx.path(".aws", "sso", "cache"), { recursive: true });
    const t = testContext();
    writeFileSync(lockPath(), `4242 ${t.ctx.now()}\n`);
    const waits: Array<number | undefined> = [];
    await acquireFileLock(lockPath(), { ...t.ctx, isAlive: () => true, onWait: (h) => waits.push(h?.pid) });
    expect(waits).toEqual([4242]);
    expect(t.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThan(staleLockMs);
    expect(readFileSync(lockPath(), "utf8")).toStartWith(`${process.pid} `);
  });

  it("gets the lock as soon as a live holder releases it", async () => {
    sbx = makeSandbox();
    mkdirSync(sbx.path(".aws", "sso", "cache"), { recursive: true });
    const t = testContext();
    writeFileSync(lockPath(), `4242 ${t.ctx.now()}\n`);
    let slept = 0;
    const { rmSync } = await import("node:fs");
    await acquireFileLock(lockPath(), {
      now: t.ctx.now,
      isAlive: () => true,
      sleep: async (ms) => {
        slept += ms;
        if (slept >= 200) rmSync(lockPath());
      },
    });
    expect(slept).toBe(200);
  });
});

const worker = join(import.meta.dir, "..", "helpers", "lock-worker.ts");
const cacheDir = () => {
  const d = sbx.path(".aws", "sso", "cache");
  mkdirSync(d, { recursive: true });
  return d;
};
/** A live process that is not us, to own records in these tests. */
function liveStranger() {
  return Bun.spawn(["sleep", "60"]);
}

describe("the lock has exactly one holder", () => {
  it("takes over a lock file holding junk at once, without waiting a minute", async () => {
    sbx = makeSandbox();
    cacheDir();
    const t = testContext();
    writeFileSync(lockPath(), "garbage that is no owner record\n");
    await acquireFileLock(lockPath(), t.ctx);
    expect(t.sleeps).toEqual([]);
    expect(parseOwnerRecord(readFileSync(lockPath(), "utf8"))?.pid).toBe(process.pid);
  });

  it("takes over a planted symlink at once, without following it or touching its target", async () => {
    sbx = makeSandbox();
    const victim = join(cacheDir(), "precious");
    writeFileSync(victim, "precious\n");
    symlinkSync(victim, lockPath());
    const t = testContext();
    await withLock(lockPath(), t.ctx, async () => {
      expect(lstatSync(lockPath()).isSymbolicLink()).toBe(false);
      expect(parseOwnerRecord(readFileSync(lockPath(), "utf8"))?.pid).toBe(process.pid);
    });
    expect(t.sleeps).toEqual([]);
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(existsSync(lockPath())).toBe(false);
  });

  it("never removes a fresh holder's lock when taking over the stale one it judged", async () => {
    sbx = makeSandbox();
    cacheDir();
    const t = testContext();
    writeFileSync(lockPath(), `999999 ${t.ctx.now()}\n`);
    const fresh = formatOwnerRecord({ pid: 4242, createdAt: t.ctx.now(), host: "elsewhere", token: "ab".repeat(16) });
    // While we judge the dead holder's lock, another process takes it over first and holds it.
    const isAlive = (pid: number) => {
      if (pid === 999999) writeFileSync(lockPath(), fresh);
      return pid !== 999999;
    };
    const e = await acquireFileLock(lockPath(), { ...t.ctx, isAlive, maxWaitMs: 1_000 }).catch((x) => x);
    expect(e.message).toContain("timed out waiting for the lock");
    expect(readFileSync(lockPath(), "utf8")).toBe(fresh);
  });

  it.each([
    ["a young holder", 0],
    ["a holder older than any holder should be (the guarded release)", staleLockMs + 1],
  ])("%s that was taken over leaves its successor's lock in place, so a third process must wait", async (_what, heldForMs) => {
    sbx = makeSandbox();
    cacheDir();
    const t = testContext();
    const successor = liveStranger();
    try {
      let theirs = "";
      await withLock(lockPath(), t.ctx, async () => {
        // Our holding went stale (we hung); another process took the lock over.
        t.advance(heldForMs);
        theirs = formatOwnerRecord({
          pid: successor.pid,
          createdAt: Date.now(),
          host: (await import("node:os")).hostname(),
          token: "cd".repeat(16),
        });
        writeFileSync(lockPath(), theirs);
      });
      expect(readFileSync(lockPath(), "utf8")).toBe(theirs);
      const third = Bun.spawnSync([process.execPath, worker, "try", lockPath(), "300"], { env: sbx.env });
      expect(third.stdout.toString().trim()).toBe("timed out");
    } finally {
      successor.kill();
    }
  });

  it("lets 6 real processes in one at a time while junk, symlinks and dead holders' records keep appearing", async () => {
    sbx = makeSandbox();
    const dir = cacheDir();
    writeFileSync(join(dir, "counter"), "0");
    writeFileSync(join(dir, "victim"), "victim\n");
    const lock = join(dir, "shared.lock");
    const planter = Bun.spawn([process.execPath, worker, "plant", lock, dir, "1500"], { env: sbx.env, stdout: "pipe" });
    const holders = Array.from({ length: 6 }, () =>
      Bun.spawn([process.execPath, worker, "hold", lock, dir, "15"], { env: sbx.env, stdout: "pipe", stderr: "pipe" }),
    );
    const outs = await Promise.all(holders.map((p) => new Response(p.stdout).text()));
    await planter.exited;
    expect(outs.map((o) => o.trim())).toEqual(Array(6).fill("done"));
    expect(existsSync(join(dir, "violations")) ? readFileSync(join(dir, "violations"), "utf8") : "").toBe("");
    expect(readFileSync(join(dir, "counter"), "utf8")).toBe("90");
    expect(readFileSync(join(dir, "victim"), "utf8")).toBe("victim\n");
  }, 30_000);
});
