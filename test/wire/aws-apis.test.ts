// whoami, repos and clone's repository check against the STS and CodeCommit stand-in, which verifies
// every SigV4 signature itself (test/fakes/aws-apis.ts; botocore proves the verifier in test/interop).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "bun:test";
import { run } from "../../src/cli/run";
import { testContext } from "../../src/platform/context";
import { createFakeAwsApis, type FakeAwsApis } from "../fakes/aws-apis";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const KEY = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  accountId: "111122223333",
  userName: "dana",
};
let apis: FakeAwsApis;
let server: { url: string; stop(): void };
let sandbox: Sandbox;

beforeAll(() => {
  apis = createFakeAwsApis({
    staticKeys: [KEY],
    pageSize: 2,
    repositories: [
      { name: "zeta" },
      { name: "alpha" },
      { name: "mid" },
      { name: "elsewhere", region: "eu-west-1" },
      { name: "other-account", accountId: "999999999999" },
    ],
  });
  server = apis.start();
});
afterAll(() => server.stop());
afterEach(() => sandbox?.cleanup());

function setup(config: string, credentials?: string) {
  sandbox = makeSandbox({ AWS_ENDPOINT_URL: server.url });
  sandbox.writeConfig(config);
  if (credentials !== undefined) Bun.write(sandbox.awsCredentials, credentials);
  return testContext({ env: sandbox.env });
}

const devProfile = `[profile dev]\nregion = us-west-2\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`;

describe("ccsso whoami", () => {
  it("shows the account, ARN and user id STS returns for the profile's keys", async () => {
    const t = setup(devProfile);
    expect(await run(["whoami", "--profile", "dev"], t.ctx)).toBe(0);
    expect(t.stdout()).toContain("111122223333");
    expect(t.stdout()).toContain("arn:aws:iam::111122223333:user/dana");
    expect(t.stdout()).toContain("profile dev");
    expect(apis.calls.at(-1)).toMatchObject({ service: "sts", operation: "GetCallerIdentity", region: "us-west-2", status: 200 });
  });

  it("prints the AWS CLI's keys with --json", async () => {
    const t = setup(devProfile);
    expect(await run(["whoami", "--profile", "dev", "--json"], t.ctx)).toBe(0);
    const out = JSON.parse(t.stdout());
    expect(out).toMatchObject({
      Account: "111122223333",
      Arn: "arn:aws:iam::111122223333:user/dana",
      Profile: "dev",
      Region: "us-west-2",
      CredentialSource: "static",
    });
    expect(out.UserId).toMatch(/^AIDA/);
  });

  it("uses the environment's keys when no profile is named", async () => {
    const t = setup("");
    Object.assign(t.ctx.env, {
      AWS_ACCESS_KEY_ID: KEY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey,
      AWS_REGION: "ca-central-1",
    });
    expect(await run(["whoami", "--json"], t.ctx)).toBe(0);
    expect(JSON.parse(t.stdout())).toMatchObject({ Account: "111122223333", Region: "ca-central-1", CredentialSource: "env" });
  });

  it("reports a refused signature in one line without the secret", async () => {
    const wrong = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGSECRET";
    const t = setup(`[profile dev]\nregion = us-west-2\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${wrong}\n`);
    expect(await run(["whoami", "--profile", "dev"], t.ctx)).toBe(1);
    expect(t.stderr()).toContain("SignatureDoesNotMatch");
    expect(t.stderr().trim().split("\n")).toHaveLength(1);
    expect(t.stderr()).not.toContain(wrong);
  });

  it("sends STS calls to AWS_ENDPOINT_URL_STS over the general AWS_ENDPOINT_URL", async () => {
    const t = setup(devProfile);
    t.ctx.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9";
    t.ctx.env.AWS_ENDPOINT_URL_STS = server.url;
    expect(await run(["whoami", "--profile", "dev"], t.ctx)).toBe(0);
  });

  it("names an unknown profile and the ones that exist", async () => {
    const t = setup(devProfile);
    expect(await run(["whoami", "--profile", "nope"], t.ctx)).toBe(1);
    expect(t.stderr()).toContain('profile "nope"');
    expect(t.stderr()).toContain("dev");
  });
});

describe("ccsso repos", () => {
  it("lists every repository of the account and region across pages, sorted, with both clone URLs", async () => {
    const t = setup(devProfile);
    const before = apis.calls.filter((c) => c.operation === "ListRepositories").length;
    expect(await run(["repos", "--profile", "dev"], t.ctx)).toBe(0);
    const lines = t.stdout().trim().split("\n");
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(["alpha", "mid", "zeta"]);
    expect(t.stdout()).toContain("https://git-codecommit.us-west-2.amazonaws.com/v1/repos/alpha");
    expect(t.stdout()).toContain("codecommit::us-west-2://dev@alpha");
    expect(apis.calls.filter((c) => c.operation === "ListRepositories").length - before).toBe(2);
  });

  it("asks the region given with --region", async () => {
    const t = setup(devProfile);
    expect(await run(["repos", "--profile", "dev", "--region", "eu-west-1", "--json"], t.ctx)).toBe(0);
    const names = JSON.parse(t.stdout()).map((r: { repositoryName: string }) => r.repositoryName);
    expect(names).toContain("elsewhere");
    expect(names).not.toContain("other-account");
  });

  it("asks for a region when the profile has none", async () => {
    const t = setup(`[profile dev]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`);
    expect(await run(["repos", "--profile", "dev"], t.ctx)).toBe(1);
    expect(t.stderr()).toContain("no AWS Region for profile dev");
    expect(t.stderr()).toContain("--region");
    // The file to edit, worked out as every other command works it out (AWS_CONFIG_FILE, else ~/.aws/config).
    expect(t.stderr()).toContain(`to the profile in ${t.ctx.env.AWS_CONFIG_FILE}`);
  });
});

describe("ccsso clone", () => {
  it("names the region and profile when the repository does not exist, before running git", async () => {
    const t = setup(devProfile);
    expect(await run(["clone", "no-such-repo", "--profile", "dev"], t.ctx)).toBe(1);
    expect(t.stderr()).toContain('repository "no-such-repo" does not exist in us-west-2 for profile dev');
    expect(t.stderr()).toContain("ccsso repos --profile dev --region us-west-2");
    expect(t.stderr().trim().split("\n")).toHaveLength(1);
  });
});

describe("messages from the first hour (each asserts the exact line)", () => {
  it("an endpoint that is not STS: the status and the endpoint, not 'HTTP 404:' with nothing after it", async () => {
    const empty404 = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(null, { status: 404 }) });
    try {
      const t = setup(devProfile);
      t.ctx.env.AWS_ENDPOINT_URL_STS = empty404.url.origin;
      expect(await run(["whoami", "--profile", "dev"], t.ctx)).toBe(1);
      expect(t.stderr()).toBe(
        `ccsso: STS GetCallerIdentity failed: HTTP 404 from ${empty404.url.origin}, which did not answer as STS — check the STS endpoint: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, or endpoint_url in the profile or its [services] section\n`,
      );
    } finally {
      empty404.stop(true);
    }
  });

  it("a mistyped --profile is 'not found' with a suggestion, not 'no AWS Region'", async () => {
    const t = setup(devProfile);
    expect(await run(["repos", "--profile", "dve"], t.ctx)).toBe(1);
    expect(t.stderr()).toBe(
      'ccsso: profile "dve" was not found in the AWS config — did you mean dev? available profiles: dev; or run: ccsso configure sso --profile dve\n',
    );
  });

  it("clone into a directory that exists says so, before any call", async () => {
    const t = setup(devProfile);
    const { mkdirSync, writeFileSync } = await import("node:fs");
    mkdirSync(sandbox.path("demo2"));
    writeFileSync(sandbox.path("demo2/file"), "x");
    t.ctx.cwd = sandbox.home;
    const before = apis.calls.length;
    expect(await run(["clone", "demo", "demo2", "--profile", "dev"], t.ctx)).toBe(2);
    expect(t.stderr()).toBe(
      'ccsso: destination "demo2" already exists and is not an empty directory — clone into another directory: ccsso clone demo demo2-2\n',
    );
    expect(apis.calls.length).toBe(before);
  });
});
