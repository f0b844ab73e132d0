import { afterEach, describe, expect, it } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loadSettings, profileForRepositoryUrl } from "../../src/store/settings";
import { settingsPath } from "../../src/platform/paths";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sbx: Sandbox;
afterEach(() => sbx?.cleanup());

function withSettings(text: string): Sandbox {
  sbx = makeSandbox();
  const p = settingsPath(sbx.env);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return sbx;
}

describe("ccsso's settings file", () => {
  it("is optional: no file means defaults", async () => {
    sbx = makeSandbox();
    const s = await loadSettings(sbx.env);
    expect(s).toMatchObject({
      exists: false,
      repositories: [],
      hosts: [],
      credentialHelper: { allowLogin: false },
      git: { cloneProtocol: "https" },
    });
  });

  it("reads every documented setting", async () => {
    withSettings(`
[credential_helper]
allow_login = true

[git]
clone_protocol = "codecommit"

[[repository]]
url = "https://git-codecommit.*.amazonaws.com/v1/repos/team-*"
profile = "team-dev"

[[host]]
host = "git.corp.example:8443"
region = "eu-central-1"
`);
    const s = await loadSettings(sbx.env);
    expect(s.credentialHelper.allowLogin).toBe(true);
    expect(s.git.cloneProtocol).toBe("codecommit");
    expect(s.repositories).toEqual([{ url: "https://git-codecommit.*.amazonaws.com/v1/repos/team-*", profile: "team-dev" }]);
    expect(s.hosts).toEqual([{ host: "git.corp.example:8443", region: "eu-central-1" }]);
  });

  it("names the file and line of a TOML syntax error", async () => {
    withSettings('[git]\nclone_protocol = "https\n');
    await expect(loadSettings(sbx.env)).rejects.toThrow(/config\.toml:2: /);
  });

  it("names the file, line and key of a wrong value", async () => {
    withSettings('[git]\n\nclone_protocol = "ssh"\n');
    await expect(loadSettings(sbx.env)).rejects.toThrow(/config\.toml:3: git\.clone_protocol must be "https" or "codecommit"/);
  });

  it("names the line of a bad key in the second [[host]] table", async () => {
    withSettings('[[host]]\nhost = "a.example"\nregion = "us-east-1"\n\n[[host]]\nhost = "b.example"\nregion = "nowhere"\n');
    await expect(loadSettings(sbx.env)).rejects.toThrow(/config\.toml:7: host\.region must be an AWS Region/);
  });

  it("refuses a misspelt key rather than ignoring it", async () => {
    withSettings("[credential_helper]\nallow-login = true\n");
    await expect(loadSettings(sbx.env)).rejects.toThrow(/config\.toml:2: credential_helper\.allow-login is not a known setting/);
  });

  it("reads [login] if_needed_threshold as a duration, one hour when absent", async () => {
    const bare = makeSandbox();
    expect((await loadSettings(bare.env)).login.ifNeededThresholdMs).toBe(3_600_000);
    bare.cleanup();
    withSettings('[login]\nif_needed_threshold = "1h30m"\n');
    expect((await loadSettings(sbx.env)).login.ifNeededThresholdMs).toBe(90 * 60_000);
    writeFileSync(settingsPath(sbx.env), '[login]\nif_needed_threshold = "0"\n');
    expect((await loadSettings(sbx.env)).login.ifNeededThresholdMs).toBe(0);
  });

  it("names the line of a threshold that is not a duration (a bare number is ambiguous)", async () => {
    withSettings('[login]\n\nif_needed_threshold = "60"\n');
    await expect(loadSettings(sbx.env)).rejects.toThrow(/config\.toml:3: login\.if_needed_threshold must be a duration/);
  });

  it("refuses a repository rule without a profile", async () => {
    withSettings('[[repository]]\nurl = "https://x/*"\n');
    await expect(loadSettings(sbx.env)).rejects.toThrow(/repository\.profile must be a non-empty string/);
  });
});

describe("choosing a profile for a repository URL", () => {
  const settings = {
    path: "x",
    exists: true,
    hosts: [],
    credentialHelper: { allowLogin: false },
    git: { cloneProtocol: "https" as const },
    login: { ifNeededThresholdMs: 3_600_000, copyUrl: false },
    ssoSessions: {},
    repositories: [
      { url: "https://git-codecommit.*.amazonaws.com/v1/repos/team-*", profile: "team" },
      { url: "https://git-codecommit.eu-west-1.amazonaws.com", profile: "europe" },
    ],
  };

  it("matches * within one segment", () => {
    expect(profileForRepositoryUrl(settings, "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/team-a")).toBe("team");
  });

  it("does not let * cross a slash", () => {
    expect(profileForRepositoryUrl(settings, "https://evil.com/x/git-codecommit.us-east-1.amazonaws.com/v1/repos/team-a")).toBeUndefined();
  });

  it("treats a pattern without a path as every repository on the host", () => {
    expect(profileForRepositoryUrl(settings, "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/other")).toBe("europe");
  });

  it.each([
    ["the default port", "https://git-codecommit.us-east-1.amazonaws.com:443/v1/repos/team-a", "team"],
    ["an upper-case host", "https://GIT-CODECOMMIT.EU-WEST-1.AMAZONAWS.COM/v1/repos/other", "europe"],
    ["a user name and the default port", "https://me@git-codecommit.eu-west-1.amazonaws.com:443/v1/repos/other", "europe"],
  ])("matches a URL with %s", (_what, url, profile) => {
    expect(profileForRepositoryUrl(settings, url)).toBe(profile);
  });

  it("matches a rule written with :443 against a URL without it", () => {
    const withPort = {
      ...settings,
      repositories: [{ url: "https://Git-CodeCommit.eu-west-1.amazonaws.com:443/v1/repos/*", profile: "p" }],
    };
    expect(profileForRepositoryUrl(withPort, "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/x")).toBe("p");
  });

  it("keeps another port significant", () => {
    expect(profileForRepositoryUrl(settings, "https://git-codecommit.eu-west-1.amazonaws.com:8443/v1/repos/other")).toBeUndefined();
  });

  it("gives no profile when nothing matches", () => {
    expect(profileForRepositoryUrl(settings, "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/other")).toBeUndefined();
  });
});
