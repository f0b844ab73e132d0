// A profile's own CA bundle (`ca_bundle`, docs/protocols.md §1.6): botocore reads it from the profile
// the session uses, after AWS_CA_BUNDLE, for every client that session creates — so the profile a command
// or git's helper resolves decides it for all of that work's requests, an assumed role's source included.
import { profileValues, type AwsConfig } from "../core/aws-config";
import type { Context } from "../platform/context";

/** `--ca-bundle FILE` on a command: it outranks AWS_CA_BUNDLE and every profile's key. */
export function withCaBundleFlag(ctx: Context, path: string | undefined): Context {
  return path ? { ...ctx, caBundle: { path, from: "--ca-bundle" } } : ctx;
}

export function withProfileCaBundle(ctx: Context, cfg: AwsConfig, profile: string | undefined): Context {
  const path = profileValues(cfg, profile ?? "default")?.ca_bundle;
  if (!path || ctx.caBundle) return ctx;
  return { ...ctx, caBundle: { path, from: `ca_bundle in profile ${profile ?? "default"}` } };
}
