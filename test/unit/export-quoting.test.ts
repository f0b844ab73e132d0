// `export-credentials --format env|env-no-export|fish|powershell|windows-cmd` with values a hostile
// credential_process could print. Evaluated by the real sh, bash and fish: assigning is all that happens,
// and every value comes back byte for byte. PowerShell is not packaged here: its text is checked as golden.
import { afterEach, describe, expect, it } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../src/cli/run";
import { formatExportedCredentials } from "../../src/core/credential-export";
import type { AwsCredentials } from "../../src/core/types";
import { testContext } from "../../src/platform/context";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sbx: Sandbox | undefined;
afterEach(() => sbx?.cleanup());

// Each would run `touch pwned` (or similar) in some shell if printed raw or double-quoted.
const HOSTILE = [
  "AKIA$(touch pwned)",
  "AKIA`touch pwned`",
  "x'; touch pwned; echo '",
  'x"; touch pwned; echo "',
  "x(touch pwned)",
  "x$HOME\\'\\\\",
  "x\u2019; touch pwned; \u2018",
  "x;touch${IFS}pwned",
];

const creds = (v: string): AwsCredentials =>
  ({ accessKeyId: v, secretAccessKey: `${v}-secret`, sessionToken: `${v}-token`, source: "process" }) as AwsCredentials;

/** Run `script` with `shell` in an empty directory; what it printed and what it created there. */
function inShell(shell: string[], script: string, output: string) {
  const dir = mkdtempSync(join(tmpdir(), "ccsso-eval-"));
  try {
    writeFileSync(join(dir, "out"), output);
    const r = Bun.spawnSync([...shell, script], { cwd: dir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir } });
    return {
      stdout: r.stdout.toString(),
      stderr: r.stderr.toString(),
      created: readdirSync(dir).filter((f) => f !== "out" && !f.startsWith(".")),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const POSIX = `eval "$(cat out)"; printf '%s\\n%s\\n%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN"`;

describe("export formats with hostile values", () => {
  for (const value of HOSTILE) {
    for (const [shell, format] of [
      [["sh", "-c"], "env"],
      [["bash", "-c"], "env"],
      [["sh", "-c"], "env-no-export"],
      [["bash", "-c"], "env-no-export"],
    ] as const) {
      it(`${shell[0]} eval of --format ${format} only assigns ${JSON.stringify(value)}`, () => {
        const r = inShell([...shell], POSIX, formatExportedCredentials(creds(value), format));
        expect(r.created).toEqual([]);
        expect(r.stdout).toBe(`${value}\n${value}-secret\n${value}-token`);
      });
    }
    it.skipIf(!Bun.which("fish"))(`fish source of --format fish only assigns ${JSON.stringify(value)}`, () => {
      const r = inShell(
        ["fish", "-c"],
        `source out; printf '%s\\n%s\\n%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN"`,
        formatExportedCredentials(creds(value), "fish"),
      );
      expect(r.created).toEqual([]);
      expect(r.stdout).toBe(`${value}\n${value}-secret\n${value}-token`);
    });
  }

  it("quotes PowerShell values in single quotes, doubling every quote PowerShell accepts (golden text)", () => {
    expect(formatExportedCredentials(creds("AKIA$(iex 'x')\u2019`n"), "powershell")).toBe(
      "$Env:AWS_ACCESS_KEY_ID='AKIA$(iex ''x'')\u2019\u2019`n'\n$Env:AWS_SECRET_ACCESS_KEY='AKIA$(iex ''x'')\u2019\u2019`n-secret'\n$Env:AWS_SESSION_TOKEN='AKIA$(iex ''x'')\u2019\u2019`n-token'\n",
    );
  });

  it("refuses a value cmd.exe would interpret for windows-cmd", () => {
    expect(() => formatExportedCredentials(creds("AKIA%PATH%&calc"), "windows-cmd")).toThrow("cmd.exe would interpret");
  });

  it("refuses control characters in any line format (they would reach the terminal)", () => {
    for (const f of ["env", "fish", "powershell"] as const)
      expect(() => formatExportedCredentials(creds("AKIA\x1b]0;x\x07"), f)).toThrow("control characters");
  });

  it("prints real credentials exactly as the AWS CLI does", () => {
    const real = {
      accessKeyId: "ASIAEXAMPLE",
      secretAccessKey: "wJalr/K7+MDENG=",
      sessionToken: "IQoJb3JpZ2luX2Vj//+==",
      source: "sso",
    } as AwsCredentials;
    expect(formatExportedCredentials(real, "env")).toBe(
      "export AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nexport AWS_SECRET_ACCESS_KEY=wJalr/K7+MDENG=\nexport AWS_SESSION_TOKEN=IQoJb3JpZ2luX2Vj//+==\n",
    );
    expect(formatExportedCredentials(real, "fish")).toBe(
      'set -gx AWS_ACCESS_KEY_ID "ASIAEXAMPLE"\nset -gx AWS_SECRET_ACCESS_KEY "wJalr/K7+MDENG="\nset -gx AWS_SESSION_TOKEN "IQoJb3JpZ2luX2Vj//+=="\n',
    );
    expect(formatExportedCredentials(real, "powershell")).toBe(
      '$Env:AWS_ACCESS_KEY_ID="ASIAEXAMPLE"\n$Env:AWS_SECRET_ACCESS_KEY="wJalr/K7+MDENG="\n$Env:AWS_SESSION_TOKEN="IQoJb3JpZ2luX2Vj//+=="\n',
    );
  });
});

describe("ccsso export-credentials with a hostile credential_process", () => {
  it("round-trips AKIA$(id>…) literally through eval in bash, running nothing", async () => {
    sbx = makeSandbox();
    const proc = sbx.path("proc.sh");
    writeFileSync(proc, `#!/bin/sh\nprintf '%s' '{"Version": 1, "AccessKeyId": "AKIA$(id>pwned)", "SecretAccessKey": "s\`id>pwned\`"}'\n`);
    chmodSync(proc, 0o755);
    sbx.writeConfig(`[profile p]\ncredential_process = ${proc}\n`);
    const t = testContext({ env: sbx.env });
    expect(await run(["export-credentials", "--profile", "p", "--format", "env"], t.ctx)).toBe(0);
    const r = inShell(["bash", "-c"], `eval "$(cat out)"; printf '%s\\n%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY"`, t.stdout());
    expect(r.created).toEqual([]);
    expect(r.stdout).toBe("AKIA$(id>pwned)\ns`id>pwned`");
    expect(existsSync(sbx.path("pwned"))).toBe(false);
  });
});
