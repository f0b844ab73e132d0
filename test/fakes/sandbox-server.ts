// The whole AWS side of the sandbox in one process (docs/architecture.md §9): the IAM Identity Center
// stand-in and the CodeCommit git stand-in sharing one `issued` map, so git pushes signed with role
// credentials the portal handed out are accepted and nothing else is. Used by `make demo`, e2e and interop
// tests that want the AWS side out of process.
//
//   bun test/fakes/sandbox-server.ts ['{"repos":["demo"],"identityCenter":{...},"staticKeys":[...]}']
//
// prints ONE JSON line, then serves until SIGTERM/SIGINT:
//   {"identityCenterUrl","proxyUrl","caFile","host","hostNames","port","reposDir","controlUrl","awsApisUrl"}
// `proxyUrl` is for HTTPS_PROXY (git then reaches the real CodeCommit host names), `caFile` for
// GIT_SSL_CAINFO. `controlUrl` answers GET /state (both stand-ins' counters) and POST /repos {"name"};
// `awsApisUrl` (the same server) is STS and the CodeCommit API (test/fakes/aws-apis.ts) for
// AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_CODECOMMIT, listing the same repositories.
// The identity center keeps its own /__fake/* control API at identityCenterUrl.
import { createFakeAwsApis } from "./aws-apis";
import { createFakeCodeCommit, type StaticKey } from "./codecommit-git";
import { createFakeIdentityCenter, type FakeIdentityCenterOptions } from "./identity-center";

export interface SandboxServerOptions {
  identityCenter?: FakeIdentityCenterOptions;
  repos?: string[];
  reposDir?: string;
  staticKeys?: StaticKey[];
  hostNames?: string[];
}

export interface SandboxServerInfo {
  identityCenterUrl: string;
  proxyUrl: string;
  caFile: string;
  /** The commercial us-east-1 git host, the one the demo uses. */
  host: string;
  hostNames: string[];
  port: number;
  reposDir: string;
  controlUrl: string;
  awsApisUrl: string;
}

/**
 * The environment a client of the sandbox needs, as a user's shell would carry it: ccsso's AWS calls go
 * to the stand-ins (loopback, so not through the proxy), git reaches the real CodeCommit host names
 * through the CONNECT proxy and trusts the test CA.
 */
export function sandboxClientEnv(info: SandboxServerInfo): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_SSO_OIDC: info.identityCenterUrl,
    AWS_ENDPOINT_URL_SSO: info.identityCenterUrl,
    AWS_ENDPOINT_URL_STS: info.awsApisUrl,
    AWS_ENDPOINT_URL_CODECOMMIT: info.awsApisUrl,
    // The console federation stand-in (getSigninToken, login, logout) lives on the same server.
    CCSSO_SIGNIN_ENDPOINT: `${info.awsApisUrl}/federation`,
    HTTPS_PROXY: info.proxyUrl,
    NO_PROXY: "127.0.0.1,localhost",
    GIT_SSL_CAINFO: info.caFile,
  };
}

export function startSandboxServer(opts: SandboxServerOptions = {}) {
  const identityCenter = createFakeIdentityCenter(opts.identityCenter ?? {});
  const codecommit = createFakeCodeCommit({
    identityCenter,
    repos: opts.repos ?? ["demo"],
    reposDir: opts.reposDir,
    staticKeys: opts.staticKeys,
    hostNames: opts.hostNames,
  });
  const apis = createFakeAwsApis({
    issued: identityCenter.issued,
    repositories: (opts.repos ?? ["demo"]).map((name) => ({ name })),
    // Static keys get a fixed account: the CodeCommit git stand-in has no notion of accounts.
    staticKeys: (opts.staticKeys ?? []).map((k) => ({
      accessKeyId: k.accessKeyId,
      secretAccessKey: k.secretAccessKey,
      accountId: "123456789012",
    })),
  });
  const control = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const api = await apis.handle(req);
      if (api) return api;
      const url = new URL(req.url);
      if (req.method === "GET" && url.pathname === "/state") {
        return Response.json({
          identityCenter: identityCenter.counters,
          codecommit: codecommit.counters,
          rejections: codecommit.rejections,
        });
      }
      if (req.method === "POST" && url.pathname === "/repos") {
        const body = (await req.json()) as { name?: string };
        const path = codecommit.createRepo(String(body.name));
        if (!apis.repositories.some((r) => r.name === body.name)) apis.repositories.push({ name: String(body.name) });
        return Response.json({ path });
      }
      return new Response("not found\n", { status: 404 });
    },
  });
  const info: SandboxServerInfo = {
    identityCenterUrl: identityCenter.url,
    proxyUrl: codecommit.proxyUrl,
    caFile: codecommit.caFile,
    host: codecommit.hostNames[0]!,
    hostNames: codecommit.hostNames,
    port: codecommit.port,
    reposDir: codecommit.reposDir,
    controlUrl: control.url.origin,
    awsApisUrl: control.url.origin,
  };
  return {
    info,
    identityCenter,
    codecommit,
    apis,
    async close() {
      await control.stop(true);
      await codecommit.close();
      await identityCenter.close();
    },
  };
}

if (import.meta.main) {
  const opts = (process.argv[2] ? JSON.parse(process.argv[2]) : {}) as SandboxServerOptions;
  const sandbox = startSandboxServer(opts);
  console.log(JSON.stringify(sandbox.info));
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
