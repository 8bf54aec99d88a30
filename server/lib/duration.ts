/**
 * Prometheus durations (`model.Duration`), as rule files and alertmanager.yml write them:
 * one or more `<integer><unit>` parts with units y (365d), w (7d), d (24h), h, m, s, ms, largest
 * first and each unit at most once (`1h30m`, `2d`, `500ms`, `1w`, `1y`); `0` alone is also zero.
 * Negative and fractional values are not durations. The largest value is Go's time.Duration limit
 * (about 292 years).
 *
 * Pure module: safe in the browser and in workers.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const YEAR = 365 * DAY;

/** Units from the largest to the smallest. */
const UNITS: ReadonlyArray<readonly [unit: string, ms: number]> = [
  ["y", YEAR],
  ["w", WEEK],
  ["d", DAY],
  ["h", HOUR],
  ["m", MINUTE],
  ["s", SECOND],
  ["ms", 1],
];
const UNIT_RANK = new Map(UNITS.map(([u], i) => [u, i]));

/** Go's time.Duration holds at most 2^63-1 ns; in whole milliseconds that is 9223372036854. */
export const MAX_DURATION_MS = 9_223_372_036_854;

export class DurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DurationError";
  }
}

/** Parses a Prometheus duration into milliseconds. Throws DurationError with the reason. */
export function parseDuration(input: string): number {
  if (typeof input !== "string") throw new DurationError("a duration must be a string such as 30s, 5m or 1h30m");
  if (input === "0") return 0;
  if (input === "") throw new DurationError("empty duration: write one such as 30s, 5m or 1h30m");
  let rest = input;
  let total = 0;
  let lastRank = -1;
  while (rest !== "") {
    const part = /^(\d+)([a-zA-Z]+)/.exec(rest);
    if (!part) {
      if (/^-/.test(rest)) throw new DurationError(`invalid duration "${input}": durations cannot be negative`);
      if (/^\d+[.,]\d/.test(rest)) throw new DurationError(`invalid duration "${input}": no fractions; combine units instead (1h30m rather than 1.5h)`);
      if (/^\d+$/.test(rest)) throw new DurationError(`invalid duration "${input}": "${rest}" has no unit (use ms, s, m, h, d, w or y)`);
      throw new DurationError(`invalid duration "${input}": expected a number followed by a unit, such as 30s, 5m or 1h30m`);
    }
    const [whole, digits, unit] = part;
    const rank = UNIT_RANK.get(unit);
    if (rank === undefined) throw new DurationError(`invalid duration "${input}": unknown unit "${unit}" (use ms, s, m, h, d, w or y)`);
    if (rank <= lastRank) throw new DurationError(`invalid duration "${input}": units must go from the largest to the smallest, each once (e.g. 1h30m)`);
    lastRank = rank;
    const value = Number(digits);
    total += value * UNITS[rank][1];
    if (!Number.isSafeInteger(total) || total > MAX_DURATION_MS) throw new DurationError(`duration "${input}" is out of range (at most about 292 years)`);
    rest = rest.slice(whole.length);
  }
  return total;
}

/** parseDuration that answers null instead of throwing. */
export function tryParseDuration(input: string): number | null {
  try {
    return parseDuration(input);
  } catch {
    return null;
  }
}

/**
 * The canonical Prometheus text of a duration in milliseconds: `0s` for zero; years and weeks only
 * when they divide the whole value (`90d`, not `12w6d`; `2w`; `1y`), then d, h, m, s, ms.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new DurationError(`cannot format ${ms} as a duration: durations are whole, non-negative milliseconds`);
  let rest = Math.floor(ms);
  if (rest === 0) return "0s";
  let out = "";
  for (const [unit, size] of UNITS) {
    if ((unit === "y" || unit === "w") && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
