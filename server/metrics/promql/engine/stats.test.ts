import { describe, expect, it } from "vitest";
import { bucketFraction, bucketQuantile, parseGoFloat } from "./functions/histogram";
import { naturalCompare } from "./functions/sort";
import { MeanAccumulator } from "./kahan";
import { formatFloat, quantile } from "./stats";

describe("quantile", () => {
  it("interpolates between ranks and clamps φ outside [0, 1]", () => {
    expect(quantile(0.5, [3, 1, 2])).toBe(2);
    expect(quantile(0.75, [0, 1])).toBe(0.75);
    expect(quantile(-1, [1])).toBe(-Infinity);
    expect(quantile(2, [1])).toBe(Infinity);
    expect(quantile(NaN, [1])).toBeNaN();
  });
});

describe("classic histogram buckets", () => {
  const buckets = () => [
    { upperBound: 0.1, count: 20 },
    { upperBound: 1, count: 10 },
    { upperBound: 10, count: 50 },
    { upperBound: Infinity, count: 50 },
  ];

  it("fixes non-monotonic buckets and reports it", () => {
    const r = bucketQuantile(0.5, buckets());
    expect(r.forcedMonotonic).toBe(true);
    expect(r.value).toBeCloseTo(1 + (9 * 5) / 30, 10);
  });

  it("returns the highest finite bound for the top quantile and NaN without +Inf", () => {
    expect(bucketQuantile(1, buckets()).value).toBe(10);
    expect(bucketQuantile(0.5, [{ upperBound: 1, count: 1 }]).value).toBeNaN();
  });

  it("estimates fractions by linear interpolation", () => {
    expect(bucketFraction(0, 10, buckets())).toBe(1);
    expect(bucketFraction(0, 5.5, buckets())).toBeCloseTo((20 + 30 * (4.5 / 9)) / 50, 10);
  });

  it("parses le values like Go's ParseFloat", () => {
    expect(parseGoFloat("+Inf")).toBe(Infinity);
    expect(parseGoFloat("+inf")).toBe(Infinity);
    expect(parseGoFloat(".2")).toBe(0.2);
    expect(parseGoFloat("2.0e-1")).toBe(0.2);
    expect(parseGoFloat("abc")).toBeUndefined();
  });
});

describe("numbers", () => {
  it("formats floats as Go's FormatFloat(f, 'f', -1)", () => {
    expect(formatFloat(1e21)).toBe("1000000000000000000000");
    expect(formatFloat(1.5e-7)).toBe("0.00000015");
    expect(formatFloat(-Infinity)).toBe("-Inf");
    expect(formatFloat(0.1)).toBe("0.1");
  });

  it("keeps a mean exact where a plain sum overflows", () => {
    const m = new MeanAccumulator();
    for (const v of [1e308, 1e308, 1e308]) m.add(v);
    expect(m.value()).toBe(1e308);
  });

  it("orders label values naturally", () => {
    expect(["10", "2", "1", "100"].sort(naturalCompare)).toEqual(["1", "2", "10", "100"]);
    expect(["1.11.3", "1.2.3", "1.111.3"].sort(naturalCompare)).toEqual(["1.2.3", "1.11.3", "1.111.3"]);
  });
});
