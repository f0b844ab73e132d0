// botocore's own container provider (ContainerProvider: AWS_CONTAINER_CREDENTIALS_FULL_URI +
// AWS_CONTAINER_AUTHORIZATION_TOKEN) and the AWS CLI read credentials from the compiled `ccsso serve`,
// in processes that have nothing else: no AWS config, an empty HOME. The CLI then signs a real STS call
// that the stand-in checks against the keys it issued.
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { sandboxClientEnv, startSandboxServer } from "../fakes/sandbox-server";
import { compiledBinary } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { startServe, type ServeProcess } from "../helpers/serve-process";
import { START_URL } from "../helpers/sso-stand-in";

setDefaultTimeout(90_000);

let sbx: Sandbox;
let server: ReturnType<typeof startSandboxServer>;
let serve: ServeProcess;

async function run(argv: string[], env: Record<string, string>) {
  const proc = Bun.spawn(argv, { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

/** A process that has only the endpoint: no config files, an empty HOME (python needs PATH to start). */
function bareEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = sbx.path(`bare-${Math.random().toString(36).slice(2)}`);
  mkdirSync(home);
  return {
    PATH: process.env.PATH!,
    HOME: home,
    AWS_CONFIG_FILE: `${home}/none`,
    AWS_SHARED_CREDENTIALS_FILE: `${home}/none`,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: serve.url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: serve.token,
    ...extra,
  };
}

beforeAll(async () => {
  if (!existsSync(compiledBinary)) throw new Error("dist/ccsso is missing: run `make build` (make interop does)");
  sbx = makeSandbox();
  server = startSandboxServer({ repos: ["demo"] });
  sbx.writeConfig(`[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
region = us-east-1

[sso-session corp]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`);
  const browser = sbx.path("browser.sh");
  writeFileSync(browser, '#!/bin/sh\ncurl -fsSL "$1" >/dev/null\n', { mode: 0o755 });
  Object.assign(sbx.env, sandboxClientEnv(server.info), { BROWSER: browser });
  for (const k of ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT", "DISPLAY"]) delete sbx.env[k];
  const login = await run([compiledBinary, "sso", "login", "--profile", "dev"], sbx.env as Record<string, string>);
  if (login.code !== 0) throw new Error(login.stderr);
  serve = await startServe(["--profile", "dev"], { ...sbx.env });
});

afterAll(async () => {
  await serve?.stop();
  await server?.close();
  sbx?.cleanup();
});

const botocoreScript = `
import json, botocore.session
creds = botocore.session.Session().get_credentials()
frozen = creds.get_frozen_credentials()
print(json.dumps({"method": creds.method, "access_key": frozen.access_key, "secret_key": frozen.secret_key,
                  "token": frozen.token, "account_id": frozen.account_id}))
`;

describe("real AWS clients against ccsso serve", () => {
  it("botocore's default chain takes the container provider and gets the role credentials", async () => {
    const r = await run(["python3", "-c", botocoreScript], bareEnv());
    expect(r.stderr).toBe("");
    const got = JSON.parse(r.stdout);
    expect(got.method).toBe("container-role");
    const issued = server.identityCenter.issued.get(got.access_key);
    expect(issued?.roleName).toBe("Developer");
    expect(got.secret_key).toBe(issued!.secretAccessKey);
    expect(got.token).toBe(issued!.sessionToken);
    expect(got.account_id).toBe("111111111111");
  });

  it("botocore with a wrong token gets nothing and says the endpoint refused (403)", async () => {
    const r = await run(["python3", "-c", botocoreScript], bareEnv({ AWS_CONTAINER_AUTHORIZATION_TOKEN: "not-the-token-0000000000" }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("Received non 200 response 403 from container metadata");
    for (const c of server.identityCenter.issued.values()) expect(r.stderr).not.toContain(c.secretAccessKey);
  });

  it("the AWS CLI signs sts get-caller-identity with them (the stand-in checks the signature)", async () => {
    const r = await run(
      ["aws", "sts", "get-caller-identity", "--output", "json"],
      bareEnv({ AWS_DEFAULT_REGION: "us-east-1", AWS_ENDPOINT_URL_STS: server.info.awsApisUrl }),
    );
    if (r.code !== 0) throw new Error(r.stderr);
    expect(JSON.parse(r.stdout).Account).toBe("111111111111");
    expect(serve.stderr()).toContain("GET /credentials from 127.0.0.1 200");
  });
});
