// `ccsso prompt` reads the environment, the AWS config and the token cache, and nothing else: no network
// (the stand-in's log stays empty), no settings file (a broken one changes nothing), never an error.
import { afterEach, describe, expect, it } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { runPrompt } from "../../src/cli/prompt";
import { formatCacheTimestamp } from "../../src/core/timestamps";
import { settingsPath } from "../../src/platform/paths";
import { writeTokenCache } from "../../src/store/token-cache";
import { corp, START_URL, ssoWorld, type SsoWorld } from "../helpers/sso-stand-in";

let w: SsoWorld;
afterEach(async () => w?.close());

const MIN = 60_000;

function seed(world: SsoWorld, leftMs: number, refreshable: boolean) {
  const now = world.t.ctx.now();
  writeTokenCache(world.sbx.env, corp, {
    startUrl: START_URL,
    region: "us-east-1",
    accessToken: "prompt-test-token",
    expiresAt: formatCacheTimestamp(now + leftMs),
    ...(refreshable
      ? { clientId: "c", clientSecret: "s", registrationExpiresAt: formatCacheTimestamp(now + 90 * 24 * 60 * MIN), refreshToken: "r" }
      : {}),
  });
}

async function prompt(world: SsoWorld, env: Record<string, string | undefined>): Promise<string> {
  Object.assign(world.t.ctx.env, env);
  const before = world.t.stdout().length;
  expect(await runPrompt(world.t.ctx)).toBe(0);
  return world.t.stdout().slice(before);
}

describe("ccsso prompt", () => {
  it("prints nothing when no profile is set", async () => {
    w = ssoWorld();
    expect(await prompt(w, {})).toBe("");
  });

  it("prints the profile and the session's time left, offline", async () => {
    w = ssoWorld();
    seed(w, 5 * 60 * MIN + 12 * MIN + 30_000, false);
    expect(await prompt(w, { AWS_PROFILE: "dev" })).toBe("dev 5h12m\n");
    expect(w.fake.log).toEqual([]);
  });

  it("marks a token that renews itself, and says renews or expired once it has run out", async () => {
    w = ssoWorld();
    seed(w, 40 * MIN, true);
    expect(await prompt(w, { AWS_PROFILE: "ops" })).toBe("ops 40m+\n");
    seed(w, -MIN, true);
    expect(await prompt(w, {})).toBe("ops renews\n");
    seed(w, -MIN, false);
    expect(await prompt(w, {})).toBe("ops expired\n");
    expect(w.fake.log).toEqual([]);
  });

  it("says signed out when no token was ever cached, and shows the name alone for a profile without SSO", async () => {
    w = ssoWorld();
    expect(await prompt(w, { AWS_PROFILE: "dev" })).toBe("dev signed out\n");
    expect(await prompt(w, { AWS_PROFILE: "not-in-the-config" })).toBe("not-in-the-config\n");
  });

  it("counts the expiry of exported credentials when `use --export` put them in the shell", async () => {
    w = ssoWorld();
    seed(w, 8 * 60 * MIN, false);
    const exp = new Date(w.t.ctx.now() + 45 * MIN).toISOString().replace(/\.\d+Z$/, "+00:00");
    expect(await prompt(w, { AWS_PROFILE: "dev", AWS_ACCESS_KEY_ID: "ASIAEXAMPLE", AWS_CREDENTIAL_EXPIRATION: exp })).toBe("dev 45m\n");
  });

  it("ignores the settings file, even a broken one", async () => {
    w = ssoWorld();
    const p = settingsPath(w.sbx.env);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, "this is [not toml");
    seed(w, 2 * 60 * MIN, false);
    expect(await prompt(w, { AWS_PROFILE: "dev" })).toBe("dev 2h\n");
  });

  it("never lets a profile name draw on the terminal", async () => {
    w = ssoWorld();
    expect(await prompt(w, { AWS_PROFILE: "x\x1b]0;owned\x07\ny" })).toBe("x^[]0;owned^G^Jy\n");
  });

  it("still prints the name when the AWS config cannot be read", async () => {
    w = ssoWorld();
    writeFileSync(w.sbx.awsConfig, "[profile dev]\nsso_session = missing-session\nsso_account_id = 1\nsso_role_name = r\n");
    expect(await prompt(w, { AWS_PROFILE: "dev" })).toBe("dev\n");
  });
});
