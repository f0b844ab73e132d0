import { describe, expect, it } from "bun:test";
import {
  parseAwsConfig,
  profileSectionHeader,
  profileValues,
  resolveSsoLogin,
  resolveSsoProfile,
  selectProfileName,
} from "../../src/core/aws-config";
import { ConfigError, ProfileNotFoundError } from "../../src/core/errors";

const CONFIG = `# my config
[default]
region = us-east-1

[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Dev
region = eu-west-1
s3 =
    addressing_style = path

[profile 'my name']
output = json

[profile legacy]
sso_start_url = https://old.awsapps.com/start
sso_region = us-west-2
sso_account_id = 222222222222
sso_role_name = ReadOnly

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access, codecommit:read ,

[services local]
sso_oidc =
  endpoint_url = http://127.0.0.1:9000
sso =
  endpoint_url = http://127.0.0.1:9001

[preview]
cloudfront = true
`;
const CREDENTIALS = `[default]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret
[static]
aws_access_key_id = AKIASTATIC
aws_secret_access_key = s2
`;

describe("the AWS config model", () => {
  const cfg = parseAwsConfig(CONFIG, CREDENTIALS);

  it("reads [default] and [profile X] as profiles, unquoting names with shlex", () => {
    expect([...cfg.profiles.keys()]).toEqual(["default", "dev", "my name", "legacy"]);
  });
  it("reads sso-session and services sections", () => {
    expect(cfg.ssoSessions.get("corp")?.sso_region).toBe("us-east-1");
    expect(cfg.services.get("local")).toEqual({
      sso_oidc: { endpoint_url: "http://127.0.0.1:9000" },
      sso: { endpoint_url: "http://127.0.0.1:9001" },
    });
  });
  it("keeps nested profile values apart from scalar keys", () => {
    expect(cfg.profiles.get("dev")?.s3).toBeUndefined();
    expect(cfg.nested.get("dev")).toEqual({ s3: { addressing_style: "path" } });
  });
  it("ignores sections that are neither profiles, sessions nor services", () => {
    expect(cfg.profiles.has("preview")).toBe(false);
  });
  it("reads credentials-file profiles without a 'profile' prefix", () => {
    expect([...cfg.credentialProfiles.keys()]).toEqual(["default", "static"]);
  });
  it("merges the credentials file over the config file", () => {
    expect(profileValues(cfg, "default")).toEqual({
      region: "us-east-1",
      aws_access_key_id: "AKIAEXAMPLE",
      aws_secret_access_key: "secret",
    });
    expect(profileValues(cfg, "static")?.aws_access_key_id).toBe("AKIASTATIC");
    expect(profileValues(cfg, "nope")).toBeUndefined();
  });
  it("lets a later section for the same profile replace the earlier one whole, like botocore", () => {
    const c = parseAwsConfig('[profile dev]\na = 1\nb = 2\n[profile "dev"]\na = 3\n');
    expect(c.profiles.get("dev")).toEqual({ a: "3" });
  });
  it("lets [profile default] after [default] win", () => {
    expect(parseAwsConfig("[default]\na = 1\n[profile default]\nb = 2\n").profiles.get("default")).toEqual({ b: "2" });
  });
  it("ignores a profile header shlex cannot split into two words", () => {
    expect([...parseAwsConfig("[profile a b]\nx=1\n[profile 'x]\ny=2\n[profile]\nz=3\n").profiles.keys()]).toEqual([]);
  });
});

describe("selecting the profile", () => {
  const cases: Array<[string, string | undefined, Record<string, string>, { name: string; explicit: boolean; fromFlag: boolean }]> = [
    ["prefers --profile", "a", { AWS_PROFILE: "b", AWS_DEFAULT_PROFILE: "c" }, { name: "a", explicit: true, fromFlag: true }],
    ["then AWS_PROFILE", undefined, { AWS_PROFILE: "b", AWS_DEFAULT_PROFILE: "c" }, { name: "b", explicit: true, fromFlag: false }],
    ["then AWS_DEFAULT_PROFILE", undefined, { AWS_DEFAULT_PROFILE: "c" }, { name: "c", explicit: true, fromFlag: false }],
    ["then default, not explicit", undefined, {}, { name: "default", explicit: false, fromFlag: false }],
    ["treats an empty variable as unset", undefined, { AWS_PROFILE: "" }, { name: "default", explicit: false, fromFlag: false }],
  ];
  for (const [name, flag, env, expected] of cases) it(name, () => expect(selectProfileName(flag, env)).toEqual(expected));
});

describe("resolving what sso login signs into", () => {
  const cfg = parseAwsConfig(CONFIG, CREDENTIALS);
  it("uses --sso-session, parsing the scopes list", () => {
    expect(resolveSsoLogin(cfg, { ssoSession: "corp" })).toEqual({
      kind: "session",
      sessionName: "corp",
      startUrl: "https://corp.awsapps.com/start",
      region: "us-east-1",
      scopes: ["sso:account:access", "codecommit:read"],
    });
  });
  it("follows a profile's sso_session", () =>
    expect(resolveSsoLogin(cfg, { profile: "dev" })).toMatchObject({ kind: "session", sessionName: "corp" }));
  it("uses a legacy profile's own start URL", () =>
    expect(resolveSsoLogin(cfg, { profile: "legacy" })).toEqual({
      kind: "legacy",
      startUrl: "https://old.awsapps.com/start",
      region: "us-west-2",
    }));
  it("leaves scopes undefined when the session has none", () => {
    const c = parseAwsConfig("[sso-session s]\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-west-1\n");
    expect(resolveSsoLogin(c, { ssoSession: "s" })).not.toHaveProperty("scopes");
  });

  const errors: Array<[string, string, { profile?: string; ssoSession?: string }, string]> = [
    ["names an unknown session", CONFIG, { ssoSession: "nope" }, 'The specified sso-session does not exist: "nope"'],
    [
      "lists a session's missing keys",
      "[sso-session s]\nsso_start_url = https://x\n",
      { ssoSession: "s" },
      "Missing the following required SSO configuration values: sso_region.",
    ],
    [
      "lists a legacy profile's missing keys",
      "[profile p]\nregion = x\n",
      { profile: "p" },
      "Missing the following required SSO configuration values: sso_start_url, sso_region.",
    ],
    [
      "treats a missing default profile as unconfigured",
      "",
      {},
      "Missing the following required SSO configuration values: sso_start_url, sso_region.",
    ],
  ];
  for (const [name, text, opts, message] of errors) {
    it(name, () => {
      let caught: unknown;
      try {
        resolveSsoLogin(parseAwsConfig(text), opts);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as Error).message).toStartWith(message);
    });
  }
  it("refuses a named profile that is in neither file", () =>
    expect(() => resolveSsoLogin(cfg, { profile: "ghost" })).toThrow(ProfileNotFoundError));
});

describe("resolving an SSO role profile", () => {
  const cfg = parseAwsConfig(CONFIG, CREDENTIALS);
  it("merges the session into the profile", () => {
    expect(resolveSsoProfile(cfg, "dev")).toEqual({
      profile: "dev",
      accountId: "111111111111",
      roleName: "Dev",
      login: {
        kind: "session",
        sessionName: "corp",
        startUrl: "https://corp.awsapps.com/start",
        region: "us-east-1",
        scopes: ["sso:account:access", "codecommit:read"],
      },
    });
  });
  it("resolves a legacy profile", () =>
    expect(resolveSsoProfile(cfg, "legacy")?.login).toEqual({
      kind: "legacy",
      startUrl: "https://old.awsapps.com/start",
      region: "us-west-2",
    }));
  it("is undefined for a profile without account or role", () => {
    expect(resolveSsoProfile(cfg, "static")).toBeUndefined();
    expect(resolveSsoProfile(cfg, "ghost")).toBeUndefined();
  });

  const SESSION = "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";
  const errors: Array<[string, string, string]> = [
    [
      "refuses a start URL that differs between profile and session",
      `[profile p]\nsso_session = corp\nsso_start_url = https://other.awsapps.com/start\nsso_account_id = 1\nsso_role_name = R\n${SESSION}`,
      "The value for sso_start_url is inconsistent between profile (https://other.awsapps.com/start) and sso-session (https://corp.awsapps.com/start).",
    ],
    [
      "names a missing session",
      "[profile p]\nsso_session = gone\nsso_account_id = 1\nsso_role_name = R\n",
      'The specified sso-session does not exist: "gone"',
    ],
    [
      "lists missing keys in botocore's order",
      "[profile p]\nsso_account_id = 1\n",
      'The profile "p" is configured to use SSO but is missing required configuration: sso_role_name, sso_start_url, sso_region',
    ],
  ];
  for (const [name, text, message] of errors) {
    it(name, () => expect(() => resolveSsoProfile(parseAwsConfig(text), "p")).toThrow(message));
  }
  it("accepts a legacy start URL equal to the session's", () => {
    const text = `[profile p]\nsso_session = corp\nsso_start_url = https://corp.awsapps.com/start\nsso_account_id = 1\nsso_role_name = R\n${SESSION}`;
    expect(resolveSsoProfile(parseAwsConfig(text), "p")?.login.kind).toBe("session");
  });
});

describe("section headers the AWS CLI writes", () => {
  const cases: Array<[string, string]> = [
    ["default", "default"],
    ["dev", "profile dev"],
    ["my name", "profile 'my name'"],
  ];
  for (const [name, header] of cases) it(`writes ${name} as [${header}]`, () => expect(profileSectionHeader(name)).toBe(header));
});
