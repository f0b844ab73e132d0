// Docs that cannot rot: the README's walkthrough commands run, as written, with the compiled binary and
// real git against the stand-ins; its settings example is parsed by the real settings loader; every
// command its table names exists.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { definitions } from "../../src/cli/command-table";
import { loadSettings, profileForRepositoryUrl } from "../../src/store/settings";
import { sandboxClientEnv, startSandboxServer } from "../fakes/sandbox-server";
import { compiledBinary, repoRoot } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");

/** The body of the `## title` section. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

function codeBlocks(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
}

let sbx: Sandbox;
let server: ReturnType<typeof startSandboxServer>;

beforeAll(() => {
  if (!existsSync(compiledBinary)) throw new Error("dist/ccsso is missing: run `make build` (make e2e does)");
  sbx = makeSandbox();
  server = startSandboxServer({ repos: ["demo"] });
  const bin = sbx.path("bin");
  mkdirSync(bin);
  symlinkSync(compiledBinary, join(bin, "ccsso"));
  const browser = sbx.path("browser.sh");
  writeFileSync(browser, '#!/bin/sh\ncurl -fsSL "$1" >/dev/null\n', { mode: 0o755 });
  Object.assign(sbx.env, {
    PATH: `${bin}:${sbx.env.PATH}`,
    BROWSER: browser,
    ...sandboxClientEnv(server.info),
  });
  for (const k of ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT", "DISPLAY"]) delete sbx.env[k];
});

afterAll(async () => {
  await server?.close();
  sbx?.cleanup();
});

describe("the README", () => {
  it("starts with make demo and make test, then the quick start with make install", () => {
    const [first, second] = codeBlocks(readme, "sh");
    const lines = first!.trim().split("\n");
    expect(lines[0]).toStartWith("make demo");
    expect(lines[1]).toBe("make test");
    expect(second!.trim()).toStartWith("make install && ccsso configure sso");
  });

  it("has walkthrough commands that run, as written, against the stand-ins", async () => {
    const blocks = codeBlocks(section("Walkthrough (5 minutes)"), "sh");
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) {
      for (const line of block.split("\n")) {
        const command = line.replace(/\s+#.*$/, "").trim();
        if (!command) continue;
        // Each line in the user's shell state so far (bash -e), in the sandbox home.
        const proc = Bun.spawn(["bash", "-ec", command], { cwd: sbx.home, env: sbx.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
        const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
        const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
        clearTimeout(timer);
        if (code !== 0) throw new Error(`README command failed (exit ${code}): ${command}\n${err}${out}`);
      }
    }
    // The walkthrough's result a user would check: both clones hold the repository, and the
    // signed-in identity is the account and role chosen.
    expect(existsSync(join(sbx.home, "demo", ".git"))).toBe(true);
    expect(existsSync(join(sbx.home, "demo-grc", ".git"))).toBe(true);
    expect(existsSync(join(sbx.home, "demo-by-name", ".git"))).toBe(true);
    expect(readFileSync(sbx.awsConfig, "utf8")).toContain(
      "[profile dev]\nsso_session = my-company\nsso_account_id = 111111111111\nsso_role_name = Developer\n",
    );
  }, 120_000); // ten real commands, clones among them: a loaded machine must not turn them into a timeout

  it("documents a settings example that the settings loader accepts and applies", async () => {
    const toml = codeBlocks(section("Settings"), "toml")[0]!;
    const dir = sbx.path(".config", "ccsso");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "config.toml"), toml);
    const settings = await loadSettings({ ...sbx.env });
    expect(profileForRepositoryUrl(settings, "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/team-a-api")).toBe("team-a");
    expect(profileForRepositoryUrl(settings, "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/team-b-api")).toBeUndefined();
  });

  it("lists only commands that exist", () => {
    const table = section("Commands");
    const named = [...table.matchAll(/`ccsso ([a-z-]+(?: [a-z-]+)?)/g)].map((m) => m[1]!.split(" "));
    expect(named.length).toBeGreaterThan(10);
    for (const words of named) {
      // `help` is built into src/cli/run.ts rather than the table.
      const known = words[0] === "help" || definitions.some((c) => c.path.every((p, i) => words[i] === p));
      expect({ command: words.join(" "), known }).toEqual({ command: words.join(" "), known: true });
    }
  });

  it("names every command ccsso --help lists", () => {
    // The other direction: a command that lands without a README row is invisible to a reader. A group's
    // later commands may be written as `logout` after `ccsso sso login`.
    const table = section("Commands");
    const missing = definitions
      .filter((c) => !c.hidden)
      .filter(
        (c) =>
          !table.includes(`\`ccsso ${c.path.join(" ")}`) &&
          !(c.path.length > 1 && table.includes(`\`ccsso ${c.path[0]} `) && table.includes(`\`${c.path.at(-1)}\``)),
      );
    expect(missing.map((c) => c.path.join(" "))).toEqual([]);
  });
});
