import { describe, expect, it } from "vitest";
import {
  CALENDAR_RANGES,
  describeRange,
  fromDatetimeLocal,
  isRelative,
  parseTimeExpr,
  QUICK_RANGES,
  resolveRange,
  TimeExprError,
  toDatetimeLocal,
  tryResolveRange,
} from "./time";

// Local-time constructors throughout, so the assertions hold in any TZ.
const now = new Date(2024, 4, 15, 13, 45, 30, 250); // Wed 2024-05-15 13:45:30.250 local

describe("parseTimeExpr", () => {
  it("reads now and offsets", () => {
    expect(parseTimeExpr("now", now)).toEqual(now);
    expect(parseTimeExpr("now-15m", now)).toEqual(new Date(now.getTime() - 15 * 60_000));
    expect(parseTimeExpr("now-1h", now)).toEqual(new Date(now.getTime() - 3_600_000));
    expect(parseTimeExpr("now-30s", now)).toEqual(new Date(now.getTime() - 30_000));
    expect(parseTimeExpr("now+2h", now)).toEqual(new Date(now.getTime() + 7_200_000));
    expect(parseTimeExpr("  now-5m ", now)).toEqual(new Date(now.getTime() - 300_000));
  });

  it("uses calendar arithmetic for days, weeks, months and years", () => {
    expect(parseTimeExpr("now-7d", now)).toEqual(new Date(2024, 4, 8, 13, 45, 30, 250));
    expect(parseTimeExpr("now-1w", now)).toEqual(new Date(2024, 4, 8, 13, 45, 30, 250));
    expect(parseTimeExpr("now-1M", now)).toEqual(new Date(2024, 3, 15, 13, 45, 30, 250));
    expect(parseTimeExpr("now-1y", now)).toEqual(new Date(2023, 4, 15, 13, 45, 30, 250));
  });

  it("rounds to the start of a unit, or its end with roundUp", () => {
    expect(parseTimeExpr("now/d", now)).toEqual(new Date(2024, 4, 15));
    expect(parseTimeExpr("now/d", now, { roundUp: true })).toEqual(new Date(2024, 4, 15, 23, 59, 59, 999));
    expect(parseTimeExpr("now/h", now)).toEqual(new Date(2024, 4, 15, 13));
    expect(parseTimeExpr("now/m", now)).toEqual(new Date(2024, 4, 15, 13, 45));
    expect(parseTimeExpr("now/w", now)).toEqual(new Date(2024, 4, 13)); // Monday
    expect(parseTimeExpr("now/M", now)).toEqual(new Date(2024, 4, 1));
    expect(parseTimeExpr("now/y", now)).toEqual(new Date(2024, 0, 1));
    expect(parseTimeExpr("now-1d/d", now)).toEqual(new Date(2024, 4, 14));
    expect(parseTimeExpr("now-1d/d", now, { roundUp: true })).toEqual(new Date(2024, 4, 14, 23, 59, 59, 999));
    expect(parseTimeExpr("now/d+8h", now)).toEqual(new Date(2024, 4, 15, 8));
  });

  it("reads ISO 8601 and unix milliseconds", () => {
    expect(parseTimeExpr("2024-05-01T13:45:00Z", now)).toEqual(new Date(Date.UTC(2024, 4, 1, 13, 45)));
    expect(parseTimeExpr("2024-05-01T13:45:00.5Z", now)).toEqual(new Date(Date.UTC(2024, 4, 1, 13, 45, 0, 500)));
    expect(parseTimeExpr("2024-05-01T13:45:00+02:00", now)).toEqual(new Date(Date.UTC(2024, 4, 1, 11, 45)));
    expect(parseTimeExpr("2024-05-01T13:45:00-0130", now)).toEqual(new Date(Date.UTC(2024, 4, 1, 15, 15)));
    expect(parseTimeExpr("2024-05-01T13:45", now)).toEqual(new Date(2024, 4, 1, 13, 45));
    expect(parseTimeExpr("2024-05-01 13:45:10", now)).toEqual(new Date(2024, 4, 1, 13, 45, 10));
    expect(parseTimeExpr("2024-05-01", now)).toEqual(new Date(2024, 4, 1));
    expect(parseTimeExpr("1714571100000", now)).toEqual(new Date(1714571100000));
  });

  it("rejects what it cannot read", () => {
    for (const bad of ["", "  ", "yesterday", "now-", "now-15", "now-15x", "now/", "now/q", "now-1h garbage", "2024-02-31", "2024-13-01", "2024-05-01T25:00", "May 1 2024", "-5m"]) {
      expect(() => parseTimeExpr(bad, now), bad).toThrow(TimeExprError);
    }
  });

  it("is case-sensitive about m (minute) and M (month)", () => {
    expect(parseTimeExpr("now-1m", now)).not.toEqual(parseTimeExpr("now-1M", now));
  });
});

describe("isRelative", () => {
  it("tells relative expressions from absolute ones", () => {
    expect(isRelative("now")).toBe(true);
    expect(isRelative("now-1d/d")).toBe(true);
    expect(isRelative("2024-05-01")).toBe(false);
    expect(isRelative("nowish")).toBe(false);
  });
});

describe("resolveRange / tryResolveRange", () => {
  it("resolves the default range", () => {
    expect(resolveRange({ from: "now-1h", to: "now" }, now)).toEqual({ start: new Date(now.getTime() - 3_600_000), end: now });
  });

  it("rounds `to` up, so now/d..now/d is the whole day", () => {
    expect(resolveRange({ from: "now/d", to: "now/d" }, now)).toEqual({
      start: new Date(2024, 4, 15),
      end: new Date(2024, 4, 15, 23, 59, 59, 999),
    });
  });

  it("resolves absolute ranges", () => {
    const r = resolveRange({ from: "2024-05-01T00:00:00Z", to: "1714608000000" }, now);
    expect(r.start.toISOString()).toBe("2024-05-01T00:00:00.000Z");
    expect(r.end.toISOString()).toBe("2024-05-02T00:00:00.000Z");
  });

  it("reports which side is wrong", () => {
    expect(tryResolveRange({ from: "bogus", to: "now" }, now)).toMatchObject({ ok: false, field: "from" });
    expect(tryResolveRange({ from: "now-1h", to: "later" }, now)).toMatchObject({ ok: false, field: "to" });
    const r = tryResolveRange({ from: "now", to: "now-1h" }, now);
    expect(r).toEqual({ ok: false, field: "range", message: "From must be before To" });
    expect(tryResolveRange({ from: "now", to: "now" }, now)).toMatchObject({ ok: false, field: "range" });
  });

  it("throws TimeExprError from resolveRange", () => {
    expect(() => resolveRange({ from: "now", to: "now-5m" }, now)).toThrow("From must be before To");
    expect(() => resolveRange({ from: "x", to: "now" }, now)).toThrow(TimeExprError);
  });
});

describe("describeRange", () => {
  it("names relative ranges", () => {
    expect(describeRange({ from: "now-15m", to: "now" })).toBe("Last 15 minutes");
    expect(describeRange({ from: "now-1h", to: "now" })).toBe("Last 1 hour");
    expect(describeRange({ from: "now-24h", to: "now" })).toBe("Last 24 hours");
    expect(describeRange({ from: "now-7d", to: "now" })).toBe("Last 7 days");
    expect(describeRange({ from: "now-1M", to: "now" })).toBe("Last 1 month");
    expect(describeRange({ from: "now-90s", to: "now" })).toBe("Last 90 seconds");
  });

  it("names calendar ranges", () => {
    expect(describeRange({ from: "now/d", to: "now/d" })).toBe("Today");
    expect(describeRange({ from: "now-1d/d", to: "now-1d/d" })).toBe("Yesterday");
    expect(describeRange({ from: "now/d", to: "now" })).toBe("Today so far");
  });

  it("formats absolute and mixed ranges", () => {
    const from = String(new Date(2024, 4, 1, 13, 45).getTime());
    const to = new Date(2024, 4, 1, 14, 45, 5).toISOString();
    expect(describeRange({ from, to })).toBe("2024-05-01 13:45:00 to 2024-05-01 14:45:05");
    expect(describeRange({ from: "now-2h", to: "now-1h" })).toBe("now-2h to now-1h");
    expect(describeRange({ from: "now-2h", to })).toBe("now-2h to 2024-05-01 14:45:05");
    expect(describeRange({ from: "junk", to: "now" })).toBe("junk to now");
  });

  it("labels the quick ranges Grafana-style", () => {
    expect(QUICK_RANGES.map((r) => r.label)).toEqual([
      "Last 5 minutes",
      "Last 15 minutes",
      "Last 30 minutes",
      "Last 1 hour",
      "Last 3 hours",
      "Last 6 hours",
      "Last 12 hours",
      "Last 24 hours",
      "Last 2 days",
      "Last 7 days",
      "Last 30 days",
    ]);
    for (const r of [...QUICK_RANGES, ...CALENDAR_RANGES]) expect(tryResolveRange(r, now).ok, r.label).toBe(true);
  });
});

describe("datetime-local helpers", () => {
  it("round-trips a local date and time", () => {
    const d = new Date(2024, 4, 1, 9, 5);
    expect(toDatetimeLocal(d)).toBe("2024-05-01T09:05");
    expect(fromDatetimeLocal("2024-05-01T09:05")).toBe(d.toISOString());
  });

  it("rejects empty or invalid input", () => {
    expect(() => fromDatetimeLocal("")).toThrow(TimeExprError);
    expect(() => fromDatetimeLocal("2024-02-30T10:00")).toThrow(TimeExprError);
  });
});
