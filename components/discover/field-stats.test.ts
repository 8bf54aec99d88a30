import { describe, expect, it } from "vitest";
import { computeFieldStats, filterFields, formatPercent } from "./field-stats";
import { makeHit } from "./test-hits";

describe("field stats", () => {
  const hits = [
    makeHit({ id: "1", level: "error", attributes: { status: 500, region: "eu" } }),
    makeHit({ id: "2", level: "error", attributes: { status: 502 } }),
    makeHit({ id: "3", level: "info", service: "web", attributes: { status: 500 } }),
    makeHit({ id: "4", level: "warn", service: null, attributes: { zone: "a" } }),
  ];
  const stats = computeFieldStats(hits);
  const by = (p: string) => stats.find((s) => s.path === p)!;

  it("lists built-ins first in their order, then attributes by name", () => {
    expect(stats.map((s) => s.path)).toEqual(["@timestamp", "level", "service", "host", "source", "message", "region", "status", "zone"]);
  });

  it("counts presence and top values with shares of the sample", () => {
    expect(by("service")).toMatchObject({ count: 3, distinct: 2 });
    expect(by("level").top).toEqual([
      { value: "error", count: 2, percent: 50 },
      { value: "info", count: 1, percent: 25 },
      { value: "warn", count: 1, percent: 25 },
    ]);
    expect(by("status")).toMatchObject({ count: 3, types: ["number"], top: [{ value: "500", count: 2, percent: 50 }, { value: "502", count: 1, percent: 25 }] });
    expect(by("region").builtin).toBe(false);
    expect(by("level").builtin).toBe(true);
  });

  it("keeps at most `top` values, ties by value", () => {
    const many = Array.from({ length: 8 }, (_, i) => makeHit({ id: String(i), attributes: { k: `v${7 - i}` } }));
    const k = computeFieldStats(many, { top: 5 }).find((s) => s.path === "k")!;
    expect(k.top.map((t) => t.value)).toEqual(["v0", "v1", "v2", "v3", "v4"]);
    expect(k.distinct).toBe(8);
  });

  it("is empty for no hits", () => {
    expect(computeFieldStats([])).toEqual([]);
  });

  it("formats percentages and filters names", () => {
    expect(formatPercent(50)).toBe("50%");
    expect(formatPercent(33.333)).toBe("33.3%");
    expect(formatPercent(0.01)).toBe("<0.1%");
    expect(formatPercent(0)).toBe("0%");
    expect(filterFields(stats, " STAT").map((s) => s.path)).toEqual(["status"]);
    expect(filterFields(stats, "")).toHaveLength(stats.length);
  });
});
