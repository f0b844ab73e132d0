// A start URL on the organisation's own domain that redirects to the AWS access portal: sso login (both
// flows), refresh, configure sso and configure sso-session against the vanity-URL redirector (https with a
// private CA, trusted only through AWS_CA_BUNDLE) and the Identity Center stand-in, whose request log shows
// which URL reached IAM Identity Center. The places each URL goes are the AWS CLI's (docs/protocols.md §3.9).
import { afterEach, describe, expect, it } from "bun:test";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loginSso } from "../../src/auth/login";
import { getSsoToken } from "../../src/auth/sso-token";
import { configureSso, type WizardTerminal } from "../../src/cli/configure-sso";
import { run as configureSsoSession } from "../../src/cli/configure-sso-session";
import { renderError } from "../../src/cli/render-error";
import { parseAwsConfig, resolveSsoLogin } from "../../src/core/aws-config";
import { testContext } from "../../src/platform/context";
import { scriptedPrompter } from "../../src/platform/prompt";
import { registrationCachePath } from "../../src/store/registration-cache";
import { tokenCachePath } from "../../src/store/token-cache";
import { createHash } from "node:crypto";
import { SSO_CONFIG, ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";
import { startVanityRedirector, type VanityRedirector, type VanityRedirectorOptions } from "../fakes/vanity-redirector";

const PORTAL = "https://ssoins-7223a1b2c3d4e5f6.portal.eu-west-1.app.aws";
const noDisplay = { BROWSER: "", DISPLAY: "", WAYLAND_DISPLAY: "", SSH_CONNECTION: "", SSH_TTY: "", SSH_CLIENT: "" };

let w: SsoWorld | undefined;
let vanity: VanityRedirector | undefined;
afterEach(async () => {
  await w?.close();
  await vanity?.close();
  w = vanity = undefined;
});

/** The usual world plus a `[sso-session v]` and a legacy `[profile old]` whose start URL is the redirector. */
function vanityWorld(redirect: Partial<VanityRedirectorOptions> = {}, env: Record<string, string> = { BROWSER: "curl -fsSL" }) {
  vanity = startVanityRedirector({ location: PORTAL + "/", ...redirect });
  const text =
    SSO_CONFIG +
    `[profile vdev]\nsso_session = v\nsso_account_id = 111111111111\nsso_role_name = Developer\n` +
    `[sso-session v]\nsso_start_url = ${vanity.url}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n` +
    `[profile old]\nsso_start_url = ${vanity.url}\nsso_region = us-east-1\nsso_account_id = 111111111111\nsso_role_name = Developer\n`;
  w = ssoWorld({ env: { AWS_CA_BUNDLE: vanity.caFile, ...env } });
  w.sbx.writeConfig(text);
  w.cfg = parseAwsConfig(text);
  return { world: w, vanity };
}

const configText = () => readFileSync(w!.sbx.awsConfig, "utf8");

describe("sso login with a vanity start URL", () => {
  it("registers with the portal URL the redirect names, caches under the configured URL and saves the region", async () => {
    const { world, vanity } = vanityWorld();
    const login = resolveSsoLogin(world.cfg, { ssoSession: "v" });
    const r = await loginSso(world.t.ctx, world.cfg, login, { profile: "vdev" });
    expect(r.flow).toBe("pkce");
    expect(vanity.log).toEqual([{ method: "HEAD", path: "/start" }]);
    // issuerUrl: the resolved portal, trailing slash dropped.
    expect(world.fake.log.find((x) => x.operation === "RegisterClient")?.body).toMatchObject({
      issuerUrl: PORTAL,
      clientName: "botocore-client-v",
    });
    // The token file keeps the configured URL and the name it always had; its region is the portal's.
    const token = world.tokenFile(login);
    expect(token).toMatchObject({ startUrl: vanity.url, region: "eu-west-1", accessToken: r.accessToken });
    expect(tokenCachePath(world.sbx.env, login)).toEndWith(createHash("sha1").update("v").digest("hex") + ".json");
    // The registration's cache key names the region signed in to, as botocore's does.
    expect(existsSync(registrationCachePath(world.sbx.env, { ...login, region: "eu-west-1" }))).toBe(true);
    // The region is written back to the session, and only to it.
    expect(configText()).toContain(`[sso-session v]\nsso_start_url = ${vanity.url}\nsso_region = eu-west-1\n`);
    expect(configText()).toContain(`[profile old]\nsso_start_url = ${vanity.url}\nsso_region = us-east-1\n`);
    expect(world.t.stderr()).toContain("ccsso: SSO region updated to eu-west-1 in [sso-session v]");
    expect(world.t.stderr()).not.toContain("not an AWS access portal");
  });

  it("sends the portal URL as StartDeviceAuthorization's startUrl for a legacy profile, cached under the configured URL", async () => {
    const { world, vanity } = vanityWorld({}, noDisplay);
    const login = resolveSsoLogin(world.cfg, { profile: "old" });
    const sleep = world.t.ctx.sleep;
    world.t.ctx.sleep = async (ms) => {
      const code = /Then enter the code:\n\n(\S+)/.exec(world.t.stderr())?.[1];
      if (code) world.fake.approveDevice(code);
      await sleep(ms);
    };
    await loginSso(world.t.ctx, world.cfg, login, { profile: "old", browser: false });
    expect(world.fake.log.find((x) => x.operation === "StartDeviceAuthorization")?.body).toMatchObject({ startUrl: PORTAL });
    expect(tokenCachePath(world.sbx.env, login)).toEndWith(createHash("sha1").update(vanity.url).digest("hex") + ".json");
    expect(world.tokenFile(login)).toMatchObject({ startUrl: vanity.url, region: "eu-west-1" });
    expect(configText()).toContain(`[profile old]\nsso_start_url = ${vanity.url}\nsso_region = eu-west-1\n`);
  });

  it("asks with GET when the server does not do HEAD", async () => {
    const { world, vanity } = vanityWorld({ headStatus: 405 });
    await loginSso(world.t.ctx, world.cfg, resolveSsoLogin(world.cfg, { ssoSession: "v" }), {});
    expect(vanity.log).toEqual([
      { method: "HEAD", path: "/start" },
      { method: "GET", path: "/start" },
    ]);
    expect(world.fake.log.find((x) => x.operation === "RegisterClient")?.body).toMatchObject({ issuerUrl: PORTAL });
  });

  it("keeps the configured region when the portal host does not name one", async () => {
    const { world } = vanityWorld({ location: "https://d-9067aaaaaa.awsapps.com/start/" });
    await loginSso(world.t.ctx, world.cfg, resolveSsoLogin(world.cfg, { ssoSession: "v" }), {});
    expect(world.fake.log.find((x) => x.operation === "RegisterClient")?.body).toMatchObject({
      issuerUrl: "https://d-9067aaaaaa.awsapps.com/start",
    });
    expect(configText()).toContain("sso_region = us-east-1\nsso_registration_scopes");
    expect(world.t.stderr()).not.toContain("SSO region updated");
  });

  it.each([
    [
      "a redirect off AWS",
      { location: "https://login.example.net/sso" },
      "does not lead to an AWS access portal (it ends at https://login.example.net/sso)",
    ],
    ["a lookalike host", { location: "https://corp.awsapps.com.example.net/start" }, "does not lead to an AWS access portal"],
    ["no redirect at all", { status: 200 }, "does not lead to an AWS access portal (it ends at https://localhost:"],
    [
      "a second vanity hop",
      { location: "https://sso2.example.org/start" },
      "does not lead to an AWS access portal (it ends at https://sso2.example.org/start)",
    ],
    ["a portal over http", { location: "http://d-9067aaaaaa.awsapps.com/start" }, "which is not https"],
    ["an error page", { status: 404 }, "could not be resolved: HTTP 404"],
  ])("refuses %s with one line and signs in to nothing", async (_what, redirect, message) => {
    const { world } = vanityWorld(redirect);
    const e = await loginSso(world.t.ctx, world.cfg, resolveSsoLogin(world.cfg, { ssoSession: "v" }), {}).catch((x) => x);
    const code = renderError(e, world.t.ctx);
    expect(code).toBe(1);
    const lines = world.t.stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
    expect(lines[0]).toEndWith("— run: ccsso configure sso-session --sso-session v");
    expect(world.fake.log).toEqual([]);
    expect(existsSync(join(world.sbx.home, ".aws", "sso", "cache"))).toBe(false);
  });

  it("cannot reach a vanity host whose certificate is not trusted (no AWS_CA_BUNDLE)", async () => {
    const { world, vanity } = vanityWorld();
    delete world.t.ctx.env.AWS_CA_BUNDLE;
    const e = await loginSso(world.t.ctx, world.cfg, resolveSsoLogin(world.cfg, { ssoSession: "v" }), {}).catch((x) => x);
    expect(e.message).toStartWith(`resolving the start URL at ${new URL(vanity.url).origin} failed`);
    expect(vanity.log).toEqual([]);
    expect(world.fake.log).toEqual([]);
  });
});

describe("refresh after a vanity sign-in", () => {
  it("renews without asking the vanity host again, in the saved region, and keeps the file's startUrl", async () => {
    const { world, vanity } = vanityWorld();
    await loginSso(world.t.ctx, world.cfg, resolveSsoLogin(world.cfg, { ssoSession: "v" }), { profile: "vdev" });
    const cfg = parseAwsConfig(configText());
    const login = resolveSsoLogin(cfg, { ssoSession: "v" });
    expect(login.region).toBe("eu-west-1");
    const before = world.tokenFile(login);
    world.t.advance(7.9 * 3600_000);
    const got = await getSsoToken(world.t.ctx, cfg, login, { profile: "vdev" });
    expect(got.accessToken).not.toBe(before.accessToken!);
    expect(world.fake.log.filter((x) => x.operation === "CreateToken").at(-1)?.body).toMatchObject({ grantType: "refresh_token" });
    expect(vanity.log).toHaveLength(1);
    expect(world.tokenFile(login)).toMatchObject({ startUrl: vanity.url, region: "eu-west-1", accessToken: got.accessToken });
  });
});

describe("configure with a vanity start URL", () => {
  it("configure sso-session takes the region from the portal and does not ask for it", async () => {
    vanity = startVanityRedirector({ location: PORTAL });
    w = ssoWorld({ env: { AWS_CA_BUNDLE: vanity.caFile } });
    w.sbx.writeConfig("");
    const t = testContext({ env: w.t.ctx.env });
    const p = scriptedPrompter(["corp2", vanity.url, ""], t.ctx.stdout);
    expect(await configureSsoSession({}, [], t.ctx, p)).toBe(0);
    expect(p.asked).toEqual(["SSO session name: ", "SSO start URL [None]: ", "SSO registration scopes [sso:account:access]: "]);
    expect(t.stdout()).toContain(`SSO region: eu-west-1 (the start URL leads to ${PORTAL})\n`);
    expect(configText()).toBe(
      `[sso-session corp2]\nsso_start_url = ${vanity.url}\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n`,
    );
  });

  it("configure sso-session asks for the region when the start URL cannot be resolved", async () => {
    vanity = startVanityRedirector({ location: "https://login.example.net/" });
    w = ssoWorld({ env: { AWS_CA_BUNDLE: vanity.caFile } });
    w.sbx.writeConfig("");
    const t = testContext({ env: w.t.ctx.env });
    const p = scriptedPrompter(["corp2", vanity.url, "us-west-2", ""], t.ctx.stdout);
    expect(await configureSsoSession({}, [], t.ctx, p)).toBe(0);
    expect(p.asked).toEqual([
      "SSO session name: ",
      "SSO start URL [None]: ",
      "SSO region [None]: ",
      "SSO registration scopes [sso:account:access]: ",
    ]);
  });

  it("configure sso signs in through the portal URL and writes the derived region to the new session", async () => {
    vanity = startVanityRedirector({ location: PORTAL });
    w = ssoWorld({ env: { AWS_CA_BUNDLE: vanity.caFile, BROWSER: "curl -fsSL" } });
    w.sbx.writeConfig("");
    const t = testContext({ env: w.t.ctx.env });
    w.fake.knobs.now = t.ctx.now;
    const prompter = scriptedPrompter(["corp2", vanity.url, "", "", "", "p", ""], t.ctx.stdout);
    const terminal: WizardTerminal = { prompter, pick: async () => 0 };
    let code: number;
    try {
      code = await configureSso({}, t.ctx, terminal);
    } catch (e) {
      code = renderError(e, t.ctx);
    }
    expect(t.stderr()).not.toContain("ccsso: ");
    expect(code).toBe(0);
    // No "SSO region" question: the portal's host named it.
    expect(prompter.asked).toEqual([
      "SSO session name (Recommended): ",
      "SSO start URL [None]: ",
      "SSO registration scopes [sso:account:access]: ",
      "Default client Region [None]: ",
      "CLI default output format (json if not specified) [None]: ",
      "Profile name [Developer-111111111111]: ",
      "Also make p the default profile, for the AWS CLI and SDKs too (y/N) [N]: ",
    ]);
    expect(w.fake.log.find((x) => x.operation === "RegisterClient")?.body).toMatchObject({ issuerUrl: PORTAL });
    // One request to the vanity host: the wizard's resolution is the one the sign-in uses.
    expect(vanity.log).toEqual([{ method: "HEAD", path: "/start" }]);
    expect(configText()).toContain(`[sso-session corp2]\nsso_start_url = ${vanity.url}\nsso_region = eu-west-1\n`);
    const tokens = readdirSync(join(w.sbx.home, ".aws", "sso", "cache"));
    expect(tokens).toContain(createHash("sha1").update("corp2").digest("hex") + ".json");
  });
});
