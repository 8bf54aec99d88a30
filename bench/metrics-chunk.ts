/**
 * Metrics chunk codec (server/metrics/chunk): bytes/sample per series shape and scrape jitter, and
 * encode/decode throughput over 120-sample chunks, in-process, single thread.
 *
 *   npx tsx bench/metrics-chunk.ts [chunks=2000] [rounds=5]
 */
import { decodeChunk, encodeChunk, iterateChunk } from "@/server/metrics/chunk/chunk";
import { SERIES_SHAPES, syntheticSeries, type SeriesShape, type SyntheticSeries } from "@/server/metrics/chunk/synthetic-series";

const chunks = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 5);
const SAMPLES = 120;
const shapes = Object.keys(SERIES_SHAPES) as SeriesShape[];
const jitters = [0, 2, 50];

console.log(`bytes/sample, ${SAMPLES}-sample chunks, 15 s interval (target ≤ 2.00)`);
console.log(`${"shape".padEnd(20)}${jitters.map((j) => `jitter ±${j} ms`.padStart(16)).join("")}`);
for (const shape of shapes) {
  const cells = jitters.map((jitterMs) => {
    let bytes = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const s = syntheticSeries(shape, { seed, jitterMs, samples: SAMPLES });
      bytes += encodeChunk(s.timestamps, s.values).length;
    }
    return (bytes / (100 * SAMPLES)).toFixed(2).padStart(16);
  });
  console.log(`${shape.padEnd(20)}${cells.join("")}   ${SERIES_SHAPES[shape]}`);
}

// Throughput over a mix of every shape with ±2 ms jitter.
const series: SyntheticSeries[] = [];
for (let i = 0; i < chunks; i++) {
  series.push(syntheticSeries(shapes[i % shapes.length], { seed: i + 1, jitterMs: 2, samples: SAMPLES }));
}
const encoded = series.map((s) => encodeChunk(s.timestamps, s.values));
const total = chunks * SAMPLES;

function best(label: string, fn: () => void): void {
  let top = 0;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    fn();
    const secs = (performance.now() - start) / 1000;
    top = Math.max(top, total / secs);
  }
  console.log(`${label.padEnd(28)}${(top / 1e6).toFixed(2)} M samples/s (best of ${rounds}, ${total} samples)`);
}

let sink = 0;
best("encodeChunk", () => {
  for (const s of series) sink += encodeChunk(s.timestamps, s.values).length;
});
best("decodeChunk", () => {
  for (const b of encoded) sink += decodeChunk(b).values.length;
});
best("iterateChunk (all)", () => {
  for (const b of encoded) sink += iterateChunk(b, -Infinity, Infinity, () => {});
});
if (sink === 0) console.log("(unreachable)");
