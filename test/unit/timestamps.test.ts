import { describe, expect, it } from "bun:test";
import { formatCacheTimestamp, parseCacheTimestamp } from "../../src/core/timestamps";

const t = Date.UTC(2025, 0, 2, 4, 4, 5);

describe("cache timestamps", () => {
  it.each([
    ["the AWS CLI form", "2025-01-02T04:04:05Z", t],
    ["the JS SDK form with milliseconds", "2025-01-02T04:04:05.123Z", t + 123],
    ["the legacy CLI form ending in UTC", "2025-01-02T04:04:05UTC", t],
    ["an explicit +00:00 offset", "2025-01-02T04:04:05+00:00", t],
  ])("reads %s", (_name, text, ms) => {
    expect(parseCacheTimestamp(text)).toBe(ms);
  });

  it.each([
    ["garbage", "soon"],
    ["a number", 1735790645],
    ["an impossible date", "2025-02-30T00:00:00Z"],
    ["a non-UTC offset", "2025-01-02T04:04:05+02:00"],
    ["empty", ""],
    // Every writer puts a zone on; a time without one is not guessed to be UTC (docs/protocols.md §2.2).
    ["a time without a zone", "2025-01-02T04:04:05"],
    ["a time with milliseconds but no zone", "2025-01-02T04:04:05.123"],
  ])("rejects %s", (_name, text) => {
    expect(parseCacheTimestamp(text)).toBeUndefined();
  });

  it("writes %Y-%m-%dT%H:%M:%SZ without fractional seconds", () => {
    expect(formatCacheTimestamp(t + 999)).toBe("2025-01-02T04:04:05Z");
  });
});
