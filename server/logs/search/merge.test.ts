import { describe, expect, it } from "vitest";
import type { LogEvent } from "@/server/logs/event";
import { mergePages, type Page } from "./merge";
import type { ScanEvent } from "./scan";

const ev = (ts: number, blockId: number, idx = 0): ScanEvent => ({ e: { ts } as LogEvent, day: "2026-11-01", blockId, idx });
const cold = (events: ScanEvent[], counted: number, countedAfter = counted) => ({ events, counted, countedAfter, eventsScanned: 0, bytesScanned: 0 });
const keys = (p: Page) => p.events.map((s) => `${s.e.ts}.${s.blockId}.${s.idx}`);

describe("mergePages", () => {
  it("takes the newest of both tiers in (ts, block, index) order and adds the totals", () => {
    const hot: Page = { events: [ev(50, 9), ev(30, 9)], total: 2, exact: true, more: false };
    const p = mergePages(hot, cold([ev(40, 3), ev(30, 3, 1), ev(10, 3)], 3), 4);
    expect(keys(p)).toEqual(["50.9.0", "40.3.0", "30.9.0", "30.3.1"]);
    expect(p.total).toBe(5);
    expect(p.exact).toBe(true);
    expect(p.more).toBe(true); // the archive's 10.3.0 was left out
  });

  it("has no more pages when both sides are exhausted by the page", () => {
    const hot: Page = { events: [ev(50, 9)], total: 1, exact: true, more: false };
    expect(mergePages(hot, cold([ev(40, 3)], 1), 2).more).toBe(false);
    expect(mergePages(hot, cold([ev(40, 3)], 1), 5).more).toBe(false);
  });

  it("has more when the hot side has unread pages or the archive counted more after the cursor than it returned", () => {
    const full: Page = { events: [ev(50, 9), ev(45, 9)], total: 500, exact: false, more: true };
    const p = mergePages(full, cold([ev(10, 3)], 7, 1), 2);
    expect(keys(p)).toEqual(["50.9.0", "45.9.0"]);
    expect(p.more).toBe(true);
    expect(p.total).toBe(507);
    expect(p.exact).toBe(false);
    const hot: Page = { events: [], total: 0, exact: true, more: false };
    expect(mergePages(hot, cold([ev(40, 3), ev(30, 3)], 9, 5), 2).more).toBe(true);
  });
});
