// AWS Regions: the partitions (botocore's partitions.json — which DNS suffix a Region's hosts use and
// which Regions each partition lists) and the one rule every Region value is checked by, whether it was
// typed as a flag, answered at a prompt, read from a config file or taken from a URL.
import { didYouMean } from "./did-you-mean";

export interface Partition {
  name: string;
  regionRegex: RegExp;
  dnsSuffix: string;
  dualStackDnsSuffix: string;
  /** The Regions the partition lists today (botocore 1.43's partitions.json). */
  regions: readonly string[];
}

// `aws` is last: it is the fallback for a Region no other partition claims (aws.partition's default),
// so a brand-new commercial Region still resolves.
export const PARTITIONS: readonly Partition[] = [
  {
    name: "aws-cn",
    regionRegex: /^cn-\w+-\d+$/,
    dnsSuffix: "amazonaws.com.cn",
    dualStackDnsSuffix: "api.amazonwebservices.com.cn",
    regions: ["cn-north-1", "cn-northwest-1"],
  },
  {
    name: "aws-us-gov",
    regionRegex: /^us-gov-\w+-\d+$/,
    dnsSuffix: "amazonaws.com",
    dualStackDnsSuffix: "api.aws",
    regions: ["us-gov-east-1", "us-gov-west-1"],
  },
  {
    name: "aws-eusc",
    regionRegex: /^eusc-(de)-\w+-\d+$/,
    dnsSuffix: "amazonaws.eu",
    dualStackDnsSuffix: "api.amazonwebservices.eu",
    regions: ["eusc-de-east-1"],
  },
  {
    name: "aws-iso",
    regionRegex: /^us-iso-\w+-\d+$/,
    dnsSuffix: "c2s.ic.gov",
    dualStackDnsSuffix: "api.aws.ic.gov",
    regions: ["us-iso-east-1", "us-iso-west-1"],
  },
  {
    name: "aws-iso-b",
    regionRegex: /^us-isob-\w+-\d+$/,
    dnsSuffix: "sc2s.sgov.gov",
    dualStackDnsSuffix: "api.aws.scloud",
    regions: ["us-isob-east-1", "us-isob-west-1"],
  },
  {
    name: "aws-iso-e",
    regionRegex: /^eu-isoe-\w+-\d+$/,
    dnsSuffix: "cloud.adc-e.uk",
    dualStackDnsSuffix: "api.cloud-aws.adc-e.uk",
    regions: ["eu-isoe-west-1"],
  },
  {
    name: "aws-iso-f",
    regionRegex: /^us-isof-\w+-\d+$/,
    dnsSuffix: "csp.hci.ic.gov",
    dualStackDnsSuffix: "api.aws.hci.ic.gov",
    regions: ["us-isof-east-1", "us-isof-south-1"],
  },
  {
    name: "aws",
    regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
    dnsSuffix: "amazonaws.com",
    dualStackDnsSuffix: "api.aws",
    regions: [
      "af-south-1",
      "ap-east-1",
      "ap-east-2",
      "ap-northeast-1",
      "ap-northeast-2",
      "ap-northeast-3",
      "ap-south-1",
      "ap-south-2",
      "ap-southeast-1",
      "ap-southeast-2",
      "ap-southeast-3",
      "ap-southeast-4",
      "ap-southeast-5",
      "ap-southeast-6",
      "ap-southeast-7",
      "ca-central-1",
      "ca-west-1",
      "eu-central-1",
      "eu-central-2",
      "eu-north-1",
      "eu-south-1",
      "eu-south-2",
      "eu-west-1",
      "eu-west-2",
      "eu-west-3",
      "il-central-1",
      "me-central-1",
      "me-south-1",
      "mx-central-1",
      "sa-east-1",
      "us-east-1",
      "us-east-2",
      "us-west-1",
      "us-west-2",
    ],
  },
];

export const KNOWN_REGIONS: readonly string[] = PARTITIONS.flatMap((p) => p.regions);

export function partitionOf(region: string): Partition {
  return PARTITIONS.find((p) => p.regionRegex.test(region)) ?? PARTITIONS[PARTITIONS.length - 1]!;
}

/**
 * How every Region is spelled: a short area, words, a number (us-east-1, us-gov-west-1, cn-north-1,
 * eusc-de-east-1). Only a name of this shape is ever put into a host name, so a URL, a path or a
 * space cannot reach one.
 */
const REGION_SHAPE = /^[a-z]{2,4}(?:-[a-z0-9]+)+-\d+$/;

/** The flag that accepts a Region newer than the list above (named in the messages). */
export const ALLOW_UNKNOWN_REGION_FLAG = "--allow-unknown-region";

/**
 * Why `text` cannot be used as a Region, as one sentence, or undefined when it can. A name must have a
 * Region's shape; unless `allowUnknown`, it must also be a Region a partition lists, and a near miss
 * (`us-esat-1`) is answered with the Region meant. Values read from files and URLs are checked with
 * `allowUnknown` (the AWS CLI resolves new Regions without knowing them; so does ccsso); values a person
 * types are checked against the list, with the flag above as the way past it.
 */
export function regionProblem(text: string, opts: { allowUnknown?: boolean } = {}): string | undefined {
  if (!REGION_SHAPE.test(text)) return `Not a valid Region: ${text} (Regions look like us-east-1)`;
  if (opts.allowUnknown || KNOWN_REGIONS.includes(text)) return undefined;
  const guesses = didYouMean(text, KNOWN_REGIONS);
  const newer = `for a Region newer than this ccsso, pass ${ALLOW_UNKNOWN_REGION_FLAG}`;
  return guesses.length > 0
    ? `Unknown Region: ${text}; did you mean ${guesses.join(" or ")}? (${newer})`
    : `Unknown Region: ${text} (${newer})`;
}

/** Does `text` have a Region's shape? (For telling a Region from other words in host names and URLs.) */
export function isRegionName(text: string): boolean {
  return regionProblem(text, { allowUnknown: true }) === undefined;
}
