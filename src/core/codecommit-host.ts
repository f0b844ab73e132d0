// Which hosts are CodeCommit git endpoints (docs/protocols.md §5.1). The
// match is anchored at both ends: the username we return carries the session token, so a host that merely
// CONTAINS a CodeCommit name (`git-codecommit.us-east-1.amazonaws.com.evil.com`, the AWS CLI's substring
// hole) gets nothing.
import { isRegionName } from "./regions";

export interface CodeCommitHost {
  /** Lower-cased host name without the port: what is signed. */
  hostname: string;
  port?: number;
  region: string;
  fips: boolean;
  vpce: boolean;
  /** True when the host came from the settings file rather than the AWS naming scheme. */
  custom: boolean;
}

/** A host named in ccsso's settings file (custom domain, proxy, VPC endpoint DNS alias). */
export interface ExtraCodeCommitHost {
  /** `host` or `host:port`; without a port any port matches. */
  host: string;
  region: string;
}

/**
 * Whether `text` can name a CodeCommit git host that is not AWS's own (a settings-file `[[host]]`, or
 * CODE_COMMIT_ENDPOINT): a host name with an optional port and nothing else, because it goes into a URL,
 * a git config key and the signed `host:` line.
 */
export function isHostWithPort(text: string): boolean {
  return /^[A-Za-z0-9.-]+(?::\d{1,5})?$/.test(text);
}

const AWS_HOST = /^(?:(vpce-[a-z0-9-]+)\.)?git-codecommit(-fips)?\.([a-z0-9-]+)\.(vpce\.)?amazonaws\.com(\.cn)?$/;

function splitPort(host: string): { name: string; port?: number } | undefined {
  const m = /^([^:]+)(?::(\d{1,5}))?$/.exec(host);
  if (!m) return undefined;
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { name: m[1]!.toLowerCase(), port };
}

export function matchCodeCommitHost(host: string, extraHosts: readonly ExtraCodeCommitHost[] = []): CodeCommitHost | undefined {
  const parts = splitPort(host);
  if (!parts) return undefined;
  for (const extra of extraHosts) {
    const want = splitPort(extra.host);
    if (!want) continue;
    if (want.name === parts.name && (want.port === undefined || want.port === parts.port)) {
      return { hostname: parts.name, port: parts.port, region: extra.region, fips: false, vpce: false, custom: true };
    }
  }
  const m = AWS_HOST.exec(parts.name);
  if (!m) return undefined;
  const [, vpcePrefix, fips, region, vpceLabel, cn] = m;
  // An endpoint id label and the `.vpce.` label come together or not at all.
  if (Boolean(vpcePrefix) !== Boolean(vpceLabel)) return undefined;
  if (!isRegionName(region!)) return undefined;
  // China regions live only under amazonaws.com.cn, and nothing else does.
  if (region!.startsWith("cn-") !== Boolean(cn)) return undefined;
  return { hostname: parts.name, port: parts.port, region: region!, fips: Boolean(fips), vpce: Boolean(vpcePrefix), custom: false };
}

/** The git HTTPS host for a region, as git-remote-codecommit derives it, plus FIPS (grc #45). */
export function codeCommitGitHost(region: string, opts: { fips?: boolean } = {}): string {
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `git-codecommit${opts.fips ? "-fips" : ""}.${region}.${suffix}`;
}
