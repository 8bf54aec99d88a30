/**
 * Query resolution (the `step` of a range query), Grafana's way: the range divided by the number
 * of points the graph can show (≈ its width, 1100 by default), rounded up to a "nice" interval,
 * and never below a minimum interval (15 s, a typical scrape interval). Pure.
 */

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 } as const;
type DurationUnit = keyof typeof UNIT_MS;
const ORDER: DurationUnit[] = ["y", "w", "d", "h", "m", "s", "ms"];

export const DEFAULT_MIN_INTERVAL_MS = 15_000;
export const DEFAULT_MAX_DATA_POINTS = 1100;
/** Prometheus refuses range queries of more than 11,000 points per series. */
export const PROMETHEUS_MAX_POINTS = 11_000;

/** Intervals the automatic step snaps to. */
const NICE_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_200_000, 1_800_000,
  3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 172_800_000, 604_800_000, 2_592_000_000, 31_536_000_000,
];

/**
 * A Prometheus duration (`1h30m`, `15s`, `500ms`, `2d`) or plain seconds (`30`, `0.5`) → ms.
 * Returns null when unreadable or not positive.
 */
export function parseDuration(text: string): number | null {
  const s = text.trim();
  if (!s) return null;
  if (/^\d+(\.\d+)?$/.test(s)) {
    const ms = Math.round(Number(s) * 1000);
    return ms > 0 ? ms : null;
  }
  const re = /(\d+)(ms|[smhdwy])/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return null;
    total += Number(m[1]) * UNIT_MS[m[2] as DurationUnit];
    pos = re.lastIndex;
  }
  return total > 0 && Number.isSafeInteger(total) ? total : null;
}

/** ms → the shortest Prometheus duration: 90_000 → "1m30s", 1500 → "1s500ms", 0 → "0s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return "0s";
  let rest = Math.round(ms);
  let out = "";
  for (const unit of ORDER) {
    const size = UNIT_MS[unit];
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

/** The smallest nice interval ≥ `ms`. */
export function roundUpInterval(ms: number): number {
  for (const nice of NICE_MS) if (nice >= ms) return nice;
  return Math.ceil(ms / NICE_MS[NICE_MS.length - 1]!) * NICE_MS[NICE_MS.length - 1]!;
}

/** The automatic step for a range: max(min interval, range / max points rounded up to a nice interval). */
export function autoStepMs(rangeMs: number, opts: { minIntervalMs?: number; maxDataPoints?: number } = {}): number {
  const min = opts.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
  const points = Math.max(1, opts.maxDataPoints ?? DEFAULT_MAX_DATA_POINTS);
  return Math.max(min, roundUpInterval(Math.max(1, rangeMs) / points));
}

export type StepChoice =
  | { ok: true; stepMs: number; auto: boolean; /** set when a manual step was raised to stay under Prometheus's point limit */ raisedFrom?: number }
  | { ok: false; message: string };

/**
 * The step to run with: the manual `resolution` when given (raised, with a note, if it would
 * exceed 11,000 points), else the automatic one.
 */
export function chooseStep(rangeMs: number, resolution: string, opts: { minIntervalMs?: number; maxDataPoints?: number } = {}): StepChoice {
  if (!resolution.trim()) return { ok: true, stepMs: autoStepMs(rangeMs, opts), auto: true };
  const manual = parseDuration(resolution);
  if (manual === null) return { ok: false, message: `Resolution "${resolution.trim()}" is not a duration (e.g. 15s, 1m, 30)` };
  const floor = Math.ceil(rangeMs / PROMETHEUS_MAX_POINTS);
  if (manual < floor) return { ok: true, stepMs: roundUpInterval(floor), auto: false, raisedFrom: manual };
  return { ok: true, stepMs: manual, auto: false };
}

/** Aligns the range to the step (start floored, end ceiled), so refreshes do not shift the points. */
export function alignToStep(startMs: number, endMs: number, stepMs: number): { startMs: number; endMs: number } {
  return { startMs: Math.floor(startMs / stepMs) * stepMs, endMs: Math.ceil(endMs / stepMs) * stepMs };
}
