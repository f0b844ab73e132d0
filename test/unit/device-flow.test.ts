import { describe, expect, it } from "bun:test";
import { nextDeviceFlowStep, startDeviceFlow } from "../../src/core/device-flow";

const now = 1_000_000;

describe("the device authorization polling rules (RFC 8628)", () => {
  it("polls at the interval the service gave", () => {
    const s = startDeviceFlow({ interval: 2, expiresIn: 600 }, now);
    expect(nextDeviceFlowStep(s, { kind: "error", awsType: "AuthorizationPendingException" }, now)).toEqual({
      next: "wait",
      delayMs: 2000,
      state: s,
    });
  });
  it("polls every 5 seconds when the service gave no interval", () => {
    expect(startDeviceFlow({}, now).intervalMs).toBe(5000);
  });
  it("adds 5 seconds on slow_down and keeps the longer interval afterwards", () => {
    let s = startDeviceFlow({ interval: 1, expiresIn: 600 }, now);
    const slowed = nextDeviceFlowStep(s, { kind: "error", awsType: "SlowDownException" }, now);
    expect(slowed).toMatchObject({ next: "wait", delayMs: 6000 });
    if (slowed.next !== "wait") throw new Error("unreachable");
    s = slowed.state;
    expect(nextDeviceFlowStep(s, { kind: "error", awsType: "AuthorizationPendingException" }, now)).toMatchObject({ delayMs: 6000 });
  });
  it("finishes on a token", () => {
    expect(nextDeviceFlowStep(startDeviceFlow({}, now), { kind: "token" }, now)).toEqual({ next: "done" });
  });
  it("fails as expired on expired_token", () => {
    expect(nextDeviceFlowStep(startDeviceFlow({}, now), { kind: "error", awsType: "ExpiredTokenException" }, now)).toMatchObject({
      next: "fail",
      reason: "expired",
    });
  });
  it("fails as expired rather than sleep past the device code's life", () => {
    const s = startDeviceFlow({ interval: 5, expiresIn: 10 }, now);
    expect(nextDeviceFlowStep(s, { kind: "error", awsType: "AuthorizationPendingException" }, now + 6000)).toMatchObject({
      next: "fail",
      reason: "expired",
    });
  });
  it("fails as denied when the person refused in the browser", () => {
    const step = nextDeviceFlowStep(startDeviceFlow({}, now), { kind: "error", awsType: "AccessDeniedException" }, now);
    expect(step).toMatchObject({ next: "fail", reason: "denied" });
  });
  it("fails with the error's name on anything else", () => {
    expect(nextDeviceFlowStep(startDeviceFlow({}, now), { kind: "error", awsType: "InvalidClientException" }, now)).toEqual({
      next: "fail",
      reason: "error",
      message: "CreateToken failed (InvalidClientException)",
    });
  });
});
