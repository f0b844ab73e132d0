// A real CONNECT proxy for the corporate-network tests: Debian's tinyproxy (.ci/run installs it) on a
// free loopback port with a generated config, logging every request line so a test can prove which
// tunnels ccsso opened through it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TinyProxy {
  url: string;
  /** Hosts (`host:port`) it was asked to CONNECT to, in order. */
  connects(): string[];
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function listening(port: number, limitMs = 10_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      const sock = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
      sock.end();
      return;
    } catch {
      if (Date.now() - start > limitMs) throw new Error(`tinyproxy did not listen on ${port}`);
      await Bun.sleep(25);
    }
  }
}

export async function startTinyProxy(): Promise<TinyProxy> {
  if (!Bun.which("tinyproxy")) throw new Error("tinyproxy is not installed (apt-get install tinyproxy; .ci/run does)");
  const dir = mkdtempSync(join(tmpdir(), "ccsso-tinyproxy-"));
  const port = await freePort();
  const log = join(dir, "tinyproxy.log");
  writeFileSync(
    join(dir, "tinyproxy.conf"),
    [`Port ${port}`, "Listen 127.0.0.1", "Timeout 30", `LogFile "${log}"`, "LogLevel Connect", "MaxClients 50", "Allow 127.0.0.1", ""].join(
      "\n",
    ),
  );
  const proc = Bun.spawn(["tinyproxy", "-d", "-c", join(dir, "tinyproxy.conf")], { stdout: "ignore", stderr: "ignore" });
  await listening(port);
  return {
    url: `http://127.0.0.1:${port}`,
    connects() {
      let text = "";
      try {
        text = readFileSync(log, "utf8");
      } catch {}
      return [...text.matchAll(/Request \(file descriptor \d+\): CONNECT (\S+) HTTP/g)].map((m) => m[1]!);
    },
    async close() {
      proc.kill();
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
