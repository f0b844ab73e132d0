// The completion scripts in real shells: bash (complete -p, then the completion function with COMP_WORDS
// and COMP_CWORD set, exactly as readline calls it), fish (`complete -C`), zsh (syntax). TAB-time names
// come from a real `ccsso __complete` run against a sandbox AWS config.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { completionScript } from "../../src/cli/completion";
import { definitions } from "../../src/cli/command-table";
import { ccssoCommand } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { createFakeAwsApis } from "../fakes/aws-apis";

let sandbox: Sandbox;
let env: Record<string, string>;
const KEY = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", accountId: "111122223333" };
const apis = createFakeAwsApis({ staticKeys: [KEY], repositories: [{ name: "payments" }, { name: "platform" }, { name: "website" }] });
let server: { url: string; stop(): void };

beforeAll(() => {
  sandbox = makeSandbox();
  sandbox.writeConfig(
    "[default]\nregion = us-east-1\n[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\nregion = eu-west-1\n" +
      "[profile ops]\nregion = us-west-2\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
  );
  writeFileSync(sandbox.awsCredentials, `[ci]\nregion = us-east-2\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`);
  server = apis.start();
  // `ccsso` on PATH, as the completion scripts call it by the name the user typed.
  const bin = sandbox.path("bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "ccsso"), `#!/bin/sh\nexec ${ccssoCommand().map((a) => `'${a}'`).join(" ")} "$@"\n`);
  chmodSync(join(bin, "ccsso"), 0o755);
  env = { ...sandbox.env, PATH: `${bin}:${sandbox.env.PATH}`, AWS_ENDPOINT_URL: server.url };
});
afterAll(() => {
  sandbox.cleanup();
  server.stop();
});

async function sh(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const proc = Bun.spawn(argv, { env, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, out, err };
}

/** What bash offers for the words typed so far (the last word is the one being completed). */
async function bashComplete(...words: string[]): Promise<string[]> {
  const script = completionScript("bash", definitions);
  const quoted = words.map((w) => `'${w}'`).join(" ");
  const program = `${script}\nCOMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; COMP_LINE=${JSON.stringify(words.join(" "))}; COMP_POINT=\${#COMP_LINE}\n_ccsso\nprintf '%s\\n' "\${COMPREPLY[@]}"\n`;
  const r = await sh(["bash", "--norc", "--noprofile", "-c", program]);
  if (r.code !== 0) throw new Error(`bash failed: ${r.err}`);
  return r.out.split("\n").filter((l) => l !== "");
}

describe("bash completion", () => {
  it("registers a completion function for ccsso", async () => {
    const r = await sh(["bash", "--norc", "--noprofile", "-c", `${completionScript("bash", definitions)}\ncomplete -p ccsso`]);
    expect(r.out.trim()).toBe("complete -F _ccsso ccsso");
  });

  it("offers every visible command at the first word, and never the hidden ones", async () => {
    const words = await bashComplete("ccsso", "");
    for (const c of definitions.filter((c) => !c.hidden)) expect(words).toContain(c.path[0]!);
    expect(words).not.toContain("__complete");
  });

  it("completes subcommands of a group", async () => {
    expect(await bashComplete("ccsso", "sso", "")).toEqual(["login", "logout", "status"]);
    expect(await bashComplete("ccsso", "configure", "s")).toEqual(["sso", "sso-session"]);
  });

  it("completes the flags of the command typed, from the command table", async () => {
    const flags = await bashComplete("ccsso", "sso", "login", "--");
    expect(flags).toEqual(expect.arrayContaining(["--profile", "--sso-session", "--use-device-code", "--no-browser", "--help"]));
    expect(flags).not.toContain("--start-url");
  });

  it("completes profile names from both AWS files after --profile", async () => {
    expect(await bashComplete("ccsso", "whoami", "--profile", "")).toEqual(["default", "dev", "ops", "ci"]);
    expect(await bashComplete("ccsso", "sso", "login", "--profile", "d")).toEqual(["default", "dev"]);
  });

  it("completes sso-session names after --sso-session", async () => {
    expect(await bashComplete("ccsso", "sso", "login", "--sso-session", "")).toEqual(["corp"]);
  });

  it("completes the fixed values of --format and the shell of completion", async () => {
    expect(await bashComplete("ccsso", "export-credentials", "--format", "env")).toEqual(["env", "env-no-export"]);
    expect(await bashComplete("ccsso", "completion", "")).toEqual(["bash", "zsh", "fish"]);
  });

  it("keeps counting positionals past flags and their values", async () => {
    expect(await bashComplete("ccsso", "--debug", "sso", "--profile", "dev", "st")).toEqual(["status"]);
  });

  it("completes repository names for clone from CodeCommit with the profile typed", async () => {
    expect(await bashComplete("ccsso", "clone", "--profile", "ci", "p")).toEqual(["payments", "platform"]);
    expect(apis.calls.at(-1)).toMatchObject({ operation: "ListRepositories", region: "us-east-2" });
  });

  it("offers nothing, quietly, for repository names when there is no session", async () => {
    expect(await bashComplete("ccsso", "clone", "--profile", "dev", "")).toEqual([]);
  });
});

describe("fish completion", () => {
  async function fishComplete(line: string): Promise<string[]> {
    const r = await sh(["fish", "--no-config", "-c", `${completionScript("fish", definitions)}\ncomplete -C ${JSON.stringify(line)}`]);
    if (r.code !== 0) throw new Error(`fish failed: ${r.err}`);
    return r.out.split("\n").filter((l) => l !== "").map((l) => l.split("\t")[0]!);
  }

  it("completes commands, subcommands and profile names", async () => {
    expect(await fishComplete("ccsso sso ")).toEqual(["login", "logout", "status"]);
    expect(await fishComplete("ccsso who")).toEqual(["whoami"]);
    expect(await fishComplete("ccsso whoami --profile ")).toEqual(expect.arrayContaining(["default", "dev", "ops", "ci"]));
    expect(await fishComplete("ccsso completion ")).toEqual(["bash", "fish", "zsh"]);
  });
});

describe("zsh completion", () => {
  it("is a valid zsh script", async () => {
    const file = sandbox.path("_ccsso");
    writeFileSync(file, completionScript("zsh", definitions));
    const r = await sh(["zsh", "-n", file]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  });
});

describe("ccsso completion", () => {
  it("refuses an unknown shell as a usage error", async () => {
    const r = await sh(["ccsso", "completion", "tcsh"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown shell "tcsh"');
  });
});
