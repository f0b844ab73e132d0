import { describe, expect, it } from "bun:test";
import { utf8ByteLength } from "../../src/core/utf8";

describe("utf8ByteLength", () => {
  it.each([
    ["ascii", "protocol=https"],
    ["two-byte letters", "héllo wörld"],
    ["three-byte characters", "プロファイル"],
    ["astral characters (surrogate pairs)", "repo-🚀-𝄞"],
    ["a lone high surrogate", "a\ud800b"],
    ["a lone low surrogate", "a\udc00b"],
    ["empty", ""],
  ])("counts %s the way TextEncoder encodes them", (_what, text) => {
    expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
  });
});
