// The person's terminal when stdin and stdout belong to someone else: git owns the credential helper's,
// and a picker whose stderr is redirected still needs somewhere to draw. On Linux and macOS that is the
// controlling terminal, /dev/tty. Windows has no /dev/tty: the console of the process is reached through
// the device names CONIN$ and CONOUT$, which CreateFile opens only as existing devices (OPEN_EXISTING,
// so "r+", never the create-and-truncate of "w").
import { openSync } from "node:fs";

export interface ConsoleDevice {
  input: string;
  output: string;
  /** fs open flags for `output`. */
  outputFlags: "w" | "r+";
}

export function consoleDevice(platform: string = process.platform): ConsoleDevice {
  if (platform === "win32") return { input: "CONIN$", output: "CONOUT$", outputFlags: "r+" };
  return { input: "/dev/tty", output: "/dev/tty", outputFlags: "w" };
}

/**
 * A descriptor for writing to the person's terminal, or undefined when there is none (an IDE, CI, cron,
 * a service): the caller then says what it would have asked in its one error line instead.
 */
export function openConsoleOutput(
  platform: string = process.platform,
  open: (path: string, flags: string) => number = openSync,
): number | undefined {
  const dev = consoleDevice(platform);
  try {
    return open(dev.output, dev.outputFlags);
  } catch {
    return undefined;
  }
}
