export {};

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

const paths = ["/api/orders", "/api/cart", "/static/app.js", "/login", "/api/payments/charge", "/health", "/api/users/42", "/search?q=shoes&page=2"];
const agents = [
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  "curl/7.88.1",
  "Go-http-client/1.1",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

function nginxLine(i: number, now: number): string {
  const d = new Date(now - (i % 1000));
  const ts = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  const status = [200, 200, 200, 201, 304, 404, 500, 502][i % 8]!;
  return `10.${i % 7}.${(i * 13) % 255}.${(i * 7) % 255} - - [${ts}] "${i % 5 ? "GET" : "POST"} ${paths[i % paths.length]} HTTP/1.1" ${status} ${(i * 997) % 50000} "https://shop.example.com/" "${agents[i % agents.length]}"`;
}

function appLine(i: number, now: number): string {
  const declined = i % 9 === 0;
  return JSON.stringify({
    "@timestamp": new Date(now - (i % 1000)).toISOString(),
    level: declined ? "error" : i % 4 ? "info" : "debug",
    service: ["checkout", "payments", "cart"][i % 3],
    host: `app-${i % 4}`,
    message: declined ? `card declined for order ${100000 + i}: insufficient funds` : `order ${100000 + i} processed in ${(i * 31) % 900}ms`,
    trace_id: ((i * 2654435761) >>> 0).toString(16).padStart(32, "0"),
    user: { id: i % 5000, tier: i % 5 ? "free" : "pro" },
    amount: ((i * 37) % 100000) / 100,
  });
}

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
