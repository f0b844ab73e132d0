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
  writeFileSync(
    sandbox.awsCredentials,
    `[ci]\nregion = us-east-2\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`,
  );
  server = apis.start();
  // `ccsso` on PATH, as the completion scripts call it by the name the user typed.
  const bin = sandbox.path("bin");
  mkdirSync(bin);
  writeFileSync(
    join(bin, "ccsso"),
    `#!/bin/sh\nexec ${ccssoCommand()
      .map((a) => `'${a}'`)
      .join(" ")} "$@"\n`,
  );
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
    expect(await bashComplete("ccsso", "completion", "")).toEqual(["bash", "zsh", "fish", "powershell"]);
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
    return r.out
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.split("\t")[0]!);
  }

  it("completes commands, subcommands and profile names", async () => {
    expect(await fishComplete("ccsso sso ")).toEqual(["login", "logout", "status"]);
    expect(await fishComplete("ccsso who")).toEqual(["whoami"]);
    expect(await fishComplete("ccsso whoami --profile ")).toEqual(expect.arrayContaining(["default", "dev", "ops", "ci"]));
    expect(await fishComplete("ccsso completion ")).toEqual(["bash", "fish", "powershell", "zsh"]);
    expect(await fishComplete("ccsso use ")).toEqual(expect.arrayContaining(["default", "dev", "ops", "ci"]));
  });
});

describe("completing ccsso use", () => {
  it("offers profile names for the profile and shell names for --shell (bash)", async () => {
    expect(await bashComplete("ccsso", "use", "")).toEqual(["default", "dev", "ops", "ci"]);
    expect(await bashComplete("ccsso", "use", "o")).toEqual(["ops"]);
    expect(await bashComplete("ccsso", "use", "--shell", "")).toEqual(["bash", "zsh", "fish", "powershell"]);
    expect(await bashComplete("ccsso", "shell-init", "")).toEqual(["bash", "zsh", "fish", "powershell"]);
  });
});

/** `{`/`}` outside PowerShell strings ('…' with '' inside, "…" with `" inside) and comments. */
function psBraceDepths(script: string): { final: number; min: number } {
  let depth = 0;
  let min = 0;
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === "'") {
      for (i++; i < script.length; i++)
        if (script[i] === "'" && script[i + 1] !== "'") break;
        else if (script[i] === "'") i++;
    } else if (c === '"') {
      for (i++; i < script.length && script[i] !== '"'; i++) if (script[i] === "`") i++;
    } else if (c === "#") {
      while (i < script.length && script[i] !== "\n") i++;
    } else if (c === "{") depth++;
    else if (c === "}") min = Math.min(min, --depth);
  }
  return { final: depth, min };
}

describe("PowerShell completion (golden text: PowerShell is not packaged for this machine)", () => {
  const script = completionScript("powershell", definitions);

  it("registers a native argument completer for ccsso", () => {
    expect(script).toContain("Register-ArgumentCompleter -Native -CommandName ccsso -ScriptBlock {");
  });

  it("is balanced: every brace outside strings and comments closes", () => {
    expect(psBraceDepths(script)).toEqual({ final: 0, min: 0 });
  });

  it("offers every visible command, and profile names for use and --profile from ccsso __complete", () => {
    const top = script.split("\n").find((l) => l.trim().startsWith("'' { $reply ="))!;
    for (const c of definitions.filter((d) => !d.hidden)) expect(top).toContain(`@('${c.path[0]}', `);
    expect(top).not.toContain("__complete'");
    expect(script).toContain("'use' { switch ($npos) { default { $reply = @(__ccsso_dynamic 'profiles' $profileArg $regionArg) } } }");
    expect(script).toContain("'--profile' { $reply = @(__ccsso_dynamic 'profiles' $profileArg $regionArg) }");
    expect(script).toContain("@(& ccsso __complete $kind @extra 2>$null");
  });

  it("doubles single quotes in descriptions", () => {
    expect(script).toContain("@('--region', 'AWS Region (default: the profile''s region)')");
  });

  it("matches the reviewed text", () => {
    expect(script).toMatchSnapshot();
  });
});

describe("zsh completion", () => {
  it("completes a profile name for ccsso use at TAB in an interactive zsh", async () => {
    const { runInPty } = await import("../helpers/pty");
    const r = await runInPty(["zsh", "-f", "-i"], {
      env: { ...env, PS1: "%% " },
      cwd: sandbox.home,
      steps: [
        { send: 'autoload -U compinit && compinit -u -D && eval "$(ccsso completion zsh)" && echo ready"1"\r' },
        { expect: "ready1", timeout: 30 },
        { send: "ccsso use o\t" },
        { expect: "ccsso use ops", timeout: 30 },
        { send: "\x15exit\r" },
      ],
      timeoutSeconds: 60,
    });
    expect(r.failed).toBeNull();
  }, 90_000);

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
