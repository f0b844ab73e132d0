import { describe, expect, it } from "bun:test";
import { osc52Sequence } from "../../src/core/osc52";

const url = "https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH";
const b64 = Buffer.from(url).toString("base64");

describe("OSC 52", () => {
  it("is ESC ] 52 ; c ; base64 BEL on a plain terminal", () => {
    expect(osc52Sequence(url, "none")).toBe(`\x1b]52;c;${b64}\x07`);
    expect(Buffer.from(osc52Sequence("hi", "none")).toString("hex")).toBe("1b5d35323b633b61476b3d07");
  });
  it("in tmux: the plain sequence, then the same in a DCS tmux; envelope with ESC doubled", () => {
    expect(osc52Sequence(url, "tmux")).toBe(`\x1b]52;c;${b64}\x07\x1bPtmux;\x1b\x1b]52;c;${b64}\x07\x1b\\`);
  });
  it("in screen: DCS envelopes of at most 76 characters that join back to the sequence", () => {
    const seq = osc52Sequence(url.repeat(4), "screen");
    const pieces = [...seq.matchAll(/\x1bP([^\x1b]*(?:\x1b\][^\x1b]*)?)\x1b\\/g)].map((m) => m[1]!);
    expect(pieces.every((p) => p.length <= 76)).toBe(true);
    expect(pieces.join("")).toBe(osc52Sequence(url.repeat(4), "none"));
  });
});
