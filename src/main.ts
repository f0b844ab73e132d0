// Wiring only: pick the entry point from the invoked name, build the real context, run, set the exit code.
// The credential helper, remote helper and `ccsso prompt` are dispatched before the command table is
// loaded so their warm paths evaluate as little code as possible (docs/architecture.md §2, §3: no AWS
// SDK import, no CLI parser).
import { flushOutput, realContext } from "./platform/context";
import { programName } from "./platform/program-name";

async function main(): Promise<number> {
  // The release binary is a whole Bun runtime, and Bun reads runtime flags from BUN_OPTIONS (an inspector
  // port, profiles written to disk, --preload). A preload has already run by this line, but nothing of
  // ccsso has: stop before any credential is read. BUN_BE_BUN=1 never gets here (Bun then skips the
  // embedded program and acts as `bun`); docs/security.md says what that leaves open. `bun src/main.ts`
  // (development) is not refused.
  if (Bun.isStandaloneExecutable && process.env.BUN_OPTIONS) {
    process.stderr.write(
      "ccsso: BUN_OPTIONS is set; ccsso does not run with Bun runtime options from the environment — unset BUN_OPTIONS and run the command again\n",
    );
    return 1;
  }
  const argv = process.argv.slice(2);
  // In a compiled binary argv0 is the name it was started by, a symlink's name too (docs/architecture.md §2).
  const name = programName(process.argv0 || "");
  // git runs these names with a remote and a URL, or with an operation; never with `--version` alone. So
  // that answer can be this program's own: how setup-git and doctor tell a stale Windows copy of ccsso
  // from someone else's git-remote-codecommit.
  if ((name === "git-remote-codecommit" || name === "git-credential-ccsso") && argv.length === 1 && argv[0] === "--version") {
    process.stdout.write((await import("./version")).versionText());
    return 0;
  }
  const debug = argv.includes("--debug") || process.env.CCSSO_DEBUG === "1";
  const ctx = realContext({ debug });
  if (name === "git-remote-codecommit") {
    const { runRemoteHelper } = await import("./cli/remote-helper");
    return runRemoteHelper(argv, ctx);
  }
  if (name === "git-credential-ccsso") {
    const { runCredentialHelper } = await import("./cli/credential-helper");
    return runCredentialHelper(argv, ctx);
  }
  if (argv[0] === "credential-helper" && !argv.includes("--help") && !argv.includes("-h")) {
    const { runCredentialHelper } = await import("./cli/credential-helper");
    return runCredentialHelper(argv.slice(1), ctx);
  }
  // `ccsso prompt` runs before every shell prompt: the same warm-path treatment (no cac, no settings).
  if (argv[0] === "prompt" && argv.length === 1) {
    const { runPrompt } = await import("./cli/prompt");
    return runPrompt(ctx);
  }
  // Ctrl-C in any command: the terminal restored, one line, exit 130 (platform/interrupt.ts). Not for the
  // helpers above: git owns their terminal and their signals.
  (await import("./platform/interrupt")).installInterruptHandler(ctx);
  const { run } = await import("./cli/run");
  return run(argv, ctx);
}

// --bytecode rejects top-level await in the entry module (docs/architecture.md §3).
// Output to pipes is queued (platform/context.ts): wait for it so nothing is lost at exit.
main().then(
  async (code) => {
    await flushOutput();
    process.exitCode = code;
  },
  async (e) => {
    await flushOutput();
    process.stderr.write(`ccsso: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
