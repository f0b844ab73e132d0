// botocore is the oracle for the STS/CodeCommit stand-in: its own SigV4 signer must be accepted, a wrong
// secret refused, and its parsers must read the stand-in's XML and JSON 1.1 answers and errors.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createFakeAwsApis } from "../fakes/aws-apis";
import { makeSandbox } from "../helpers/sandbox";

const KEY = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", accountId: "111122223333" };
const apis = createFakeAwsApis({ staticKeys: [KEY], pageSize: 1, repositories: [{ name: "b" }, { name: "a" }, { name: "c/d.e_f-g" }] });
let server: { url: string; stop(): void };
beforeAll(() => {
  server = apis.start();
});
afterAll(() => server.stop());

const script = `
import boto3, json, sys, botocore.exceptions
url, secret = sys.argv[1], sys.argv[2]
s = boto3.session.Session(aws_access_key_id="${KEY.accessKeyId}", aws_secret_access_key=secret, region_name="eu-central-1")
out = {}
try:
    out["identity"] = s.client("sts", endpoint_url=url).get_caller_identity()
    cc = s.client("codecommit", endpoint_url=url)
    out["repos"] = [r["repositoryName"] for p in cc.get_paginator("list_repositories").paginate() for r in p["repositories"]]
    out["repo"] = cc.get_repository(repositoryName="a")["repositoryMetadata"]["cloneUrlHttp"]
    try:
        cc.get_repository(repositoryName="missing")
    except cc.exceptions.RepositoryDoesNotExistException as e:
        out["missing"] = e.response["Error"]["Code"]
except botocore.exceptions.ClientError as e:
    out["error"] = e.response["Error"]["Code"]
out.get("identity", {}).pop("ResponseMetadata", None)
print(json.dumps(out))
`;

// Asynchronous spawn: the stand-in runs in this process and must keep answering while python waits.
async function boto(secret: string) {
  const sandbox = makeSandbox();
  const proc = Bun.spawn(["python3", "-c", script, server.url, secret], { env: sandbox.env, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  sandbox.cleanup();
  if (code !== 0) throw new Error(err);
  return JSON.parse(out);
}

describe("the STS and CodeCommit stand-in, as botocore sees it", () => {
  // botocore's import alone takes about a second on these machines.
  it("accepts botocore's signatures and answers in the shapes its parsers expect", async () => {
    const out = await boto(KEY.secretAccessKey);
    expect(out.identity).toMatchObject({ Account: "111122223333", Arn: "arn:aws:iam::111122223333:user/developer" });
    expect(out.repos).toEqual(["a", "b", "c/d.e_f-g"]);
    expect(out.repo).toBe("https://git-codecommit.eu-central-1.amazonaws.com/v1/repos/a");
    expect(out.missing).toBe("RepositoryDoesNotExistException");
  }, 30_000);

  it("refuses a signature made with the wrong secret, as AWS does", async () => {
    expect((await boto("not-the-right-secret-at-all-000000000000")).error).toBe("SignatureDoesNotMatch");
  }, 30_000);
});
