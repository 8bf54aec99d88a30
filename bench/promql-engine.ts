/**
 * PromQL engine, in memory: 1,000 and 10,000 synthetic counter series (15 s scrapes, 10 jobs) in a
 * MemoryQueryable; times `sum by (job) (rate(x[5m]))` over the last 1 h and 24 h at Grafana-like
 * steps (max(15 s, range / 1100 rounded up to a second)) and prints p50 / p95 over a few runs.
 *
 *   npm run bench:promql          (BENCH_RUNS=7 for more runs)
 */
import { seededRandom } from "@/server/metrics/chunk/synthetic-series";
import { createEngine } from "@/server/metrics/promql/engine/engine";
import { MemoryQueryable } from "@/server/metrics/promql/engine/memory-queryable";

const SCRAPE_MS = 15_000;
const DAY_MS = 86_400_000;
const END = Date.UTC(2025, 0, 2);
const RUNS = Number(process.env.BENCH_RUNS || 5);
const QUERY = "sum by (job) (rate(x[5m]))";

function build(seriesCount: number): MemoryQueryable {
  const start = END - DAY_MS - 10 * 60_000;
  const n = Math.floor((END - start) / SCRAPE_MS) + 1;
  // Every series is scraped at the same instants: one shared timestamps array.
  const timestamps = new Float64Array(n);
  for (let i = 0; i < n; i++) timestamps[i] = start + i * SCRAPE_MS;
  const rand = seededRandom(42);
  const q = new MemoryQueryable();
  for (let s = 0; s < seriesCount; s++) {
    const values = new Float64Array(n);
    let v = Math.floor(rand() * 1000);
    const busy = 1 + rand() * 200;
    for (let i = 0; i < n; i++) {
      v += Math.floor(rand() * busy);
      if (rand() < 0.0001) v = 0; // an occasional restart
      values[i] = v;
    }
    q.addSeries({ labels: { __name__: "x", job: `job-${s % 10}`, instance: `host-${s}:9100` }, timestamps, values });
  }
  return q;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function main() {
  const engine = createEngine();
  console.log(`PromQL engine: ${QUERY}, ${RUNS} runs each (after one warm-up)`);
  for (const seriesCount of [1_000, 10_000]) {
    const t0 = performance.now();
    const q = build(seriesCount);
    console.log(`\n${seriesCount.toLocaleString("en-US")} series × ${Math.round((DAY_MS + 600_000) / SCRAPE_MS).toLocaleString("en-US")} samples built in ${(performance.now() - t0).toFixed(0)} ms`);
    for (const rangeMs of [3_600_000, DAY_MS]) {
      const step = Math.max(15_000, Math.ceil(rangeMs / 1100 / 1000) * 1000);
      const start = END - rangeMs;
      const times: number[] = [];
      let points = 0;
      for (let r = 0; r <= RUNS; r++) {
        const t = performance.now();
        const res = await engine.rangeQuery(q, QUERY, start, END, step);
        const ms = performance.now() - t;
        if (r > 0) times.push(ms);
        if (res.resultType === "matrix") points = res.result.reduce((a, s) => a + s.values.length, 0);
      }
      times.sort((a, b) => a - b);
      const label = rangeMs === DAY_MS ? "24 h" : "1 h ";
      console.log(
        `  ${label} step ${step / 1000}s (${Math.floor(rangeMs / step) + 1} steps, ${points} output points): ` +
          `p50 ${pct(times, 0.5).toFixed(1)} ms  p95 ${pct(times, 0.95).toFixed(1)} ms`,
      );
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
