// `git-remote-codecommit REMOTE URL` (docs/protocols.md §5.4): a drop-in for the Python
// helper. Same URL grammar (strict: src/core/remote-url.ts), same host derivation plus FIPS, but it does
// NOT put signed credentials in the child's argv (grc shows them to `ps` and pushes them into every storing
// helper: grc #38, GCM #776). Instead the child `git remote-https` gets ccsso's credential helper for that
// one host through GIT_CONFIG_COUNT (git ≥ 2.31), after an empty helper so nothing stores the password;
// it signs afresh on every request that needs it, so a long push never outlives its signature.
import { isHostWithPort } from "../core/codecommit-host";
import { isRegionName } from "../core/regions";
import { chooseProfile, describeProfileChoice, profileNames, profileValues } from "../core/aws-config";
import { CcssoError, ConfigError, ProfileNotChosenError, ProfileNotFoundError, UsageError } from "../core/errors";
import { parseCodeCommitRemoteUrl } from "../core/remote-url";
import { shellQuote } from "../core/shell-quote";
import type { Context } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { loadAwsConfig } from "../store/aws-config-files";
import { gitHost } from "./clone-urls";
import { helperEnvForHost } from "./git-helper-line";
import { renderError } from "./render-error";
import { commandLine } from "../core/shell-quote";

const PREFIX = "git-remote-codecommit";

export interface RemoteHelperPlan {
  /** argv of the child: `git remote-https REMOTE https://HOST/v1/repos/REPO` — no secret in it. */
  argv: string[];
  /** Variables added to the child's environment (GIT_CONFIG_COUNT / KEY_n / VALUE_n). */
  env: Record<string, string>;
  host: string;
  region: string;
  profile?: string;
  repository: string;
}

/** Work out what to run, without running it; every refusal is one line naming the fix. */
export function planRemoteHelper(argv: string[], ctx: Context): RemoteHelperPlan {
  if (argv.length < 2) {
    throw new UsageError(
      "too few arguments: this hook requires the git command and remote",
      "git runs it for codecommit:// URLs, e.g. git clone codecommit://profile@repo",
    );
  }
  if (argv.length > 2) {
    throw new UsageError(
      `too many arguments: this hook only accepts the git command and remote, but argv was: ${argv.map((a) => `'${a}'`).join(", ")}`,
      "git runs it for codecommit:// URLs",
    );
  }
  const [remote, url] = argv as [string, string];
  const parsed = parseCodeCommitRemoteUrl(url);
  const cfg = loadAwsConfig(ctx.env);
  // What is configured decides, never a prompt: git owns the terminal here.
  const sel = chooseProfile(cfg, parsed.profile, ctx.env, "credentials");
  if (sel.rule === "several candidates") {
    const names = sel.candidates!.names;
    throw new ProfileNotChosenError(
      `several SSO profiles and no default profile for repository ${parsed.repository}: ${names.join(", ")}`,
      `name one in the URL, e.g. codecommit://${names[0]}@${parsed.repository}, or export AWS_PROFILE=${shellQuote(names[0]!)}`,
      "--profile",
      names,
    );
  }
  debugLog(ctx, `remote helper: ${describeProfileChoice(sel)}`);
  const values = profileValues(cfg, sel.name);
  // A profile named by the URL or AWS_PROFILE must exist; the implicit `default` may be absent when the
  // credentials come from AWS_ACCESS_KEY_ID (CI jobs).
  if (sel.explicit && !values) throw new ProfileNotFoundError(sel.name, profileNames(cfg));
  const region = parsed.region ?? ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION ?? values?.region;
  if (!region) {
    throw new ConfigError(
      `profile ${sel.name} has no AWS Region for repository ${parsed.repository}`,
      `run: ${commandLine(["ccsso", "configure", "sso", "--profile", sel.name])} --region <region>, or use codecommit::<region>://${parsed.profile ? `${parsed.profile}@` : ""}${parsed.repository}`,
    );
  }
  if (!isRegionName(region)) {
    throw new ConfigError(
      `"${region}" (profile ${sel.name}) is not an AWS Region`,
      `use a Region such as us-east-1 for repository ${parsed.repository}`,
    );
  }
  const endpoint = ctx.env.CODE_COMMIT_ENDPOINT?.trim();
  if (endpoint !== undefined && endpoint !== "" && !isHostWithPort(endpoint)) {
    throw new ConfigError(
      `CODE_COMMIT_ENDPOINT "${endpoint}" is not a host name`,
      "set it to host or host:port (no scheme or path), or unset it",
    );
  }
  const host = gitHost(ctx.env, { cfg, profile: sel.name, region });

  // A custom endpoint carries no region in its name: the helper is told which one to sign for.
  const env = helperEnvForHost(ctx, host, { profile: parsed.profile, region: endpoint ? region : undefined });
  return {
    argv: ["git", "remote-https", remote, `https://${host}/v1/repos/${parsed.repository}`],
    env,
    host,
    region,
    profile: parsed.profile,
    repository: parsed.repository,
  };
}

export async function runRemoteHelper(argv: string[], ctx: Context): Promise<number> {
  let plan: RemoteHelperPlan;
  try {
    plan = planRemoteHelper(
      argv.filter((a) => a !== "--debug"),
      ctx,
    );
  } catch (e) {
    return renderError(e, ctx, PREFIX);
  }
  let child;
  try {
    child = Bun.spawn(plan.argv, {
      env: { ...(ctx.env as Record<string, string>), ...plan.env },
      stdio: ["inherit", "inherit", "inherit"],
    });
  } catch (e) {
    return renderError(
      new CcssoError(`could not run git remote-https: ${(e as Error).message}`, "install git 2.31 or newer and put it on PATH"),
      ctx,
      PREFIX,
    );
  }
  // Ctrl-C reaches git and us alike (same process group); git decides how to stop, we report its status.
  const onSignal = () => {};
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const code = await child.exited;
    return code ?? 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
