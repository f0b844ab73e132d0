// One error taxonomy for the whole program (docs/architecture.md §5). Layers below cli/ throw these;
// only src/cli/render-error.ts turns them into one line of text and an exit code.
import { commandLine } from "./shell-quote";

export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  loginRequired: 3,
  // What POSIX shells report when they cannot run a command, so `ccsso exec` reads like running it directly.
  cannotExecute: 126,
  commandNotFound: 127,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class: `message` is the one line the user sees; `hint` is what to run next. */
export class CcssoError extends Error {
  readonly exitCode: ExitCode = ExitCode.error;
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** `ccsso exec` could not start the command: 127 when there is no such command, 126 when it cannot be run. */
export class CommandNotRunError extends CcssoError {
  constructor(
    message: string,
    hint: string,
    override readonly exitCode: typeof ExitCode.cannotExecute | typeof ExitCode.commandNotFound,
    options?: { cause?: unknown },
  ) {
    super(message, hint, options);
  }
}

/** Bad flags or arguments (exit 2). */
export class UsageError extends CcssoError {
  override readonly exitCode = ExitCode.usage;
}

/** The SSO session is missing, expired, or was rejected (exit 3). */
export class LoginRequiredError extends CcssoError {
  override readonly exitCode = ExitCode.loginRequired;
  constructor(
    message: string,
    /** The exact command that fixes it, e.g. `ccsso sso login --profile dev`. */
    readonly loginCommand: string,
    options?: { cause?: unknown },
  ) {
    super(message, `run: ${loginCommand}`, options);
  }
}

/** A sign-in that nobody could finish here (a CI job): exit 3 at once, naming where to run it instead. */
export class SignInRefusedError extends CcssoError {
  override readonly exitCode = ExitCode.loginRequired;
}

/** A role needs an MFA code and nobody can be asked for one here (git's helpers, no terminal): exit 3. */
export class MfaRequiredError extends CcssoError {
  override readonly exitCode = ExitCode.loginRequired;
}

/** The AWS config, credentials file or ccsso settings are missing something or malformed. */
export class ConfigError extends CcssoError {}

/** A profile name that is not in the config or credentials file. */
export class ProfileNotFoundError extends ConfigError {
  /** `suggestions`: did-you-mean candidates, worked out by the caller (core/did-you-mean.ts is kept off git's warm path). */
  constructor(
    readonly profile: string,
    available: string[],
    suggestions: string[] = [],
  ) {
    // The name may come from a URL in someone else's repository (a `.gitmodules` codecommit:// URL), so
    // the suggested command quotes it: pasting the hint must never run anything but ccsso.
    const configure = commandLine(["ccsso", "configure", "sso", "--profile", profile]);
    super(
      `profile ${JSON.stringify(profile)} was not found in the AWS config`,
      available.length > 0
        ? `${suggestions.length > 0 ? `did you mean ${suggestions.join(" or ")}? ` : ""}available profiles: ${available.join(", ")}; or run: ${configure}`
        : `run: ${configure}`,
    );
  }
}

/** Nothing named a profile, there is no default, and several could serve: a flag is what is missing (exit 2). */
export class ProfileNotChosenError extends UsageError {
  constructor(
    message: string,
    hint: string,
    readonly flag: "--profile" | "--sso-session",
    readonly names: string[],
  ) {
    super(message, hint);
  }
}

/** An AWS service answered with an error. */
export class RemoteError extends CcssoError {
  constructor(
    message: string,
    readonly details: {
      service: string;
      operation: string;
      awsType?: string;
      status?: number;
      requestId?: string;
      endpoint?: string;
    },
    hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, hint, options);
  }
}

/** A network call failed or timed out before any answer. */
export class NetworkError extends CcssoError {
  constructor(
    message: string,
    readonly endpoint: string,
    readonly viaProxy: string | undefined,
    /**
     * variable: the environment variable that named the proxy (HTTPS_PROXY, ALL_PROXY…); bypassedBy: the
     * NO_PROXY entry that sent the request direct although such a variable is set.
     */
    options?: { cause?: unknown; variable?: string; bypassedBy?: string },
  ) {
    // Say whether a proxy was involved either way: behind a corporate proxy that is the first question.
    // A proxy URL may carry a password: it is not repeated.
    super(
      message,
      viaProxy
        ? `request went through proxy ${viaProxy.replace(/\/\/[^@/]*@/, "//<credentials>@")} (${options?.variable ?? "HTTPS_PROXY"}); check the proxy, or list the host in NO_PROXY`
        : options?.bypassedBy
          ? `request went direct because NO_PROXY entry "${options.bypassedBy}" matches the host (the proxy was not used); check the network, or remove that entry if the host is only reachable through the proxy`
          : "request went direct (no proxy set); check the network, or set HTTPS_PROXY if a proxy is required",
      { cause: options?.cause },
    );
  }
}

/** The user pressed Ctrl-C or closed the prompt (exit 130). */
export class InterruptedError extends CcssoError {
  override readonly exitCode = ExitCode.interrupted;
  constructor(message = "interrupted") {
    super(message);
  }
}

export function isCcssoError(e: unknown): e is CcssoError {
  return e instanceof CcssoError;
}
