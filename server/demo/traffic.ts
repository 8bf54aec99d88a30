/**
 * The demo shop's traffic shape: a daily curve (quiet at 04:00 UTC, busiest at 16:00 UTC,
 * averaging 1) and a fixed incident schedule, both pure functions of the time, so a backfill and
 * the live loop agree and tests can name the minutes an incident covers.
 */
const MINUTE = 60_000;
const DAY = 86_400_000;

/** Traffic multiplier at `ts` (epoch ms): 1 ± 0.6 over the UTC day, mean 1. */
export function diurnalFactor(ts: number): number {
  const hour = ((ts % DAY) + DAY) % DAY / 3_600_000;
  return 1 + 0.6 * Math.sin((2 * Math.PI * (hour - 10)) / 24);
}

export type IncidentKind = "payments-latency" | "search-errors";

export interface IncidentWindow {
  kind: IncidentKind;
  /** The schedule repeats every `everyMs`; each time the incident lasts from `offsetMs` for `durationMs`. */
  everyMs: number;
  offsetMs: number;
  durationMs: number;
  description: string;
}

export const INCIDENTS: readonly IncidentWindow[] = [
  {
    kind: "payments-latency",
    everyMs: 20 * MINUTE,
    offsetMs: 12 * MINUTE,
    durationMs: 2 * MINUTE,
    description: "the card processor slows down: payments take seconds and many time out (upstream timeout); checkouts fail with 504",
  },
  {
    kind: "search-errors",
    everyMs: 45 * MINUTE,
    offsetMs: 30 * MINUTE,
    durationMs: 1 * MINUTE,
    description: "a search index shard is unavailable: about a third of searches answer 503",
  },
];

/** The incident in progress at `ts`, or null (the windows never overlap within an hour's alignment; the first listed wins). */
export function incidentAt(ts: number, incidents: readonly IncidentWindow[] = INCIDENTS): IncidentKind | null {
  for (const i of incidents) {
    const into = ((ts - i.offsetMs) % i.everyMs + i.everyMs) % i.everyMs;
    if (into < i.durationMs) return i.kind;
  }
  return null;
}
