// `ccsso configure sso-session` in a real terminal: the AWS CLI's questions, Enter keeps a default,
// Ctrl-C leaves the config exactly as it was (exit 130).
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { compiledBinary } from "../helpers/ccsso";
import { keys, runInPty } from "../helpers/pty";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sbx: Sandbox;
beforeEach(() => {
  sbx = makeSandbox();
  sbx.writeConfig("# mine\n[default]\nregion = us-east-1\n");
});
afterEach(() => sbx.cleanup());

const wizard = (steps: Parameters<typeof runInPty>[1]["steps"]) =>
  runInPty([compiledBinary, "configure", "sso-session"], { env: sbx.env, steps });

describe("configure sso-session at a terminal", () => {
  it("asks four questions and writes the session after the existing config", async () => {
    const r = await wizard([
      { expect: "SSO session name: " },
      { send: "corp" + keys.enter },
      { expect: "SSO start URL \\[None\\]: " },
      { send: "https://corp.awsapps.com/start" + keys.enter },
      { expect: "SSO region \\[None\\]: " },
      { send: "eu-west-1" + keys.enter },
      { expect: "SSO registration scopes \\[sso:account:access\\]: " },
      { send: keys.enter },
      { expect: "ccsso sso login --sso-session corp" },
    ]);
    expect(r.failed).toBeNull();
    expect(r.code).toBe(0);
    expect(readFileSync(sbx.awsConfig, "utf8")).toBe(
      "# mine\n[default]\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n",
    );
  });

  it("leaves the config untouched on Ctrl-C and exits 130", async () => {
    const r = await wizard([
      { expect: "SSO session name: " },
      { send: "corp" + keys.enter },
      { expect: "SSO start URL" },
      { send: keys.ctrlC },
    ]);
    expect(r.failed).toBeNull();
    expect(r.code).toBe(130);
    expect(r.screen).toContain("ccsso: interrupted: nothing was written");
    expect(readFileSync(sbx.awsConfig, "utf8")).toBe("# mine\n[default]\nregion = us-east-1\n");
  });
});
