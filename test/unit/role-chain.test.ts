// Reading role_arn profiles as botocore's AssumeRoleProvider does: where the chain ends, which
// arguments each AssumeRole carries, and the configurations it refuses (each in one line).
import { describe, expect, it } from "bun:test";
import { parseAwsConfig } from "../../src/core/aws-config";
import { resolveRoleChain } from "../../src/core/role-chain";

const R1 = "arn:aws:iam::222222222222:role/One";
const R2 = "arn:aws:iam::333333333333:role/Two";
const chain = (config: string, credentials = "", profile = "p") => resolveRoleChain(parseAwsConfig(config, credentials), profile);
const refusal = (config: string, credentials = "") => {
  try {
    chain(config, credentials);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("not refused");
};

describe("resolveRoleChain", () => {
  it("follows source_profile through roles to the profile with its own credentials", () => {
    const c = chain(
      `[profile p]\nrole_arn = ${R2}\nsource_profile = q\n[profile q]\nrole_arn = ${R1}\nsource_profile = sso\n[profile sso]\nsso_session = x\n`,
    );
    expect(c.source).toEqual({ kind: "profile", profile: "sso" });
    expect(c.steps.map((s) => [s.profile, s.args.RoleArn])).toEqual([
      ["q", R1],
      ["p", R2],
    ]);
  });

  it("passes each optional key that is present, and duration_seconds only when it is an integer", () => {
    const c = chain(
      `[profile p]\nrole_arn = ${R1}\nsource_profile = k\nrole_session_name = ana\nexternal_id =\nmfa_serial = arn:aws:iam::1:mfa/x\nduration_seconds = 7200\n[profile k]\naws_access_key_id = A\n`,
    );
    expect(c.steps[0]!.args).toEqual({
      RoleArn: R1,
      RoleSessionName: "ana",
      ExternalId: "",
      SerialNumber: "arn:aws:iam::1:mfa/x",
      DurationSeconds: 7200,
    });
    expect(
      chain(`[profile p]\nrole_arn = ${R1}\nsource_profile = k\nduration_seconds = 1h\n[profile k]\naws_access_key_id = A\n`).steps[0]!
        .args,
    ).toEqual({ RoleArn: R1 });
  });

  it("stops at a source with access keys even when it also has role_arn, and lets a profile with keys name itself", () => {
    expect(
      chain(`[profile p]\nrole_arn = ${R1}\nsource_profile = k\n[profile k]\nrole_arn = ${R2}\nsource_profile = p\naws_access_key_id = A\n`)
        .source,
    ).toEqual({ kind: "profile", profile: "k" });
    expect(
      chain(`[profile p]\nrole_arn = ${R1}\nsource_profile = p\n`, `[p]\naws_access_key_id = A\naws_secret_access_key = B\n`).source,
    ).toEqual({ kind: "profile", profile: "p" });
  });

  it("refuses loops, missing and doubled sources", () => {
    expect(refusal(`[profile p]\nrole_arn = ${R1}\nsource_profile = p\n`)).toBe("profile p: source_profile loop p → p");
    expect(
      refusal(
        `[profile p]\nrole_arn = ${R1}\nsource_profile = q\n[profile q]\nrole_arn = ${R2}\nsource_profile = r\n[profile r]\nrole_arn = ${R2}\nsource_profile = q\n`,
      ),
    ).toBe("profile p: source_profile loop p → q → r → q");
    expect(refusal(`[profile p]\nrole_arn = ${R1}\nsource_profile = nope\n`)).toBe('profile p: source_profile "nope" does not exist');
    expect(refusal(`[profile p]\nrole_arn = ${R1}\n`)).toBe("profile p has role_arn but neither source_profile nor credential_source");
    expect(refusal(`[profile p]\nrole_arn = ${R1}\nsource_profile = p\ncredential_source = Environment\n`)).toBe(
      "profile p has both source_profile and credential_source",
    );
    expect(refusal(`[profile p]\nrole_arn = ${R1}\ncredential_source = Laptop\n`)).toBe(
      'profile p: credential_source "Laptop" is not valid',
    );
  });

  it("names the credential source at the bottom", () => {
    expect(chain(`[profile p]\nrole_arn = ${R1}\ncredential_source = Environment\n`).source).toEqual({ kind: "environment" });
    expect(chain(`[profile p]\nrole_arn = ${R1}\ncredential_source = Ec2InstanceMetadata\n`).source).toEqual({
      kind: "unsupported",
      credentialSource: "Ec2InstanceMetadata",
    });
  });
});
