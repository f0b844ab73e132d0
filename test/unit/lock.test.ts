import { afterEach, describe, expect, it } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { acquireFileLock, staleLockMs, withLock } from "../../src/store/lock";
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
