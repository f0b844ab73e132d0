// The RFC 8628 device-authorization polling loop as pure transitions, so the timing rules are tested
// without a clock or a server: the caller makes the CreateToken attempt, feeds the result here and
// sleeps for as long as the answer says.

/** RFC 8628 §3.2: when the response carries no `interval`, poll every 5 seconds. */
const defaultIntervalSeconds = 5;
/** RFC 8628 §3.5: on `slow_down` the interval grows by 5 seconds, for this and every later request. */
const slowDownStepSeconds = 5;
/** Device codes usually live 600 s; used only if the service leaves `expiresIn` out. */
const defaultExpiresInSeconds = 600;

export interface DeviceFlowState {
  intervalMs: number;
  /** Epoch ms after which the device code is dead; no point polling past it. */
  deadline: number;
}

/** What one CreateToken attempt returned: a token, or the bare AWS exception name of its error. */
export type PollOutcome = { kind: "token" } | { kind: "error"; awsType?: string };

export type DeviceFlowStep =
  | { next: "done" }
  | { next: "wait"; delayMs: number; state: DeviceFlowState }
  | { next: "fail"; reason: "expired" | "denied" | "error"; message: string };

export function startDeviceFlow(auth: { interval?: number; expiresIn?: number }, now: number): DeviceFlowState {
  const interval = auth.interval && auth.interval > 0 ? auth.interval : defaultIntervalSeconds;
  const expiresIn = auth.expiresIn && auth.expiresIn > 0 ? auth.expiresIn : defaultExpiresInSeconds;
  return { intervalMs: interval * 1000, deadline: now + expiresIn * 1000 };
}

export const deviceFlowMessages = {
  expired: "the sign-in request expired before it was approved in the browser",
  denied: "the sign-in request was denied in the browser",
} as const;

export function nextDeviceFlowStep(state: DeviceFlowState, outcome: PollOutcome, now: number): DeviceFlowStep {
  if (outcome.kind === "token") return { next: "done" };
  switch (outcome.awsType) {
    case "AuthorizationPendingException":
    case "SlowDownException": {
      const intervalMs = outcome.awsType === "SlowDownException" ? state.intervalMs + slowDownStepSeconds * 1000 : state.intervalMs;
      // Sleeping past the device code's life would only earn an ExpiredTokenException.
      if (now + intervalMs > state.deadline) return { next: "fail", reason: "expired", message: deviceFlowMessages.expired };
      return { next: "wait", delayMs: intervalMs, state: { ...state, intervalMs } };
    }
    case "ExpiredTokenException":
      return { next: "fail", reason: "expired", message: deviceFlowMessages.expired };
    case "AccessDeniedException":
      return { next: "fail", reason: "denied", message: deviceFlowMessages.denied };
    default:
      return { next: "fail", reason: "error", message: `CreateToken failed${outcome.awsType ? ` (${outcome.awsType})` : ""}` };
  }
}
