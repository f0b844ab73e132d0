// `ccsso repos`: CodeCommit ListRepositories (every page) with both clone URLs, so the next command is
// copy-paste: `git clone <https URL>` (after setup-git) or `git clone <codecommit:// URL>`.
import { createCodeCommitApi } from "../aws/codecommit-api";
import type { Context } from "../platform/context";
import type { repos } from "./command-defs";
import type { OptionsOf } from "./command-model";
import { styleFor } from "../platform/terminal";
import { resolveApiTarget } from "./aws-target";
import { cloneUrls } from "./clone-urls";
import { sanitizeLine } from "../core/terminal-text";
import { withCaBundleFlag } from "../auth/profile-ca-bundle";

export async function run(opts: OptionsOf<typeof repos>, _args: string[], outer: Context): Promise<number> {
  const ctx = withCaBundleFlag(outer, opts.caBundle);
  const target = await resolveApiTarget(ctx, "codecommit", { profile: opts.profile, region: opts.region });
  const api = createCodeCommitApi(ctx, target);
  const repos = await api.listRepositories();
  const rows = repos.map((r) => ({ name: r.repositoryName, id: r.repositoryId, ...cloneUrls(ctx.env, target, r.repositoryName) }));
  // Names come from the service: the table shows them through the output policy (JSON escapes its own).
  const shown = rows.map((r) => ({ name: sanitizeLine(r.name), https: sanitizeLine(r.https), codecommit: sanitizeLine(r.codecommit) }));
  if (opts.json) {
    ctx.stdout.write(
      JSON.stringify(
        rows.map((r) => ({ repositoryName: r.name, repositoryId: r.id, cloneUrlHttp: r.https, cloneUrlCodecommit: r.codecommit })),
        null,
        2,
      ) + "\n",
    );
    return 0;
  }
  if (rows.length === 0) {
    ctx.stderr.write(
      sanitizeLine(
        `No CodeCommit repositories in ${target.region} for profile ${target.profile}. Another region? run: ccsso repos --region <region>`,
      ) + "\n",
    );
    return 0;
  }
  const s = styleFor(ctx.stdout, ctx.env);
  const nameWidth = Math.max(4, ...shown.map((r) => r.name.length));
  const httpsWidth = Math.max(5, ...shown.map((r) => r.https.length));
  const out = [s.bold(`${"NAME".padEnd(nameWidth)}  ${"HTTPS".padEnd(httpsWidth)}  CODECOMMIT`)];
  for (const r of shown) out.push(`${r.name.padEnd(nameWidth)}  ${r.https.padEnd(httpsWidth)}  ${r.codecommit}`);
  ctx.stdout.write(out.join("\n") + "\n");
  return 0;
}
