// The facts the sign-in flow is chosen from (src/core/sign-in-place.ts): environment variables, the
// kernel release (WSL names Microsoft there) and Docker's marker file. Read only when a sign-in starts.
import { existsSync, readFileSync } from "node:fs";
import type { PlaceFacts } from "../core/sign-in-place";
import type { Context } from "./context";

export function placeFacts(ctx: Context, platform: string = process.platform): PlaceFacts {
  // A test's context may pin the machine facts; a real run reads them.
  if (ctx.placeFacts) return { env: ctx.env, platform, ...ctx.placeFacts };
  let kernelRelease: string | undefined;
  if (platform === "linux") {
    try {
      kernelRelease = readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
    } catch {
      // Not fatal: the WSL variables are checked too.
    }
  }
  return { env: ctx.env, platform, kernelRelease, dockerEnvFile: platform === "linux" && existsSync("/.dockerenv") };
}
