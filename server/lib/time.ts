/**
 * Time ranges as the console keeps them in the URL (`?from=now-1h&to=now`), Grafana-style.
 *
 * A time expression is one of:
 * - relative: `now`, followed by any number of offsets (`-15m`, `+1h`) and roundings (`/d`),
 *   e.g. `now-15m`, `now-7d`, `now/d` (start of today; end of today when used as `to`),
 *   `now-1d/d` (yesterday). Units: s m h d w M y (w = ISO week, Monday first; M = month).
 * - absolute: ISO 8601 (`2024-05-01`, `2024-05-01T13:45`, `2024-05-01T13:45:00Z`, with offset),
 *   or unix milliseconds (`1714571100000`). A date or date-time without an offset is local time.
 *
 * Pure functions (no I/O); `now` is always passed in.
 */
import {
  addDays,
  addHours,
  addMinutes,
  addMonths,
  addSeconds,
  addWeeks,
  addYears,
  endOfDay,
  endOfHour,
  endOfMinute,
  endOfMonth,
  endOfSecond,
  endOfWeek,
  endOfYear,
  format,
  startOfDay,
  startOfHour,
  startOfMinute,
  startOfMonth,
  startOfSecond,
  startOfWeek,
  startOfYear,
} from "date-fns";

export type TimeRange = { from: string; to: string };
export type ResolvedRange = { start: Date; end: Date };
export type TimeUnit = "s" | "m" | "h" | "d" | "w" | "M" | "y";

export const DEFAULT_RANGE: TimeRange = { from: "now-1h", to: "now" };

export class TimeExprError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TimeExprError";
  }
}

const UNIT_NAMES: Record<TimeUnit, string> = { s: "second", m: "minute", h: "hour", d: "day", w: "week", M: "month", y: "year" };

const ADD: Record<TimeUnit, (d: Date, n: number) => Date> = {
  s: addSeconds,
  m: addMinutes,
  h: addHours,
  d: addDays,
  w: addWeeks,
  M: addMonths,
  y: addYears,
};
const WEEK = { weekStartsOn: 1 } as const;
const START_OF: Record<TimeUnit, (d: Date) => Date> = {
  s: startOfSecond,
  m: startOfMinute,
  h: startOfHour,
  d: startOfDay,
  w: (d) => startOfWeek(d, WEEK),
  M: startOfMonth,
  y: startOfYear,
};
const END_OF: Record<TimeUnit, (d: Date) => Date> = {
  s: endOfSecond,
  m: endOfMinute,
  h: endOfHour,
  d: endOfDay,
  w: (d) => endOfWeek(d, WEEK),
  M: endOfMonth,
  y: endOfYear,
};

type Op = { kind: "add"; amount: number; unit: TimeUnit } | { kind: "round"; unit: TimeUnit };

const OP_RE = /^(?:([+-])(\d+)([smhdwMy])|\/([smhdwMy]))/;

/** The operations after `now`, or null when `expr` is not a relative expression. */
function parseRelative(expr: string): Op[] | null {
  if (!expr.startsWith("now")) return null;
  let rest = expr.slice(3);
  const ops: Op[] = [];
  while (rest.length > 0) {
    const m = OP_RE.exec(rest);
    if (!m) return null;
    if (m[4]) ops.push({ kind: "round", unit: m[4] as TimeUnit });
    else {
      const n = Number(m[2]);
      if (!Number.isSafeInteger(n)) return null;
      ops.push({ kind: "add", amount: m[1] === "-" ? -n : n, unit: m[3] as TimeUnit });
    }
    rest = rest.slice(m[0].length);
  }
  return ops;
}

/** True when `expr` is relative to now (`now`, `now-15m`, `now/d`, …). */
export function isRelative(expr: string): boolean {
  return parseRelative(expr.trim()) !== null;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseAbsolute(expr: string): Date | null {
  if (/^\d{1,15}$/.test(expr)) return new Date(Number(expr));
  const m = ISO_RE.exec(expr);
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "0", zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  const ms = Number(frac.padEnd(3, "0").slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  let date: Date;
  if (zone) {
    const offsetMin = zone === "Z" ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000);
    // Calendar check on the wall-clock fields (rejects 2024-02-31).
    const wall = new Date(Date.UTC(year, month - 1, day));
    if (wall.getUTCMonth() !== month - 1 || wall.getUTCDate() !== day) return null;
  } else {
    date = new Date(year, month - 1, day, hour, minute, second, ms);
    if (date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  }
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Resolves one expression against `now`. `roundUp` makes roundings go to the end of the unit
 * (used for `to`: `now/d` as `to` means the end of today). Throws TimeExprError when unparseable.
 */
export function parseTimeExpr(expr: string, now: Date, opts: { roundUp?: boolean } = {}): Date {
  const e = expr.trim();
  if (!e) throw new TimeExprError("Enter a time, e.g. now-15m or 2024-05-01T13:45");
  const ops = parseRelative(e);
  if (ops) {
    let d = new Date(now.getTime());
    for (const op of ops) {
      d = op.kind === "add" ? ADD[op.unit](d, op.amount) : (opts.roundUp ? END_OF : START_OF)[op.unit](d);
    }
    if (Number.isNaN(d.getTime())) throw new TimeExprError(`"${e}" is out of range`);
    return d;
  }
  const abs = parseAbsolute(e);
  if (abs) return abs;
  throw new TimeExprError(`Cannot read "${e}": use now, now-15m, now/d, an ISO date (2024-05-01T13:45) or unix milliseconds`);
}

export type RangeValidation =
  | { ok: true; start: Date; end: Date }
  | { ok: false; field: "from" | "to" | "range"; message: string };

/** Like resolveRange, but returns the problem instead of throwing (for forms). */
export function tryResolveRange(range: TimeRange, now: Date): RangeValidation {
  let start: Date, end: Date;
  try {
    start = parseTimeExpr(range.from, now);
  } catch (e) {
    return { ok: false, field: "from", message: `From: ${(e as Error).message}` };
  }
  try {
    end = parseTimeExpr(range.to, now, { roundUp: true });
  } catch (e) {
    return { ok: false, field: "to", message: `To: ${(e as Error).message}` };
  }
  if (start.getTime() >= end.getTime()) return { ok: false, field: "range", message: "From must be before To" };
  return { ok: true, start, end };
}

/** `{from, to}` → concrete dates. Throws TimeExprError on an unparseable side or when from ≥ to. */
export function resolveRange(range: TimeRange, now: Date): ResolvedRange {
  const r = tryResolveRange(range, now);
  if (!r.ok) throw new TimeExprError(r.message);
  return { start: r.start, end: r.end };
}

/** Calendar ranges shown next to the quick ranges. */
export const CALENDAR_RANGES: readonly (TimeRange & { label: string })[] = [
  { from: "now/d", to: "now/d", label: "Today" },
  { from: "now/d", to: "now", label: "Today so far" },
  { from: "now-1d/d", to: "now-1d/d", label: "Yesterday" },
  { from: "now/w", to: "now/w", label: "This week" },
  { from: "now/w", to: "now", label: "This week so far" },
  { from: "now-1w/w", to: "now-1w/w", label: "Previous week" },
  { from: "now/M", to: "now/M", label: "This month" },
];

export const DISPLAY_FORMAT = "yyyy-MM-dd HH:mm:ss";

/** A date as the picker shows it (local time). */
export function formatTime(d: Date): string {
  return format(d, DISPLAY_FORMAT);
}

function describeSide(expr: string): string {
  const e = expr.trim();
  if (isRelative(e)) return e;
  const abs = parseAbsolute(e);
  return abs ? formatTime(abs) : e;
}

/** Human description: "Last 15 minutes", "Today", or "2024-05-01 13:45:00 to 2024-05-01 14:45:00". */
export function describeRange(range: TimeRange): string {
  const from = range.from.trim(), to = range.to.trim();
  const calendar = CALENDAR_RANGES.find((r) => r.from === from && r.to === to);
  if (calendar) return calendar.label;
  if (to === "now") {
    const m = /^now-(\d+)([smhdwMy])$/.exec(from);
    if (m) {
      const n = Number(m[1]);
      const unit = UNIT_NAMES[m[2] as TimeUnit];
      return `Last ${n} ${unit}${n === 1 ? "" : "s"}`;
    }
  }
  return `${describeSide(from)} to ${describeSide(to)}`;
}

/** The quick ranges offered by the picker (Grafana's list). */
export const QUICK_RANGES: readonly (TimeRange & { label: string })[] = (
  [
    ["now-5m", "now"],
    ["now-15m", "now"],
    ["now-30m", "now"],
    ["now-1h", "now"],
    ["now-3h", "now"],
    ["now-6h", "now"],
    ["now-12h", "now"],
    ["now-24h", "now"],
    ["now-2d", "now"],
    ["now-7d", "now"],
    ["now-30d", "now"],
  ] as const
).map(([from, to]) => ({ from, to, label: describeRange({ from, to }) }));

/** `yyyy-MM-ddTHH:mm` in local time, the value format of `<input type="datetime-local">`. */
export function toDatetimeLocal(d: Date): string {
  return format(d, "yyyy-MM-dd'T'HH:mm");
}

/** A datetime-local input value → the URL form (ISO, UTC). Throws TimeExprError when invalid. */
export function fromDatetimeLocal(value: string): string {
  const d = parseAbsolute(value.trim());
  if (!d) throw new TimeExprError(value.trim() ? `Cannot read "${value}" as a date and time` : "Enter a date and time");
  return d.toISOString();
}
