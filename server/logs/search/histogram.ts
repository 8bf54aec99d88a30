import { LOG_LEVELS, type LogLevel } from "@/server/logs/event";
import type { HistogramBucket } from "./contract";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Round bucket widths, as Kibana's auto interval picks them. */
const STEPS = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 90 * DAY, 365 * DAY,
];

/** The smallest round step giving at most `buckets` buckets over [start, end]. */
export function autoStep(start: number, end: number, buckets: number): number {
  const want = Math.max(1, (end - start) / Math.max(1, buckets));
  return STEPS.find((s) => s >= want) ?? Math.ceil(want / DAY) * DAY;
}

/** Level slot in a block's level counts and in a bucket: LOG_LEVELS order, then "none" (6). */
export function levelSlot(level: LogLevel | null): number {
  return level === null ? LOG_LEVELS.length : LOG_LEVELS.indexOf(level);
}

const SLOT_NAMES = [...LOG_LEVELS, "none"] as const;

/**
 * Counts per bucket and level. Buckets are aligned to multiples of `step` since the epoch (UTC),
 * the first one holding `start`; at most 10,000 buckets.
 */
export class Histogram {
  readonly first: number;
  readonly n: number;
  private readonly counts: Float64Array;
  constructor(
    readonly start: number,
    readonly end: number,
    readonly step: number,
  ) {
    this.first = Math.floor(start / step) * step;
    this.n = Math.min(10_000, Math.floor((end - this.first) / step) + 1);
    this.counts = new Float64Array(this.n * SLOT_NAMES.length);
  }

  /** Bucket index of `ts` (may be out of [0, n) for times outside the range). */
  bucketOf(ts: number): number {
    return Math.floor((ts - this.first) / this.step);
  }

  add(ts: number, slot: number, count = 1): void {
    if (ts < this.start || ts > this.end) return;
    const b = this.bucketOf(ts);
    if (b < 0 || b >= this.n) return;
    this.counts[b * SLOT_NAMES.length + slot]! += count;
  }

  buckets(): { total: number; buckets: HistogramBucket[] } {
    const out: HistogramBucket[] = [];
    let total = 0;
    for (let b = 0; b < this.n; b++) {
      const levels = {} as HistogramBucket["levels"];
      let count = 0;
      for (let s = 0; s < SLOT_NAMES.length; s++) {
        const c = this.counts[b * SLOT_NAMES.length + s]!;
        levels[SLOT_NAMES[s]!] = c;
        count += c;
      }
      total += count;
      out.push({ ts: this.first + b * this.step, count, levels });
    }
    return { total, buckets: out };
  }
}
