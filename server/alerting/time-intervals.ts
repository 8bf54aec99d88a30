/**
 * Alertmanager time intervals (`time_intervals`, formerly `mute_time_intervals`), as its
 * timeinterval package reads them. A named interval holds specs; a time is in the interval when
 * any spec contains it. A spec contains a time when every field it sets holds, in its `location`
 * (IANA zone; default UTC; `Local` is the server's zone):
 * - `times`: `start_time`..`end_time` (`HH:MM`, start included, end excluded; `24:00` ends the day);
 * - `weekdays`: `monday`, `monday:friday` (names, any case);
 * - `days_of_month`: `1`, `1:5`, `-1` (the last day), `-7:-1`, `1:-1`; ranges past the end of a
 *   short month are cut at its last day, a start past it never matches;
 * - `months`: `january`, `1`, `march:may`, `1:3`;
 * - `years`: `2026`, `2026:2027`.
 * A field left out matches everything (an empty spec matches all times).
 *
 * Routes use them through `mute_time_intervals` (no notifications while in one) and
 * `active_time_intervals` (notifications only while in one): see `routeTimeMuting`.
 *
 * Pure module: safe in the browser and in workers.
 */
import type { TimeInterval } from "./model";

export type TimeIntervalSpec = TimeInterval["time_intervals"][number];

/** A problem in a configuration, located by a path such as `time_intervals[0].time_intervals[1].weekdays[0]`. */
export interface ConfigProblem {
  path: string;
  message: string;
}

export class TimeIntervalError extends Error {
  constructor(
    message: string,
    /** Path relative to the spec (`weekdays[1]`). */
    readonly path: string = "",
  ) {
    super(message);
    this.name = "TimeIntervalError";
  }
}

interface InclusiveRange {
  begin: number;
  end: number;
}

/** A spec parsed: minutes of the day, ranges; null = field not set. */
export interface CompiledTimeIntervalSpec {
  times: { startMinute: number; endMinute: number }[] | null;
  weekdays: InclusiveRange[] | null;
  daysOfMonth: InclusiveRange[] | null;
  months: InclusiveRange[] | null;
  years: InclusiveRange[] | null;
  /** IANA zone, `Local`, or null for UTC. */
  location: string | null;
}

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const TIME_OF_DAY = /^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

function parseTimeOfDay(s: string, path: string, field: string): number {
  if (typeof s !== "string" || !TIME_OF_DAY.test(s)) throw new TimeIntervalError(`${field} ${JSON.stringify(s)} is not a time of day: write HH:MM, from 00:00 to 24:00`, path);
  const [h, m] = s.split(":").map(Number);
  return h * 60 + m;
}

function splitRange(s: string, path: string, what: string): [string, string] {
  if (typeof s !== "string" || s.trim() === "") throw new TimeIntervalError(`an empty ${what} range`, path);
  const parts = s.toLowerCase().split(":");
  if (parts.length > 2) throw new TimeIntervalError(`${JSON.stringify(s)} is not a ${what} range: write one value or two joined by ":"`, path);
  return [parts[0].trim(), (parts[1] ?? parts[0]).trim()];
}

function parseInteger(s: string, path: string, what: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new TimeIntervalError(`${JSON.stringify(s)} is not a valid ${what}`, path);
  return Number(s);
}

function parseWeekdayRange(s: string, path: string): InclusiveRange {
  const [a, b] = splitRange(s, path, "weekday");
  const begin = WEEKDAYS.indexOf(a);
  const end = WEEKDAYS.indexOf(b);
  if (begin < 0) throw new TimeIntervalError(`${JSON.stringify(a)} is not a weekday (sunday … saturday)`, path);
  if (end < 0) throw new TimeIntervalError(`${JSON.stringify(b)} is not a weekday (sunday … saturday)`, path);
  if (begin > end) throw new TimeIntervalError(`weekday range ${JSON.stringify(s)} ends before it starts (weeks run sunday … saturday; write two ranges to wrap)`, path);
  return { begin, end };
}

function parseDayOfMonthRange(s: string, path: string): InclusiveRange {
  const [a, b] = splitRange(s, path, "day of month");
  const begin = parseInteger(a, path, "day of the month");
  const end = parseInteger(b, path, "day of the month");
  for (const d of [begin, end]) {
    if (d === 0 || d < -31 || d > 31) throw new TimeIntervalError(`${d} is not a valid day of the month: use 1 … 31, or -1 (the last day) … -31`, path);
  }
  if (begin < 0 && end > 0) throw new TimeIntervalError(`day range ${JSON.stringify(s)}: the end day must be negative when the start day is`, path);
  // With negative days the real order depends on the month; reject what is wrong in every month.
  const checkBegin = begin < 0 ? 28 + begin : begin;
  const checkEnd = end < 0 ? 28 + end : end;
  if (checkBegin > checkEnd) throw new TimeIntervalError(`day range ${JSON.stringify(s)}: end day ${end} is always before start day ${begin}`, path);
  return { begin, end };
}

function parseMonth(s: string, path: string): number {
  const named = MONTHS.indexOf(s);
  if (named >= 0) return named + 1;
  if (/^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 12) return Number(s);
  throw new TimeIntervalError(`${JSON.stringify(s)} is not a month (january … december, or 1 … 12)`, path);
}

function parseMonthRange(s: string, path: string): InclusiveRange {
  const [a, b] = splitRange(s, path, "month");
  const begin = parseMonth(a, path);
  const end = parseMonth(b, path);
  if (begin > end) throw new TimeIntervalError(`month range ${JSON.stringify(s)}: end month ${MONTHS[end - 1]} is before start month ${MONTHS[begin - 1]}`, path);
  return { begin, end };
}

function parseYearRange(s: string, path: string): InclusiveRange {
  const [a, b] = splitRange(s, path, "year");
  const begin = parseInteger(a, path, "year");
  const end = parseInteger(b, path, "year");
  if (begin < 0 || end < 0) throw new TimeIntervalError(`${JSON.stringify(s)}: years cannot be negative`, path);
  if (begin > end) throw new TimeIntervalError(`year range ${JSON.stringify(s)}: end year ${end} is before start year ${begin}`, path);
  return { begin, end };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(location: string): Intl.DateTimeFormat {
  let f = formatters.get(location);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: location === "Local" ? undefined : location,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    formatters.set(location, f);
  }
  return f;
}

/** Whether `location` is a time zone this runtime knows (IANA name, `UTC` or `Local`). */
export function isValidLocation(location: string): boolean {
  if (location === "" || location === "UTC" || location === "Local") return true;
  try {
    formatter(location);
    return true;
  } catch {
    return false;
  }
}

/** Parses and checks one spec. Throws TimeIntervalError (with the field's path) on the first problem. */
export function compileTimeIntervalSpec(spec: TimeIntervalSpec): CompiledTimeIntervalSpec {
  const times =
    spec.times?.map((t, i) => {
      const path = `times[${i}]`;
      if (!t.start_time || !t.end_time) throw new TimeIntervalError("both start_time and end_time are required", path);
      const startMinute = parseTimeOfDay(t.start_time, `${path}.start_time`, "start_time");
      const endMinute = parseTimeOfDay(t.end_time, `${path}.end_time`, "end_time");
      if (startMinute >= endMinute) throw new TimeIntervalError(`start_time ${t.start_time} must be before end_time ${t.end_time} (split a range over midnight in two)`, path);
      return { startMinute, endMinute };
    }) ?? null;
  const list = <T>(values: string[] | undefined, field: string, parse: (s: string, path: string) => T): T[] | null =>
    values?.map((v, i) => parse(v, `${field}[${i}]`)) ?? null;
  const location = spec.location === undefined || spec.location === "" || spec.location === "UTC" ? null : spec.location;
  if (location !== null && !isValidLocation(location)) throw new TimeIntervalError(`unknown time zone ${JSON.stringify(location)}: use an IANA name such as Europe/Berlin`, "location");
  return {
    times,
    weekdays: list(spec.weekdays, "weekdays", parseWeekdayRange),
    daysOfMonth: list(spec.days_of_month, "days_of_month", parseDayOfMonthRange),
    months: list(spec.months, "months", parseMonthRange),
    years: list(spec.years, "years", parseYearRange),
    location,
  };
}

interface CivilTime {
  year: number;
  month: number; // 1..12
  day: number;
  weekday: number; // 0 = Sunday
  minuteOfDay: number;
}

const WEEKDAY_SHORT: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall-clock time at `at` (epoch ms) in `location` (null = UTC). */
export function civilTime(at: number, location: string | null): CivilTime {
  if (location === null) {
    const d = new Date(at);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(), minuteOfDay: d.getUTCHours() * 60 + d.getUTCMinutes() };
  }
  const parts: Record<string, string> = {};
  for (const p of formatter(location).formatToParts(new Date(at))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAY_SHORT[parts.weekday],
    minuteOfDay: (Number(parts.hour) % 24) * 60 + Number(parts.minute),
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function inRanges(value: number, ranges: InclusiveRange[] | null): boolean {
  return ranges === null || ranges.some((r) => value >= r.begin && value <= r.end);
}

/** Whether a compiled spec contains the instant `at` (epoch ms). */
export function specContains(spec: CompiledTimeIntervalSpec, at: number): boolean {
  const t = civilTime(at, spec.location);
  if (spec.times !== null && !spec.times.some((r) => t.minuteOfDay >= r.startMinute && t.minuteOfDay < r.endMinute)) return false;
  if (spec.daysOfMonth !== null) {
    const days = daysInMonth(t.year, t.month);
    const hit = spec.daysOfMonth.some((r) => {
      const begin = r.begin < 0 ? days + r.begin + 1 : r.begin;
      const end = r.end < 0 ? days + r.end + 1 : r.end;
      if (begin > days) return false;
      return t.day >= Math.max(begin, -days) && t.day <= Math.min(end, days);
    });
    if (!hit) return false;
  }
  return inRanges(t.month, spec.months) && inRanges(t.weekday, spec.weekdays) && inRanges(t.year, spec.years);
}

/** A named interval ready for lookups. Throws TimeIntervalError with the path of the bad field. */
export function compileTimeInterval(interval: TimeInterval): CompiledTimeIntervalSpec[] {
  return interval.time_intervals.map((spec, i) => {
    try {
      return compileTimeIntervalSpec(spec);
    } catch (err) {
      if (err instanceof TimeIntervalError) throw new TimeIntervalError(err.message, `time_intervals[${i}]${err.path ? `.${err.path}` : ""}`);
      throw err;
    }
  });
}

/** Whether `at` is inside the named interval (any of its specs). */
export function timeIntervalContains(interval: TimeInterval | CompiledTimeIntervalSpec[], at: number): boolean {
  const specs = Array.isArray(interval) ? interval : compileTimeInterval(interval);
  return specs.some((s) => specContains(s, at));
}

/** Named intervals compiled once: `time_intervals` and the older `mute_time_intervals` together. */
export class TimeIntervalSet {
  private readonly byName = new Map<string, CompiledTimeIntervalSpec[]>();

  /** Throws TimeIntervalError for an invalid interval (validate first for all problems at once). */
  constructor(intervals: readonly TimeInterval[]) {
    for (const ti of intervals) this.byName.set(ti.name, compileTimeInterval(ti));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Whether `at` is in the named interval; an unknown name contains nothing. */
  contains(name: string, at: number): boolean {
    const specs = this.byName.get(name);
    return specs !== undefined && specs.some((s) => specContains(s, at));
  }

  /** The first of `names` that contains `at`, or null. */
  firstContaining(names: readonly string[], at: number): string | null {
    return names.find((n) => this.contains(n, at)) ?? null;
  }
}

export type RouteMuting = { muted: false } | { muted: true; reason: "mute_time_interval"; interval: string } | { muted: true; reason: "outside_active_time_intervals"; intervals: string[] };

/**
 * Whether a route's notifications are held back at `at`: inside one of its mute_time_intervals,
 * or outside all of its active_time_intervals (when it has any). Alertmanager checks this when a
 * group flushes; muted flushes send nothing and are not recorded as notified.
 */
export function routeTimeMuting(route: { muteTimeIntervals: readonly string[]; activeTimeIntervals: readonly string[] }, intervals: TimeIntervalSet, at: number): RouteMuting {
  const mute = intervals.firstContaining(route.muteTimeIntervals, at);
  if (mute !== null) return { muted: true, reason: "mute_time_interval", interval: mute };
  if (route.activeTimeIntervals.length > 0 && intervals.firstContaining(route.activeTimeIntervals, at) === null) {
    return { muted: true, reason: "outside_active_time_intervals", intervals: [...route.activeTimeIntervals] };
  }
  return { muted: false };
}

/**
 * Every problem of a list of named intervals: missing or repeated names, and each bad field
 * (`time_intervals[0].time_intervals[1].weekdays[0]: "funday" is not a weekday …`).
 */
export function validateTimeIntervals(intervals: readonly TimeInterval[], basePath = "time_intervals", seen: Set<string> = new Set()): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  intervals.forEach((ti, i) => {
    const path = `${basePath}[${i}]`;
    if (!ti.name || ti.name.trim() === "") problems.push({ path: `${path}.name`, message: "a time interval needs a name" });
    else if (seen.has(ti.name)) problems.push({ path: `${path}.name`, message: `time interval ${JSON.stringify(ti.name)} is defined twice` });
    else seen.add(ti.name);
    (ti.time_intervals ?? []).forEach((spec, j) => {
      const specPath = `${path}.time_intervals[${j}]`;
      // Check each field on its own so that every bad field is reported.
      const fields: (keyof TimeIntervalSpec)[] = ["times", "weekdays", "days_of_month", "months", "years", "location"];
      for (const field of fields) {
        if (spec[field] === undefined) continue;
        try {
          compileTimeIntervalSpec({ [field]: spec[field] } as TimeIntervalSpec);
        } catch (err) {
          if (!(err instanceof TimeIntervalError)) throw err;
          problems.push({ path: `${specPath}.${err.path || field}`, message: err.message });
        }
      }
    });
  });
  return problems;
}
