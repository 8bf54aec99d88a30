/**
 * Hot path of log ingestion: the source pipeline over nginx combined-log lines
 * (grok COMBINEDAPACHELOG → date → level), in-process, single thread. Prints events/s.
 *
 *   npx tsx bench/pipeline.ts [lines=100000] [rounds=5]
 */
import type { IncomingEvent } from "@/server/logs/event";
import { compilePipeline } from "@/server/logs/pipeline/run";
import type { PipelineStepInput } from "@/server/logs/pipeline/steps";

const lines = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 5);

const STATUSES = [200, 200, 200, 304, 404, 500, 302];
const AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36", "curl/8.5.0", "Go-http-client/1.1"];
const events: IncomingEvent[] = [];
for (let i = 0; i < lines; i++) {
  const status = STATUSES[i % STATUSES.length];
  const sec = String(i % 60).padStart(2, "0");
  const line = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} - ${i % 5 === 0 ? "alice" : "-"} [10/Oct/2024:13:${String(i % 60).padStart(2, "0")}:${sec} +0200] "GET /api/items/${i}?page=${i % 7} HTTP/1.1" ${status} ${(i * 37) % 50_000} "https://example.com/list" "${AGENTS[i % AGENTS.length]}"`;
  events.push({ message: line, fields: {} });
}

const steps: PipelineStepInput[] = [
  { type: "grok", patterns: ["%{COMBINEDAPACHELOG}"], required: true },
  { type: "date", field: "timestamp", formats: ["dd/MMM/yyyy:HH:mm:ss Z"] },
  { type: "level", field: "http.response.status_code", mapping: { "200": "info", "302": "info", "304": "info", "404": "warn", "500": "error" } },
];

const t0 = performance.now();
const run = compilePipeline(steps);
console.log(`compile ${(performance.now() - t0).toFixed(1)} ms`);

const ctx = { source: "bench", observedTs: Date.now() };
let best = 0;
for (let r = 0; r < rounds; r++) {
  let ok = 0;
  const start = performance.now();
  for (const e of events) if (run(e, ctx).kind === "event") ok++;
  const secs = (performance.now() - start) / 1000;
  const rate = lines / secs;
  best = Math.max(best, rate);
  if (ok !== lines) throw new Error(`only ${ok}/${lines} events came through`);
  console.log(`round ${r + 1}: ${Math.round(rate).toLocaleString("en")} events/s`);
}
console.log(`pipeline (grok COMBINEDAPACHELOG + date + level), ${lines.toLocaleString("en")} lines: best ${Math.round(best).toLocaleString("en")} events/s on one core`);
console.log("sample:", JSON.stringify(run(events[1]!, ctx)));
