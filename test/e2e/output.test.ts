// How the compiled binary writes to pipes (src/platform/context.ts): through Bun.write, not Node's
// stdout stream, because that stream alone costs ~9 ms of start-up (bench/results.md). Output must
// still arrive whole and in order, and a reader that leaves early must not produce an error.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { compiledBinary } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sbx: Sandbox;
beforeEach(() => (sbx = makeSandbox()));
afterEach(() => sbx.cleanup());

const sh = (script: string) => Bun.spawnSync(["/bin/sh", "-c", script], { env: { ...sbx.env, CCSSO: compiledBinary } });

describe("output through a pipe", () => {
  it("arrives whole: a long output read from a pipe equals the same written to a file", () => {
    const piped = sh('"$CCSSO" completion bash | cat');
    const file = sbx.path("completion.bash");
    expect(sh(`"$CCSSO" completion bash > '${file}'`).exitCode).toBe(0);
    expect(piped.exitCode).toBe(0);
    expect(piped.stdout.length).toBeGreaterThan(1000);
    expect(piped.stdout.toString()).toBe(readFileSync(file, "utf8"));
  });

  it("keeps one process's stderr and stdout in the order written when both share one pipe", () => {
    // The helper writes its one-line hint to stderr, then quit=1 to stdout (git-credential(1)).
    const request = "protocol=https\\nhost=git-codecommit.us-east-1.amazonaws.com\\n\\n";
    const r = sh(`printf '${request}' | "$CCSSO" credential-helper get 2>&1 | cat`);
    const text = r.stdout.toString();
    expect(text).toMatch(/^ccsso: git did not send the repository path/);
    expect(text).toEndWith("\nquit=1\n");
  });

  it("a reader that goes away early is not an error", () => {
    const r = sh('"$CCSSO" completion bash | head -c 10 >/dev/null; "$CCSSO" help | head -n 1');
    expect(r.stderr.toString()).toBe("");
    expect(r.stdout.toString()).toStartWith("ccsso ");
  });

  it("writes to /dev/null without complaint", () => {
    const r = sh('"$CCSSO" --version > /dev/null; echo "exit $?"');
    expect(r.stdout.toString()).toBe("exit 0\n");
    expect(r.stderr.toString()).toBe("");
  });
});
