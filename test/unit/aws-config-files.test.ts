import { afterEach, describe, expect, it } from "bun:test";
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadAwsConfig, updateAwsConfig } from "../../src/store/aws-config-files";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sbx: Sandbox;
afterEach(() => sbx?.cleanup());

describe("the AWS config files on disk", () => {
  it("reads missing files as empty", () => {
    sbx = makeSandbox();
    const cfg = loadAwsConfig(sbx.env);
    expect(cfg.profiles.size + cfg.credentialProfiles.size).toBe(0);
  });

  it("reads both files from AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE", () => {
    sbx = makeSandbox();
    sbx.writeConfig("[profile dev]\nregion = eu-west-1\n");
    writeFileSync(sbx.awsCredentials, "[dev]\naws_access_key_id = AKIA1\n");
    const cfg = loadAwsConfig(sbx.env);
    expect(cfg.profiles.get("dev")).toEqual({ region: "eu-west-1" });
    expect(cfg.credentialProfiles.get("dev")).toEqual({ aws_access_key_id: "AKIA1" });
  });

  it("creates a new config file 0600, with its directory", () => {
    sbx = makeSandbox();
    const env = { ...sbx.env, AWS_CONFIG_FILE: join(sbx.home, "new", "dir", "config") };
    updateAwsConfig(env, "sso-session corp", { sso_start_url: "https://corp.awsapps.com/start" });
    expect(readFileSync(env.AWS_CONFIG_FILE, "utf8")).toBe("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n");
    expect(statSync(env.AWS_CONFIG_FILE).mode & 0o777).toBe(0o600);
  });

  it("keeps the mode of an existing file", () => {
    sbx = makeSandbox();
    sbx.writeConfig("[default]\nregion = x\n");
    chmodSync(sbx.awsConfig, 0o644);
    updateAwsConfig(sbx.env, "default", { output: "json" });
    expect(statSync(sbx.awsConfig).mode & 0o777).toBe(0o644);
    expect(readFileSync(sbx.awsConfig, "utf8")).toBe("[default]\nregion = x\noutput = json\n");
  });

  it("writes through a symlinked config instead of replacing the link", () => {
    sbx = makeSandbox();
    const target = sbx.path("dotfiles-config");
    writeFileSync(target, "[default]\n");
    rmSync(sbx.awsConfig, { force: true });
    symlinkSync(target, sbx.awsConfig);
    updateAwsConfig(sbx.env, "default", { region: "x" });
    expect(lstatSync(sbx.awsConfig).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).toBe("[default]\nregion = x\n");
  });

  it("does not create a file when there is nothing to write", () => {
    sbx = makeSandbox();
    updateAwsConfig(sbx.env, "profile gone", { region: null });
    expect(existsSync(sbx.awsConfig)).toBe(false);
  });

  it("leaves no temporary file behind", () => {
    sbx = makeSandbox();
    updateAwsConfig(sbx.env, "default", { region: "x" });
    expect(readdirSync(sbx.path(".aws"))).toEqual(["config"]);
  });

  // Every edit goes through the checks the configure wizards make (one write path).
  it("leaves a read-only config file as it is and says how to fix it", () => {
    sbx = makeSandbox();
    sbx.writeConfig("[default]\nregion = x\n");
    chmodSync(sbx.awsConfig, 0o444);
    expect(() => updateAwsConfig(sbx.env, "default", { output: "json" })).toThrow(
      `the AWS config file ${sbx.awsConfig} is read-only; nothing was written`,
    );
    expect(readFileSync(sbx.awsConfig, "utf8")).toBe("[default]\nregion = x\n");
  });

  it("refuses to edit a file botocore would refuse, naming the line", () => {
    sbx = makeSandbox();
    sbx.writeConfig("[default]\nregion = x\nnot an option\n");
    expect(() => updateAwsConfig(sbx.env, "default", { output: "json" })).toThrow(
      `${sbx.awsConfig} line 3: line is neither a [section], a key = value, nor a comment; nothing was written`,
    );
    expect(readFileSync(sbx.awsConfig, "utf8")).toBe("[default]\nregion = x\nnot an option\n");
  });
});
