// The sign-in flags `sso login`, `configure sso` and `use` share (docs/protocols.md §3.13), turned into
// login options. Kept apart from the commands so a command that loads the sign-in lazily stays lazy.
import { UsageError } from "../core/errors";

/** The sign-in choices a command's flags make (sso login, configure sso, use): typed by the person, so remembered. */
export function signInFlags(opts: { useDeviceCode?: boolean; useBrowser?: boolean; redirectPort?: string; copy?: boolean }) {
  if (opts.useDeviceCode && opts.useBrowser) throw new UsageError("--use-device-code and --use-browser cannot both be given", "choose one");
  return {
    deviceCode: opts.useDeviceCode,
    remember: true,
    useBrowser: opts.useBrowser,
    redirectPort: opts.redirectPort === undefined ? undefined : parsePort(opts.redirectPort),
    copyUrl: opts.copy || undefined,
  };
}

function parsePort(raw: string): number {
  const n = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n >= 1 && n <= 65535))
    throw new UsageError(
      `--redirect-port must be a port number from 1 to 65535 (got ${JSON.stringify(raw)})`,
      "for example: --redirect-port 8400",
    );
  return n;
}
