// `make demo` (docs/architecture.md §9): a guided tour of the whole job against the local stand-ins — the
// same ones the end-to-end tests use — driving the real dist/ccsso and real git: configure → sign in (the
// browser step is played by a script, and the tour says so) → setup-git → clone over https → commit → push →
// clone over codecommit:// → the file's console page (browse --print) → status. Everything lives in a throw-away HOME: the user's ~/.aws, ~/.config and
// git config are never read or written.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sandboxClientEnv, startSandboxServer } from "../test/fakes/sandbox-server";

const root = resolve(import.meta.dir, "..");
const binary = join(root, "dist", "ccsso");
const tty = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const bold = (s: string) => (tty ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[0m` : s);
const green = (s: string) => (tty ? `\x1b[32m${s}\x1b[0m` : s);

const START_URL = "https://demo-corp.awsapps.com/start";
const ACCOUNT = "111111111111"; // the stand-in's first account
const ROLE = "Developer";

let step = 0;
function section(title: string, why: string): void {
  console.log(`\n${bold(`${++step}. ${title}`)}`);
  console.log(dim(`   ${why}`));
}

async function main(): Promise<number> {
  if (!existsSync(binary)) {
    console.error("demo: dist/ccsso is missing — run: make demo (it builds first)");
    return 1;
  }
  const started = performance.now();
  const home = mkdtempSync(join(tmpdir(), "ccsso-demo-"));
  const server = startSandboxServer({ repos: ["demo"] });
  try {
    // A PATH directory with the user's `ccsso`, as `make install` / install.sh would leave it.
    const bin = join(home, "bin");
    mkdirSync(bin);
    symlinkSync(binary, join(bin, "ccsso"));
    // The person at the browser: follows the sign-in URL, which the stand-in approves at once.
    const browser = join(bin, "demo-browser");
    writeFileSync(
      browser,
      '#!/bin/sh\necho "   [browser] the person signs in at: $(printf %s "$1" | cut -c1-70)…" >&2\ncurl -fsSL "$1" >/dev/null\n',
      { mode: 0o755 },
    );
    mkdirSync(join(home, ".aws"), { mode: 0o700 });
    writeFileSync(
      join(home, ".gitconfig"),
      "[user]\n\tname = Demo Developer\n\temail = demo@example.invalid\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n",
    );
    const env: Record<string, string> = {
      PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      HOME: home,
      TERM: process.env.TERM ?? "dumb",
      LANG: process.env.LANG ?? "C.UTF-8",
      XDG_CONFIG_HOME: join(home, ".config"),
      AWS_CONFIG_FILE: join(home, ".aws", "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(home, ".aws", "credentials"),
      GIT_CONFIG_GLOBAL: join(home, ".gitconfig"),
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_TERMINAL_PROMPT: "0",
      // The stand-ins: IAM Identity Center and the AWS APIs on loopback, and git reaching the real
      // CodeCommit host names through the sandbox's CONNECT proxy, trusting its test CA.
      ...sandboxClientEnv(server.info),
      BROWSER: browser,
    };
    if (!tty) env.NO_COLOR = "1";

    async function run(
      argv: string[],
      opts: { cwd?: string; show?: string /** stdout is the caller's to show */; quiet?: boolean } = {},
    ): Promise<string> {
      console.log(`   ${green("$")} ${opts.show ?? argv.join(" ")}`);
      const proc = Bun.spawn(argv, { cwd: opts.cwd ?? home, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
      const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
      const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      clearTimeout(timer);
      const text = (opts.quiet ? err : err + out).trimEnd();
      if (text) console.log(text.replace(/^/gm, "     "));
      if (code !== 0) throw new Error(`"${opts.show ?? argv.join(" ")}" exited ${code}`);
      return out;
    }

    console.log(bold("ccsso demo — IAM Identity Center sign-in and CodeCommit git, against local stand-ins"));
    console.log(dim(`   sandbox HOME: ${home} (your ~/.aws and git config are not touched)`));
    console.log(
      dim(`   IAM Identity Center stand-in: ${server.info.identityCenterUrl}; CodeCommit stand-in behind ${server.info.proxyUrl}`),
    );

    section("Describe your IAM Identity Center", "An [sso-session] in ~/.aws/config, the same section `aws configure sso-session` writes.");
    await run([
      "ccsso",
      "configure",
      "sso-session",
      "--sso-session",
      "demo-corp",
      "--start-url",
      START_URL,
      "--sso-region",
      "us-east-1",
      "--no-input",
    ]);

    section("Sign in", "Authorization code + PKCE: ccsso opens the browser ($BROWSER, played here by a script) and listens on 127.0.0.1.");
    await run(["ccsso", "sso", "login", "--sso-session", "demo-corp"]);

    section("Create a profile for an account and role", "Written without asking, because --account-id and --role-name are given.");
    await run([
      "ccsso",
      "configure",
      "sso",
      "--profile",
      "demo",
      "--sso-session",
      "demo-corp",
      "--account-id",
      ACCOUNT,
      "--role-name",
      ROLE,
      "--region",
      "us-east-1",
      "--output",
      "json",
      "--no-input",
    ]);
    console.log(dim("   ~/.aws/config now reads:"));
    console.log(readFileSync(env.AWS_CONFIG_FILE!, "utf8").trimEnd().replace(/^/gm, "     "));

    section("Check who you are", "STS GetCallerIdentity with the role credentials (the stand-in checks the SigV4 signature).");
    await run(["ccsso", "whoami", "--profile", "demo"]);

    section("List repositories", "CodeCommit ListRepositories, with ready-to-use clone URLs.");
    await run(["ccsso", "repos", "--profile", "demo"]);

    section(
      "Let git use ccsso for CodeCommit",
      "URL-scoped credential helper entries (an empty helper first, so no keychain stores the short-lived password).",
    );
    await run(["ccsso", "setup-git", "--profile", "demo"]);

    section("Clone over HTTPS", "git asks ccsso for a SigV4-signed password; ccsso gets role credentials with the cached sign-in.");
    await run(["git", "clone", "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo", "demo-https"]);

    section("Commit and push", "The push is authenticated the same way; the stand-in checks the signature and the session token.");
    const repo = join(home, "demo-https");
    writeFileSync(join(repo, "README.md"), "# demo\n\nPushed through ccsso.\n");
    await run(["git", "add", "README.md"], { cwd: repo });
    await run(["git", "commit", "-q", "-m", "Add a README"], { cwd: repo });
    await run(["git", "push", "origin", "HEAD:main"], { cwd: repo });

    section("Clone over codecommit://", "The drop-in git-remote-codecommit: no Python, and no credentials in any process's argv.");
    await run(["git", "clone", "codecommit://demo@demo", "demo-grc"]);
    await run(["git", "log", "--oneline", "-1"], { cwd: join(home, "demo-grc") });

    section(
      "Open the file's page in the console",
      "ccsso browse: repository, Region and profile from the remote; a federation sign-in URL (the stand-in mints the token).",
    );
    {
      const printed = await run(["ccsso", "browse", "--print", "README.md"], { cwd: join(home, "demo-grc"), quiet: true });
      // The URL is a bearer secret (here a stand-in's): the tour shows where it lands, not the URL itself.
      const login = new URL(new URL(printed.trim()).searchParams.get("redirect_uri")!);
      console.log(`     ${dim("(URL on stdout, logout → login; its Destination:)")}\n     ${login.searchParams.get("Destination")}`);
    }

    section("Clone by name", "ccsso clone looks the repository up and clones it (https with the helper, or codecommit:// per settings).");
    await run(["ccsso", "clone", "demo", "demo-by-name", "--profile", "demo"]);

    section("Check the setup", "ccsso doctor: git, helper order, links, profile, session and clock — with the fix for anything wrong.");
    await run(["ccsso", "doctor", "--profile", "demo"]);

    section("See what is cached", "Sessions, their expiry, and cached role credentials — never a secret.");
    await run(["ccsso", "sso", "status"]);

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `\n${bold("Done")} in ${seconds} s. On your machine: make install, then ccsso configure sso, ccsso sso login, ccsso setup-git.`,
    );
    return 0;
  } catch (e) {
    console.error(`\ndemo: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
