// `ccsso serve` (the compiled binary) as a person runs it: started, its two export lines read, stopped
// by a signal. For the e2e and interop tiers.
import { compiledBinary } from "./ccsso";

export interface ServeProcess {
  url: string;
  token: string;
  proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  /** Everything written to stdout so far (the export lines). */
  stdout(): string;
  /** Everything on stderr (filled in as it arrives). */
  stderr(): string;
  /** Send `signal`, wait for the exit; the exit code. */
  stop(signal?: "SIGINT" | "SIGTERM"): Promise<number>;
}

/** Start serve and wait until it has printed the endpoint (on stdout, or on stderr with --env-file). */
export async function startServe(args: string[], env: Record<string, string | undefined>): Promise<ServeProcess> {
  const proc = Bun.spawn([compiledBinary, "serve", ...args], {
    env: env as Record<string, string>,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  let err = "";
  const pump = async (stream: ReadableStream<Uint8Array>, add: (t: string) => void) => {
    const dec = new TextDecoder();
    for await (const chunk of stream) add(dec.decode(chunk, { stream: true }));
  };
  const pumped = Promise.all([pump(proc.stdout, (t) => (out += t)), pump(proc.stderr, (t) => (err += t))]);
  const deadline = Date.now() + 30_000;
  while (!err.includes("(Ctrl-C stops)\n")) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      await pumped;
      throw new Error(`ccsso serve did not start (exit ${proc.exitCode}): ${err}`);
    }
    await Bun.sleep(20);
  }
  const url = /^export AWS_CONTAINER_CREDENTIALS_FULL_URI=(\S+)$/m.exec(out)?.[1] ?? /at (http:\/\/\S+) for/.exec(err)?.[1] ?? "";
  const token = /^export AWS_CONTAINER_AUTHORIZATION_TOKEN=(\S+)$/m.exec(out)?.[1] ?? "";
  return {
    url,
    token,
    proc,
    stdout: () => out,
    stderr: () => err,
    async stop(signal = "SIGTERM") {
      proc.kill(signal);
      const code = await proc.exited;
      await pumped;
      return code;
    },
  };
}
