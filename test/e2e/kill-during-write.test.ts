// SIGKILL at a random moment while a process rewrites the token cache, the role-credentials cache or the AWS
// config through ccsso's store (temp file + fsync + rename, docs/protocols.md §2.1): every reader, during the
// writes and after the kill, sees the old file or the new one — never a truncated or mixed one.
import { afterEach, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { roleCredentialsCacheKey } from "../../src/core/cache-keys";
import { roleCredentialsCachePath } from "../../src/store/role-credentials-cache";
import { tokenCachePath } from "../../src/store/token-cache";
import { writeVersion } from "../helpers/cache-writer-loop";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { corp, SSO_CONFIG } from "../helpers/sso-stand-in";

let sbx: Sandbox | undefined;
/** The writer currently running: killed after each test, so a failed or timed-out test leaves no loop behind. */
let live: ReturnType<typeof Bun.spawn> | undefined;
afterEach(() => {
  live?.kill("SIGKILL");
  live = undefined;
  sbx?.cleanup();
  sbx = undefined;
});

const writer = join(import.meta.dir, "..", "helpers", "cache-writer-loop.ts");
/** Kills per file kind: enough random moments to land inside writes many times over. */
const KILLS = 25;

const kinds: Array<[string, (env: Record<string, string>) => string]> = [
  ["the SSO token cache", (env) => tokenCachePath(env, corp)],
  [
    "the role-credentials cache",
    (env) => roleCredentialsCachePath(env, roleCredentialsCacheKey({ login: corp, accountId: "111111111111", roleName: "Developer" })),
  ],
  ["the AWS config file", (env) => env.AWS_CONFIG_FILE!],
];
const kindArg: Record<string, string> = {
  "the SSO token cache": "token",
  "the role-credentials cache": "role",
  "the AWS config file": "config",
};

describe("a writer SIGKILLed at a random moment", () => {
  it.each(kinds)(
    "leaves %s either old or new, never torn",
    async (what, pathOf) => {
      sbx = makeSandbox();
      sbx.writeConfig(SSO_CONFIG);
      const kind = kindArg[what]!;
      const path = pathOf(sbx.env);
      // The two complete versions a reader may legitimately see.
      writeVersion(kind, sbx.env, "B");
      const textB = readFileSync(path, "utf8");
      writeVersion(kind, sbx.env, "A");
      const textA = readFileSync(path, "utf8");
      expect(textA).not.toBe(textB);
      const seen = new Set<string>();
      let reads = 0;
      // At least KILLS kills; on a slow (loaded) machine a short window may end before the first write
      // completes, so go on — bounded — until the writer has been seen to replace the file at least once.
      for (let i = 0; i < KILLS || (seen.size < 2 && i < KILLS * 4); i++) {
        const proc = Bun.spawn([process.execPath, writer, kind], { env: sbx.env, stdout: "pipe", stderr: "pipe" });
        live = proc;
        const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
        await reader.read(); // "writing": its imports are done
        // Then a random 0–120 ms of writing (a 256 KiB write + fsync takes ~10–40 ms here), so kills land between and inside writes.
        const deadline = Date.now() + Math.floor(Math.random() * 120);
        do {
          const text = readFileSync(path, "utf8");
          reads++;
          if (text !== textA && text !== textB)
            throw new Error(`a reader saw ${what} torn (${text.length} bytes) while it was being written`);
          seen.add(text === textA ? "A" : "B");
          await Bun.sleep(1);
        } while (Date.now() < deadline);
        proc.kill("SIGKILL");
        await proc.exited;
        const after = readFileSync(path, "utf8");
        if (after !== textA && after !== textB) throw new Error(`${what} was left torn (${after.length} bytes) by a SIGKILL`);
        seen.add(after === textA ? "A" : "B");
        if (kind !== "config") expect(() => JSON.parse(after)).not.toThrow();
      }
      expect(reads).toBeGreaterThan(KILLS);
      // The writer really did rewrite the file in between (else the test proved nothing).
      expect(seen).toEqual(new Set(["A", "B"]));
    },
    180_000,
  );
});
