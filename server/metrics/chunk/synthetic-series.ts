/**
 * Seeded synthetic series shaped like real scrapes, for the chunk codec's tests and its bench
 * (bench/metrics-chunk.ts). No I/O, no dependencies.
 */

/** Small seeded PRNG (xorshift32) returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export type SeriesShape =
  | "counter"
  | "counter-slow"
  | "gauge-small-int"
  | "gauge-bytes"
  | "gauge-ratio-2dp"
  | "constant"
  | "counter-gaps"
  | "gauge-float-noise";

export const SERIES_SHAPES: Record<SeriesShape, string> = {
  counter: "counter, busy (integer increments 0–200 per scrape)",
  "counter-slow": "counter, slow (increments 0–3, mostly 0: errors, restarts)",
  "gauge-small-int": "gauge, small integer random walk (goroutines, open fds)",
  "gauge-bytes": "gauge, integer bytes (RSS ±64 KiB in 4 KiB pages)",
  "gauge-ratio-2dp": "gauge, ratio rounded to 2 decimals",
  constant: "constant (up = 1)",
  "counter-gaps": "counter with missed scrapes and a restart",
  "gauge-float-noise": "gauge, full-precision float noise (worst case)",
};

export interface SyntheticSeriesOptions {
  samples?: number;
  intervalMs?: number;
  /** Each timestamp is off its schedule by a uniform amount in [-jitterMs, +jitterMs]. */
  jitterMs?: number;
  seed?: number;
  startMs?: number;
}

export interface SyntheticSeries {
  timestamps: Float64Array;
  values: Float64Array;
}

export function syntheticSeries(shape: SeriesShape, opts: SyntheticSeriesOptions = {}): SyntheticSeries {
  const n = opts.samples ?? 120;
  const interval = opts.intervalMs ?? 15_000;
  const jitter = opts.jitterMs ?? 0;
  const rnd = seededRandom(opts.seed ?? 1);
  const start = opts.startMs ?? 1_735_689_600_000; // 2025-01-01T00:00:00Z
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  let slot = 0;
  let v = shape === "gauge-bytes" ? 512 * 1024 * 1024 : shape === "constant" ? 1 : 10_000 + Math.floor(rnd() * 1e6);
  for (let i = 0; i < n; i++) {
    if (shape === "counter-gaps" && rnd() < 0.05) slot += 1 + Math.floor(rnd() * 3);
    timestamps[i] = start + slot * interval + Math.round((rnd() * 2 - 1) * jitter);
    slot++;
    switch (shape) {
      case "counter":
        v += Math.floor(rnd() * 201);
        break;
      case "counter-slow":
        v += rnd() < 0.7 ? 0 : Math.floor(rnd() * 4);
        break;
      case "gauge-small-int":
        v = i === 0 ? 40 + Math.floor(rnd() * 20) : Math.max(0, v + Math.floor(rnd() * 5) - 2);
        break;
      case "counter-gaps":
        v = i === n >> 1 ? Math.floor(rnd() * 50) : v + Math.floor(rnd() * 201);
        break;
      case "gauge-bytes":
        v += (Math.floor(rnd() * 33) - 16) * 4096;
        break;
      case "gauge-ratio-2dp":
        v = Math.round((0.4 + 0.2 * Math.sin(i / 10) + rnd() * 0.05) * 100) / 100;
        break;
      case "constant":
        break;
      case "gauge-float-noise":
        v = 0.5 + rnd() * 0.1;
        break;
    }
    values[i] = v;
  }
  return { timestamps, values };
}
