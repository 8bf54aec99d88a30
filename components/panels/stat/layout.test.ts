import { describe, expect, it } from "vitest";
import { fitFont, sparklinePaths, statTextSizes, valueGrid } from "./layout";

describe("valueGrid", () => {
  it("puts one value in the whole panel", () => {
    expect(valueGrid(1, 300, 200)).toEqual({ columns: 1, rows: 1, cellWidth: 300, cellHeight: 200 });
  });
  it("follows a fixed orientation", () => {
    expect(valueGrid(3, 600, 100, "horizontal", 0)).toMatchObject({ columns: 3, rows: 1, cellWidth: 200, cellHeight: 100 });
    expect(valueGrid(3, 600, 300, "vertical", 0)).toMatchObject({ columns: 1, rows: 3, cellWidth: 600, cellHeight: 100 });
  });
  it("lays values side by side in a wide panel and stacked in a tall one", () => {
    expect(valueGrid(4, 1200, 150).rows).toBe(1);
    expect(valueGrid(4, 150, 800).columns).toBe(1);
  });
  it("uses a grid for many values in a square panel", () => {
    const g = valueGrid(9, 600, 600);
    expect(g.columns * g.rows).toBeGreaterThanOrEqual(9);
    expect(g.columns).toBeGreaterThan(1);
    expect(g.rows).toBeGreaterThan(1);
  });
  it("accounts for the gaps", () => {
    expect(valueGrid(2, 204, 100, "horizontal", 4).cellWidth).toBe(100);
  });
});

describe("statTextSizes", () => {
  it("grows with the cell and shrinks with longer text", () => {
    const small = statTextSizes({ width: 150, height: 80 }, { valueChars: 4, nameChars: 5, showName: false, sparkline: false });
    const big = statTextSizes({ width: 600, height: 300 }, { valueChars: 4, nameChars: 5, showName: false, sparkline: false });
    const long = statTextSizes({ width: 600, height: 300 }, { valueChars: 20, nameChars: 5, showName: false, sparkline: false });
    expect(big.valuePx).toBeGreaterThan(small.valuePx);
    expect(long.valuePx).toBeLessThan(big.valuePx);
    expect(small.namePx).toBe(0);
  });
  it("leaves room for the name and the sparkline", () => {
    const plain = statTextSizes({ width: 400, height: 200 }, { valueChars: 3, nameChars: 5, showName: false, sparkline: false });
    const withName = statTextSizes({ width: 400, height: 200 }, { valueChars: 3, nameChars: 5, showName: true, sparkline: false });
    const withSpark = statTextSizes({ width: 400, height: 200 }, { valueChars: 3, nameChars: 5, showName: false, sparkline: true });
    expect(withName.namePx).toBeGreaterThanOrEqual(10);
    expect(withName.valuePx).toBeLessThan(plain.valuePx);
    expect(withSpark.valuePx).toBeLessThan(plain.valuePx);
  });
  it("stays readable and bounded", () => {
    expect(statTextSizes({ width: 10, height: 10 }, { valueChars: 10, nameChars: 10, showName: true, sparkline: true }).valuePx).toBe(10);
    expect(statTextSizes({ width: 5000, height: 5000 }, { valueChars: 1, nameChars: 1, showName: false, sparkline: false }).valuePx).toBe(160);
    expect(fitFont(100, 1000, 10)).toBeCloseTo(13.24, 1);
  });
});

describe("sparklinePaths", () => {
  it("scales time to x and value to y (high values at the top)", () => {
    const p = sparklinePaths([[0, 0], [50, 10], [100, 5]], 100, 22)!;
    expect(p.line).toBe("M0 21L50 1L100 11");
    expect(p.area).toBe("M0 22L0 21L50 1L100 11L100 22Z");
  });
  it("breaks the line at gaps", () => {
    const p = sparklinePaths([[0, 1], [1, 2], [2, null], [3, 3], [4, 1]], 40, 12)!;
    expect(p.line.match(/M/g)).toHaveLength(2);
    expect(p.area.match(/Z/g)).toHaveLength(2);
  });
  it("draws a flat series in the middle and nothing for a single value", () => {
    expect(sparklinePaths([[0, 3], [10, 3]], 10, 10)!.line).toBe("M0 5L10 5");
    expect(sparklinePaths([[0, 3], [10, null]], 10, 10)).toBeNull();
    expect(sparklinePaths([], 10, 10)).toBeNull();
  });
});
