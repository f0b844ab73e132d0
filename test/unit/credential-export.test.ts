import { describe, expect, it } from "bun:test";
import {
  formatExportedCredentials,
  nextProfileChain,
  parseProfileChain,
  pythonIsoformatUtc,
  serializeProfileChain,
  type ExportFormat,
} from "../../src/core/credential-export";
import { ConfigError } from "../../src/core/errors";
import type { AwsCredentials } from "../../src/core/types";

const SSO: AwsCredentials = {
  accessKeyId: "ASIAEXAMPLE",
  secretAccessKey: "SECRETKEY",
  sessionToken: "TOKEN",
  expiration: new Date(Date.UTC(2025, 0, 2, 4, 4, 5)),
  accountId: "123456789012",
  source: "sso",
};
const STATIC: AwsCredentials = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "SECRETKEY", source: "static" };

describe("export-credentials output, as the AWS CLI prints it", () => {
  const cases: Array<[ExportFormat, AwsCredentials, string]> = [
    [
      "process",
      SSO,
      '{\n  "Version": 1,\n  "AccessKeyId": "ASIAEXAMPLE",\n  "SecretAccessKey": "SECRETKEY",\n  "SessionToken": "TOKEN",\n  "Expiration": "2025-01-02T04:04:05+00:00"\n}\n',
    ],
    ["process", STATIC, '{\n  "Version": 1,\n  "AccessKeyId": "AKIAEXAMPLE",\n  "SecretAccessKey": "SECRETKEY"\n}\n'],
    [
      "env",
      SSO,
      "export AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nexport AWS_SECRET_ACCESS_KEY=SECRETKEY\nexport AWS_SESSION_TOKEN=TOKEN\nexport AWS_CREDENTIAL_EXPIRATION=2025-01-02T04:04:05+00:00\n",
    ],
    ["env", STATIC, "export AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nexport AWS_SECRET_ACCESS_KEY=SECRETKEY\n"],
    [
      "env-no-export",
      SSO,
      "AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nAWS_SECRET_ACCESS_KEY=SECRETKEY\nAWS_SESSION_TOKEN=TOKEN\nAWS_CREDENTIAL_EXPIRATION=2025-01-02T04:04:05+00:00\n",
    ],
    [
      "powershell",
      SSO,
      '$Env:AWS_ACCESS_KEY_ID="ASIAEXAMPLE"\n$Env:AWS_SECRET_ACCESS_KEY="SECRETKEY"\n$Env:AWS_SESSION_TOKEN="TOKEN"\n$Env:AWS_CREDENTIAL_EXPIRATION="2025-01-02T04:04:05+00:00"\n',
    ],
    [
      "windows-cmd",
      SSO,
      "set AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nset AWS_SECRET_ACCESS_KEY=SECRETKEY\nset AWS_SESSION_TOKEN=TOKEN\nset AWS_CREDENTIAL_EXPIRATION=2025-01-02T04:04:05+00:00\n",
    ],
    [
      "fish",
      SSO,
      'set -gx AWS_ACCESS_KEY_ID "ASIAEXAMPLE"\nset -gx AWS_SECRET_ACCESS_KEY "SECRETKEY"\nset -gx AWS_SESSION_TOKEN "TOKEN"\nset -gx AWS_CREDENTIAL_EXPIRATION "2025-01-02T04:04:05+00:00"\n',
    ],
  ];
  for (const [format, creds, text] of cases) {
    it(`prints ${format} for ${creds.source} credentials`, () => expect(formatExportedCredentials(creds, format)).toBe(text));
  }

  it("writes expiry like Python's isoformat: +00:00, microseconds only when present", () => {
    expect(pythonIsoformatUtc(new Date(Date.UTC(2025, 0, 2, 4, 4, 5)))).toBe("2025-01-02T04:04:05+00:00");
    expect(pythonIsoformatUtc(new Date(Date.UTC(2025, 0, 2, 4, 4, 5, 120)))).toBe("2025-01-02T04:04:05.120000+00:00");
  });
});

describe("the _AWS_CLI_PROFILE_CHAIN loop guard", () => {
  it("starts a chain with the profile", () => expect(nextProfileChain(undefined, "dev")).toBe("dev"));
  it("appends to an existing chain", () => expect(nextProfileChain("a,b", "dev")).toBe("a,b,dev"));
  it("refuses a profile already in the chain, naming the cycle", () => {
    expect(() => nextProfileChain("a,dev", "dev")).toThrow(
      "Credential process resolution detected an infinite loop, profile cycle: a -> dev -> dev",
    );
  });
  it("refuses a fifth level", () => {
    expect(() => nextProfileChain("a,b,c,d", "e")).toThrow(
      "Maximum recursive credential process resolution reached (4). Profiles seen: a -> b -> c -> d",
    );
    expect(() => nextProfileChain("a,b,c,d", "e")).toThrow(ConfigError);
  });
  it("reads and writes CSV like Python's csv module", () => {
    expect(parseProfileChain("")).toEqual([]);
    expect(parseProfileChain('a,"b,c","d""e"')).toEqual(["a", "b,c", 'd"e']);
    expect(serializeProfileChain(["a", "b,c", 'd"e'])).toBe('a,"b,c","d""e"');
  });
});
