import { describe, expect, it } from "vitest";
import {
  epochToMillis,
  isValidTimeZone,
  nanosToMillis,
  parseOffsetMs,
  parseRfc3339,
  parseTimestamp,
  zonedTimeToEpoch,
  zoneOffsetAt,
} from "./timestamp";

const T = Date.UTC(2024, 4, 1, 13, 45, 0, 123); // 2024-05-01T13:45:00.123Z = 1714571100123

describe("parseTimestamp", () => {
  it.each([
    ["RFC 3339 with Z", "2024-05-01T13:45:00.123Z", T],
    ["RFC 3339 with offset", "2024-05-01T15:45:00.123+02:00", T],
    ["offset without colon", "2024-05-01T08:45:00.123-0500", T],
    ["hour-only offset", "2024-05-01T15:45:00.123+02", T],
    ["nanosecond fraction (truncated)", "2024-05-01T13:45:00.123456789Z", T],
    ["comma fraction", "2024-05-01T13:45:00,123Z", T],
    ["space separator", "2024-05-01 13:45:00.123Z", T],
    ["lower-case t and z", "2024-05-01t13:45:00.123z", T],
    ["no offset = UTC", "2024-05-01T13:45:00.123", T],
    ["no seconds", "2024-05-01T13:45Z", T - 123],
    ["date only", "2024-05-01", Date.UTC(2024, 4, 1)],
    ["leap second read as :59", "2016-12-31T23:59:60Z", Date.UTC(2016, 11, 31, 23, 59, 59)],
    ["epoch seconds", 1714571100, T - 123],
    ["epoch seconds with fraction", 1714571100.123, T],
    ["epoch milliseconds", 1714571100123, T],
    ["epoch microseconds", 1714571100123456, T],
    ["epoch nanoseconds (number, beyond 2^53)", Number("1714571100123456789"), T],
    ["epoch seconds as a string", "1714571100", T - 123],
    ["epoch seconds with fraction as a string", "1714571100.123", T],
    ["epoch ms as a string", "1714571100123", T],
    ["epoch µs as a string", "1714571100123456", T],
    ["epoch ns as a string (exact)", "1714571100123999999", T],
    ["epoch ns as a bigint", 1714571100123999999n, T],
    ["zero", 0, 0],
    ["padded string", "  2024-05-01T13:45:00.123Z ", T],
  ])("reads %s", (_name, input, expected) => {
    expect(parseTimestamp(input)).toBe(expected);
  });

  it.each([
    ["text", "yesterday"],
    ["a date JS would guess at", "May 1 2024"],
    ["month 13", "2024-13-01T00:00:00Z"],
    ["Feb 30", "2024-02-30T00:00:00Z"],
    ["hour 25", "2024-05-01T25:00:00Z"],
    ["bad offset", "2024-05-01T13:45:00+25:00"],
    ["trailing junk", "2024-05-01T13:45:00Zjunk"],
    ["null", null],
    ["object", { t: 1 }],
    ["boolean", true],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["empty", ""],
  ])("refuses %s", (_name, input) => {
    expect(parseTimestamp(input)).toBeUndefined();
  });

  it("accepts Feb 29 in leap years only", () => {
    expect(parseTimestamp("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29));
    expect(parseTimestamp("2023-02-29T00:00:00Z")).toBeUndefined();
  });
});

describe("epochToMillis magnitude boundaries", () => {
  it.each([
    [99_999_999_999, 99_999_999_999_000], // largest seconds value (year 5138)
    [100_000_000_000, 100_000_000_000], // smallest milliseconds value
    [99_999_999_999_999, 99_999_999_999_999],
    [100_000_000_000_000, 100_000_000_000], // smallest microseconds value
    [100_000_000_000_000_000, 100_000_000_000], // smallest nanoseconds value
    [-86_400, -86_400_000], // negative seconds
  ])("%d → %d ms", (n, ms) => {
    expect(epochToMillis(n)).toBe(ms);
  });
});

describe("nanosToMillis", () => {
  it.each([
    ["1714571100123456789", T],
    ["0", 0],
    ["999999", 0],
    ["-1", -1], // floors, so 1 ns before the epoch is in the ms before
    ["18446744073709551615", 18446744073709], // max uint64 (year 2554), exact
  ])("%s → %s", (ns, ms) => {
    expect(nanosToMillis(ns)).toBe(ms);
  });

  it.each(["", "12a", "1.5", "0x10", "123456789012345678901"])("refuses %j", (ns) => {
    expect(nanosToMillis(ns)).toBeUndefined();
  });
});

describe("parseOffsetMs", () => {
  it.each([
    ["Z", 0],
    ["+00:00", 0],
    ["+02:00", 7_200_000],
    ["-0530", -19_800_000],
    ["+05", 18_000_000],
    ["+24:00", undefined],
    ["+02:60", undefined],
    ["0200", undefined],
  ])("%s → %s", (s, ms) => {
    expect(parseOffsetMs(s)).toBe(ms);
  });
});

describe("zonedTimeToEpoch", () => {
  const wall = (year: number, month: number, day: number, hour: number, minute = 0) => ({ year, month, day, hour, minute, second: 0, ms: 0 });

  it.each([
    ["UTC", wall(2024, 5, 1, 12), Date.UTC(2024, 4, 1, 12)],
    ["utc", wall(2024, 5, 1, 12), Date.UTC(2024, 4, 1, 12)],
    ["+02:00", wall(2024, 5, 1, 12), Date.UTC(2024, 4, 1, 10)],
    ["-05:30", wall(2024, 5, 1, 12), Date.UTC(2024, 4, 1, 17, 30)],
    ["Europe/Berlin (summer, CEST)", wall(2024, 7, 1, 12), Date.UTC(2024, 6, 1, 10)],
    ["Europe/Berlin (winter, CET)", wall(2024, 1, 15, 12), Date.UTC(2024, 0, 15, 11)],
    ["America/New_York (EDT)", wall(2024, 7, 1, 12), Date.UTC(2024, 6, 1, 16)],
    ["Asia/Kolkata", wall(2024, 7, 1, 12), Date.UTC(2024, 6, 1, 6, 30)],
    ["Australia/Sydney (AEDT, southern summer)", wall(2024, 1, 15, 12), Date.UTC(2024, 0, 15, 1)],
  ])("reads a wall time in %s", (zone, w, expected) => {
    expect(zonedTimeToEpoch(w, zone.split(" ")[0])).toBe(expected);
  });

  it("takes the earlier instant in a DST overlap (Berlin, 2024-10-27 02:30 happens twice)", () => {
    expect(zonedTimeToEpoch(wall(2024, 10, 27, 2, 30), "Europe/Berlin")).toBe(Date.UTC(2024, 9, 27, 0, 30));
  });

  it("shifts a time in a DST gap forward (Berlin, 2024-03-31 02:30 does not exist → 03:30 CEST)", () => {
    expect(zonedTimeToEpoch(wall(2024, 3, 31, 2, 30), "Europe/Berlin")).toBe(Date.UTC(2024, 2, 31, 1, 30));
  });

  it("gets the hours either side of a transition right", () => {
    expect(zonedTimeToEpoch(wall(2024, 3, 31, 1, 59), "Europe/Berlin")).toBe(Date.UTC(2024, 2, 31, 0, 59));
    expect(zonedTimeToEpoch(wall(2024, 3, 31, 3, 0), "Europe/Berlin")).toBe(Date.UTC(2024, 2, 31, 1, 0));
    expect(zonedTimeToEpoch(wall(2024, 10, 27, 3, 0), "Europe/Berlin")).toBe(Date.UTC(2024, 9, 27, 2, 0));
  });

  it("throws for an unknown zone", () => {
    expect(() => zonedTimeToEpoch(wall(2024, 5, 1, 12), "Mars/Olympus_Mons")).toThrow(RangeError);
  });

  it("reports zone offsets", () => {
    expect(zoneOffsetAt(Date.UTC(2024, 6, 1), "Europe/Berlin")).toBe(7_200_000);
    expect(zoneOffsetAt(Date.UTC(2024, 6, 1, 0, 0, 0, 999), "Europe/Berlin")).toBe(7_200_000);
  });
});

describe("isValidTimeZone", () => {
  it.each([
    ["UTC", true],
    ["Europe/Berlin", true],
    ["+02:00", true],
    ["Mars/Olympus_Mons", false],
    ["+2", false],
  ])("%s → %s", (zone, ok) => {
    expect(isValidTimeZone(zone)).toBe(ok);
  });
});

describe("parseRfc3339", () => {
  it("is strict about shape", () => {
    expect(parseRfc3339("2024-5-1T13:45:00Z")).toBeUndefined();
    expect(parseRfc3339("20240501T134500Z")).toBeUndefined();
  });
});
