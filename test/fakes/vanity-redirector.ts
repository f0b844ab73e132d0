// A stand-in for an organisation's vanity start URL (https://sso.example.com/start → the AWS access
// portal): an https server with a throw-away test CA that answers every request with a redirect, and logs
// what it was asked. Clients trust it only through AWS_CA_BUNDLE = `caFile`, exactly as they would trust
// a corporate server; nothing in ccsso knows it is a test.
import { rmSync } from "node:fs";
import { makeTestCertificates } from "./codecommit-git";

export interface VanityRedirectorOptions {
  /** Where the redirect points (a portal URL, or anything a test wants refused). */
  location: string;
  /** 302 unless told otherwise; 200 answers without a redirect. */
  status?: number;
  /** Answer HEAD with this status (405/501: "use GET"), redirecting only GETs. */
  headStatus?: number;
}

export interface VanityRedirector {
  /** The vanity start URL: https://localhost:PORT/start */
  url: string;
  caFile: string;
  options: VanityRedirectorOptions;
  log: { method: string; path: string }[];
  close(): Promise<void>;
}

export function startVanityRedirector(options: VanityRedirectorOptions): VanityRedirector {
  const certs = makeTestCertificates(["localhost"]);
  const log: { method: string; path: string }[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    tls: { cert: certs.cert, key: certs.key },
    fetch(req) {
      const u = new URL(req.url);
      log.push({ method: req.method, path: u.pathname + u.search });
      if (req.method === "HEAD" && options.headStatus) return new Response(null, { status: options.headStatus });
      const status = options.status ?? 302;
      if (status >= 300 && status < 400) return new Response(null, { status, headers: { location: options.location } });
      return new Response("<html>portal</html>", { status, headers: { "content-type": "text/html" } });
    },
  });
  return {
    url: `https://localhost:${server.port}/start`,
    caFile: certs.caFile,
    options,
    log,
    async close() {
      await server.stop(true);
      rmSync(certs.dir, { recursive: true, force: true });
    },
  };
}
