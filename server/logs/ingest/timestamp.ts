/**
 * Timestamps as log shippers send them, to integer epoch milliseconds (what `IncomingEvent.ts` holds;
 * sub-millisecond digits are truncated). Pure: no clock reads, no I/O.
 */

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const EPOCH_DIGITS = /^-?\d+(?:\.\d+)?$/;
/** JavaScript dates stop at ±8.64e15 ms (±275760 years). */
const MAX_DATE_MS = 8.64e15;
const DAY_MS = 86_400_000;

/** Wall-clock time fields (month 1–12). */
export type WallTime = { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number };

/**
 * Epoch ms from an RFC 3339 / ISO 8601 string (no offset = UTC, as Elasticsearch reads it), a
 * number, or a numeric string. Numbers are epoch seconds, milliseconds, microseconds or nanoseconds,
 * told apart by magnitude (see `epochToMillis`). Undefined when the value is not a timestamp.
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === "number") return epochToMillis(value);
  if (typeof value === "bigint") return nanosOrLessToMillis(value.toString());
  if (typeof value !== "string") return undefined;
  const s = value.trim();
  if (EPOCH_DIGITS.test(s)) return s.includes(".") ? epochToMillis(Number(s)) : nanosOrLessToMillis(s);
  return parseRfc3339(s);
}

/**
 * Epoch ms from a number by magnitude: below 1e11 seconds (up to year 5138), below 1e14
 * milliseconds, below 1e17 microseconds, else nanoseconds. Fractions of a second are kept to the ms.
 */
export function epochToMillis(n: number): number | undefined {
  if (!Number.isFinite(n)) return undefined;
  const abs = Math.abs(n);
  const ms = abs < 1e11 ? n * 1000 : abs < 1e14 ? n : abs < 1e17 ? n / 1e3 : n / 1e6;
  return inDateRange(Math.floor(ms));
}

/** Epoch ms from unix nanoseconds as a decimal string (Loki, OTLP), exact for any 64-bit value. */
export function nanosToMillis(ns: string | bigint): number | undefined {
  const s = typeof ns === "bigint" ? ns.toString() : ns.trim();
  if (!/^-?\d{1,20}$/.test(s)) return undefined;
  return inDateRange(Number(floorDiv(BigInt(s), 1_000_000n)));
}

/** RFC 3339 / ISO 8601 date or date-time to epoch ms; no offset means UTC. Undefined when invalid. */
export function parseRfc3339(s: string): number | undefined {
  const m = RFC3339.exec(s.trim());
  if (!m) return undefined;
  const wall: WallTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Math.min(Number(m[6] ?? 0), 59), // a leap second (:60) is read as :59
    ms: m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0,
  };
  if (!isValidWallTime(wall)) return undefined;
  const offset = m[8] ? parseOffsetMs(m[8]) : 0;
  if (offset === undefined) return undefined;
  return inDateRange(wallTimeAsUtc(wall) - offset);
}

/** `Z`, `+02:00`, `+0200`, `-05` to an offset in ms (local − UTC); undefined when malformed. */
export function parseOffsetMs(s: string): number | undefined {
  if (s === "Z" || s === "z") return 0;
  const m = /^([+-])(\d{2})(?::?(\d{2}))?$/.exec(s);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 23 || minutes > 59) return undefined;
  return (m[1] === "-" ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

export function isValidWallTime(w: WallTime): boolean {
  return (
    w.month >= 1 &&
    w.month <= 12 &&
    w.day >= 1 &&
    w.day <= daysInMonth(w.year, w.month) &&
    w.hour <= 23 &&
    w.minute <= 59 &&
    w.second <= 59
  );
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True for "UTC", a fixed offset (`+02:00`) or an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  if (isUtc(timeZone) || parseOffsetMs(timeZone) !== undefined) return true;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Epoch ms of a wall-clock time in `timeZone` ("UTC", a fixed offset like `+02:00`, or an IANA name
 * like `Europe/Berlin`). In a DST gap the time is shifted forward; in an overlap the earlier
 * instant wins. Throws RangeError for an unknown zone (check with `isValidTimeZone`).
 */
export function zonedTimeToEpoch(wall: WallTime, timeZone: string): number {
  const asUtc = wallTimeAsUtc(wall);
  if (isUtc(timeZone)) return asUtc;
  const fixed = parseOffsetMs(timeZone);
  if (fixed !== undefined) return asUtc - fixed;
  // Zones change offset on whole minutes: one lookup per zone and wall-clock minute.
  const key = `${timeZone}|${Math.floor(asUtc / 60_000)}`;
  let offset = wallOffsets.get(key);
  if (offset === undefined) {
    if (wallOffsets.size >= MAX_CACHED_OFFSETS) wallOffsets.clear();
    offset = wallOffset(asUtc, timeZone);
    wallOffsets.set(key, offset);
  }
  return asUtc - offset;
}

const wallOffsets = new Map<string, number>();
const MAX_CACHED_OFFSETS = 10_000;

/** The offset that maps a wall time (given as if it were UTC) to its instant in an IANA zone. */
function wallOffset(asUtc: number, timeZone: string): number {
  // Offsets either side of any transition near this time (zones change offset at most once in two days).
  const before = zoneOffsetAt(asUtc - DAY_MS, timeZone);
  const after = zoneOffsetAt(asUtc + DAY_MS, timeZone);
  const valid = [before, after].filter((o) => zoneOffsetAt(asUtc - o, timeZone) === o);
  if (valid.length > 0) return Math.max(...valid); // the larger offset is the earlier instant
  return before; // the wall time falls in a DST gap: read it with the offset before the gap
}

/** The offset (local − UTC, in ms) of an IANA zone at an instant. */
export function zoneOffsetAt(epochMs: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"), get("second"));
  return local - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function isUtc(timeZone: string): boolean {
  return ["", "utc", "gmt", "z", "etc/utc", "etc/gmt"].includes(timeZone.trim().toLowerCase());
}

function wallTimeAsUtc(w: WallTime): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day); // setUTCFullYear keeps years 0–99 literal
  d.setUTCHours(w.hour, w.minute, w.second, w.ms);
  return d.getTime();
}

/** Digits-only epoch string: magnitude picks the unit; µs and ns go through BigInt to stay exact. */
function nanosOrLessToMillis(digits: string): number | undefined {
  const big = BigInt(digits);
  const abs = big < 0n ? -big : big;
  if (abs < 100_000_000_000_000n) return epochToMillis(Number(big)); // s or ms
  const divisor = abs < 100_000_000_000_000_000n ? 1000n : 1_000_000n;
  return inDateRange(Number(floorDiv(big, divisor)));
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

function inDateRange(ms: number): number | undefined {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}
