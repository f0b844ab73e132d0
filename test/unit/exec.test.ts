import { afterEach, describe, expect, it } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execEnvironment, exitStatus, notRunnable } from "../../src/cli/exec";

describe("the environment ccsso exec gives a command", () => {
  const creds = {
    accessKeyId: "ASIA1",
    secretAccessKey: "S",
    sessionToken: "T",
    expiration: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    source: "sso" as const,
  };

  it("sets the credentials, their expiry and the region", () => {
    const env = execEnvironment({ PATH: "/bin" }, creds, "eu-west-1");
    expect(env).toEqual({
      PATH: "/bin",
      AWS_ACCESS_KEY_ID: "ASIA1",
      AWS_SECRET_ACCESS_KEY: "S",
      AWS_SESSION_TOKEN: "T",
      AWS_CREDENTIAL_EXPIRATION: "2026-01-02T03:04:05+00:00",
      AWS_REGION: "eu-west-1",
      AWS_DEFAULT_REGION: "eu-west-1",
    });
  });

  it("unsets AWS_PROFILE and AWS_DEFAULT_PROFILE so the child does not resolve the profile again", () => {
    const env = execEnvironment({ AWS_PROFILE: "dev", AWS_DEFAULT_PROFILE: "dev" }, creds, undefined);
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_DEFAULT_PROFILE).toBeUndefined();
  });

  it("drops a stale session token when the credentials are long-lived keys", () => {
    const env = execEnvironment(
      { AWS_SESSION_TOKEN: "old", AWS_SECURITY_TOKEN: "old" },
      { accessKeyId: "AKIA1", secretAccessKey: "S", source: "static" },
      undefined,
    );
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(env.AWS_SECURITY_TOKEN).toBeUndefined();
    expect(env.AWS_CREDENTIAL_EXPIRATION).toBeUndefined();
  });
});

describe("the exit status ccsso exec passes on", () => {
  const cases: Array<[number | null, string | null, number]> = [
    [0, null, 0],
    [7, null, 7],
    [null, "SIGTERM", 143],
    [null, "SIGINT", 130],
    [null, "SIGKILL", 137],
  ];
  for (const [code, signal, status] of cases)
    it(`is ${status} for code ${code} / ${signal}`, () => expect(exitStatus(code, signal)).toBe(status));
});

describe("a command ccsso exec cannot start (the status a shell would give)", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const world = () => {
    dir = mkdtempSync(join(tmpdir(), "ccsso-exec-"));
    writeFileSync(join(dir, "plain.sh"), "#!/bin/sh\necho hi\n", { mode: 0o644 });
    chmodSync(join(dir, "plain.sh"), 0o644);
    mkdirSync(join(dir, "adir"));
    return dir;
  };

  it.each([
    ["no-such-command-xyz", 127, "command not found: no-such-command-xyz", "check the name and your PATH"],
    ["./no-such-file", 127, "command not found: ./no-such-file", "check the name and your PATH"],
    ["plain.sh", 126, "cannot run plain.sh: DIR/plain.sh is not executable", "run: chmod +x DIR/plain.sh"],
    ["./plain.sh", 126, "cannot run ./plain.sh: DIR/plain.sh is not executable", "run: chmod +x DIR/plain.sh"],
    ["DIR/plain.sh", 126, "cannot run DIR/plain.sh: it is not executable", "run: chmod +x DIR/plain.sh"],
    ["./adir", 126, "cannot run ./adir: DIR/adir is a directory", "name a program, not a directory"],
  ])("%p → %d", (typed, code, message, hint) => {
    const d = world();
    const e = notRunnable(typed.replace("DIR", d), `/nonexistent-dir:${d}`, d);
    expect({ code: e.exitCode as number, message: e.message, hint: e.hint }).toEqual({
      code,
      message: message.replaceAll("DIR", d),
      hint: hint.replaceAll("DIR", d),
    });
  });
});
