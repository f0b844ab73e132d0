// A separate process for the lock tests (test/unit/lock.test.ts).
//   hold LOCK DIR N     — N times: take the lock, prove nobody else is inside (an O_EXCL marker), bump a counter
//   plant LOCK DIR MS   — for MS ms, whenever the lock is free, plant junk, a symlink or a dead pid's record there
//   try LOCK WAIT_MS    — try once to take the lock, waiting at most WAIT_MS; print "got" or "timed out"
import { appendFileSync, closeSync, linkSync, openSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { acquireFileLock, withLock } from "../../src/store/lock";

const [mode, lock, arg1, arg2] = process.argv.slice(2) as [string, string, string, string];
const realClock = { now: Date.now, sleep: (ms: number) => Bun.sleep(ms) };

if (mode === "hold") {
  const dir = arg1;
  for (let i = 0; i < Number(arg2); i++) {
    await withLock(lock, realClock, async () => {
      const marker = join(dir, "inside");
      let fd: number;
      try {
        fd = openSync(marker, "wx");
      } catch {
        appendFileSync(join(dir, "violations"), `${process.pid} found another holder inside\n`);
        return;
      }
      closeSync(fd);
      const counter = join(dir, "counter");
      const n = Number(readFileSync(counter, "utf8"));
      await Bun.sleep(1);
      writeFileSync(counter, String(n + 1));
      unlinkSync(marker);
    });
  }
  console.log("done");
} else if (mode === "plant") {
  const dir = arg1;
  const until = Date.now() + Number(arg2);
  let planted = 0;
  for (let i = 0; Date.now() < until; i++) {
    // Only where the name is free (link/symlink fail if it exists): what a crashed holder or an attacker leaves.
    const temp = join(dir, `plant.${i}`);
    try {
      if (i % 3 === 2) symlinkSync(join(dir, "victim"), lock);
      else {
        writeFileSync(temp, i % 3 === 0 ? "junk\n" : `999999 ${Date.now()}\n`);
        linkSync(temp, lock);
        unlinkSync(temp);
      }
      planted++;
    } catch {
      try {
        unlinkSync(temp);
      } catch {}
    }
    await Bun.sleep(2);
  }
  console.log(`planted ${planted}`);
} else if (mode === "try") {
  try {
    await acquireFileLock(lock, { ...realClock, maxWaitMs: Number(arg1) });
    console.log("got");
  } catch (e) {
    console.log((e as Error).message.includes("timed out") ? "timed out" : `error ${(e as Error).message}`);
  }
}
