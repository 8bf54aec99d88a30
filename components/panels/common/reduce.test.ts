import { describe, expect, it } from "vitest";
import { ReducerSchema } from "@/server/dashboards/model";
import { REDUCER_LABELS, REDUCERS, reduceSeries } from "./reduce";

const pts = (...vs: (number | null)[]): [number, number | null][] => vs.map((v, i) => [1000 * i, v]);

describe("reduceSeries", () => {
  const s = pts(null, 3, 1, null, 4, null);
  it("picks first/last with and without nulls", () => {
    expect(reduceSeries(s, "first")).toBeNull();
    expect(reduceSeries(s, "firstNotNull")).toBe(3);
    expect(reduceSeries(s, "last")).toBeNull();
    expect(reduceSeries(s, "lastNotNull")).toBe(4);
    expect(reduceSeries(pts(5, 6), "first")).toBe(5);
    expect(reduceSeries(pts(5, 6), "last")).toBe(6);
  });
  it("aggregates the non-null values", () => {
    expect(reduceSeries(s, "mean")).toBeCloseTo(8 / 3);
    expect(reduceSeries(s, "min")).toBe(1);
    expect(reduceSeries(s, "max")).toBe(4);
    expect(reduceSeries(s, "sum")).toBe(8);
    expect(reduceSeries(s, "count")).toBe(3);
    expect(reduceSeries(s, "range")).toBe(3);
    expect(reduceSeries(s, "diff")).toBe(1);
  });
  it("treats NaN as missing", () => {
    expect(reduceSeries(pts(2, NaN), "last")).toBeNull();
    expect(reduceSeries(pts(2, NaN), "lastNotNull")).toBe(2);
    expect(reduceSeries(pts(2, NaN, 4), "mean")).toBe(3);
  });
  it("computes delta as a counter: increases summed, a drop is a reset from zero", () => {
    expect(reduceSeries(pts(10, 15, 20), "delta")).toBe(10);
    // 10 → 15 (+5), reset to 3 (+3), 3 → 7 (+4)
    expect(reduceSeries(pts(10, 15, 3, null, 7), "delta")).toBe(12);
    expect(reduceSeries(pts(10, 15, 3, 7), "diff")).toBe(-3);
    expect(reduceSeries(pts(10), "delta")).toBe(0);
  });
  it("answers null for a series without values (count: 0)", () => {
    for (const r of ReducerSchema.options) {
      expect(reduceSeries([], r)).toBe(r === "count" ? 0 : null);
      expect(reduceSeries(pts(null, null), r)).toBe(r === "count" ? 0 : null);
    }
  });
  it("keeps infinities", () => {
    expect(reduceSeries(pts(1, Infinity), "max")).toBe(Infinity);
  });
});

describe("REDUCER_LABELS", () => {
  it("names every reducer and the picker lists each once", () => {
    for (const r of ReducerSchema.options) expect(REDUCER_LABELS[r]).toBeTruthy();
    expect([...REDUCERS].sort()).toEqual([...ReducerSchema.options].sort());
  });
});
