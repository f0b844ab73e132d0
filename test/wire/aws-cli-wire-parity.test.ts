// Small differences from the AWS CLI on the wire, closed: ccsso names itself in every call's User-Agent
// (so CloudTrail shows it), lists accounts and roles without max_result (the CLI sends none), and prints
// export-credentials' Expiration in whole seconds after a fresh fetch as from the cache (as the CLI does).
import { afterEach, describe, expect, it } from "bun:test";
import { loginSso } from "../../src/auth/login";
import { resolveCredentials } from "../../src/auth/credentials";
import { createPortalClient } from "../../src/aws/portal";
import { getCallerIdentity } from "../../src/aws/sts";
import { run } from "../../src/cli/run";
import { VERSION } from "../../src/version";
import { createFakeAwsApis } from "../fakes/aws-apis";
import { corp, ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";

let w: SsoWorld;
let stop: (() => void) | undefined;
afterEach(async () => {
  stop?.();
  await w?.close();
});

async function signedIn() {
  w = ssoWorld({ roleCredentialsTtlSec: 3600, accessTokenTtlSec: 8 * 3600, env: { BROWSER: "curl -fsSL" } });
  await loginSso(w.t.ctx, w.cfg, corp, { profile: "dev" });
}

describe("on the wire, as the AWS CLI", () => {
  it("names ccsso in the User-Agent of the SDK calls and of the signed STS calls", async () => {
    await signedIn();
    const creds = await resolveCredentials(w.t.ctx, { profile: "dev" });
    const sdkCalls = w.fake.log.filter((r) => r.operation === "GetRoleCredentials" || r.operation === "CreateToken");
    expect(sdkCalls.length).toBeGreaterThan(0);
    for (const r of sdkCalls) expect(r.headers["user-agent"]).toContain(` app/ccsso#${VERSION}`);
    const apis = createFakeAwsApis({ issued: w.fake.issued, now: w.t.ctx.now });
    const server = apis.start();
    stop = server.stop;
    await getCallerIdentity(w.t.ctx, { region: "us-east-1", endpoint: server.url, credentials: creds });
    expect(apis.calls[0]!.userAgent).toBe(`ccsso/${VERSION} app/ccsso#${VERSION}`);
  });

  it("sends ListAccounts and ListAccountRoles without max_result", async () => {
    await signedIn();
    const portal = await createPortalClient({ endpoint: w.fake.url, region: "us-east-1", ctx: w.t.ctx });
    const token = w.tokenFile().accessToken!;
    const [account] = await portal.listAccounts(token);
    await portal.listAccountRoles(token, account!.accountId);
    const lists = w.fake.log.filter((r) => r.operation === "ListAccounts" || r.operation === "ListAccountRoles");
    expect(lists.map((r) => r.operation)).toEqual(["ListAccounts", "ListAccountRoles"]);
    for (const r of lists) expect(Object.keys(r.query)).not.toContain("max_result");
  });

  it("prints the same whole-second Expiration after a fresh fetch as from the cache", async () => {
    await signedIn();
    // Role credentials that expire 123 ms past a second, as the portal's millisecond times do.
    w.t.advance(123);
    const fresh = await run(["export-credentials", "--profile", "dev"], w.t.ctx);
    expect(fresh).toBe(0);
    const first = JSON.parse(w.t.stdout()).Expiration as string;
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    const cached = w.t.stdout().length;
    // export-credentials extends the AWS CLI's loop guard in its environment; a second run is a new process.
    delete w.t.ctx.env._AWS_CLI_PROFILE_CHAIN;
    expect(await run(["export-credentials", "--profile", "dev"], w.t.ctx)).toBe(0);
    expect(JSON.parse(w.t.stdout().slice(cached)).Expiration).toBe(first);
  });
});
