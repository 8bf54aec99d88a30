import { describe, expect, it } from "vitest";
import { resolveColor } from "@/components/panels/common/field-display";
import { barDirection, barGradient, barLayout, lcdCellCount, lcdCells } from "./bars";

const th = { mode: "absolute" as const, steps: [{ value: null, color: "green" }, { value: 50, color: "orange" }, { value: 80, color: "red" }] };
const [G, O, R] = [resolveColor("green"), resolveColor("orange"), resolveColor("red")];

describe("barDirection", () => {
  it("keeps a fixed orientation and picks one for auto", () => {
    expect(barDirection("vertical", 3, 100, 1000)).toBe("vertical");
    expect(barDirection("auto", 3, 1200, 200)).toBe("vertical");
    expect(barDirection("auto", 3, 400, 300)).toBe("horizontal");
  });
});

describe("barLayout", () => {
  it("stacks horizontal bars with names on top when rows are tall enough", () => {
    const l = barLayout(3, 600, 300, "horizontal", { nameChars: 8, valueChars: 5, showNames: true });
    expect(l.namePlacement).toBe("top");
    expect(l.itemSize * 3 + l.gap * 2).toBeCloseTo(300);
    expect(l.length + l.valueWidth + l.nameWidth).toBeCloseTo(600);
    expect(l.thickness).toBeLessThan(l.itemSize);
  });
  it("moves names to a left column in thin rows", () => {
    const l = barLayout(10, 600, 200, "horizontal", { nameChars: 8, valueChars: 5, showNames: true });
    expect(l.namePlacement).toBe("left");
    expect(l.nameWidth).toBeGreaterThan(0);
    expect(l.nameWidth).toBeLessThanOrEqual(180);
  });
  it("puts vertical bars side by side with value on top and name below", () => {
    const l = barLayout(4, 400, 300, "vertical", { nameChars: 8, valueChars: 5, showNames: true });
    expect(l.itemSize * 4 + l.gap * 3).toBeCloseTo(400);
    expect(l.length).toBeLessThan(300);
    expect(l.length).toBeGreaterThan(200);
  });
});

describe("barGradient", () => {
  it("runs through the threshold colours met up to the value", () => {
    expect(barGradient(100, 0, 100, th, "horizontal")).toBe(`linear-gradient(to right, ${G} 0%, ${O} 50%, ${R} 80%, ${R} 100%)`);
    expect(barGradient(60, 0, 100, th, "vertical")).toBe(`linear-gradient(to top, ${G} 0%, ${O} 83.3%, ${O} 100%)`);
  });
  it("fades in a single colour below the first step", () => {
    expect(barGradient(20, 0, 100, th, "horizontal")).toBe(`linear-gradient(to right, color-mix(in srgb, ${G} 35%, transparent), ${G})`);
  });
});

describe("lcdCells", () => {
  it("colours cells by threshold and lights them up to the value", () => {
    const cells = lcdCells(10, 55, 0, 100, th);
    expect(cells.filter((c) => c.lit)).toHaveLength(6);
    expect(cells[0]!.color).toBe(G);
    expect(cells[5]!.color).toBe(O);
    expect(cells[9]!.color).toBe(R);
    expect(lcdCells(4, null, 0, 100, th).some((c) => c.lit)).toBe(false);
  });
  it("fits cells to the bar length", () => {
    expect(lcdCellCount(118)).toBe(10);
    expect(lcdCellCount(3)).toBe(1);
  });
});
