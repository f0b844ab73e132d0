// The three AWS CLI caches as files: exact format, permissions, and damage treated as a miss.
import { afterEach, describe, expect, it } from "bun:test";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { SsoLogin } from "../../src/core/types";
import { testContext } from "../../src/platform/context";
import { readRegistrationCache, registrationCachePath, writeRegistrationCache } from "../../src/store/registration-cache";
import {
  readRoleCredentialsCache,
  roleCredentialsCachePath,
  sweepSsoRoleCredentials,
  writeRoleCredentialsCache,
} from "../../src/store/role-credentials-cache";
import { deleteTokenCache, readTokenCache, tokenCachePath, writeTokenCache } from "../../src/store/token-cache";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const login: SsoLogin = {
  kind: "session",
  sessionName: "my-sso",
  startUrl: "https://my-sso-portal.awsapps.com/start",
  region: "us-east-1",
};
let sbx: Sandbox;
const ctxFor = (debug = false) => testContext({ env: sbx.env, debug });
afterEach(() => sbx?.cleanup());

const cliToken =
  '{"startUrl": "https://my-sso-portal.awsapps.com/start", "region": "us-east-1", "accessToken": "ACCESS-TOKEN-1", "expiresAt": "2025-01-02T04:04:05Z", "clientId": "CLIENTID", "clientSecret": "CLIENT-SECRET-1", "registrationExpiresAt": "2025-04-02T03:04:05Z", "refreshToken": "REFRESH-TOKEN-1"}';

describe("the SSO token cache", () => {
  it("writes the AWS CLI's one-line format, key order and file name", () => {
    sbx = makeSandbox();
    const path = writeTokenCache(sbx.env, login, {
      refreshToken: "REFRESH-TOKEN-1",
      accessToken: "ACCESS-TOKEN-1",
      startUrl: "https://my-sso-portal.awsapps.com/start",
      region: "us-east-1",
      expiresAt: "2025-01-02T04:04:05Z",
      clientId: "CLIENTID",
      clientSecret: "CLIENT-SECRET-1",
      registrationExpiresAt: "2025-04-02T03:04:05Z",
    });
    expect(path.endsWith("/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json")).toBe(true);
    expect(readFileSync(path, "utf8")).toBe(cliToken);
  });

  it("creates the file 0600 inside a 0700 directory", () => {
    sbx = makeSandbox();
    const path = writeTokenCache(sbx.env, login, { accessToken: "ACCESS-TOKEN-1", expiresAt: "2025-01-02T04:04:05Z" });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
  });

  it.each([
    ["the AWS CLI", cliToken, Date.UTC(2025, 0, 2, 4, 4, 5)],
    [
      "the JS SDK (pretty, milliseconds)",
      JSON.stringify({ accessToken: "ACCESS-TOKEN-1", expiresAt: "2025-01-02T04:04:05.500Z" }, null, 2),
      Date.UTC(2025, 0, 2, 4, 4, 5, 500),
    ],
    [
      "an old AWS CLI (…UTC)",
      '{"startUrl": "u", "region": "r", "accessToken": "ACCESS-TOKEN-1", "expiresAt": "2025-01-02T04:04:05UTC"}',
      Date.UTC(2025, 0, 2, 4, 4, 5),
    ],
  ])("reads a token written by %s", (_who, text, expiresAt) => {
    sbx = makeSandbox();
    mkdirSync(dirname(tokenCachePath(sbx.env, login)), { recursive: true });
    writeFileSync(tokenCachePath(sbx.env, login), text);
    const t = readTokenCache(ctxFor().ctx, login);
    expect(t?.token.accessToken).toBe("ACCESS-TOKEN-1");
    expect(t?.expiresAt).toBe(expiresAt);
  });

  it.each([
    ["empty", ""],
    ["truncated JSON", '{"accessToken": "ACC'],
    ["a JSON array", "[1,2]"],
    ["an accessToken of the wrong type", '{"accessToken": 42, "expiresAt": "2025-01-02T04:04:05Z"}'],
    ["no expiresAt", '{"accessToken": "ACCESS-TOKEN-1"}'],
    ["an unreadable expiresAt", '{"accessToken": "ACCESS-TOKEN-1", "expiresAt": "tomorrow"}'],
  ])("treats a file that is %s as missing, noting why under --debug", (_what, text) => {
    sbx = makeSandbox();
    mkdirSync(dirname(tokenCachePath(sbx.env, login)), { recursive: true });
    writeFileSync(tokenCachePath(sbx.env, login), text);
    const t = ctxFor(true);
    expect(readTokenCache(t.ctx, login)).toBeUndefined();
    expect(t.stderr()).toContain("debug: SSO token cache");
  });

  it("deletes the token file and reports whether there was one", () => {
    sbx = makeSandbox();
    writeTokenCache(sbx.env, login, { accessToken: "ACCESS-TOKEN-1", expiresAt: "2025-01-02T04:04:05Z" });
    expect(deleteTokenCache(sbx.env, login)).toBe(true);
    expect(deleteTokenCache(sbx.env, login)).toBe(false);
  });
});

describe("the client registration cache", () => {
  it("writes a PKCE registration in the AWS CLI's format under the CLI's key", () => {
    sbx = makeSandbox();
    writeRegistrationCache(
      sbx.env,
      { ...login, scopes: ["sso:account:access"] },
      {
        clientId: "CID",
        clientSecret: "CSECRET-1",
        expiresAt: "2025-04-02T03:04:05Z",
        scopes: ["sso:account:access"],
        grantTypes: ["authorization_code", "refresh_token"],
      },
    );
    const path = registrationCachePath(sbx.env, { ...login, scopes: ["sso:account:access"] });
    expect(path.endsWith("c5cfae6e3e4f067423a532368c8b514b6a4b0ace.json")).toBe(true);
    expect(readFileSync(path, "utf8")).toBe(
      '{"clientId": "CID", "clientSecret": "CSECRET-1", "expiresAt": "2025-04-02T03:04:05Z", "scopes": ["sso:account:access"], "grantTypes": ["authorization_code", "refresh_token"]}',
    );
  });

  it("writes a device registration without grantTypes or scopes when none were given", () => {
    sbx = makeSandbox();
    writeRegistrationCache(sbx.env, login, { clientId: "CID", clientSecret: "CSECRET-1", expiresAt: "2025-04-02T03:04:05Z" });
    expect(readFileSync(registrationCachePath(sbx.env, login), "utf8")).toBe(
      '{"clientId": "CID", "clientSecret": "CSECRET-1", "expiresAt": "2025-04-02T03:04:05Z"}',
    );
    expect(readRegistrationCache(ctxFor().ctx, login)).toMatchObject({ clientId: "CID", expiresAtMs: Date.UTC(2025, 3, 2, 3, 4, 5) });
  });

  it("treats a registration without a clientSecret as missing", () => {
    sbx = makeSandbox();
    mkdirSync(dirname(registrationCachePath(sbx.env, login)), { recursive: true });
    writeFileSync(registrationCachePath(sbx.env, login), '{"clientId": "CID", "expiresAt": "2025-04-02T03:04:05Z"}');
    expect(readRegistrationCache(ctxFor().ctx, login)).toBeUndefined();
  });
});

describe("the role credentials cache", () => {
  const creds = {
    accessKeyId: "ASIAEXAMPLE",
    secretAccessKey: "SECRET-KEY-1",
    sessionToken: "SESSION-TOKEN-1",
    expiration: Date.UTC(2025, 0, 2, 4, 4, 5),
    accountId: "123456789012",
  };

  it("writes the AWS CLI's ProviderType sso entry", () => {
    sbx = makeSandbox();
    writeRoleCredentialsCache(sbx.env, "31b260dab331b2af063485cea75f7b8b3cf54c71", creds);
    expect(readFileSync(roleCredentialsCachePath(sbx.env, "31b260dab331b2af063485cea75f7b8b3cf54c71"), "utf8")).toBe(
      '{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "SECRET-KEY-1", "SessionToken": "SESSION-TOKEN-1", "Expiration": "2025-01-02T04:04:05Z", "AccountId": "123456789012"}}',
    );
    expect(readRoleCredentialsCache(ctxFor().ctx, "31b260dab331b2af063485cea75f7b8b3cf54c71")).toEqual(creds);
  });

  it("treats an entry without Credentials as missing", () => {
    sbx = makeSandbox();
    mkdirSync(sbx.path(".aws", "cli", "cache"), { recursive: true });
    writeFileSync(roleCredentialsCachePath(sbx.env, "k"), '{"ProviderType": "sso"}');
    expect(readRoleCredentialsCache(ctxFor().ctx, "k")).toBeUndefined();
  });

  it("sweeps only ProviderType sso entries, as aws sso logout does", () => {
    sbx = makeSandbox();
    writeRoleCredentialsCache(sbx.env, "a", creds);
    writeFileSync(roleCredentialsCachePath(sbx.env, "b"), '{"Credentials": {}, "ProviderType": "assume-role"}');
    writeFileSync(roleCredentialsCachePath(sbx.env, "c"), "not json");
    expect(sweepSsoRoleCredentials(ctxFor().ctx)).toBe(1);
    expect(readFileSync(roleCredentialsCachePath(sbx.env, "b"), "utf8")).toContain("assume-role");
  });
});
