import { describe, expect, it } from "vitest";
import { alignToGrid, gridOffset, groupIdOfScheduler, scheduledInstant, schedulerIdOf } from "./scheduler";

describe("evaluation grid", () => {
  it("spreads groups over their interval with an offset in (0, interval], stable per group", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const offsets = ids.map((id) => gridOffset(id, 60_000));
    for (const o of offsets) {
      expect(o).toBeGreaterThan(0);
      expect(o).toBeLessThanOrEqual(60_000);
    }
    expect(new Set(offsets).size).toBeGreaterThan(150);
    expect(gridOffset(ids[0]!, 60_000)).toBe(offsets[0]);
    expect(gridOffset(ids[0]!, 1)).toBe(1);
  });

  it("puts a time on the grid at or before it", () => {
    expect(alignToGrid(10_500, 1_000, 250)).toBe(10_250);
    expect(alignToGrid(10_250, 1_000, 250)).toBe(10_250);
    expect(alignToGrid(10_249, 1_000, 250)).toBe(9_250);
    expect(alignToGrid(10_000, 1_000, 1_000)).toBe(10_000);
    expect(alignToGrid(125, 60_000, 59_999)).toBe(-1);
  });
});

describe("scheduledInstant", () => {
  it("reads the due time from a scheduler job's id", () => {
    expect(scheduledInstant({ id: `repeat:${schedulerIdOf("g-1")}:1796650272337`, timestamp: 1796650271480, opts: { delay: 857 } })).toBe(1796650272337);
  });

  it("falls back to prevMillis, then to creation time plus delay", () => {
    expect(scheduledInstant({ id: "42", timestamp: 1_000, opts: { prevMillis: 5_000, delay: 10 } })).toBe(5_000);
    expect(scheduledInstant({ id: "custom-1796650272337", timestamp: 1_000, opts: { delay: 250 } })).toBe(1_250);
    expect(scheduledInstant({ timestamp: 1_000 })).toBe(1_000);
  });

  it("names schedulers by group", () => {
    expect(schedulerIdOf("abc")).toBe("alert-group:abc");
    expect(groupIdOfScheduler("alert-group:abc")).toBe("abc");
    expect(groupIdOfScheduler("reconcile-alert-schedulers")).toBeNull();
  });
});
