// Start-up discipline (docs/architecture.md §3): git runs the credential helper on every fetch and push, so its
// warm path must not evaluate the AWS SDK, the CLI parser or the TOML parser. A binary built exactly
// like the release one, plus a plugin that makes each heavy package report when it is evaluated
// (scripts/build.ts moduleTracePlugin), tells which ones a command really loads.
import { afterAll, beforeAll, afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBinary, moduleTracePlugin } from "../../scripts/build";
import { repoRoot } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { codeCommitRequest, seedWarmChainedRole, warmProfile, warmRole } from "../helpers/warm-sso-profile";

let dir: string;
let traced: string;
let sbx: Sandbox;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ccsso-traced-"));
  traced = join(dir, "ccsso");
  await buildBinary({ entry: join(repoRoot, "src", "main.ts"), outfile: traced, plugins: [moduleTracePlugin] });
  symlinkSync("ccsso", join(dir, "git-credential-ccsso"));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  sbx = makeSandbox();
  seedWarmChainedRole(sbx.env);
});
afterEach(() => sbx.cleanup());

async function loadedBy(argv: string[], env: Record<string, string>, stdin?: string) {
  const proc = Bun.spawn(argv, {
    env,
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  const line = stderr.split("\n").find((l) => l.startsWith("ccsso-trace-modules: "));
  if (line === undefined) throw new Error(`no trace line from ${argv.join(" ")}: ${stderr}`);
  const loaded = line.slice("ccsso-trace-modules: ".length).split(",").filter(Boolean);
  return { stdout, stderr: stderr.replace(line + "\n", ""), code, loaded };
}

describe("start-up", () => {
  it("the tracer sees a package being loaded (`ccsso help` loads cac)", async () => {
    const r = await loadedBy([traced, "help"], sbx.env);
    expect(r.loaded).toContain("cac");
  });

  it("`credential-helper get` from warm cached role credentials loads no AWS SDK, cac, smol-toml or aws4fetch", async () => {
    const r = await loadedBy([traced, "credential-helper", "get"], { ...sbx.env, AWS_PROFILE: warmProfile.profile }, codeCommitRequest);
    expect(r.stdout).toContain(`username=${warmProfile.accessKeyId}%${warmProfile.sessionToken}\n`);
    expect(r.loaded).toEqual([]);
  });

  it("`credential-helper get` for a role assumed from an SSO profile, cached, loads none of them either", async () => {
    const r = await loadedBy([traced, "credential-helper", "get"], { ...sbx.env, AWS_PROFILE: warmRole.profile }, codeCommitRequest);
    expect(r.stdout).toContain(`username=${warmRole.accessKeyId}%${warmRole.sessionToken}\n`);
    expect(r.loaded).toEqual([]);
  });

  it("git-credential-ccsso (the argv[0] form git runs) loads none of them either", async () => {
    const r = await loadedBy(
      [join(dir, "git-credential-ccsso"), "get"],
      { ...sbx.env, AWS_PROFILE: warmProfile.profile },
      codeCommitRequest,
    );
    expect(r.stdout).toContain(`username=${warmProfile.accessKeyId}%`);
    expect(r.loaded).toEqual([]);
  });

  it("`credential-helper get` inside a container (credentials from a container endpoint) loads none of them either", async () => {
    const token = "container-endpoint-token-0000000000000000000";
    const endpoint = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (req) =>
        req.headers.get("authorization") === token
          ? Response.json({
              AccessKeyId: "ASIACONTAINER0000001",
              SecretAccessKey: "container-secret-key-000000000000",
              Token: "container-session-token",
              Expiration: new Date(Date.now() + 3600_000).toISOString(),
            })
          : new Response("", { status: 403 }),
    });
    try {
      const env = {
        PATH: sbx.env.PATH!,
        HOME: sbx.path("container-home"),
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${endpoint.port}/credentials`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: token,
      };
      const r = await loadedBy([traced, "credential-helper", "get"], env, codeCommitRequest);
      expect(r.stdout).toContain("username=ASIACONTAINER0000001%container-session-token\n");
      expect(r.loaded).toEqual([]);
    } finally {
      await endpoint.stop(true);
    }
  });

  it("`ccsso prompt` (run before every shell prompt) loads none of them either", async () => {
    const r = await loadedBy([traced, "prompt"], { ...sbx.env, AWS_PROFILE: warmProfile.profile });
    expect(r.stdout).toMatch(new RegExp(`^${warmProfile.profile} \\d+h`));
    expect(r.loaded).toEqual([]);
  });
});
