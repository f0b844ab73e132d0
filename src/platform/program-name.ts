// The name this binary was started by decides what it is: git runs `git-remote-codecommit` for
// codecommit:// URLs and `git-credential-ccsso` for `credential.helper = ccsso`. On Unix those names are
// symlinks to ccsso; on Windows they are hard links or copies named `….exe` (Windows symlinks need
// Developer Mode), and file names there are case-insensitive.

/** The names git starts ccsso by, besides its own. */
export const HELPER_PROGRAMS = ["git-remote-codecommit", "git-credential-ccsso"] as const;
export type HelperProgram = (typeof HELPER_PROGRAMS)[number];

/** The program name in a path or argv[0]: the last component (either slash), without `.exe`. */
export function programName(path: string, platform: NodeJS.Platform = process.platform): string {
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  if (platform !== "win32") return base;
  return base.replace(/\.exe$/i, "").toLowerCase();
}

/** The file name of a program on this platform: `ccsso.exe` on Windows. */
export function executableFileName(name: string, platform: NodeJS.Platform = process.platform): string {
  return platform === "win32" ? `${name}.exe` : name;
}
