// A process that rewrites one of ccsso's files through the real store functions (atomicWriteFile
// underneath) as fast as it can, alternating two versions, until it is killed: the victim of the
// SIGKILL-during-write test. argv[2]: "token" | "role" | "config". Env: the sandbox's.
import { roleCredentialsCacheKey } from "../../src/core/cache-keys";
import { writeRoleCredentialsCache } from "../../src/store/role-credentials-cache";
import { writeTokenCache } from "../../src/store/token-cache";
import { updateAwsConfig } from "../../src/store/aws-config-files";
import { corp } from "./sso-stand-in";

export const versions = ["A", "B"] as const;
/** Big enough that a non-atomic write would be caught half-done (tens of write(2) calls). */
export const padding = (v: string) => v.repeat(256 * 1024);

export function writeVersion(kind: string, env: Record<string, string | undefined>, v: string): void {
  switch (kind) {
    case "token":
      writeTokenCache(env, corp, {
        startUrl: corp.startUrl,
        region: corp.region,
        accessToken: `token-${v}-${padding(v)}`,
        expiresAt: "2030-01-01T00:00:00Z",
      });
      return;
    case "role":
      writeRoleCredentialsCache(env, roleCredentialsCacheKey({ login: corp, accountId: "111111111111", roleName: "Developer" }), {
        accessKeyId: `ASIA${v}`,
        secretAccessKey: padding(v),
        sessionToken: `session-${v}`,
        expiration: Date.UTC(2030, 0, 1),
      });
      return;
    case "config":
      updateAwsConfig(env, "profile dev", { region: v === "A" ? "eu-west-1" : "us-west-2", ccsso_padding: padding(v) });
      return;
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

if (import.meta.main) {
  const kind = process.argv[2]!;
  // Tell the test the imports are done, so its random delay falls among the writes, not the start-up.
  process.stdout.write("writing\n");
  // The test SIGKILLs us within ~120 ms. If it never does (it failed or timed out), stop on our own
  // rather than spin forever as an orphan: bounded by time, and by our parent still being there.
  const parent = process.ppid;
  const stopAt = Date.now() + 20_000;
  // Start with B: the file holds A when we start, so even the first completed write changes it.
  for (let i = 1; Date.now() < stopAt && process.ppid === parent; i++) writeVersion(kind, process.env, versions[i % 2]!);
}
