/**
 * Realistic stored log events (LogEvent, as the pipeline would produce them) for the benches that
 * write through the store directly: nginx access lines with grok-style attributes and JSON app logs
 * from 6 services. `i` is the event number (deterministic content), `ts` its time.
 */
import type { LogEvent, LogLevel } from "@/server/logs/event";

const SERVICES = ["payments", "checkout", "cart", "search", "auth", "inventory"];
const PATHS = ["/api/orders", "/api/cart", "/static/app.js", "/login", "/api/payments/charge", "/health", "/api/users/42", "/search"];
const AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36", "curl/7.88.1", "Go-http-client/1.1"];

/** Deterministic pseudo-random in [0, 1) from an integer. */
export function rnd(i: number): number {
  let x = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return (x >>> 0) / 4294967296;
}

export function nginxEvent(i: number, ts: number, source: string): LogEvent {
  const r = rnd(i);
  const status = r < 0.8 ? 200 : r < 0.9 ? 304 : r < 0.97 ? 404 : r < 0.995 ? 500 : 502;
  const path = PATHS[i % PATHS.length]!;
  const ip = `10.${i % 7}.${(i * 13) % 255}.${(i * 7) % 255}`;
  const bytes = (i * 997) % 50_000;
  return {
    ts,
    observedTs: ts + 150,
    source,
    service: "nginx",
    host: `edge-${i % 3}`,
    level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
    message: `${ip} - - [${new Date(ts).toISOString()}] "GET ${path} HTTP/1.1" ${status} ${bytes} "-" "${AGENTS[i % AGENTS.length]}"`,
    traceId: null,
    spanId: null,
    attributes: { clientip: ip, verb: "GET", request: path, httpversion: "1.1", response: status, bytes, agent: AGENTS[i % AGENTS.length] },
  };
}

export function appEvent(i: number, ts: number, source: string): LogEvent {
  const r = rnd(i + 7);
  // App events are the odd i: (i >> 1) spreads them over every service.
  const service = SERVICES[(i >> 1) % SERVICES.length]!;
  let level: LogLevel = "info";
  let message = `order ${100000 + (i % 900000)} processed in ${(i * 31) % 900}ms`;
  if (r < 0.01) {
    level = "error";
    message = `upstream timeout after 30s calling ${SERVICES[(i + 1) % SERVICES.length]}`;
  } else if (r < 0.04) {
    level = "error";
    message = `card declined for order ${100000 + (i % 900000)}: insufficient funds`;
  } else if (r < 0.1) {
    level = "warn";
    message = `slow query on table orders took ${(i * 17) % 5000}ms`;
  } else if (r < 0.35) level = "debug";
  return {
    ts,
    observedTs: ts + 80,
    source,
    service,
    host: `app-${i % 8}`,
    level,
    message,
    traceId: ((i * 2654435761) >>> 0).toString(16).padStart(32, "0"),
    spanId: null,
    attributes: { user: { id: i % 5000, tier: i % 5 ? "free" : "pro" }, amount: ((i * 37) % 100000) / 100, region: ["eu-west-1", "us-east-1"][i % 2] },
  };
}
