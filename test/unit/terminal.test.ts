import { describe, expect, it } from "bun:test";
import { testContext, type Output } from "../../src/platform/context";
import { renderQr } from "../../src/platform/qr-text";
import { colorEnabled, createSpinner, formatCountdown, styleFor } from "../../src/platform/terminal";

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
    const spinner = createSpinner({
      stream: out,
      now: t.ctx.now,
      text: "Waiting for approval",
      deadline: t.ctx.now() + 5 * 60_000,
      env: {},
      animate: false,
    });
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

describe("the QR code on the terminal", () => {
  // A version 4 code at level M holds 62 bytes (ISO/IEC 18004 Table 7); 63 need version 5.
  it("picks the smallest version that holds the text at level M", () => {
    const rows = (text: string) => renderQr(text).trimEnd().split("\n").length;
    expect(rows("u".repeat(62))).toBe(Math.ceil((33 + 8) / 2));
    expect(rows("u".repeat(63))).toBe(Math.ceil((37 + 8) / 2));
  });

  it("renders two module rows per line with a quiet zone", () => {
    const lines = renderQr("hi").trimEnd().split("\n");
    // Version 1 is 21 modules; with 4 on each side, 29 columns and ceil(29 / 2) lines.
    expect(lines).toHaveLength(15);
    expect(lines.every((l) => [...l].length === 29)).toBe(true);
    expect(lines[0]).toBe("█".repeat(29));
  });
});
