// The one Region rule: a Region's shape always, the known list unless told otherwise, and the Region
// meant for a near miss — checked where a person types it (flags, prompts) and where ccsso reads it.
import { afterEach, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { run as configureSsoSession } from "../../src/cli/configure-sso-session";
import { run } from "../../src/cli/run";
import { isRegionName, KNOWN_REGIONS, partitionOf, regionProblem } from "../../src/core/regions";
import { testContext } from "../../src/platform/context";
import { scriptedPrompter } from "../../src/platform/prompt";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const NEWER = "for a Region newer than this ccsso, pass --allow-unknown-region";

describe("regionProblem", () => {
  it.each(["us-east-1", "eu-central-2", "us-gov-west-1", "cn-northwest-1", "eusc-de-east-1", "us-isob-east-1", "mx-central-1"])(
    "accepts %s",
    (r) => {
      expect(regionProblem(r)).toBeUndefined();
    },
  );

  it.each([
    ["us-esat-1", `Unknown Region: us-esat-1; did you mean us-east-1? (${NEWER})`],
    ["eu-wset-2", `Unknown Region: eu-wset-2; did you mean eu-west-2? (${NEWER})`],
    ["us-east-3", `Unknown Region: us-east-3; did you mean us-east-1 or us-east-2? (${NEWER})`],
    ["xx-newplace-1", `Unknown Region: xx-newplace-1 (${NEWER})`],
    ["nowhere-9", "Not a valid Region: nowhere-9 (Regions look like us-east-1)"],
    ["eu west", "Not a valid Region: eu west (Regions look like us-east-1)"],
    ["US-EAST-1", "Not a valid Region: US-EAST-1 (Regions look like us-east-1)"],
    ["https://us-east-1", "Not a valid Region: https://us-east-1 (Regions look like us-east-1)"],
  ])("refuses %p: %s", (r, why) => {
    expect(regionProblem(r)).toBe(why);
  });

  it("lets a well-formed Region newer than the list through when allowed, never a malformed one", () => {
    expect(regionProblem("xx-newplace-1", { allowUnknown: true })).toBeUndefined();
    expect(regionProblem("nowhere-9", { allowUnknown: true })).toBe("Not a valid Region: nowhere-9 (Regions look like us-east-1)");
    expect(isRegionName("xx-newplace-1")).toBe(true);
    expect(isRegionName("evil.com")).toBe(false);
  });

  it("knows every Region of every partition, and each belongs to the partition that lists it", () => {
    expect(KNOWN_REGIONS.length).toBeGreaterThan(40);
    for (const r of KNOWN_REGIONS) expect(regionProblem(r)).toBeUndefined();
    expect(partitionOf("cn-north-1").name).toBe("aws-cn");
    expect(partitionOf("us-gov-east-1").name).toBe("aws-us-gov");
    expect(partitionOf("xx-newplace-1").name).toBe("aws");
  });
});

let sbx: Sandbox;
afterEach(() => sbx?.cleanup());

async function ccsso(...argv: string[]) {
  const t = testContext({ env: sbx.env });
  const code = await run(argv, t.ctx);
  return { code, stdout: t.stdout(), stderr: t.stderr() };
}
const session = ["configure", "sso-session", "--sso-session", "corp", "--start-url", "https://corp.awsapps.com/start", "--no-input"];

describe("Region flags", () => {
  it.each([
    [[...session, "--sso-region", "us-esat-1"], `ccsso: --sso-region: Unknown Region: us-esat-1; did you mean us-east-1? (${NEWER})`],
    [[...session, "--sso-region", "nowhere-9"], "ccsso: --sso-region: Not a valid Region: nowhere-9 (Regions look like us-east-1)"],
    [
      [...session, "--sso-region", "nowhere-9", "--allow-unknown-region"],
      "ccsso: --sso-region: Not a valid Region: nowhere-9 (Regions look like us-east-1)",
    ],
    [
      ["configure", "sso", "--profile", "dev", "--region", "eu-wset-1", "--no-input"],
      `ccsso: --region: Unknown Region: eu-wset-1; did you mean eu-west-1? (${NEWER})`,
    ],
    [["repos", "--region", "us-esat-1"], `ccsso: --region: Unknown Region: us-esat-1; did you mean us-east-1? (${NEWER})`],
    [["clone", "demo", "--region", "us-wset-2"], `ccsso: --region: Unknown Region: us-wset-2; did you mean us-west-2? (${NEWER})`],
    [
      ["configure", "populate", "--region", "eu-centrl-1"],
      `ccsso: --region: Unknown Region: eu-centrl-1; did you mean eu-central-1? (${NEWER})`,
    ],
  ])("%p is refused before anything happens", async (argv, line) => {
    sbx = makeSandbox();
    const r = await ccsso(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(line + "\n");
    expect(() => readFileSync(sbx.awsConfig, "utf8")).toThrow();
  });

  it("writes a Region newer than the list with --allow-unknown-region", async () => {
    sbx = makeSandbox();
    const r = await ccsso(...session, "--sso-region", "xx-newplace-1", "--allow-unknown-region");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readFileSync(sbx.awsConfig, "utf8")).toContain("sso_region = xx-newplace-1\n");
  });

  it("asks again at the prompt for a mistyped Region, naming the one meant", async () => {
    sbx = makeSandbox();
    const t = testContext({ env: sbx.env });
    const p = scriptedPrompter(["corp", "https://corp.awsapps.com/start", "us-esat-1", "us-east-1", ""]);
    expect(await configureSsoSession({}, [], t.ctx, p)).toBe(0);
    expect(t.stdout()).toContain(`Unknown Region: us-esat-1; did you mean us-east-1? (${NEWER})`);
    expect(p.asked.filter((q) => q.startsWith("SSO region"))).toHaveLength(2);
    expect(readFileSync(sbx.awsConfig, "utf8")).toContain("sso_region = us-east-1\n");
  });
});
