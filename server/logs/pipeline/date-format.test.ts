import { describe, expect, it } from "vitest";
import { compileDateFormat, DateFormatError } from "./date-format";

const REF = Date.UTC(2024, 5, 15, 12, 0, 0); // 2024-06-15T12:00:00Z
const parse = (format: string, value: unknown, opts: { timezone?: string } = {}, ref = REF) => compileDateFormat(format, opts)(value, ref);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe("named formats", () => {
  it("ISO8601 with Z, offsets, comma fraction, space separator and basic form", () => {
    expect(iso(parse("ISO8601", "2014-02-15T23:39:43.945958Z"))).toBe("2014-02-15T23:39:43.945Z");
    expect(iso(parse("ISO8601", "2015-04-23T07:00:13.864+0200"))).toBe("2015-04-23T05:00:13.864Z");
    expect(iso(parse("ISO8601", "2015-04-23T07:00:13-03:30"))).toBe("2015-04-23T10:30:13.000Z");
    expect(iso(parse("ISO8601", "2011-04-19 03:44:01,123"))).toBe("2011-04-19T03:44:01.123Z");
    expect(iso(parse("ISO8601", "20110419T034401Z"))).toBe("2011-04-19T03:44:01.000Z");
    expect(iso(parse("ISO8601", "2011-04-19"))).toBe("2011-04-19T00:00:00.000Z");
    expect(parse("ISO8601", "2011-13-19T00:00:00Z")).toBeNull();
    expect(parse("ISO8601", "yesterday")).toBeNull();
  });

  it("ISO8601 without offset uses the step's time zone", () => {
    expect(iso(parse("ISO8601", "2024-01-10 12:00:00", { timezone: "Europe/Paris" }))).toBe("2024-01-10T11:00:00.000Z");
    expect(iso(parse("ISO8601", "2024-07-10 12:00:00", { timezone: "Europe/Paris" }))).toBe("2024-07-10T10:00:00.000Z");
    expect(iso(parse("ISO8601", "2024-07-10 12:00:00Z", { timezone: "Europe/Paris" }))).toBe("2024-07-10T12:00:00.000Z");
  });

  it("UNIX (seconds, fractional), UNIX_MS, numbers and TAI64N", () => {
    expect(parse("UNIX", "1427925689")).toBe(1427925689000);
    expect(parse("UNIX", "1427925689.123")).toBe(1427925689123);
    expect(parse("UNIX", 1427925689)).toBe(1427925689000);
    expect(parse("UNIX", "12abc")).toBeNull();
    expect(parse("UNIX_MS", "1427925689123")).toBe(1427925689123);
    expect(parse("UNIX_MS", "1.5")).toBeNull();
    expect(iso(parse("TAI64N", "@4000000052f88ea32489532c"))).toBe("2014-02-10T08:32:25.612Z");
  });
});

describe("Joda patterns", () => {
  it("Apache/nginx access-log time", () => {
    expect(iso(parse("dd/MMM/yyyy:HH:mm:ss Z", "10/Oct/2000:13:55:36 -0700"))).toBe("2000-10-10T20:55:36.000Z");
  });

  it("syslog time without a year takes the reference year, a year back when it would be in the future", () => {
    expect(iso(parse("MMM d HH:mm:ss", "Jun  2 14:53:31"))).toBe("2024-06-02T14:53:31.000Z");
    expect(iso(parse("MMM dd HH:mm:ss", "Jun 02 14:53:31"))).toBe("2024-06-02T14:53:31.000Z");
    const newYear = Date.UTC(2025, 0, 1, 0, 5);
    expect(iso(parse("MMM d HH:mm:ss", "Dec 31 23:59:58", {}, newYear))).toBe("2024-12-31T23:59:58.000Z");
  });

  it("milliseconds, longer fractions, quoted literals and 12-hour clocks", () => {
    expect(iso(parse("yyyy-MM-dd HH:mm:ss.SSS", "2024-03-01 08:09:10.123"))).toBe("2024-03-01T08:09:10.123Z");
    expect(iso(parse("yyyy-MM-dd HH:mm:ss.SSS", "2024-03-01 08:09:10.123456"))).toBe("2024-03-01T08:09:10.123Z");
    expect(iso(parse("yyyy-MM-dd'T'HH:mm:ssZZ", "2024-03-01T08:09:10+01:00"))).toBe("2024-03-01T07:09:10.000Z");
    expect(iso(parse("MMM d, yyyy h:mm:ss a", "Jul 31, 2020 4:40:20 PM"))).toBe("2020-07-31T16:40:20.000Z");
    expect(iso(parse("MMM d, yyyy h:mm:ss a", "Jul 31, 2020 12:40:20 AM"))).toBe("2020-07-31T00:40:20.000Z");
    expect(iso(parse("EEE MMM dd HH:mm:ss yyyy", "Wed Mar 06 11:02:03 2024"))).toBe("2024-03-06T11:02:03.000Z");
    expect(iso(parse("dd MMMM yy", "05 January 24"))).toBe("2024-01-05T00:00:00.000Z");
  });

  it("adjacent numeric fields use their exact widths", () => {
    expect(iso(parse("yyyyMMddHHmmss", "20240301080910"))).toBe("2024-03-01T08:09:10.000Z");
  });

  it("zone ids and time-zone option", () => {
    expect(iso(parse("yyyy-MM-dd HH:mm:ss ZZZ", "2024-01-10 12:00:00 America/New_York"))).toBe("2024-01-10T17:00:00.000Z");
    expect(iso(parse("yyyy-MM-dd HH:mm:ss", "2024-01-10 12:00:00", { timezone: "Asia/Tokyo" }))).toBe("2024-01-10T03:00:00.000Z");
    expect(parse("yyyy-MM-dd HH:mm:ss ZZZ", "2024-01-10 12:00:00 Mars/Olympus")).toBeNull();
  });

  it("rejects values that do not fit (whole string, valid ranges)", () => {
    expect(parse("dd/MMM/yyyy:HH:mm:ss Z", "10/Foo/2000:13:55:36 -0700")).toBeNull();
    expect(parse("yyyy-MM-dd", "2024-02-30")).toBeNull();
    expect(parse("yyyy-MM-dd", "2024-02-01 trailing")).toBeNull();
    expect(parse("HH:mm", "25:00")).toBeNull();
    expect(parse("yyyy-MM-dd", { not: "text" })).toBeNull();
  });

  it("rejects unusable formats and unknown zones at compile time", () => {
    expect(() => compileDateFormat("yyyy-ww")).toThrow(DateFormatError);
    expect(() => compileDateFormat("yyyy-MM-dd 'T")).toThrow(/unterminated quote/);
    expect(() => compileDateFormat("ISO8601", { timezone: "Nowhere/City" })).toThrow(/unknown time zone/);
  });
});
