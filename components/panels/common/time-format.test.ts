import { describe, expect, it } from "vitest";
import { formatPanelTime } from "./time-format";

describe("formatPanelTime", () => {
  const ms = Date.UTC(2024, 4, 1, 13, 45, 6, 789);
  it("writes UTC times", () => {
    expect(formatPanelTime(ms, "utc")).toBe("2024-05-01 13:45:06");
    expect(formatPanelTime(ms, "utc", true)).toBe("2024-05-01 13:45:06.789");
  });
  it("writes browser-local times", () => {
    const d = new Date(ms);
    const pad = (n: number) => String(n).padStart(2, "0");
    expect(formatPanelTime(ms, "browser")).toBe(`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`);
    expect(formatPanelTime(ms, "browser", true)).toMatch(/\.789$/);
  });
  it("writes nothing for a missing time", () => {
    expect(formatPanelTime(NaN, "utc")).toBe("");
  });
});
