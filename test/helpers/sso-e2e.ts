// The setting of the reliability e2e tests: a sandbox whose AWS config has the SSO profiles of
// sso-stand-in.ts, the Identity Center stand-in in this test process (so counters are read directly),
// and helpers that seed the AWS CLI caches as a previous `sso login` + command would have left them.
import { chmodSync, writeFileSync } from "node:fs";
import { roleCredentialsCacheKey } from "../../src/core/cache-keys";
import { formatCacheTimestamp } from "../../src/core/timestamps";
import { writeRoleCredentialsCache } from "../../src/store/role-credentials-cache";
import { writeTokenCache } from "../../src/store/token-cache";
import { createFakeIdentityCenter, type FakeIdentityCenter, type FakeIdentityCenterOptions } from "../fakes/identity-center";
import { ccssoCommand } from "./ccsso";
import { makeSandbox, type Sandbox } from "./sandbox";
import { corp, SSO_CONFIG, START_URL } from "./sso-stand-in";

export { corp, START_URL };

/** git's request for a CodeCommit repository in the stand-in's region (credential.useHttpPath = true). */
export const helperRequest = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n";

/** What the credential helper prints for a signed CodeCommit password (docs/protocols.md §5.2). */
export const helperAnswer = /^username=(ASIA[A-Z0-9]+%[^\n]+)\npassword=\d{8}T\d{6}Z[0-9a-f]{64}\npassword_expiry_utc=\d+\n$/;

export interface E2eWorld {
  sbx: Sandbox;
  fake: FakeIdentityCenter;
  /** The token the seeded cache holds (as CreateToken would have returned it). */
  token?: ReturnType<FakeIdentityCenter["mintToken"]>;
  /** Seed the token cache for session corp, expiring `expiresInMs` from now. */
  seedToken(expiresInMs: number): ReturnType<FakeIdentityCenter["mintToken"]>;
  /** Seed profile dev's role credentials, expiring `expiresInMs` from now (negative: already expired). */
  seedRoleCredentials(expiresInMs: number): void;
  browserScript(body: string): string;
  close(): Promise<void>;
}

export function e2eWorld(opts: FakeIdentityCenterOptions = {}, env: Record<string, string> = {}): E2eWorld {
  const sbx = makeSandbox();
  sbx.writeConfig(SSO_CONFIG);
  const fake = createFakeIdentityCenter(opts);
  Object.assign(sbx.env, { AWS_ENDPOINT_URL_SSO_OIDC: fake.url, AWS_ENDPOINT_URL_SSO: fake.url, ...env });
  for (const k of ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"]) delete sbx.env[k];
  const world: E2eWorld = {
    sbx,
    fake,
    seedToken(expiresInMs) {
      const t = fake.mintToken();
      writeTokenCache(sbx.env, corp, {
        startUrl: START_URL,
        region: "us-east-1",
        accessToken: t.accessToken,
        expiresAt: formatCacheTimestamp(Date.now() + expiresInMs),
        clientId: t.clientId,
        clientSecret: t.clientSecret,
        registrationExpiresAt: formatCacheTimestamp(Date.now() + 30 * 24 * 3600_000),
        ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
      });
      world.token = t;
      return t;
    },
    seedRoleCredentials(expiresInMs) {
      writeRoleCredentialsCache(sbx.env, roleCredentialsCacheKey({ login: corp, accountId: "111111111111", roleName: "Developer" }), {
        accessKeyId: "ASIAOLDEXPIREDEXAMPLE",
        secretAccessKey: "oldSecretKeyThatHasExpired/EXAMPLEabcdefgh",
        sessionToken: "OldSessionTokenThatHasExpired//////EXAMPLE",
        expiration: Date.now() + expiresInMs,
        accountId: "111111111111",
      });
    },
    browserScript(body) {
      const path = sbx.path("browser.sh");
      writeFileSync(path, `#!/bin/sh\n${body}\n`);
      chmodSync(path, 0o755);
      sbx.env.BROWSER = path;
      return path;
    },
    async close() {
      await fake.close();
      sbx.cleanup();
    },
  };
  return world;
}

/** Start the compiled binary without waiting for it; the caller reads its output and exit code. */
export function spawnCcsso(args: string[], env: Record<string, string>, stdin?: string) {
  return Bun.spawn([...ccssoCommand({ compiled: true }), ...args], {
    env,
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
}

/** Wait for a spawned ccsso; kill it (and fail the caller's expectations) if it outlives `limitMs`. */
export async function finished(proc: ReturnType<typeof spawnCcsso>, limitMs = 60_000) {
  const timer = setTimeout(() => proc.kill("SIGKILL"), limitMs);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { stdout, stderr, code };
}

/** Poll `check` until it holds (real time: only for waiting on another process). */
export async function until(check: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}
