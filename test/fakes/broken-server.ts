// TCP servers that fail the way networks do, for the fault tests: one that accepts and resets every
// connection at once (ECONNRESET), one that accepts and never says a word (a black-holed proxy or
// endpoint), both on loopback port 0. They count connections so a test can tell a retry from none.
import { createServer, type Server, type Socket } from "node:net";

export type BrokenMode = "reset" | "silent";

export interface BrokenServer {
  url: string;
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function createBrokenServer(mode: BrokenMode): Promise<BrokenServer> {
  let count = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((socket) => {
    count++;
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => {});
    if (mode === "reset") socket.resetAndDestroy();
    // "silent": read and discard whatever arrives, answer nothing, never close.
    else socket.on("data", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => count,
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}
