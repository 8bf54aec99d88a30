import { describe, expect, it } from "vitest";
import { GoDuration, GoTime, KV, ZERO_TIME_MS } from "./values";

const t = new GoTime(Date.parse("2024-03-05T07:08:09.042Z"));

describe("GoTime", () => {
  it("prints as Go's Time.String", () => {
    expect(t.String()).toBe("2024-03-05 07:08:09.042 +0000 UTC");
    expect(new GoTime(Date.parse("2024-03-05T07:08:09Z")).String()).toBe("2024-03-05 07:08:09 +0000 UTC");
  });

  it.each([
    ["2006-01-02 15:04:05", "2024-03-05 07:08:09"],
    ["2006-01-02T15:04:05Z07:00", "2024-03-05T07:08:09Z"],
    ["2006-01-02T15:04:05.000Z", "2024-03-05T07:08:09.042Z"],
    ["15:04:05.999", "07:08:09.042"],
    ["15:04:05.9", "07:08:09"],
    ["Jan 2, 2006 at 3:04pm (MST)", "Mar 5, 2024 at 7:08am (UTC)"],
    ["Monday, January _2 06", "Tuesday, March  5 24"],
    ["Mon Jan 2 03:04:05 PM -0700", "Tue Mar 5 07:08:09 AM +0000"],
    ["002 __2", "065  65"],
    ["-07:00 -07 Z0700", "+00:00 +00 Z"],
    ["_2006", "_2024"],
  ])("Format(%j)", (layout, want) => {
    expect(t.Format(layout)).toBe(want);
  });

  it("moves to a zone (tz) with its offset and abbreviation", () => {
    const paris = t.In("Europe/Paris");
    expect(paris.Format("2006-01-02 15:04 -07:00")).toBe("2024-03-05 08:08 +01:00");
    const summer = new GoTime(Date.parse("2024-07-01T12:00:00Z"), "America/New_York");
    expect(summer.Format("15:04 MST -0700")).toBe("08:00 EDT -0400");
    expect(summer.Format(time3339)).toBe("2024-07-01T08:00:00-04:00");
  });

  it("has Go's zero time and methods", () => {
    const zero = new GoTime(ZERO_TIME_MS);
    expect(zero.IsZero()).toBe(true);
    expect(zero.toJSON()).toBe("0001-01-01T00:00:00Z");
    expect(t.IsZero()).toBe(false);
    expect(t.Unix()).toBe(1709622489n);
    expect(t.UnixMilli()).toBe(1709622489042n);
    expect(t.Sub(new GoTime(t.ms - 61_500)).String()).toBe("1m1.5s");
    expect(t.Year()).toBe(2024n);
    expect(t.Month()).toBe("March");
    expect(t.Weekday()).toBe("Tuesday");
    expect(GoTime.parse("2024-03-05T08:08:09.042+01:00").ms).toBe(t.ms);
    expect(GoTime.parse("").IsZero()).toBe(true);
  });
});

const time3339 = "2006-01-02T15:04:05Z07:00";

describe("GoDuration.String", () => {
  it.each([
    [0n, "0s"],
    [1n, "1ns"],
    [1_500n, "1.5µs"],
    [1_500_000n, "1.5ms"],
    [1_000_000_000n, "1s"],
    [90_000_000_000n, "1m30s"],
    [3_600_000_000_000n, "1h0m0s"],
    [3_723_500_000_000n, "1h2m3.5s"],
    [-2_000_000_000n, "-2s"],
    [90_000_000_000_000n, "25h0m0s"],
  ])("%s ns → %s", (ns, want) => {
    expect(new GoDuration(ns).String()).toBe(want);
  });

  it("converts", () => {
    const d = GoDuration.fromSeconds(90);
    expect(d.Seconds()).toBe(90);
    expect(d.Minutes()).toBe(1.5);
    expect(d.Milliseconds()).toBe(90_000n);
  });
});

describe("KV", () => {
  const kv = new KV({ job: "api", alertname: "HighErrorRate", instance: "a:1", Names: "shadowed" });

  it("sorts pairs by name with alertname first", () => {
    expect(kv.SortedPairs().map((p) => `${p.Name}=${p.Value}`)).toEqual(["alertname=HighErrorRate", "Names=shadowed", "instance=a:1", "job=api"]);
    expect(kv.Names()).toEqual(["alertname", "Names", "instance", "job"]);
    expect(kv.Values()).toEqual(["HighErrorRate", "shadowed", "a:1", "api"]);
    expect(kv.SortedPairs().Names()).toEqual(kv.Names());
  });

  it("reads a missing key as empty and removes keys into a copy", () => {
    expect(kv.get("nope")).toBe("");
    const r = kv.Remove(["job", "Names"]);
    expect(r.Names()).toEqual(["alertname", "instance"]);
    expect(kv.size).toBe(4);
  });
});
