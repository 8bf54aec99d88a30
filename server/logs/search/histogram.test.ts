import { describe, expect, it } from "vitest";
import { autoStep, Histogram, levelSlot } from "./histogram";

describe("histogram", () => {
  it("picks round steps", () => {
    expect(autoStep(0, 15 * 60_000, 60)).toBe(15_000);
    expect(autoStep(0, 24 * 3_600_000, 60)).toBe(30 * 60_000);
    expect(autoStep(0, 7 * 86_400_000, 60)).toBe(3 * 3_600_000);
    expect(autoStep(0, 0, 60)).toBe(1000);
  });

  it("aligns buckets to the step and counts per level, ignoring times outside the range", () => {
    const h = new Histogram(90_000, 200_000, 60_000);
    expect(h.first).toBe(60_000);
    expect(h.n).toBe(3);
    h.add(90_000, levelSlot("error"));
    h.add(119_999, levelSlot(null));
    h.add(120_000, levelSlot("info"), 5);
    h.add(89_999, levelSlot("info"));
    h.add(200_001, levelSlot("info"));
    const { total, buckets } = h.buckets();
    expect(total).toBe(7);
    expect(buckets.map((b) => [b.ts, b.count])).toEqual([
      [60_000, 2],
      [120_000, 5],
      [180_000, 0],
    ]);
    expect(buckets[0]!.levels).toMatchObject({ error: 1, none: 1, info: 0 });
  });
});
