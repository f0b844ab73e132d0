// The compiled binary as shipped (docs/architecture.md §8): stamped with version, commit and target, and deaf
// to the .env and bunfig.toml of whatever directory git runs it in — a credential helper runs inside other
// people's repositories, and Bun's defaults would load both.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pkg from "../../package.json";
import { runCcsso } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sbx: Sandbox;
let repo: string;

beforeEach(() => {
  sbx = makeSandbox();
  // A repository someone else controls, as the current directory of `git fetch`.
  repo = sbx.path("someone-elses-repo");
  mkdirSync(repo);
  writeFileSync(join(repo, "bunfig.toml"), 'preload = ["./evil.ts"]\n');
  writeFileSync(join(repo, "evil.ts"), 'process.stdout.write("HOSTILE PRELOAD RAN\\n");\n');
  // dotenv semantics: a .env only adds variables that are not set, so it plants ones the caller lacks.
  writeFileSync(join(repo, ".env"), "AWS_PROFILE=hostile-profile\nAWS_SESSION_TOKEN=HostileTokenFromDotenv\n");
});
afterEach(() => sbx.cleanup());

describe("the compiled binary", () => {
  it("prints its version, the commit it was built from and its target", async () => {
    const r = await runCcsso(["--version"], { env: sbx.env, compiled: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^ccsso ${pkg.version.replace(/\./g, "\\.")} \\(commit [0-9a-f]{12}(-dirty)?, ${process.platform}-${process.arch}\\)\\n$`),
    );
  });

  it("the planted files are live for a plain bun in that directory (so the next tests can fail)", () => {
    writeFileSync(join(repo, "probe.ts"), "console.log(`AWS_PROFILE=${process.env.AWS_PROFILE}`);\n");
    const r = Bun.spawnSync([process.execPath, "probe.ts"], { cwd: repo, env: sbx.env });
    expect(r.stdout.toString()).toBe("HOSTILE PRELOAD RAN\nAWS_PROFILE=hostile-profile\n");
  });

  it("does not run a bunfig.toml preload from the current directory", async () => {
    const r = await runCcsso(["--version"], { env: sbx.env, compiled: true, cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("HOSTILE");
    expect(r.stdout).toStartWith("ccsso ");
  });

  it("does not take AWS_PROFILE or a session token from a .env in the current directory", async () => {
    const env = {
      ...sbx.env,
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    };
    const request = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n";
    const r = await runCcsso(["credential-helper", "get"], { env, compiled: true, cwd: repo, stdin: request });
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("username=AKIAIOSFODNN7EXAMPLE\n");
    expect(r.stdout).not.toContain("Hostile");
    expect(r.code).toBe(0);
  });
});
