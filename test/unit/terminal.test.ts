import { describe, expect, it } from "bun:test";
import { encodeQr, qrByteCapacity } from "../../src/core/qr";
import { testContext, type Output } from "../../src/platform/context";
import { colorEnabled, createSpinner, formatCountdown, renderQr, styleFor } from "../../src/platform/terminal";

function capture(isTTY: boolean): Output & { text: () => string } {
  const parts: string[] = [];
  return { isTTY, write: (t) => void parts.push(t), text: () => parts.join("") };
}

describe("colour", () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: "1" }, false],
    [true, { NO_COLOR: "" }, true],
    [true, { TERM: "dumb" }, false],
  ] as const)("on a TTY=%p with env %j is %p", (isTTY, env, expected) => {
    expect(colorEnabled(capture(isTTY), env)).toBe(expected);
  });

  it("leaves text untouched when colour is off", () => {
    expect(styleFor(capture(false), {}).green("✓ ok")).toBe("✓ ok");
    expect(styleFor(capture(true), {}).green("✓ ok")).toBe("\x1b[32m✓ ok\x1b[39m");
  });
});

describe("the spinner", () => {
  it("shows the time left until the deadline and counts down with the clock", () => {
    const t = testContext();
    const out = capture(true);
    const spinner = createSpinner({ stream: out, now: t.ctx.now, text: "Waiting for approval", deadline: t.ctx.now() + 5 * 60_000, env: {}, animate: false });
    expect(out.text()).toContain("Waiting for approval");
    expect(out.text()).toContain("5:00 left");
    t.advance(61_000);
    spinner.render();
    expect(out.text()).toContain("3:59 left");
    spinner.stop("✓ Signed in");
    expect(out.text().endsWith("\r\x1b[2K✓ Signed in\n")).toBe(true);
  });

  it("writes nothing at all when the stream is not a terminal", () => {
    const t = testContext();
    const out = capture(false);
    const spinner = createSpinner({ stream: out, now: t.ctx.now, text: "Waiting", deadline: t.ctx.now() + 1000, animate: false });
    spinner.render();
    spinner.setText("Still waiting");
    spinner.stop("done");
    expect(out.text()).toBe("");
  });

  it("uses no colour codes under NO_COLOR", () => {
    const t = testContext();
    const out = capture(true);
    createSpinner({ stream: out, now: t.ctx.now, text: "Waiting", env: { NO_COLOR: "1" }, animate: false }).stop();
    expect(out.text()).not.toMatch(/\x1b\[\d+m/);
  });

  it("never shows a negative time left", () => {
    expect(formatCountdown(-5000)).toBe("0:00");
    expect(formatCountdown(3_723_000)).toBe("1:02:03");
    expect(formatCountdown(59_001)).toBe("1:00");
  });
});

describe("the QR encoder", () => {
  // ISO/IEC 18004 Table 7, byte mode capacities.
  it.each([
    [1, "L", 17],
    [1, "M", 14],
    [4, "M", 62],
    [7, "L", 154],
    [10, "M", 213],
    [10, "L", 271],
  ] as const)("version %i level %s holds %i bytes", (version, ecl, bytes) => {
    expect(qrByteCapacity(version, ecl)).toBe(bytes);
  });

  it("picks the smallest version, preferring level M", () => {
    expect(encodeQr("u".repeat(62)).version).toBe(4);
    expect(encodeQr("u".repeat(63)).version).toBe(5);
    expect(encodeQr("u".repeat(63)).errorCorrection).toBe("M");
  });

  it("falls back to level L when level M cannot hold the text", () => {
    expect(encodeQr("x".repeat(250)).errorCorrection).toBe("L");
  });

  it("refuses text longer than version 10 can hold", () => {
    expect(() => encodeQr("x".repeat(272))).toThrow(/too long/);
  });

  it("renders two module rows per line with a quiet zone", () => {
    const lines = renderQr("hi").trimEnd().split("\n");
    // Version 1 is 21 modules; with 4 on each side, 29 columns and ceil(29 / 2) lines.
    expect(lines).toHaveLength(15);
    expect(lines.every((l) => [...l].length === 29)).toBe(true);
    expect(lines[0]).toBe("█".repeat(29));
  });
});
