import { describe, expect, it } from "vitest";
import type { TimeInterval } from "./model";
import { civilTime, compileTimeIntervalSpec, routeTimeMuting, specContains, TimeIntervalError, TimeIntervalSet, timeIntervalContains, validateTimeIntervals, type TimeIntervalSpec } from "./time-intervals";

const at = (iso: string) => Date.parse(iso);
const contains = (spec: TimeIntervalSpec, iso: string) => specContains(compileTimeIntervalSpec(spec), at(iso));

describe("specContains", () => {
  it("matches everything when no field is set", () => {
    expect(contains({}, "2026-01-05T12:00:00Z")).toBe(true);
  });

  it("includes the start time and excludes the end time; 24:00 ends the day", () => {
    const spec = { times: [{ start_time: "09:00", end_time: "17:00" }] };
    expect(contains(spec, "2026-01-05T08:59:00Z")).toBe(false);
    expect(contains(spec, "2026-01-05T09:00:00Z")).toBe(true);
    expect(contains(spec, "2026-01-05T16:59:59Z")).toBe(true);
    expect(contains(spec, "2026-01-05T17:00:00Z")).toBe(false);
    expect(contains({ times: [{ start_time: "22:00", end_time: "24:00" }] }, "2026-01-05T23:59:00Z")).toBe(true);
  });

  it("reads weekday names and ranges in any case", () => {
    const weekdays = { weekdays: ["Monday:FRIDAY"] };
    expect(contains(weekdays, "2026-01-05T12:00:00Z")).toBe(true); // Monday
    expect(contains(weekdays, "2026-01-10T12:00:00Z")).toBe(false); // Saturday
    expect(contains({ weekdays: ["saturday", "sunday"] }, "2026-01-10T12:00:00Z")).toBe(true);
  });

  it("counts negative days from the end of the month and cuts ranges at its end", () => {
    expect(contains({ days_of_month: ["-1"] }, "2024-02-29T12:00:00Z")).toBe(true);
    expect(contains({ days_of_month: ["-1"] }, "2024-02-28T12:00:00Z")).toBe(false);
    expect(contains({ days_of_month: ["-1"] }, "2023-02-28T12:00:00Z")).toBe(true);
    expect(contains({ days_of_month: ["-3:-1"] }, "2026-01-29T00:00:00Z")).toBe(true);
    expect(contains({ days_of_month: ["-3:-1"] }, "2026-01-28T23:59:00Z")).toBe(false);
    expect(contains({ days_of_month: ["1:-1"] }, "2026-01-17T00:00:00Z")).toBe(true);
    expect(contains({ days_of_month: ["25:31"] }, "2023-02-28T00:00:00Z")).toBe(true);
    // A start after the month's last day never matches.
    expect(contains({ days_of_month: ["30:31"] }, "2023-02-28T00:00:00Z")).toBe(false);
    expect(contains({ days_of_month: ["1", "15"] }, "2026-01-15T00:00:00Z")).toBe(true);
  });

  it("reads months by name or number, and years", () => {
    expect(contains({ months: ["march:may"] }, "2026-04-01T00:00:00Z")).toBe(true);
    expect(contains({ months: ["1:2"] }, "2026-04-01T00:00:00Z")).toBe(false);
    expect(contains({ months: ["December"] }, "2026-12-31T00:00:00Z")).toBe(true);
    expect(contains({ years: ["2025:2026"] }, "2026-12-31T00:00:00Z")).toBe(true);
    expect(contains({ years: ["2027"] }, "2026-12-31T00:00:00Z")).toBe(false);
  });

  it("requires every set field to hold", () => {
    const spec = { weekdays: ["monday:friday"], times: [{ start_time: "09:00", end_time: "17:00" }], months: ["january"] };
    expect(contains(spec, "2026-01-05T10:00:00Z")).toBe(true);
    expect(contains(spec, "2026-01-05T18:00:00Z")).toBe(false);
    expect(contains(spec, "2026-02-02T10:00:00Z")).toBe(false);
  });

  it("evaluates in the spec's location", () => {
    // 23:30 UTC on Monday 5 January is 00:30 on Tuesday in Berlin.
    const berlinTuesdayNight = { weekdays: ["tuesday"], times: [{ start_time: "00:00", end_time: "01:00" }], location: "Europe/Berlin" };
    expect(contains(berlinTuesdayNight, "2026-01-05T23:30:00Z")).toBe(true);
    expect(contains({ ...berlinTuesdayNight, location: undefined }, "2026-01-05T23:30:00Z")).toBe(false);
    // Daylight saving time: 09:00 in New York is 13:00 UTC in July, 14:00 UTC in January.
    const nyMorning = { times: [{ start_time: "09:00", end_time: "10:00" }], location: "America/New_York" };
    expect(contains(nyMorning, "2026-07-15T13:30:00Z")).toBe(true);
    expect(contains(nyMorning, "2026-01-15T14:30:00Z")).toBe(true);
    expect(contains(nyMorning, "2026-01-15T13:30:00Z")).toBe(false);
    expect(civilTime(at("2026-03-29T01:30:00Z"), "Europe/Berlin")).toEqual({ year: 2026, month: 3, day: 29, weekday: 0, minuteOfDay: 3 * 60 + 30 });
  });
});

describe("named intervals", () => {
  const intervals: TimeInterval[] = [
    { name: "weekends", time_intervals: [{ weekdays: ["saturday", "sunday"] }] },
    { name: "office", time_intervals: [{ weekdays: ["monday:friday"], times: [{ start_time: "09:00", end_time: "17:00" }] }] },
    { name: "holidays", time_intervals: [{ months: ["december"], days_of_month: ["24:26"] }, { months: ["january"], days_of_month: ["1"] }] },
  ];
  const set = new TimeIntervalSet(intervals);

  it("is in an interval when any of its specs contains the time", () => {
    expect(timeIntervalContains(intervals[2], at("2026-01-01T10:00:00Z"))).toBe(true);
    expect(timeIntervalContains(intervals[2], at("2026-12-25T10:00:00Z"))).toBe(true);
    expect(timeIntervalContains(intervals[2], at("2026-12-27T10:00:00Z"))).toBe(false);
    expect(set.contains("holidays", at("2026-12-24T00:00:00Z"))).toBe(true);
    expect(set.contains("unknown", at("2026-12-24T00:00:00Z"))).toBe(false);
    expect(set.firstContaining(["office", "weekends"], at("2026-01-10T12:00:00Z"))).toBe("weekends");
  });

  it("mutes a route inside a mute interval and outside all of its active intervals", () => {
    const saturday = at("2026-01-10T12:00:00Z");
    const mondayNoon = at("2026-01-05T12:00:00Z");
    const mondayNight = at("2026-01-05T22:00:00Z");
    expect(routeTimeMuting({ muteTimeIntervals: ["weekends"], activeTimeIntervals: [] }, set, saturday)).toEqual({ muted: true, reason: "mute_time_interval", interval: "weekends" });
    expect(routeTimeMuting({ muteTimeIntervals: ["weekends"], activeTimeIntervals: [] }, set, mondayNoon)).toEqual({ muted: false });
    expect(routeTimeMuting({ muteTimeIntervals: [], activeTimeIntervals: ["office"] }, set, mondayNoon)).toEqual({ muted: false });
    expect(routeTimeMuting({ muteTimeIntervals: [], activeTimeIntervals: ["office"] }, set, mondayNight)).toEqual({ muted: true, reason: "outside_active_time_intervals", intervals: ["office"] });
    expect(routeTimeMuting({ muteTimeIntervals: [], activeTimeIntervals: [] }, set, mondayNight)).toEqual({ muted: false });
  });
});

describe("validation", () => {
  it.each<[TimeIntervalSpec, string, RegExp]>([
    [{ times: [{ start_time: "25:00", end_time: "26:00" }] }, "times[0].start_time", /not a time of day/],
    [{ times: [{ start_time: "10:00", end_time: "09:00" }] }, "times[0]", /must be before end_time/],
    [{ times: [{ start_time: "10:00", end_time: "10:00" }] }, "times[0]", /must be before end_time/],
    [{ weekdays: ["funday"] }, "weekdays[0]", /"funday" is not a weekday/],
    [{ weekdays: ["friday:monday"] }, "weekdays[0]", /ends before it starts/],
    [{ weekdays: ["monday:tuesday:friday"] }, "weekdays[0]", /is not a weekday range/],
    [{ days_of_month: ["0"] }, "days_of_month[0]", /not a valid day of the month/],
    [{ days_of_month: ["32"] }, "days_of_month[0]", /not a valid day of the month/],
    [{ days_of_month: ["-5:5"] }, "days_of_month[0]", /end day must be negative/],
    [{ days_of_month: ["10:5"] }, "days_of_month[0]", /always before start day/],
    [{ days_of_month: ["-1:-5"] }, "days_of_month[0]", /always before start day/],
    [{ days_of_month: ["x"] }, "days_of_month[0]", /not a valid day of the month/],
    [{ months: ["smarch"] }, "months[0]", /is not a month/],
    [{ months: ["13"] }, "months[0]", /is not a month/],
    [{ months: ["may:march"] }, "months[0]", /end month march is before start month may/],
    [{ years: ["2027:2026"] }, "years[0]", /end year 2026 is before start year 2027/],
    [{ location: "Mars/Olympus" }, "location", /unknown time zone/],
  ])("rejects %j at %s", (spec, path, message) => {
    let error: unknown;
    try {
      compileTimeIntervalSpec(spec);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TimeIntervalError);
    expect((error as TimeIntervalError).path).toBe(path);
    expect((error as TimeIntervalError).message).toMatch(message);
  });

  it("lists every problem of named intervals with full paths", () => {
    const problems = validateTimeIntervals([
      { name: "a", time_intervals: [{ weekdays: ["funday"], months: ["smarch"] }, {}] },
      { name: "a", time_intervals: [{ location: "Nowhere/Land" }] },
      { name: "", time_intervals: [] },
    ]);
    expect(problems.map((p) => p.path)).toEqual([
      "time_intervals[0].time_intervals[0].weekdays[0]",
      "time_intervals[0].time_intervals[0].months[0]",
      "time_intervals[1].name",
      "time_intervals[1].time_intervals[0].location",
      "time_intervals[2].name",
    ]);
  });

  it("accepts valid ones", () => {
    expect(validateTimeIntervals([{ name: "ok", time_intervals: [{ times: [{ start_time: "00:00", end_time: "24:00" }], weekdays: ["sunday"], days_of_month: ["1:-1"], months: ["1:12"], years: ["2026"], location: "Local" }] }])).toEqual([]);
  });
});
