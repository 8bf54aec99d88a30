import type { LogEvent } from "@/server/logs/event";
import type { FieldInfo, FieldType } from "./ast";

/** Realistic events for the compiler's tests: nginx (grok fields), JSON app logs (nested), syslog. */
const base = { observedTs: 0, traceId: null, spanId: null } as const;
const t0 = Date.UTC(2026, 0, 10, 12, 0, 0);
export const FIXTURE: (LogEvent & { id: string })[] = [
  { id: "nginx-200", ...base, ts: t0, source: "nginx", service: "web", host: "edge-1", level: "info", message: '10.0.0.1 - - [10/Jan/2026:12:00:00 +0000] "GET /api/orders HTTP/1.1" 200 512 "-" "curl/8.5"', attributes: { client: { ip: "10.0.0.1" }, http: { method: "GET", path: "/api/orders", status: 200, bytes: 512 }, user_agent: "curl/8.5" } },
  { id: "nginx-404", ...base, ts: t0 + 1, source: "nginx", service: "web", host: "edge-1", level: "warn", message: '10.0.0.2 - - [10/Jan/2026:12:00:01 +0000] "GET /favicon.ico HTTP/1.1" 404 0 "-" "Mozilla/5.0"', attributes: { client: { ip: "10.0.0.2" }, http: { method: "GET", path: "/favicon.ico", status: 404, bytes: 0 }, user_agent: "Mozilla/5.0" } },
  { id: "nginx-502", ...base, ts: t0 + 2, source: "nginx", service: "web", host: "edge-2", level: "error", message: '10.0.0.3 - - [10/Jan/2026:12:00:02 +0000] "POST /api/checkout HTTP/1.1" 502 157 "-" "okhttp/4.12"', attributes: { client: { ip: "10.0.0.3" }, http: { method: "POST", path: "/api/checkout", status: 502, bytes: 157 }, user_agent: "okhttp/4.12" } },
  { id: "nginx-503", ...base, ts: t0 + 3, source: "nginx", service: "web", host: "edge-2", level: "error", message: '10.0.0.4 - - "POST /api/checkout HTTP/1.1" 503 0', attributes: { "http.status": "503", "http.method": "POST" } },
  { id: "pay-declined", ...base, ts: t0 + 4, source: "app", service: "payment-api", host: "pay-1", level: "error", message: "Card declined for order 8812: insufficient funds", traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", attributes: { order: { id: 8812, total: 129.5, currency: "EUR" }, user: { id: "u-77", email: "ana@example.com", vip: true }, error: { kind: "CardDeclined", reasons: ["insufficient_funds", "risk"] } } },
  { id: "pay-ok", ...base, ts: t0 + 5, source: "app", service: "payment-api", host: "pay-1", level: "info", message: "Payment captured for order 8813", traceId: "5bf92f3577b34da6a3ce929d0e0e4737", spanId: null, attributes: { order: { id: 8813, total: 20, currency: "usd" }, user: { id: "u-78", vip: false }, tags: ["checkout", "card"] } },
  { id: "pay-timeout", ...base, ts: t0 + 6, source: "app", service: "payment-api", host: "pay-2", level: "warn", message: "upstream request timeout after 30000ms (retrying)", attributes: { upstream: "bank-gw", duration_ms: 30000, retry: 1 } },
  { id: "checkout-timeout", ...base, ts: t0 + 7, source: "app", service: "checkout", host: "co-1", level: "error", message: "Timeout talking to payment-api", attributes: { "k8s.pod": "checkout-7d9f", "k8s": { namespace: "shop" }, duration_ms: "5000" } },
  { id: "checkout-debug", ...base, ts: t0 + 8, source: "app", service: "checkout", host: "co-1", level: "debug", message: "cart recalculated: 3 items, total 59.90", attributes: { cart: { items: 3, total: "59.90" } } },
  { id: "app-nolevel", ...base, ts: t0 + 9, source: "app", service: "checkout", host: "co-2", level: null, message: "GC pause 120ms", attributes: {} },
  { id: "sys-sshd", ...base, ts: t0 + 10, source: "syslog", service: "sshd", host: "bastion", level: "info", message: "Accepted publickey for deploy from 192.168.1.5 port 50022 ssh2", attributes: { pid: 1234, facility: "auth" } },
  { id: "sys-kernel", ...base, ts: t0 + 11, source: "syslog", service: "kernel", host: "db-1", level: "fatal", message: "Out of memory: Killed process 4242 (postgres)", attributes: { pid: 0, facility: "kern" } },
  { id: "sys-cron", ...base, ts: t0 + 12, source: "syslog", service: "CRON", host: "db-1", level: "trace", message: "(root) CMD (run-parts /etc/cron.hourly)", attributes: { pid: 999, facility: "cron", note: "path C:\\temp 100% done_ok" } },
  { id: "app-unicode", ...base, ts: t0 + 13, source: "app", service: "i18n", host: "eu-1", level: "info", message: "Überweisung fehlgeschlagen: Konto gesperrt — 日本語 ログ", attributes: { locale: "de-DE", message_key: "ÜBERWEISUNG_FEHLER" } },
  { id: "app-deep", ...base, ts: t0 + 14, source: "app", service: "checkout", host: "co-2", level: "info", message: "nested payload", attributes: { a: { b: { c: { d: "shallow" } } }, items: [{ sku: "A-1", qty: 2 }, { sku: "B-2", qty: 1 }], deep: { l2: { l3: { l4: { l5: { l6: { l7: "too-deep-value" } } } } } } } },
];

/** The field catalog the fixture implies (scalar leaf paths with their types). */
export function fixtureFields(): Map<string, FieldInfo> {
  const types = new Map<string, Set<FieldType>>();
  const walk = (v: unknown, path: string) => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) return v.forEach((x) => walk(x, path));
    if (typeof v === "object") return Object.entries(v).forEach(([k, x]) => walk(x, path ? `${path}.${k}` : k));
    const t = typeof v as FieldType;
    if (!types.has(path)) types.set(path, new Set());
    types.get(path)!.add(t);
  };
  for (const e of FIXTURE) walk(e.attributes, "");
  return new Map([...types].map(([path, t]) => [path, { path, types: [...t] }]));
}
