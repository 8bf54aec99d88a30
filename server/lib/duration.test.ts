import { describe, expect, it } from "vitest";
import { DurationError, formatDuration, MAX_DURATION_MS, parseDuration, tryParseDuration } from "@/server/lib/duration";

describe("parseDuration", () => {
  it.each([
    ["0", 0],
    ["0s", 0],
    ["500ms", 500],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["2d", 172_800_000],
    ["1w", 604_800_000],
    ["1y", 31_536_000_000],
    ["1y2w3d4h5m6s7ms", 31_536_000_000 + 2 * 604_800_000 + 3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6_000 + 7],
    ["90m", 5_400_000],
    ["0050s", 50_000],
  ])("%s → %d ms", (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
  });

  it.each([
    ["", /empty duration/],
    ["5", /has no unit/],
    ["5x", /unknown unit "x"/],
    ["1.5h", /no fractions/],
    ["-5m", /cannot be negative/],
    ["30m1h", /largest to the smallest/],
    ["1h1h", /largest to the smallest/],
    ["1h ", /expected a number followed by a unit/],
    ["h", /expected a number followed by a unit/],
    ["300y", /out of range/],
  ])("rejects %j", (s, message) => {
    expect(() => parseDuration(s)).toThrow(DurationError);
    expect(() => parseDuration(s)).toThrow(message);
  });

  it("accepts the largest Go duration and not one millisecond more", () => {
    expect(parseDuration(`${MAX_DURATION_MS}ms`)).toBe(MAX_DURATION_MS);
    expect(tryParseDuration(`${MAX_DURATION_MS + 1}ms`)).toBeNull();
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [500, "500ms"],
    [30_000, "30s"],
    [5_400_000, "1h30m"],
    [86_400_000, "1d"],
    [604_800_000, "1w"],
    [14 * 86_400_000, "2w"],
    [90 * 86_400_000, "90d"],
    [365 * 86_400_000, "1y"],
    [400 * 86_400_000, "400d"],
    [86_400_000 + 3_600_000 + 1, "1d1h1ms"],
  ])("%d ms → %s", (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
  });

  it("round-trips through parseDuration", () => {
    for (const s of ["1h30m", "2w", "1y", "13d", "1d12h", "59m59s999ms"]) expect(formatDuration(parseDuration(s))).toBe(s);
  });

  it("rejects negative and non-finite values", () => {
    expect(() => formatDuration(-1)).toThrow(DurationError);
    expect(() => formatDuration(Number.NaN)).toThrow(DurationError);
  });
});
