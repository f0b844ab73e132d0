// `ccsso clone REPO [DIR]`: GetRepository first (a clear error for a name that does not exist, naming the
// region and profile, instead of git's 403/404), then a real `git clone`. Over HTTPS by default, with the
// credential helper injected for that one host through GIT_CONFIG_COUNT exactly as the remote helper
// does — so clone works before `ccsso setup-git` — or over codecommit:// when the settings say so.
import { readdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { isCodeCommitRepositoryName } from "../core/remote-url";
import { commandLine } from "../core/shell-quote";
import { createCodeCommitApi } from "../aws/codecommit-api";
import { CcssoError, ConfigError, RemoteError, UsageError } from "../core/errors";
import type { Context } from "../platform/context";
import type { clone } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { loadSettings } from "../store/settings";
import { resolveApiTarget } from "./aws-target";
import { cloneUrls, gitHost } from "./clone-urls";
import { helperEnvForHost } from "./git-helper-line";
import { withCaBundleFlag } from "../auth/profile-ca-bundle";

/** git clone's own rule for a destination: absent, or an empty directory. */
function isEmptyOrMissingDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory() && readdirSync(path).length === 0;
  } catch {
    return true;
  }
}

export interface ClonePlan {
  argv: string[];
  env: Record<string, string>;
  url: string;
}

export async function run(opts: OptionsOf<typeof clone>, args: string[], outer: Context): Promise<number> {
  const ctx = withCaBundleFlag(outer, opts.caBundle);
  // run.ts has checked the count against the definition (one <repository>, an optional [directory]).
  const [repository, directory] = args;
  if (!repository) throw new UsageError("missing repository name", "run: ccsso repos to list them");
  // Checked before any call: `../other` would otherwise reach git as https://HOST/v1/repos/../other, a path.
  if (!isCodeCommitRepositoryName(repository)) {
    throw new UsageError(
      `"${repository}" is not a CodeCommit repository name (letters, digits, . _ - only, at most 100)`,
      "run: ccsso repos to list them",
    );
  }
  // git would refuse it too, but only after the API call, and with ccsso's own failure line after its
  // own: say it first, and what to do instead.
  const destination = directory ?? repository;
  if (!isEmptyOrMissingDirectory(resolve(ctx.cwd, destination))) {
    throw new UsageError(
      `destination ${JSON.stringify(destination)} already exists and is not an empty directory`,
      `clone into another directory: ${commandLine(["ccsso", "clone", repository, `${destination}-2`])}`,
    );
  }
  const target = await resolveApiTarget(ctx, "codecommit", { profile: opts.profile, region: opts.region });
  const profileFlag = target.profileFlag;
  try {
    await createCodeCommitApi(ctx, target).getRepository(repository);
  } catch (e) {
    if (e instanceof RemoteError && e.details.awsType === "RepositoryDoesNotExistException") {
      throw new CcssoError(
        `repository "${repository}" does not exist in ${target.region} for profile ${target.profile}`,
        `run: ${commandLine(["ccsso", "repos", ...(profileFlag ? ["--profile", profileFlag] : []), "--region", target.region])} to list them, or pass --region`,
        { cause: e },
      );
    }
    throw e;
  }
  const settings = await loadSettings(ctx.env);
  const urls = cloneUrls(ctx.env, target, repository);
  const plan: ClonePlan = { argv: ["git", "clone"], env: {}, url: urls.https };
  if (settings.git.cloneProtocol === "codecommit") {
    plan.url = urls.codecommit;
    if (!Bun.which("git-remote-codecommit", { PATH: ctx.env.PATH ?? "" })) {
      throw new ConfigError(
        "git cannot run codecommit:// URLs: git-remote-codecommit is not on PATH",
        'run: ccsso setup-git (it installs the link), or set clone_protocol = "https"',
      );
    }
  } else {
    const host = gitHost(ctx.env, target);
    // A CODE_COMMIT_ENDPOINT host carries no region in its name: tell the helper which one to sign for.
    plan.env = helperEnvForHost(ctx, host, {
      profile: target.explicitProfile ? target.profile : undefined,
      region: ctx.env.CODE_COMMIT_ENDPOINT?.trim() ? target.region : undefined,
    });
  }
  plan.argv.push("--", plan.url);
  if (directory) plan.argv.push(directory);
  const child = Bun.spawn(plan.argv, {
    cwd: ctx.cwd,
    env: { ...(ctx.env as Record<string, string>), ...plan.env },
    stdio: ["inherit", "inherit", "inherit"],
  });
  const code = await child.exited;
  if (code !== 0) {
    ctx.stderr.write(
      `ccsso: git clone of ${repository} failed (exit ${code}) — run: ${commandLine(["ccsso", "doctor", ...(profileFlag ? ["--profile", profileFlag] : [])])}\n`,
    );
    return 1;
  }
  return 0;
}
