/**
 * The demo shop's requests as the logs a real deployment would ship: an nginx `combined` access
 * line per request (source `demo-nginx`, parsed by its grok + date pipeline) and JSON application
 * logs (source `demo-app`): one per request from the service that handled it, plus the payments
 * service's line for each checkout. `ndjson` objects are what an agent posts to /api/v1/logs.
 */
import type { ShopRequest } from "./simulate";

export const DEMO_NGINX_SOURCE = "demo-nginx";
export const DEMO_APP_SOURCE = "demo-app";

export type DemoLogs = { nginx: Record<string, unknown>[]; app: Record<string, unknown>[] };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** nginx `$time_local` in UTC: `10/Oct/2024:13:55:36 +0000`. */
export function nginxTime(ts: number): string {
  const d = new Date(ts);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** nginx's `combined` format, logged when the response is complete. */
export function nginxLine(r: ShopRequest): string {
  const referrer = r.referrer ?? "-";
  return `${r.clientIp} - - [${nginxTime(r.ts + r.durationMs)}] "${r.method} ${r.path} HTTP/1.1" ${r.status} ${r.bytes} "${referrer}" "${r.userAgent}"`;
}

function level(status: number): "info" | "warn" | "error" {
  return status >= 500 ? "error" : status >= 400 ? "warn" : "info";
}

function serviceMessage(r: ShopRequest): string {
  switch (r.route) {
    case "/":
      return "rendered home page";
    case "/products/:id":
      return r.status === 404 ? `product ${r.detail.product_id} not found` : `rendered product page ${r.detail.product_id}`;
    case "/api/search":
      return r.status === 503 ? `search failed: index shard unavailable (query "${r.detail.query}")` : `search "${r.detail.query}" returned ${r.detail.hits} hits`;
    case "/api/cart":
      return "cart loaded";
    case "/api/cart/items":
      return `added product ${r.detail.product_id} to cart`;
    case "/api/login":
      return r.status === 401 ? "login failed: invalid credentials" : `user ${r.userId} signed in`;
    case "/api/checkout":
      if (r.orderId) return `order placed ${r.orderId}`;
      return r.payment?.failure === "upstream_timeout" ? "checkout failed: payment upstream timeout" : `checkout failed: payment declined (${r.payment?.failure})`;
    default:
      return `${r.method} ${r.route} ${r.status}`;
  }
}

function paymentMessage(r: ShopRequest): string {
  const p = r.payment!;
  if (!p.failure) return `payment authorised in ${p.durationMs} ms`;
  if (p.failure === "upstream_timeout") return `payment failed: upstream timeout after ${p.durationMs} ms (card processor)`;
  return `payment declined: ${p.failure}`;
}

/** The log lines for `requests`, per source. */
export function renderLogs(requests: readonly ShopRequest[]): DemoLogs {
  const nginx: Record<string, unknown>[] = [];
  const app: Record<string, unknown>[] = [];
  for (const r of requests) {
    nginx.push({ message: nginxLine(r), host: r.nginxHost, service: "nginx" });
    if (r.payment) {
      const p = r.payment;
      app.push({
        "@timestamp": new Date(r.ts + 5 + p.durationMs).toISOString(),
        level: p.failure === "upstream_timeout" ? "error" : p.failure ? "warn" : "info",
        service: "payments",
        host: p.host,
        message: paymentMessage(r),
        trace_id: r.traceId,
        user: r.userId ? { id: r.userId } : undefined,
        http: { method: "POST", route: "/v1/charges", status: p.status },
        payment: { amount_cents: p.amountCents, ...(p.failure ? { failure_reason: p.failure } : {}) },
        duration_ms: p.durationMs,
      });
    }
    app.push({
      "@timestamp": new Date(r.ts + r.durationMs).toISOString(),
      level: level(r.status),
      service: r.service,
      host: r.host,
      message: serviceMessage(r),
      trace_id: r.traceId,
      user: r.userId ? { id: r.userId } : undefined,
      order: r.orderId ? { id: r.orderId } : undefined,
      http: { method: r.method, route: r.route, status: r.status },
      duration_ms: r.durationMs,
      ...(Object.keys(r.detail).length ? { details: r.detail } : {}),
    });
  }
  return { nginx, app };
}
