import { describe, expect, it } from "vitest";
import { formatGoFloat } from "./format-float";

describe("formatGoFloat (Go strconv.FormatFloat(v, 'f', -1, 64))", () => {
  it.each([
    [0, "0"],
    [-0, "-0"],
    [1, "1"],
    [-2.5, "-2.5"],
    [0.1 + 0.2, "0.30000000000000004"],
    [1e21, "1000000000000000000000"],
    [1.5e22, "15000000000000000000000"],
    [-1e21, "-1000000000000000000000"],
    [1e-7, "0.0000001"],
    [1.25e-7, "0.000000125"],
    [123456789.125, "123456789.125"],
    [5e-324, `0.${"0".repeat(323)}5`],
    [Number.MAX_SAFE_INTEGER, "9007199254740991"],
    [1.7976931348623157e308, `17976931348623157${"0".repeat(292)}`],
    [NaN, "NaN"],
    [Infinity, "+Inf"],
    [-Infinity, "-Inf"],
  ])("%s → %s", (v, expected) => {
    expect(formatGoFloat(v)).toBe(expected);
  });

  it("round-trips", () => {
    for (const v of [Math.PI, 1 / 3, 2 ** 70, 2 ** -40, 6.02214076e23, 1e-300]) expect(Number(formatGoFloat(v))).toBe(v);
  });
});
