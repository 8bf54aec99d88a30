import { describe, expect, it } from "vitest";
import { chooseHitCount, formatHitCount } from "./hit-count";

describe("hit count", () => {
  it("formats exact counts and lower bounds", () => {
    expect(formatHitCount(0)).toBe("0 hits");
    expect(formatHitCount(1)).toBe("1 hit");
    expect(formatHitCount(1234)).toBe("1,234 hits");
    expect(formatHitCount(10000, "gte")).toBe("10,000+ hits");
  });

  it("prefers the histogram's total", () => {
    expect(chooseHitCount({ total: 10000, totalRelation: "gte" }, 123456)).toEqual({ total: 123456, relation: "eq" });
    expect(chooseHitCount({ total: 10000, totalRelation: "gte" }, undefined)).toEqual({ total: 10000, relation: "gte" });
    expect(chooseHitCount(undefined, undefined)).toBeNull();
  });
});
