// `ccsso __complete KIND` (hidden): the names a completion script offers at TAB time, one per line.
// Called by the scripts from `ccsso completion`; it must be quick and never print an error — a TAB that
// shows nothing is better than a TAB that scribbles over the command line — so every failure is exit 0.
import type { Context } from "../platform/context";
import type { completeCandidates } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { loadAwsConfig } from "../store/aws-config-files";
import { profileNames } from "../core/aws-config";

// 3 s: long enough for a warm ListRepositories, short enough that a dead network does not freeze TAB.
const REPOS_TIMEOUT_MS = 3_000;

export async function run(opts: OptionsOf<typeof completeCandidates>, args: string[], ctx: Context): Promise<number> {
  try {
    const names = await candidates(args[0] ?? "", opts, ctx);
    if (names.length > 0) ctx.stdout.write(names.join("\n") + "\n");
  } catch {
    // Silent by design (see above).
  }
  return 0;
}

async function candidates(kind: string, opts: OptionsOf<typeof completeCandidates>, ctx: Context): Promise<string[]> {
  if (kind === "repos") {
    // Never start a login or prompt from a TAB: with no cached session resolveCredentials throws and we print nothing.
    const { resolveApiTarget } = await import("./aws-target");
    const { createCodeCommitApi } = await import("../aws/codecommit-api");
    // quiet: a notice line or a profile menu would scribble over the command line being completed.
    const target = await resolveApiTarget(ctx, "codecommit", { profile: opts.profile, region: opts.region, quiet: true });
    const repos = await createCodeCommitApi(ctx, target, { timeoutMs: REPOS_TIMEOUT_MS }).listRepositories();
    return repos.map((r) => r.repositoryName);
  }
  if (kind === "branches") {
    // The checkout's branches and its remotes' branches by their short names (what `browse --branch` takes).
    const { runGit } = await import("../platform/git");
    const r = runGit(["for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes"], {
      env: ctx.env,
      cwd: ctx.cwd,
      timeoutMs: REPOS_TIMEOUT_MS,
    });
    if (r.code !== 0) return [];
    const names = new Set<string>();
    for (const ref of r.stdout.split("\n")) {
      const short = ref.startsWith("refs/heads/")
        ? ref.slice("refs/heads/".length)
        : ref.startsWith("refs/remotes/")
          ? ref.slice("refs/remotes/".length).replace(/^[^/]+\//, "")
          : "";
      if (short && short !== "HEAD") names.add(short);
    }
    return [...names].sort();
  }
  const cfg = loadAwsConfig(ctx.env);
  if (kind === "profiles") return profileNames(cfg);
  if (kind === "sso-sessions") return [...cfg.ssoSessions.keys()];
  if (kind === "regions") {
    const regions = new Set<string>();
    for (const values of [...cfg.profiles.values(), ...cfg.ssoSessions.values()]) {
      for (const key of ["region", "sso_region"]) if (values[key]) regions.add(values[key]!);
    }
    return [...regions].sort();
  }
  return [];
}
