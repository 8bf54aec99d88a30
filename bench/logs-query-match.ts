/**
 * The compiled log query's per-event predicate (server/logs/query/compile.ts), which the search
 * service runs on every decoded event of the selected blocks. Prints ns/event per query shape
 * over nginx-like and JSON app events (both kinds mixed), single thread.
 *
 *   npx tsx bench/logs-query-match.ts [events=1000000] [rounds=3]
 */
import type { LogEvent } from "@/server/logs/event";
import { compileQuery } from "@/server/logs/query/compile";
import { parseQuery } from "@/server/logs/query/parse";

const n = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 3);
const STATUSES = [200, 200, 200, 304, 404, 500, 502];
const WORDS = ["order", "payment", "captured", "cart", "updated", "session", "refreshed", "cache", "miss", "upstream", "timeout", "retrying", "user", "login", "ok"];
const events: LogEvent[] = new Array(n);
for (let i = 0; i < n; i++) {
  const status = STATUSES[i % STATUSES.length]!;
  if (i % 2 === 0) {
    events[i] = {
      ts: i, observedTs: i, source: "nginx", service: "web", host: `edge-${i % 4}`, level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
      message: `10.0.${(i >> 8) & 255}.${i & 255} - - [10/Oct/2024:13:55:36 +0200] "GET /api/items/${i}?page=${i % 7} HTTP/1.1" ${status} ${(i * 37) % 50_000} "https://example.com/list" "Mozilla/5.0 (X11; Linux x86_64)"`,
      traceId: null, spanId: null,
      attributes: { client: { ip: `10.0.${(i >> 8) & 255}.${i & 255}` }, http: { method: "GET", path: `/api/items/${i}`, status, bytes: (i * 37) % 50_000 }, user_agent: "Mozilla/5.0 (X11; Linux x86_64)" },
    };
  } else {
    const w = (k: number) => WORDS[(i * 7 + k * 13) % WORDS.length]!;
    events[i] = {
      ts: i, observedTs: i, source: "app", service: i % 3 ? "payment-api" : "checkout", host: `pod-${i % 10}`, level: i % 50 === 1 ? "error" : "info",
      message: `${w(0)} ${w(1)} for order ${i}: ${w(2)} ${w(3)} in ${i % 900}ms`,
      traceId: (i * 2654435761).toString(16).padStart(32, "0"), spanId: null,
      attributes: { order: { id: i, total: (i % 1000) / 10, currency: "EUR" }, user: { id: `u-${i % 5000}`, vip: i % 7 === 0 }, duration_ms: i % 900 },
    };
  }
}
const fields = new Map(["client.ip", "http.method", "http.path", "http.status", "http.bytes", "user_agent", "order.id", "order.total", "order.currency", "user.id", "user.vip", "duration_ms"].map((p) => [p, { path: p, types: p.endsWith("status") || p.endsWith("bytes") || p.endsWith("_ms") || p.endsWith(".id") ? ["number" as const] : ["string" as const] }]));
const ctx = { fields, sourceIdsByName: new Map([["nginx", "1"], ["app", "2"]]) };

const QUERIES: [string, string][] = [
  ["term (free)", "timeout"],
  ["term (absent word)", "nonexistentword"],
  ["term (message:)", "message:timeout"],
  ["phrase", '"upstream timeout"'],
  ["field (service:)", "service:checkout"],
  ["field (attribute)", "http.status:502"],
  ["range (attribute)", "http.status:[500 TO 599]"],
  ["range (comparison)", "duration_ms>=500"],
  ["wildcard (free)", "time*"],
  ["wildcard (field)", "service:pay*"],
  ["level", "level:error"],
  ["combined", "level:error service:payment-api timeout"],
];

console.log(`${n.toLocaleString()} events, best of ${rounds} rounds (shared 2-core machine: noisy)`);
for (const [label, q] of QUERIES) {
  const { matches } = compileQuery(parseQuery(q), ctx);
  let best = Infinity;
  let hits = 0;
  for (let r = 0; r < rounds; r++) {
    hits = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) if (matches(events[i]!)) hits++;
    best = Math.min(best, Number(process.hrtime.bigint() - t0));
  }
  console.log(`${label.padEnd(22)} ${q.padEnd(45)} ${(best / n).toFixed(1).padStart(7)} ns/event  ${hits} hits`);
}
