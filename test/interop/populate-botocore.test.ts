// The profiles `configure populate` writes — the ccsso_populated marker, sanitised names, the -<account>
// suffix — must read as ordinary SSO profiles in botocore (the AWS CLI, boto3) and in the JS SDK's own
// config loader. Both are run for real on a populated file.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { writeFileSync } from "node:fs";
import { planPopulate, type ReachableRole } from "../../src/core/populate";
import { corpSessionSection } from "../helpers/populate-fixture";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const roles: ReachableRole[] = [
  { accountId: "111111111111", accountName: "Team Web (prod)", roleName: "AdministratorAccess" },
  { accountId: "222222222222", accountName: "web", roleName: "ReadOnly" },
  { accountId: "333333333333", accountName: "web", roleName: "ReadOnly" },
  { accountId: "444444444444", accountName: "Développement", roleName: "Dev+Ops" },
];

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
  const text = planPopulate(`[default]\nregion = eu-west-1\n${corpSessionSection}`, roles, {
    session: "corp",
    template: "{account_name}.{role_name}",
    region: "us-east-1",
    prune: false,
  }).text;
  writeFileSync(sandbox.awsConfig, text);
});
afterEach(() => sandbox.cleanup());

const expected = {
  "Team-Web-prod.AdministratorAccess": ["111111111111", "AdministratorAccess"],
  "web.ReadOnly-222222222222": ["222222222222", "ReadOnly"],
  "web.ReadOnly-333333333333": ["333333333333", "ReadOnly"],
  "D-veloppement.Dev+Ops": ["444444444444", "Dev+Ops"],
};

describe("populated profiles as real AWS clients read them", () => {
  it("are SSO profiles to botocore, which ignores the marker key", async () => {
    const script = `
import botocore.session, json
s = botocore.session.Session()
out = {}
for name in s.available_profiles:
    c = botocore.session.Session(profile=name).get_scoped_config()
    out[name] = c
print(json.dumps(out))
`;
    const proc = Bun.spawn(["python3", "-c", script], { env: sandbox.env, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const profiles = JSON.parse(out) as Record<string, Record<string, string>>;
    for (const [name, [account, role]] of Object.entries(expected)) {
      expect(profiles[name]).toEqual({
        sso_session: "corp",
        sso_account_id: account!,
        sso_role_name: role!,
        region: "us-east-1",
        ccsso_populated: "true",
      });
    }
  });

  it("resolve through botocore's SSO provider configuration check without error", async () => {
    // SSOProvider._load_sso_config is what runs before any GetRoleCredentials; it must accept the profile.
    const script = `
import botocore.session, json
from botocore.credentials import SSOProvider
s = botocore.session.Session(profile="web.ReadOnly-222222222222")
p = SSOProvider(load_config=lambda: s.full_config, client_creator=s.create_client, profile_name="web.ReadOnly-222222222222", cache={})
print(json.dumps(p._load_sso_config()))
`;
    const proc = Bun.spawn(["python3", "-c", script], { env: sandbox.env, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      sso_account_id: "222222222222",
      sso_role_name: "ReadOnly",
      sso_start_url: "https://corp-example.awsapps.com/start",
      sso_region: "us-east-1",
    });
  });

  it("are read by the AWS SDK for JavaScript's shared config loader, names and all", async () => {
    const { loadSharedConfigFiles } = await import("@smithy/core/config");
    const files = await loadSharedConfigFiles({ configFilepath: sandbox.awsConfig, filepath: sandbox.awsCredentials, ignoreCache: true });
    for (const [name, [account, role]] of Object.entries(expected)) {
      expect(files.configFile[name]).toMatchObject({ sso_session: "corp", sso_account_id: account!, sso_role_name: role! });
    }
  });
});
