import { appLine, nginxLine } from "./lib/log-lines";

/**
 * The load generator of bench/logs-ingest.ts, run as its own process: sends `BENCH_EVENTS`
 * realistic events (half nginx access lines for the grok source, half JSON app logs) over HTTP
 * in NDJSON batches, `BENCH_CONCURRENCY` requests in flight. Prints one JSON summary line.
 */
const url = process.env.BENCH_URL!;
const key = process.env.BENCH_KEY!;
const total = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const batch = Number(process.env.BENCH_BATCH ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);

type Sent = { batchId: string; ackAt: number; events: number };

async function main() {
  const batches: { source: string; body: string; events: number }[] = [];
  const started = Date.now();
  let bytes = 0;
  for (let sent = 0, b = 0; sent < total; b++) {
    const n = Math.min(batch, total - sent);
    const nginx = b % 2 === 0;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(nginx ? JSON.stringify({ message: nginxLine(sent + i, started) }) : appLine(sent + i, started));
    const body = lines.join("\n");
    bytes += Buffer.byteLength(body);
    batches.push({ source: nginx ? "nginx" : "app", body, events: n });
    sent += n;
  }
  const results: Sent[] = [];
  let next = 0;
  let retries = 0;
  const t0 = Date.now();
  async function worker() {
    while (next < batches.length) {
      const b = batches[next++]!;
      for (;;) {
        const res = await fetch(`${url}/api/v1/logs?source=${b.source}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" }, body: b.body });
        if (res.status === 429) {
          retries++;
          await new Promise((r) => setTimeout(r, Number(res.headers.get("retry-after") ?? 1) * 100));
          continue;
        }
        const json = (await res.json()) as { batchId: string; accepted: number };
        if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(json)}`);
        results.push({ batchId: json.batchId, ackAt: Date.now(), events: json.accepted });
        break;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  console.log(JSON.stringify({ t0, t1: Date.now(), bytes, retries, results }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
