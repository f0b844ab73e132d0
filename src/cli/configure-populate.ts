// `ccsso configure populate --sso-session S`: one profile per account × role the signed-in user can
// reach, like aws-sso-util and granted. Lists through the portal with the session's cached token, plans with the pure
// src/core/populate.ts, then writes the whole file once, atomically — or, with --dry-run, prints the diff.
import { resolveSsoLogin } from "../core/aws-config";
import { ConfigError, LoginRequiredError, RemoteError, UsageError } from "../core/errors";
import { DEFAULT_PROFILE_TEMPLATE, planPopulate, summarize, validateTemplate } from "../core/populate";
import { commandLine } from "../core/shell-quote";
import { unifiedDiff } from "../core/unified-diff";
import type { SsoSessionLogin } from "../core/types";
import type { Context } from "../platform/context";
import type { configurePopulate } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { assertConfigWritable, loadConfigForEdit, resolveConfigPath, writeConfigText } from "../store/aws-config-files";
import { partitionPortalRoles } from "../core/portal-values";
import { sanitizeForTerminal, sanitizeLine } from "../core/terminal-text";

/** Tests give only the flags they set. */
export type PopulateOptions = Partial<OptionsOf<typeof configurePopulate>>;

export async function run(opts: OptionsOf<typeof configurePopulate>, _args: string[], ctx: Context): Promise<number> {
  for (const [flag, value] of [
    ["--sso-session", opts.ssoSession],
    ["--profile-template", opts.profileTemplate],
    ["--region", opts.region],
  ] as const) {
    if (value === "") throw new UsageError(`${flag} needs a value`, `run: ccsso help configure populate`);
  }
  return populate(opts, ctx);
}

export async function populate(opts: PopulateOptions, ctx: Context): Promise<number> {
  const session = opts.ssoSession;
  if (!session)
    throw new UsageError(
      "missing --sso-session: which [sso-session] to populate profiles for",
      "e.g. ccsso configure populate --sso-session corp",
    );
  const template = opts.profileTemplate ?? DEFAULT_PROFILE_TEMPLATE;
  validateTemplate(template);

  const path = resolveConfigPath(ctx.env);
  const { text: before, cfg } = loadConfigForEdit(path, ctx.env);
  if (!opts.dryRun) assertConfigWritable(path);
  if (!cfg.ssoSessions.has(session)) {
    const known = [...cfg.ssoSessions.keys()];
    const configureSession = commandLine(["ccsso", "configure", "sso-session", "--sso-session", session]);
    throw new ConfigError(
      `The specified sso-session does not exist: "${session}"`,
      known.length > 0 ? `known sessions: ${known.join(", ")}; or run: ${configureSession}` : `run: ${configureSession}`,
    );
  }
  const login = resolveSsoLogin(cfg, { ssoSession: session }) as SsoSessionLogin;
  const loginCommand = commandLine(["ccsso", "sso", "login", "--sso-session", session]);

  const { getSsoToken } = await import("../auth/sso-token");
  let accessToken: string;
  try {
    accessToken = (await getSsoToken(ctx, cfg, login)).accessToken;
  } catch (e) {
    if (e instanceof LoginRequiredError)
      throw new LoginRequiredError(`no valid SSO token for sso-session "${session}"`, loginCommand, { cause: e });
    throw e;
  }

  const { resolveSsoEndpoints } = await import("../aws/endpoints");
  const { createPortalClient } = await import("../aws/portal");
  const { listReachableRoles } = await import("../auth/reachable-roles");
  const endpoints = resolveSsoEndpoints(cfg, undefined, login.region, ctx.env);
  const portal = await createPortalClient({ endpoint: endpoints.portal, region: login.region, ctx });
  let listing: Awaited<ReturnType<typeof listReachableRoles>>;
  try {
    listing = await listReachableRoles(portal, accessToken, ctx);
  } catch (e) {
    if (e instanceof RemoteError && e.details.awsType === "UnauthorizedException") {
      throw new LoginRequiredError(
        `IAM Identity Center refused the token of sso-session "${session}" while listing accounts`,
        loginCommand,
        { cause: e },
      );
    }
    throw e;
  }
  if (listing.accounts === 0) {
    ctx.stderr.write(sanitizeLine(`ccsso: no AWS accounts are available to you through sso-session "${session}".`) + "\n");
  }
  // Account ids and role names are written into the config: one that is not a 12-digit id or a
  // permission set name (a line break, an escape sequence) is refused, with one line each.
  const { usable, refused } = partitionPortalRoles(listing.roles);
  for (const { why } of refused) ctx.stderr.write(sanitizeLine(`ccsso: skipped a role IAM Identity Center listed: ${why}`) + "\n");

  const plan = planPopulate(before ?? "", usable, { session, template, region: opts.region, prune: Boolean(opts.prune) });
  const s = summarize(plan.changes);
  ctx.stdout.write(sanitizeLine(`Found ${usable.length} roles in ${listing.accounts} accounts for sso-session "${session}".`) + "\n");

  const counts = `${s.added} to add, ${s.updated} to update, ${s.removed} to remove, ${s.unchanged} unchanged`;
  if (opts.dryRun) {
    // The diff shows the user's file as it is, whatever it holds: through the output policy.
    ctx.stdout.write(sanitizeForTerminal(unifiedDiff(before ?? "", plan.text, { from: path, to: `${path} (after populate)` })));
    ctx.stdout.write(
      sanitizeLine(
        plan.text === (before ?? "") ? `Dry run: no changes to ${path}.` : `Dry run: ${counts} in ${path}; nothing was written.`,
      ) + "\n",
    );
  } else if (plan.text === (before ?? "")) {
    ctx.stdout.write(sanitizeLine(`No changes: ${s.unchanged} populated profiles in ${path} are up to date.`) + "\n");
  } else {
    writeConfigText(path, plan.text);
    ctx.stdout.write(
      sanitizeLine(`Updated ${path}: ${s.added} added, ${s.updated} updated, ${s.removed} removed, ${s.unchanged} unchanged.`) + "\n",
    );
  }
  const list = (names: string[]) => sanitizeLine(names.slice(0, 5).join(", ")) + (names.length > 5 ? `, … (${names.length - 5} more)` : "");
  if (s.stale.length > 0) {
    ctx.stdout.write(
      `${s.stale.length} populated profiles are no longer reachable (${list(s.stale)}); run again with --prune to remove them.\n`,
    );
  }
  if (s.renamed.length > 0) {
    ctx.stdout.write(
      `${s.renamed.length} populated profiles are named differently by this template (${list(s.renamed)}); run again with --prune to remove the old names.\n`,
    );
  }
  return 0;
}
