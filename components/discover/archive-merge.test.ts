import { describe, expect, it } from "vitest";
import type { ArchiveDaySummary, HistogramBucket, HistogramResult } from "@/server/logs/search/contract";
import { addBuckets, archiveBannerText, compareNewest, mergeHistogram, mergeHits, progressOf, scanOrder, summarizeArchive } from "./archive-merge";
import { makeHit } from "./test-hits";

const T = Date.UTC(2026, 10, 1, 12);
const day = (over: Partial<ArchiveDaySummary>): ArchiveDaySummary => ({ sourceId: "s1", source: "app", day: "2026-11-01", events: 1000, bytes: 2048, restoredUntil: null, ...over });
const levels = (n: number): HistogramBucket["levels"] => ({ trace: 0, debug: 0, info: n, warn: 0, error: 0, fatal: 0, none: 0 });

describe("archive banner and progress", () => {
  it("sums days, bytes and events", () => {
    const s = summarizeArchive([day({}), day({ day: "2026-11-02", events: 500, bytes: 1024 * 1024 })]);
    expect(s).toEqual({ days: 2, bytes: 2048 + 1024 * 1024, events: 1500 });
    expect(archiveBannerText(s)).toMatch(/^2 days in this range are archived \(.+, 1,500 events\)$/);
    expect(archiveBannerText({ days: 1, bytes: 0, events: 1 })).toMatch(/^1 day in this range is archived/);
  });

  it("scans newest days first, by source name within a day", () => {
    const order = scanOrder([day({ day: "2026-11-01", source: "b" }), day({ day: "2026-11-03", source: "z" }), day({ day: "2026-11-01", source: "a" })]);
    expect(order.map((d) => `${d.day} ${d.source}`)).toEqual(["2026-11-03 z", "2026-11-01 a", "2026-11-01 b"]);
  });

  it("reports progress by bytes, with days and bytes in the text", () => {
    const total = { days: 4, bytes: 4000, events: 10 };
    expect(progressOf({ days: 1, bytes: 1000 }, total).fraction).toBe(0.25);
    expect(progressOf({ days: 1, bytes: 1000 }, total).text).toMatch(/^1 of 4 days · /);
    expect(progressOf({ days: 0, bytes: 0 }, { days: 0, bytes: 0, events: 0 }).fraction).toBe(1);
  });
});

describe("mergeHits", () => {
  const hot = [makeHit({ id: "2026-11-03.50.1", ts: T + 3000 }), makeHit({ id: "2026-11-03.50.0", ts: T + 2000 })];
  const cold = [makeHit({ id: "2026-11-01.7.0", ts: T + 2500 }), makeHit({ id: "2026-11-01.7.1", ts: T + 1000 })];

  it("orders by time, then block id, then index, newest first", () => {
    const a = makeHit({ id: "2026-11-01.9.0", ts: T });
    const b = makeHit({ id: "2026-11-01.10.0", ts: T });
    const c = makeHit({ id: "2026-11-01.10.3", ts: T });
    expect([a, c, b].sort(compareNewest).map((h) => h.id)).toEqual([c.id, b.id, a.id]);
  });

  it("interleaves archived hits with the hot ones when every hot page is loaded", () => {
    expect(mergeHits(hot, false, cold).map((h) => h.ts)).toEqual([T + 3000, T + 2500, T + 2000, T + 1000]);
  });

  it("holds back archived hits older than the last loaded hot hit while more hot pages remain", () => {
    expect(mergeHits(hot, true, cold).map((h) => h.ts)).toEqual([T + 3000, T + 2500, T + 2000]);
    expect(mergeHits(hot, true, [])).toBe(hot);
  });
});

describe("histograms", () => {
  const hot: HistogramResult = { step: 1000, total: 3, tookMs: 1, buckets: [{ ts: T, count: 1, levels: levels(1) }, { ts: T + 1000, count: 2, levels: levels(2) }] };

  it("adds archived buckets by time, levels included", () => {
    const merged = mergeHistogram(hot, [{ ts: T + 1000, count: 5, levels: levels(5) }]);
    expect(merged.total).toBe(8);
    expect(merged.buckets.map((b) => b.count)).toEqual([1, 7]);
    expect(merged.buckets[1]!.levels.info).toBe(7);
    expect(mergeHistogram(hot, [])).toBe(hot);
  });

  it("accumulates days' buckets", () => {
    const acc = addBuckets(addBuckets([], [{ ts: T + 1000, count: 1, levels: levels(1) }]), [{ ts: T, count: 2, levels: levels(2) }, { ts: T + 1000, count: 3, levels: levels(3) }]);
    expect(acc.map((b) => [b.ts, b.count])).toEqual([[T, 2], [T + 1000, 4]]);
  });
});
