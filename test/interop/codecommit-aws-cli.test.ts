// The AWS CLI is the oracle for the CodeCommit git password: `aws codecommit credential-helper get` and
// the compiled `ccsso credential-helper get` run under the same frozen clock (libfaketime, which freezes
// both Python and a compiled Bun binary) with the same credentials, and must print the same username and
// password byte for byte, on every kind of CodeCommit host.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { compiledBinary } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

// Frozen (no leading @): the AWS CLI takes over a second to start, and a ticking clock would change its timestamp.
const FROZEN = "2024-02-29 23:59:58";

let sbx: Sandbox;
beforeAll(() => {
  if (!existsSync(compiledBinary)) throw new Error("dist/ccsso is missing: run make build (make interop does)");
  if (!Bun.which("faketime")) throw new Error("faketime is missing: apt-get install -y faketime (.ci/run installs it)");
  if (!Bun.which("aws")) throw new Error("the AWS CLI is missing (pip install awscli)");
  sbx = makeSandbox({ TZ: "UTC" });
});
afterAll(() => sbx?.cleanup());

async function helperOutput(
  argv: string[],
  stdin: string,
  env: Record<string, string>,
): Promise<{ out: string; err: string; code: number }> {
  const proc = Bun.spawn(["faketime", "-f", FROZEN, ...argv], {
    env: { ...sbx.env, ...env },
    stdin: new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { out, err, code };
}

const fields = (text: string) =>
  Object.fromEntries(
    text
      .split("\n")
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );

const hosts = [
  ["commercial", "git-codecommit.us-east-1.amazonaws.com"],
  ["FIPS", "git-codecommit-fips.us-west-2.amazonaws.com"],
  ["VPC endpoint", "vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.eu-west-1.vpce.amazonaws.com"],
  ["FIPS VPC endpoint", "vpce-0b47ea360adebf88a-jkl88hez-us-west-2b.git-codecommit-fips.us-east-1.vpce.amazonaws.com"],
  ["China", "git-codecommit.cn-northwest-1.amazonaws.com.cn"],
  ["GovCloud", "git-codecommit.us-gov-west-1.amazonaws.com"],
] as const;

const credentialSets = [
  ["long-lived keys", { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }],
  [
    "temporary keys with a session token",
    {
      AWS_ACCESS_KEY_ID: "ASIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
      AWS_SESSION_TOKEN: "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+token/with+slashes=",
    },
  ],
] as const;

describe("ccsso and the AWS CLI sign the same CodeCommit password", () => {
  for (const [credName, creds] of credentialSets) {
    for (const [hostName, host] of hosts) {
      it(`for a ${hostName} host with ${credName}`, async () => {
        const stdin = `protocol=https\nhost=${host}\npath=v1/repos/my-repo.name_1\n\n`;
        const aws = await helperOutput(["aws", "codecommit", "credential-helper", "get"], stdin, creds);
        const ours = await helperOutput([compiledBinary, "credential-helper", "get"], stdin, creds);
        expect(aws.code).toBe(0);
        expect(ours.err).toBe("");
        expect(ours.code).toBe(0);
        const a = fields(aws.out);
        const o = fields(ours.out);
        expect(a.password).toStartWith("20240229T235958Z");
        expect(o.username).toBe(a.username!);
        expect(o.password).toBe(a.password!);
        // ...and only ccsso tells git when to stop reusing it.
        expect(Number(o.password_expiry_utc)).toBe(Date.UTC(2024, 1, 29, 23, 59, 58) / 1000 + 300);
      });
    }
  }

  it("also through the git-credential-ccsso name (credential.helper = ccsso)", async () => {
    const { symlinkSync } = await import("node:fs");
    const link = sbx.path("git-credential-ccsso");
    symlinkSync(compiledBinary, link);
    const stdin = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/myrepo\n";
    const creds = credentialSets[0][1];
    const aws = await helperOutput(["aws", "codecommit", "credential-helper", "get"], stdin, creds);
    const ours = await helperOutput([link, "get"], stdin, creds);
    expect(fields(ours.out).password).toBe(fields(aws.out).password!);
  });

  it("but only ccsso refuses a host that merely contains the AWS name", async () => {
    const stdin = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com.evil.example\npath=v1/repos/myrepo\n";
    const creds = credentialSets[1][1];
    const aws = await helperOutput(["aws", "codecommit", "credential-helper", "get"], stdin, creds);
    const ours = await helperOutput([compiledBinary, "credential-helper", "get"], stdin, creds);
    // The AWS CLI's substring check hands the session token to this host (docs/protocols.md §5.1); ccsso says nothing.
    expect(aws.out).toContain(creds.AWS_SESSION_TOKEN);
    expect(ours.out).toBe("");
    expect(ours.code).toBe(0);
  });
});
