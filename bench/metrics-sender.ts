/**
 * The remote_write sender of bench/metrics.ts, run as its own process: BENCH_SERIES series ×
 * BENCH_SAMPLES samples at 15 s, sent as requests of BENCH_SERIES_PER_REQ series ×
 * BENCH_SAMPLES_PER_REQ samples, BENCH_CONCURRENCY requests in flight. Prints one JSON line.
 */
import { encodeRemoteWrite } from "@/server/metrics/remote-write/encode";
import type { SeriesSamplesInput } from "@/server/metrics/model";

const url = process.env.BENCH_URL!;
const key = process.env.BENCH_KEY ?? "";
const nSeries = Number(process.env.BENCH_SERIES || 10_000);
const nSamples = Number(process.env.BENCH_SAMPLES || 360);
const perReqSeries = Number(process.env.BENCH_SERIES_PER_REQ || 1000);
const perReqSamples = Number(process.env.BENCH_SAMPLES_PER_REQ || 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY || 4);
const end = Number(process.env.BENCH_END_MS || Math.floor(Date.now() / 15_000) * 15_000);
const start = end - (nSamples - 1) * 15_000;

/** Counter-like values: a per-series rate with some noise, like request counters. */
function labelsOf(i: number): Record<string, string> {
  return { __name__: "bench_requests_total", job: `job-${i % 10}`, instance: `host-${Math.floor(i / 10)}:9100`, code: i % 7 === 0 ? "500" : "200" };
}

function* requests(): Generator<{ body: Buffer; samples: number }> {
  const labels = Array.from({ length: nSeries }, (_, i) => labelsOf(i));
  const rate = Array.from({ length: nSeries }, (_, i) => 1 + (i % 13));
  for (let s0 = 0; s0 < nSamples; s0 += perReqSamples) {
    for (let i0 = 0; i0 < nSeries; i0 += perReqSeries) {
      const series: SeriesSamplesInput[] = [];
      let samples = 0;
      for (let i = i0; i < Math.min(nSeries, i0 + perReqSeries); i++) {
        const pts = [];
        for (let s = s0; s < Math.min(nSamples, s0 + perReqSamples); s++) {
          pts.push({ timestampMs: start + s * 15_000 + ((i * 7 + s * 3) % 5), value: Math.floor(s * 15 * rate[i]! + ((i + s) % 3)) });
        }
        samples += pts.length;
        series.push({ labels: labels[i]!, samples: pts });
      }
      yield { body: encodeRemoteWrite(series), samples };
    }
  }
}

async function main() {
  const headers: Record<string, string> = { "content-type": "application/x-protobuf", "content-encoding": "snappy", "x-prometheus-remote-write-version": "0.1.0" };
  if (key) headers.authorization = `Bearer ${key}`;
  // Encoded up front, so the figure measures the receiver, not this process's protobuf encoding.
  const it = [...requests()][Symbol.iterator]();
  let bytes = 0;
  let samples = 0;
  let retries = 0;
  let requestsSent = 0;
  const t0 = Date.now();
  async function worker() {
    for (;;) {
      const next = it.next();
      if (next.done) return;
      for (;;) {
        const res = await fetch(url, { method: "POST", headers, body: new Uint8Array(next.value.body) });
        if (res.status === 429 || res.status >= 500) {
          retries++;
          await res.arrayBuffer();
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
        if (res.status >= 300) throw new Error(`remote_write answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        break;
      }
      bytes += next.value.body.length;
      samples += next.value.samples;
      requestsSent++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  console.log(JSON.stringify({ t0, t1: Date.now(), bytes, samples, requests: requestsSent, retries, start, end }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
