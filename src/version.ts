// Stamped at build time by scripts/build.ts (Bun.build `define`); the fallbacks apply under `bun run`.
declare const CCSSO_VERSION: string | undefined;
declare const CCSSO_COMMIT: string | undefined;
declare const CCSSO_TARGET: string | undefined;

export const VERSION: string = typeof CCSSO_VERSION === "string" ? CCSSO_VERSION : "0.0.0-dev";
export const COMMIT: string = typeof CCSSO_COMMIT === "string" ? CCSSO_COMMIT : "unknown";
export const TARGET: string = typeof CCSSO_TARGET === "string" ? CCSSO_TARGET : `${process.platform}-${process.arch}`;

/** What `ccsso --version` prints; also the answer of a helper-named copy to `--version` alone. */
export function versionText(): string {
  return `ccsso ${VERSION} (commit ${COMMIT}, ${TARGET})\n`;
}
