import { describe, expect, it } from "vitest";
import { IntSet } from "./int-set";

describe("IntSet", () => {
  it("behaves like a Set of int32, including 0, negatives and growth", () => {
    const s = new IntSet(4);
    const ref = new Set<number>();
    let x = 12345;
    for (let i = 0; i < 20_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      const v = i % 7 === 0 ? 0 : x % 5000; // many duplicates, zero, negatives
      s.add(v);
      ref.add(v);
    }
    expect(s.size).toBe(ref.size);
    expect(s.sorted()).toEqual([...ref].sort((a, b) => a - b));
    for (const v of [0, -1, 4999, -4999]) expect(s.has(v)).toBe(ref.has(v));
    expect(s.has(123456789)).toBe(false);
  });
});
