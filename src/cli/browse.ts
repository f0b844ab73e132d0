// `ccsso browse`: the CodeCommit console page of the repository you are standing in — a file, a branch,
// a commit or a pull request — signed in as the profile git itself would use (docs/console.md §4).
// The remote decides repository, Region and profile by the helpers' own rules: an https remote as the
// credential helper reads it (host → Region, the helper line's --profile, then the settings file's
// [[repository]] rules), a codecommit:// remote as the remote helper plans it (planRemoteHelper).
import { posix } from "node:path";
import { codeCommitPageUrl, consolePartition, type CodeCommitPage } from "../core/console-url";
import { matchCodeCommitHost } from "../core/codecommit-host";
import { ConfigError, UsageError } from "../core/errors";
import { isCodeCommitRepositoryName } from "../core/remote-url";
import { shlexSplit } from "../core/shlex";
import { commandLine } from "../core/shell-quote";
import { sanitizeLine } from "../core/terminal-text";
import type { CaBundle, Context } from "../platform/context";
import { runGit } from "../platform/git";
import type { browse } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { deliverConsoleUrl, signedInConsoleUrl } from "./console-signin";

/** One git remote that points at CodeCommit, and what the helpers would make of it. */
export interface CodeCommitRemoteTarget {
  remote: string;
  url: string;
  repository: string;
  region: string;
  /** The profile the helpers would sign with; undefined: the default credential chain. */
  profile?: string;
}

function git(ctx: Context, args: string[], cwd = ctx.cwd): { ok: boolean; out: string } {
  const r = runGit(args, { env: ctx.env, cwd });
  return { ok: r.code === 0, out: r.stdout.replace(/\n$/, "") };
}

/** `--profile P` from the credential helper line git runs for `url`, as setup-git --profile writes it. */
function helperLineProfile(ctx: Context, url: string): string | undefined {
  const r = git(ctx, ["config", "--get-urlmatch", "credential.helper", url]);
  if (!r.ok) return undefined;
  const line = r.out.split("\n").at(-1) ?? "";
  let words: string[];
  try {
    words = shlexSplit(line.replace(/^!/, ""));
  } catch {
    return undefined;
  }
  if (!words.some((w) => w === "credential-helper")) return undefined;
  for (let i = 0; i < words.length; i++) {
    if (words[i] === "--profile" && words[i + 1]) return words[i + 1];
    if (words[i]!.startsWith("--profile=")) return words[i]!.slice("--profile=".length) || undefined;
  }
  return undefined;
}

/** What the helpers make of one remote URL, or undefined when it is not a CodeCommit repository. */
async function classifyRemote(ctx: Context, remote: string, url: string): Promise<CodeCommitRemoteTarget | undefined> {
  const { loadSettings, profileForRepositoryUrl } = await import("../store/settings");
  const settings = await loadSettings(ctx.env);
  if (url.startsWith("codecommit:")) {
    // git hands the remote helper `REGION://…` for `codecommit::REGION://…`, and the URL itself otherwise.
    const helperUrl = url.startsWith("codecommit::") ? url.slice("codecommit::".length) : url;
    const { planRemoteHelper } = await import("./remote-helper");
    const plan = planRemoteHelper([remote, helperUrl], ctx);
    // The credential helper the plan installs gets the URL's profile; without one it falls back to the
    // settings file's rules for the https URL it signs for.
    const profile = plan.profile ?? profileForRepositoryUrl(settings, `https://${plan.host}/v1/repos/${plan.repository}`);
    return { remote, url, repository: plan.repository, region: plan.region, profile };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:") return undefined;
  const host = matchCodeCommitHost(parsed.host, settings.hosts);
  const m = /^\/v1\/repos\/([^/]+)\/?$/.exec(parsed.pathname);
  if (!host || !m || !isCodeCommitRepositoryName(m[1]!)) return undefined;
  const path = parsed.pathname.slice(1).replace(/\/$/, "");
  const profile =
    helperLineProfile(ctx, `https://${parsed.host}/${path}`) ?? profileForRepositoryUrl(settings, `https://${parsed.host}/${path}`);
  return { remote, url, repository: m[1]!, region: host.region, profile };
}

/** The CodeCommit remote of the checkout at `ctx.cwd`: the only one, or the one `--remote` names. */
export async function codeCommitRemote(ctx: Context, wanted?: string): Promise<CodeCommitRemoteTarget> {
  const r = git(ctx, ["config", "--get-regexp", "^remote\\..+\\.url$"]);
  const remotes = r.ok
    ? r.out
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const sp = line.indexOf(" ");
          return { name: line.slice("remote.".length, sp - ".url".length), url: line.slice(sp + 1) };
        })
    : [];
  if (wanted !== undefined) {
    const one = remotes.find((x) => x.name === wanted);
    if (!one)
      throw new UsageError(
        `this checkout has no remote named ${sanitizeLine(wanted)}`,
        remotes.length ? `use one of: ${remotes.map((x) => sanitizeLine(x.name)).join(", ")}` : "add one with git remote add",
      );
    const target = await classifyRemote(ctx, one.name, one.url);
    if (!target)
      throw new UsageError(
        `remote ${sanitizeLine(wanted)} (${sanitizeLine(one.url)}) is not a CodeCommit repository`,
        "pass --remote with a CodeCommit https:// or codecommit:// remote",
      );
    return target;
  }
  const found: CodeCommitRemoteTarget[] = [];
  for (const x of remotes) {
    const t = await classifyRemote(ctx, x.name, x.url);
    if (t) found.push(t);
  }
  if (found.length === 0) {
    throw new UsageError(
      "this checkout has no CodeCommit remote (https://git-codecommit.… or codecommit://)",
      "add one (git remote add origin codecommit://profile@repo), or run outside it: ccsso browse <repository>",
    );
  }
  if (found.length > 1) {
    const names = found.map((t) => sanitizeLine(t.remote));
    throw new UsageError(
      `this checkout has several CodeCommit remotes: ${names.join(", ")}`,
      `pick one: ${commandLine(["ccsso", "browse", "--remote", found[0]!.remote])}`,
    );
  }
  return found[0]!;
}

/** PATH (relative to the current directory) as a path from the repository root; "" for the root. */
function repositoryPath(prefix: string, path: string): string {
  const rel = posix.normalize(posix.join(prefix, path.replaceAll("\\", "/")));
  if (rel === ".." || rel.startsWith("../") || posix.isAbsolute(rel))
    throw new UsageError(`${sanitizeLine(path)} is outside this repository`, "name a file inside the checkout");
  return rel === "." ? "" : rel.replace(/\/$/, "");
}

function pageFor(
  opts: OptionsOf<typeof browse>,
  path: string | undefined,
  currentRef: () => { branch: string } | { commit: string },
): CodeCommitPage {
  if (opts.branch !== undefined && opts.commit !== undefined)
    throw new UsageError("--branch and --commit cannot be used together", "pass one of them");
  if (opts.pr !== undefined) {
    if (!/^[1-9]\d{0,9}$/.test(opts.pr))
      throw new UsageError(`--pr "${sanitizeLine(opts.pr)}" is not a pull request number`, "e.g. --pr 42");
    if (opts.branch !== undefined || opts.commit !== undefined || path)
      throw new UsageError("--pr shows a pull request; it takes no PATH, --branch or --commit", "drop them, or drop --pr");
    return { kind: "pull-request", number: Number(opts.pr) };
  }
  if (opts.commit !== undefined) {
    if (!/^[0-9a-fA-F]{4,64}$/.test(opts.commit))
      throw new UsageError(`--commit "${sanitizeLine(opts.commit)}" is not a commit id`, "pass a commit's hexadecimal id");
    return path ? { kind: "file", ref: { commit: opts.commit }, path } : { kind: "commit", commit: opts.commit };
  }
  if (opts.branch !== undefined) {
    if (opts.branch === "" || /[\0-\x1f\x7f]/.test(opts.branch)) throw new UsageError("--branch needs a branch name", "e.g. --branch main");
    return { kind: "file", ref: { branch: opts.branch }, path: path ?? "" };
  }
  return { kind: "file", ref: currentRef(), path: path ?? "" };
}

export async function run(opts: OptionsOf<typeof browse>, args: string[], ctx: Context): Promise<number> {
  const top = git(ctx, ["rev-parse", "--show-toplevel"]);
  let region: string;
  let repository: string;
  let profile: string | undefined;
  let page: CodeCommitPage;
  let credentials;
  let caBundle: CaBundle | undefined;
  if (top.ok && top.out !== "") {
    const remote = await codeCommitRemote(ctx, opts.remote);
    if (opts.region !== undefined && opts.region !== remote.region) {
      throw new UsageError(
        `remote ${sanitizeLine(remote.remote)} is in ${remote.region}, not ${sanitizeLine(opts.region)}`,
        "drop --region: the remote decides it",
      );
    }
    region = remote.region;
    repository = remote.repository;
    profile = opts.profile ?? remote.profile;
    const prefix = git(ctx, ["rev-parse", "--show-prefix"]).out;
    const path =
      args[0] !== undefined
        ? repositoryPath(prefix, args[0])
        : opts.commit !== undefined || opts.pr !== undefined
          ? undefined
          : repositoryPath(prefix, ".");
    page = pageFor(opts, path, () => {
      const branch = git(ctx, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
      if (!branch.ok) {
        const head = git(ctx, ["rev-parse", "HEAD"]);
        if (!head.ok) throw new UsageError("this checkout has no commit yet", "commit and push first, or pass --branch");
        return { commit: head.out };
      }
      // The branch as the remote knows it, when it tracks one there.
      const upstream = git(ctx, ["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"]);
      if (upstream.ok && upstream.out.startsWith(`${remote.remote}/`)) return { branch: upstream.out.slice(remote.remote.length + 1) };
      return { branch: branch.out };
    });
    const { resolveCredentials } = await import("../auth/credentials");
    const { terminalMfaCode } = await import("./mfa-prompt");
    credentials = await resolveCredentials(ctx, { profile, mfaCode: terminalMfaCode(ctx) });
    const [{ withProfileCaBundle }, { loadAwsConfig }] = await Promise.all([
      import("../auth/profile-ca-bundle"),
      import("../store/aws-config-files"),
    ]);
    const { selectProfileName } = await import("../core/aws-config");
    caBundle = withProfileCaBundle(ctx, loadAwsConfig(ctx.env), profile ?? selectProfileName(undefined, ctx.env).name).caBundle;
  } else {
    const name = args[0];
    if (name === undefined)
      throw new UsageError(
        "not inside a git checkout, and no repository named",
        "run it inside a CodeCommit checkout, or: ccsso browse <repository> [--profile P] [--region R]",
      );
    if (!isCodeCommitRepositoryName(name))
      throw new UsageError(
        `"${sanitizeLine(name)}" is not a CodeCommit repository name (letters, digits, . _ - only)`,
        "outside a checkout, the argument is a repository name",
      );
    const { resolveApiTarget } = await import("./aws-target");
    const target = await resolveApiTarget(ctx, "codecommit", { profile: opts.profile, region: opts.region });
    region = target.region;
    repository = name;
    profile = target.profile;
    page =
      opts.pr === undefined && opts.commit === undefined && opts.branch === undefined
        ? { kind: "repository" }
        : pageFor(opts, undefined, () => ({ branch: "" }));
    credentials = target.credentials;
    caBundle = target.caBundle;
  }
  if (!consolePartition(region))
    throw new ConfigError(`ccsso cannot sign in to a console for region ${region}`, "use a commercial, China or GovCloud Region");
  const destination = codeCommitPageUrl(region, repository, page);
  const who = credentials.source === "env" ? "the credentials in the environment" : `profile ${profile ?? "default"}`;
  const url = await signedInConsoleUrl(ctx, { region, destination, credentials, who, caBundle, duration: opts.duration });
  return deliverConsoleUrl(ctx, url, { print: opts.print, browser: opts.browser, what: `${who} (${repository} in ${region})` });
}
