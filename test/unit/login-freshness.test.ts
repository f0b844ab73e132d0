import { describe, expect, it } from "bun:test";
import { loginNeed, parseDuration } from "../../src/core/login-freshness";
import { compactSpan, promptText } from "../../src/core/prompt-text";

const MIN = 60_000;
const HOUR = 60 * MIN;
const WINDOW = 15 * MIN;

describe("whether --if-needed signs in", () => {
  it.each([
    ["no token", undefined, 0, "login"],
    ["2 h left, not refreshable", { expiresAt: 2 * HOUR, refreshable: false }, HOUR, "fresh"],
    ["exactly the threshold left", { expiresAt: HOUR, refreshable: false }, HOUR, "login"],
    ["50 min left, not refreshable", { expiresAt: 50 * MIN, refreshable: false }, HOUR, "login"],
    ["50 min left, refreshable", { expiresAt: 50 * MIN, refreshable: true }, HOUR, "fresh"],
    ["10 min left, refreshable", { expiresAt: 10 * MIN, refreshable: true }, HOUR, "refresh"],
    ["expired, refreshable", { expiresAt: -MIN, refreshable: true }, HOUR, "refresh"],
    ["expired, not refreshable, threshold 0", { expiresAt: -MIN, refreshable: false }, 0, "login"],
    ["1 min left, threshold 0", { expiresAt: MIN, refreshable: false }, 0, "fresh"],
  ] as const)("%s → %s", (_what, token, threshold, want) => {
    expect(loginNeed(token, 0, threshold, WINDOW)).toBe(want);
  });
});

describe("durations in the settings file", () => {
  it.each([
    ["1h", HOUR],
    ["90m", 90 * MIN],
    ["1h30m", 90 * MIN],
    ["45s", 45_000],
    ["2d", 48 * HOUR],
    ["0", 0],
    [" 1h ", HOUR],
  ] as const)("%s", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["60", "", "1x", "h", "-1h", "1.5h", "1h 30m"])("refuses %j", (text) => expect(parseDuration(text)).toBeUndefined());
});

describe("the prompt text", () => {
  it.each([
    [{ kind: "token", expiresAt: 5 * HOUR + 12 * MIN + 30_000, refreshable: false }, "dev 5h12m"],
    [{ kind: "token", expiresAt: 40 * MIN, refreshable: true }, "dev 40m+"],
    [{ kind: "token", expiresAt: -MIN, refreshable: true }, "dev renews"],
    [{ kind: "token", expiresAt: -MIN, refreshable: false }, "dev expired"],
    [{ kind: "token", expiresAt: 0, refreshable: false }, "dev expired"],
    [{ kind: "environment", expiresAt: 30_000 }, "dev 30s"],
    [{ kind: "environment", expiresAt: -1 }, "dev expired"],
    [{ kind: "signed-out" }, "dev signed out"],
    [{ kind: "no-sso" }, "dev"],
  ] as const)("%j → %s", (session, want) => expect(promptText("dev", session, 0)).toBe(want));

  it.each([
    [26 * HOUR, "1d2h"],
    [48 * HOUR, "2d"],
    [3 * HOUR, "3h"],
    [59 * MIN + 59_000, "59m"],
    [59_999, "59s"],
    [-5, "0s"],
  ])("%d ms is %s", (ms, want) => expect(compactSpan(ms)).toBe(want));
});
