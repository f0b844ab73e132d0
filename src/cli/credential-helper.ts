// The git credential helper (docs/protocols.md §4, §5): `ccsso credential-helper [--profile P]
// get|store|erase`, also reached as `git-credential-ccsso` (src/main.ts). git runs it for every HTTPS operation, so this file is the warm
// path: no cac, no AWS SDK, no smol-toml unless a settings file exists. Model: GitHub CLI's
// pkg/cmd/auth/gitcredential/helper.go — unknown hosts get nothing, so git moves on.
//
// stdin and stdout belong to git: nothing here ever prompts on them (an MFA wrapper that read its prompt
// from git's stdin is aws/aws-cli-era folklore: docs/protocols.md §5.3).
import { matchCodeCommitHost } from "../core/codecommit-host";
import { codeCommitUsername, signCodeCommitPassword } from "../core/codecommit-sign";
import { CredentialProtocolError, formatCredentialResponse, parseCredentialRequest } from "../core/credential-protocol";
import { ExitCode, LoginRequiredError, UsageError } from "../core/errors";
import { registerSecret } from "../core/redact";
import { utf8ByteLength } from "../core/utf8";
import type { AwsCredentials } from "../core/types";
import type { Context } from "../platform/context";
import type { credentialHelper } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { debugLog } from "../platform/debug-log";
import { InputTooLargeError, readAllStdin } from "../platform/stdin";
import { renderError } from "./render-error";
import { commandLine } from "../core/shell-quote";
import { sanitizeLine } from "../core/terminal-text";

/**
 * How long git (and any storing helper that honours password_expiry_utc, git ≥ 2.40) may reuse a password.
 * CodeCommit accepts a signature for about 15 minutes (docs/protocols.md §5.2); 5 minutes leaves 10 for clock skew
 * between this machine and AWS and for an operation that starts just before the stored copy lapses.
 * Signing again costs microseconds, so nothing is gained by a longer life.
 */
export const PASSWORD_LIFETIME_SEC = 5 * 60;

/** git-credential(1) caps a line at 65535 bytes; a request bigger than this is not from git. */
const MAX_REQUEST_BYTES = 1024 * 1024;

export interface CredentialHelperArgs {
  operation?: string;
  profile?: string;
  /** Region for the CODE_COMMIT_ENDPOINT host; set by the codecommit:// remote helper (its name has no region). */
  region?: string;
}

export interface CredentialHelperDeps {
  /** git's request; throws `InputTooLargeError` past `maxBytes` without reading the rest. */
  readStdin(maxBytes: number): Promise<string>;
  resolveCredentials(ctx: Context, opts: { profile?: string; forGit?: boolean }): Promise<AwsCredentials>;
  /**
   * Sign in on the terminal — /dev/tty, the console on Windows (settings: credential_helper.allow_login); true when a session now exists. Talks only
   * to the terminal and the browser — stdin/stdout are git's.
   */
  interactiveLogin(ctx: Context, opts: { profile?: string; forGit?: boolean }): Promise<boolean>;
  /** Drop the cached role credentials of `profile` if they are the ones with `accessKeyId` (erase). */
  forgetCredentials(ctx: Context, opts: { profile?: string; accessKeyId: string }): Promise<boolean>;
}

/** argv after `credential-helper`: `[--profile P|--profile=P] [--debug] OPERATION`. Hand-parsed: no cac here. */
export function parseHelperArgv(argv: string[]): CredentialHelperArgs {
  const out: CredentialHelperArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--profile") {
      const v = argv[++i];
      if (!v) throw new UsageError("--profile needs a profile name", "run: ccsso help credential-helper");
      out.profile = v;
    } else if (a.startsWith("--profile=")) {
      out.profile = a.slice("--profile=".length);
      if (!out.profile) throw new UsageError("--profile needs a profile name", "run: ccsso help credential-helper");
    } else if (a === "--region") {
      const v = argv[++i];
      if (!v) throw new UsageError("--region needs a region", "run: ccsso help credential-helper");
      out.region = v;
    } else if (a === "--debug") {
      // handled by src/main.ts
    } else if (a.startsWith("-")) {
      throw new UsageError(`unknown option ${a}`, "run: ccsso help credential-helper");
    } else if (out.operation === undefined) {
      out.operation = a;
    }
    // Further words are ignored: git appends only the operation, and a `!cmd $@` helper line may add nothing.
  }
  return out;
}

export async function runCredentialHelper(argv: string[], ctx: Context, deps?: Partial<CredentialHelperDeps>): Promise<number> {
  let args: CredentialHelperArgs;
  try {
    args = parseHelperArgv(argv);
  } catch (e) {
    return renderError(e, ctx);
  }
  if (argv.includes("--debug")) ctx.debug = true;
  const d: CredentialHelperDeps = { ...defaultDeps, ...deps };
  switch (args.operation) {
    case "get":
      return helperGet(args, ctx, d);
    case "erase":
      return helperErase(args, ctx, d);
    case "store":
      // Nothing to store: every `get` signs a fresh password from the current role credentials, and keeping
      // the password anywhere is exactly what makes other helpers replay stale ones (docs/protocols.md §4.2).
      await drain(d);
      return ExitCode.ok;
    case undefined:
      return renderError(new UsageError("credential-helper needs an operation: get, store or erase", "run: ccsso setup-git"), ctx);
    default:
      // gitcredentials(7): "helpers should ignore unknown operations" (future git may add some).
      return ExitCode.ok;
  }
}

/** The command-table entry (`ccsso credential-helper --help` goes through cac; the real work does not). */
export async function run(opts: OptionsOf<typeof credentialHelper>, args: string[], ctx: Context): Promise<number> {
  const argv = opts.profile !== undefined ? ["--profile", opts.profile, ...args] : args;
  return runCredentialHelper(argv, ctx);
}

interface CodeCommitRequest {
  host: string;
  hostname: string;
  region: string;
  path?: string;
  username?: string;
  /** The profile of the settings file's first [[repository]] pattern matching https://HOST/PATH. */
  settingsProfile?: string;
  allowLogin: boolean;
}

/** Read and vet the request; undefined when it is not ours to answer (git moves on to the next helper). */
async function readCodeCommitRequest(
  args: CredentialHelperArgs,
  ctx: Context,
  d: CredentialHelperDeps,
): Promise<CodeCommitRequest | undefined> {
  let text: string;
  try {
    text = await d.readStdin(MAX_REQUEST_BYTES);
  } catch (e) {
    if (e instanceof InputTooLargeError) throw new CredentialProtocolError("credential request is larger than 1 MiB");
    throw e;
  }
  // The default reader stops at the cap itself; this holds an injected one to the same rule.
  if (text.length * 3 > MAX_REQUEST_BYTES && utf8ByteLength(text) > MAX_REQUEST_BYTES)
    throw new CredentialProtocolError("credential request is larger than 1 MiB");
  const req = parseCredentialRequest(text);
  const protocol = req.attributes.get("protocol");
  const host = req.attributes.get("host");
  // Only https: the username carries the session token, which must never cross the wire in clear.
  if (protocol !== "https" || !host) return undefined;
  const { loadSettings, profileForRepositoryUrl } = await import("../store/settings");
  const settings = await loadSettings(ctx.env);
  const extra = [...settings.hosts];
  // git-remote-codecommit compatibility: CODE_COMMIT_ENDPOINT names the host, the remote helper the region.
  const endpoint = ctx.env.CODE_COMMIT_ENDPOINT?.trim();
  if (endpoint && args.region) extra.unshift({ host: endpoint, region: args.region });
  const match = matchCodeCommitHost(host, extra);
  if (!match) {
    debugLog(ctx, `credential-helper: ${host} is not a CodeCommit host; leaving it to other helpers`);
    return undefined;
  }
  const path = req.attributes.get("path");
  return {
    host,
    hostname: match.hostname,
    region: match.region,
    path,
    username: req.attributes.get("username"),
    settingsProfile: profileForRepositoryUrl(settings, `https://${host}/${path ?? ""}`),
    allowLogin: settings.credentialHelper.allowLogin,
  };
}

async function helperGet(args: CredentialHelperArgs, ctx: Context, d: CredentialHelperDeps): Promise<number> {
  let req: CodeCommitRequest | undefined;
  try {
    req = await readCodeCommitRequest(args, ctx, d);
  } catch (e) {
    // Hostile or broken input: answer nothing (no credentials for a request we could not read safely).
    if (e instanceof CredentialProtocolError) return renderError(e, ctx);
    // Anything else (a broken settings file): git asked us, so no later helper or prompt can do better
    // than our one line naming the fix. quit=1 stops git there instead of asking for a username.
    ctx.stdout.write(formatCredentialResponse([["quit", "1"]]));
    return renderError(e, ctx);
  }
  if (!req) return ExitCode.ok;
  if (req.path === undefined || req.path === "") {
    // Without credential.useHttpPath git sends no path, and a signature over "/" would be refused with a
    // 403 that says nothing. quit=1 stops git from prompting for a username instead.
    // The host is git's (so the URL's): quoted in the command and printed through the output policy.
    const useHttpPath = commandLine(["git", "config", "--global", `credential.https://${req.host}.useHttpPath`, "true"]);
    ctx.stderr.write(
      sanitizeLine(
        `ccsso: git did not send the repository path for ${req.host}, so no CodeCommit password can be signed — run: ccsso setup-git (or ${useHttpPath})`,
      ) + "\n",
    );
    ctx.stdout.write(formatCredentialResponse([["quit", "1"]]));
    return ExitCode.error;
  }
  // `ccsso doctor` runs `git credential fill` through the user's real git config with a nonce here, to prove
  // git can run this line. The answer needs no network and holds no secret: the nonce back, which ccsso
  // answered, and the profile it would sign with.
  const probe = ctx.env.CCSSO_DOCTOR_PROBE;
  if (probe && /^[A-Za-z0-9-]{8,64}$/.test(probe)) return answerDoctorProbe(probe, args.profile ?? req.settingsProfile, ctx);
  try {
    const profile = args.profile ?? req.settingsProfile;
    const opts = profile === undefined ? { forGit: true } : { profile, forGit: true };
    let creds: AwsCredentials;
    try {
      creds = await d.resolveCredentials(ctx, opts);
    } catch (e) {
      // git's GIT_TERMINAL_PROMPT=0 means "nobody is there to answer": no login then either.
      if (!(e instanceof LoginRequiredError) || !req.allowLogin || ctx.env.GIT_TERMINAL_PROMPT === "0") throw e;
      if (!(await d.interactiveLogin(ctx, opts))) throw e;
      creds = await d.resolveCredentials(ctx, opts);
    }
    registerSecret(creds.secretAccessKey);
    registerSecret(creds.sessionToken);
    const now = ctx.now();
    const password = signCodeCommitPassword({
      host: req.hostname,
      path: req.path,
      region: req.region,
      secretAccessKey: creds.secretAccessKey,
      now,
    });
    let expiry = Math.floor(now / 1000) + PASSWORD_LIFETIME_SEC;
    if (creds.expiration) expiry = Math.min(expiry, Math.floor(creds.expiration.getTime() / 1000));
    ctx.stdout.write(
      formatCredentialResponse([
        ["username", codeCommitUsername(creds.accessKeyId, creds.sessionToken)],
        ["password", password],
        ["password_expiry_utc", String(expiry)],
      ]),
    );
    debugLog(ctx, `credential-helper: signed for ${req.hostname} (${req.region}) with ${creds.source} credentials ${creds.accessKeyId}`);
    return ExitCode.ok;
  } catch (e) {
    // The host is CodeCommit and we cannot answer: quit=1 so git stops here with our one line instead of
    // asking for a username (a prompt that cannot work: there is no CodeCommit password to type).
    ctx.stdout.write(formatCredentialResponse([["quit", "1"]]));
    // A LoginRequiredError renders as "ccsso: <message> — run: <login command>", exit 3.
    return renderError(e, ctx);
  }
}

/** Username of a doctor probe's answer; the password is `NONCE VERSION COMMIT PROFILE`. */
export const DOCTOR_PROBE_USERNAME = "ccsso-doctor-probe";

async function answerDoctorProbe(nonce: string, profile: string | undefined, ctx: Context): Promise<number> {
  const [{ VERSION, COMMIT }, { chooseProfile, profileNotChosenError }, { loadAwsConfig }] = await Promise.all([
    import("../version"),
    import("../core/aws-config"),
    import("../store/aws-config-files"),
  ]);
  let name = profile;
  if (name === undefined) {
    // The rule resolveCredentials applies when git runs us for real, so the probe names what git will get.
    const choice = chooseProfile(loadAwsConfig(ctx.env), undefined, ctx.env, "credentials");
    if (choice.rule === "several candidates") {
      ctx.stdout.write(formatCredentialResponse([["quit", "1"]]));
      return renderError(profileNotChosenError(choice, true), ctx);
    }
    name = choice.name;
  }
  ctx.stdout.write(
    formatCredentialResponse([
      ["username", DOCTOR_PROBE_USERNAME],
      ["password", `${nonce} ${VERSION} ${COMMIT} ${name}`],
    ]),
  );
  return ExitCode.ok;
}

async function helperErase(args: CredentialHelperArgs, ctx: Context, d: CredentialHelperDeps): Promise<number> {
  // git sends erase after a 401 to the credentials it just used. The signature cannot be "un-cached" (we keep
  // none), but the role credentials behind it may have been revoked: drop them — only if they are still the
  // rejected ones, since another helper may have fetched new ones meanwhile (the aws-vault rule).
  try {
    const req = await readCodeCommitRequest(args, ctx, d);
    if (!req?.username) return ExitCode.ok;
    const accessKeyId = req.username.split("%")[0]!;
    const profile = args.profile ?? req.settingsProfile;
    const dropped = await d.forgetCredentials(ctx, { profile, accessKeyId });
    debugLog(ctx, `credential-helper: erase for ${req.hostname}: ${dropped ? "dropped" : "kept"} cached role credentials`);
  } catch (e) {
    debugLog(ctx, `credential-helper: erase ignored: ${(e as Error).message}`);
  }
  return ExitCode.ok;
}

async function drain(d: CredentialHelperDeps): Promise<void> {
  // Read what git sends so it never sees EPIPE on a helper that exits early.
  try {
    await d.readStdin(MAX_REQUEST_BYTES);
  } catch {}
}

const defaultDeps: CredentialHelperDeps = {
  // Synchronous on purpose (src/platform/stdin.ts): a pending stdin promise does not keep a Windows process alive.
  readStdin: async (maxBytes) => readAllStdin({ maxBytes }),
  resolveCredentials: async (ctx, opts) => {
    const { resolveCredentials } = await import("../auth/credentials");
    return resolveCredentials(ctx, opts);
  },
  interactiveLogin: async (ctx, opts) => {
    const { writeSync, closeSync } = await import("node:fs");
    const { openConsoleOutput } = await import("../platform/console");
    // /dev/tty, or the console (CONOUT$) on Windows.
    const fd = openConsoleOutput();
    if (fd === undefined) return false; // no terminal (IDE, CI, cron): the one-line message is all we can do
    try {
      const tty = { write: (t: string) => void writeSync(fd, t), isTTY: true };
      const ttyCtx: Context = { ...ctx, stdout: tty, stderr: tty };
      const { loadAwsConfig } = await import("../store/aws-config-files");
      const { chooseProfile, profileValues, resolveSsoLogin } = await import("../core/aws-config");
      const { assumesRole, resolveRoleChain } = await import("../core/role-chain");
      const { loginSso } = await import("../auth/login");
      const cfg = loadAwsConfig(ctx.env);
      // The profile resolveCredentials just used (the same rule, so the only SSO profile counts too);
      // for an assumed role, the profile at the bottom of its chain, whose session has ended.
      let profile = chooseProfile(cfg, opts.profile, ctx.env, "credentials").name;
      if (assumesRole(profileValues(cfg, profile))) {
        const chain = resolveRoleChain(cfg, profile);
        if (chain.source.kind === "profile") profile = chain.source.profile;
      }
      tty.write(`ccsso: the SSO session for profile ${sanitizeLine(profile)} has ended; signing in again for git…\n`);
      await loginSso(ttyCtx, cfg, resolveSsoLogin(cfg, { profile }), { profile });
      return true;
    } finally {
      closeSync(fd);
    }
  },
  forgetCredentials: async (ctx, opts) => {
    const { forgetCachedRoleCredentials } = await import("../auth/forget-credentials");
    return forgetCachedRoleCredentials(ctx, opts);
  },
};
