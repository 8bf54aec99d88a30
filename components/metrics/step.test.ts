import { describe, expect, it } from "vitest";
import { alignToStep, autoStepMs, chooseStep, formatDuration, parseDuration, roundUpInterval } from "./step";

const H = 3_600_000;

describe("parseDuration", () => {
  it("reads Prometheus durations and plain seconds", () => {
    expect(parseDuration("15s")).toBe(15_000);
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("1h")).toBe(H);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("2d")).toBe(48 * H);
    expect(parseDuration(" 30 ")).toBe(30_000);
    expect(parseDuration("0.5")).toBe(500);
  });
  it("rejects the rest", () => {
    for (const bad of ["", "0", "0s", "1x", "m", "1.5m", "-1s", "1s x", "abc"]) expect(parseDuration(bad), bad).toBeNull();
  });
});

describe("formatDuration", () => {
  it("writes the shortest duration", () => {
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(15_000)).toBe("15s");
    expect(formatDuration(1500)).toBe("1s500ms");
    expect(formatDuration(86_400_000)).toBe("1d");
    expect(formatDuration(0)).toBe("0s");
  });
  it("round-trips with parseDuration", () => {
    for (const ms of [1, 999, 60_000, 3_723_000, 8 * 86_400_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});

describe("autoStepMs (Grafana's rule)", () => {
  it("never goes below the minimum interval", () => {
    expect(autoStepMs(5 * 60_000)).toBe(15_000);
    expect(autoStepMs(H)).toBe(15_000); // 3.3 s → 5 s, raised to 15 s
    expect(autoStepMs(H, { minIntervalMs: 1000 })).toBe(5000);
  });
  it("divides the range by the points and rounds up to a nice interval", () => {
    expect(autoStepMs(6 * H)).toBe(20_000); // 19.6 s → 20 s
    expect(autoStepMs(24 * H)).toBe(120_000); // 78.5 s → 2 m
    expect(autoStepMs(7 * 24 * H)).toBe(600_000); // 9.2 m → 10 m
    expect(autoStepMs(30 * 24 * H)).toBe(3_600_000); // 39 m → 1 h
    expect(autoStepMs(24 * H, { maxDataPoints: 100 })).toBe(900_000); // 14.4 m → 15 m
  });
  it("keeps the point count within maxDataPoints", () => {
    for (const range of [H, 3 * H, 12 * H, 2 * 24 * H, 90 * 24 * H]) expect(range / autoStepMs(range)).toBeLessThanOrEqual(1100);
  });
  it("rounds up beyond the table", () => {
    expect(roundUpInterval(40_000_000_000)).toBe(63_072_000_000);
  });
});

describe("chooseStep", () => {
  it("uses the automatic step when the resolution is empty", () => {
    expect(chooseStep(24 * H, "")).toEqual({ ok: true, stepMs: 120_000, auto: true });
  });
  it("uses a manual resolution", () => {
    expect(chooseStep(24 * H, "1m")).toEqual({ ok: true, stepMs: 60_000, auto: false });
  });
  it("raises a manual resolution that would exceed 11,000 points", () => {
    expect(chooseStep(24 * H, "1s")).toEqual({ ok: true, stepMs: 10_000, auto: false, raisedFrom: 1000 });
  });
  it("explains an unreadable resolution", () => {
    const r = chooseStep(H, "soon");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('"soon"');
  });
});

describe("alignToStep", () => {
  it("floors the start and ceils the end", () => {
    expect(alignToStep(1_000_007_000, 1_000_907_000, 15_000)).toEqual({ startMs: 1_000_005_000, endMs: 1_000_920_000 });
  });
});
