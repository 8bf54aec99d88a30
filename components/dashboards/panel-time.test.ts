import { describe, expect, it } from "vitest";
import { panelTimeRange } from "./panel-time";

const H = 3_600_000;
const range = { start: 10 * H, end: 34 * H };

describe("panelTimeRange", () => {
  it("keeps the dashboard range without overrides", () => {
    expect(panelTimeRange(range, {})).toEqual({ ...range, info: undefined });
  });
  it("timeFrom shows the last N up to the dashboard's end", () => {
    expect(panelTimeRange(range, { timeFrom: "1h" })).toEqual({ start: 33 * H, end: 34 * H, info: "Last 1h" });
  });
  it("timeShift moves the range back, combined with timeFrom", () => {
    expect(panelTimeRange(range, { timeShift: "1d" })).toEqual({ start: -14 * H, end: 10 * H, info: "timeshift -1d" });
    expect(panelTimeRange(range, { timeFrom: "2h", timeShift: "1h" })).toEqual({ start: 31 * H, end: 33 * H, info: "Last 2h timeshift -1h" });
  });
});
