import { describe, expect, it } from "vitest";
import type { HistogramResult } from "@/server/logs/search/contract";
import { bucketTooltipHtml, buildHistogramOption, presentLevels } from "./histogram-option";
import { LEVEL_COLORS } from "./levels";

const zero = { trace: 0, debug: 0, info: 0, warn: 0, error: 0, fatal: 0, none: 0 };
const result: HistogramResult = {
  step: 60_000,
  total: 9,
  tookMs: 3,
  buckets: [
    { ts: 0, count: 5, levels: { ...zero, info: 3, error: 2 } },
    { ts: 60_000, count: 4, levels: { ...zero, info: 1, warn: 2, none: 1 } },
  ],
};

describe("histogram option", () => {
  it("stacks one bar series per present level with the level's colour, least severe at the bottom", () => {
    expect(presentLevels(result.buckets)).toEqual(["error", "warn", "info", "none"]);
    const opt = buildHistogramOption(result, { startMs: 0, endMs: 120_000 });
    const series = opt.series as { name: string; stack: string; color: string; data: number[][] }[];
    expect(series.map((s) => s.name)).toEqual(["no level", "info", "warn", "error"]);
    expect(series.every((s) => s.stack === "hits")).toBe(true);
    expect(series.find((s) => s.name === "error")!.color).toBe(LEVEL_COLORS.error);
    // Bars centred in their bucket.
    expect(series.find((s) => s.name === "info")!.data).toEqual([[30_000, 3], [90_000, 1]]);
    expect(opt.xAxis).toMatchObject({ type: "time", min: 0, max: 120_000 });
    expect(opt.brush).toMatchObject({ brushType: "lineX" });
  });

  it("has no series when nothing matched", () => {
    const opt = buildHistogramOption({ ...result, buckets: [{ ts: 0, count: 0, levels: zero }], total: 0 }, { startMs: 0, endMs: 60_000 });
    expect(opt.series).toEqual([]);
  });

  it("tooltip lists the bucket's total and non-zero levels, escaped", () => {
    const html = bucketTooltipHtml(result.buckets[1]!, 60_000);
    expect(html).toContain("<b>4</b>");
    expect(html).toContain("warn");
    expect(html).toContain("no level");
    expect(html).not.toContain("error");
  });
});
