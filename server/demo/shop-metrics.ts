/**
 * The demo shop's Prometheus metrics, counted from the same simulated requests the logs are
 * rendered from: every nginx line is one `http_requests_total` increment of the service behind
 * it, every checkout adds one for payments (`/v1/charges`), every "order placed" line one
 * `orders_total`, every failed payment one `payment_failures_total{reason}`. Its own registry
 * (never the console's), with the process metrics of the process running the demo.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { PAYMENT_FAILURE_REASONS, type ShopRequest } from "./simulate";
import { incidentAt } from "./traffic";

export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The shop's error answers (simulate.ts: checkouts and payments time out, search shards fail),
 * there at 0 from the start, so rate() sees the first error of the first incident (a series'
 * first sample is no increase) and the demo's alert rules fire on it.
 */
const ERROR_SERIES = [
  { service: "checkout", route: "/api/checkout", method: "POST", status: "504" },
  { service: "payments", route: "/v1/charges", method: "POST", status: "504" },
  { service: "search", route: "/api/search", method: "GET", status: "503" },
] as const;

/** Jobs per second each background queue's consumers finish (payment retries wait while the card processor is slow). */
const DRAIN_PER_SECOND = { "order-fulfilment": 0.12, "payment-retries": 0.1 } as const;
type QueueName = keyof typeof DRAIN_PER_SECOND;

export class ShopMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"service" | "route" | "method" | "status">;
  private readonly duration: Histogram<"service" | "route">;
  private readonly orders: Counter;
  private readonly failures: Counter<"reason">;
  private readonly queueDepth: Gauge<"queue">;
  private readonly depth: Record<QueueName, number> = { "order-fulfilment": 0, "payment-retries": 0 };
  private lastDrain: number | null = null;

  constructor(opts: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ app: "demo-shop" });
    this.requests = new Counter({ name: "http_requests_total", help: "HTTP requests handled, by service, route, method and status", labelNames: ["service", "route", "method", "status"], registers });
    this.duration = new Histogram({ name: "http_request_duration_seconds", help: "HTTP request duration in seconds, by service and route", labelNames: ["service", "route"], buckets: DURATION_BUCKETS, registers });
    this.orders = new Counter({ name: "orders_total", help: "Orders placed", registers });
    this.failures = new Counter({ name: "payment_failures_total", help: "Failed payments, by reason", labelNames: ["reason"], registers });
    this.queueDepth = new Gauge({ name: "shop_queue_depth", help: "Jobs waiting in the shop's background queues", labelNames: ["queue"], registers });
    for (const q of Object.keys(this.depth) as QueueName[]) this.queueDepth.set({ queue: q }, 0);
    // Every reason exists from the start at 0, so rate() sees the first failure.
    for (const reason of PAYMENT_FAILURE_REASONS) this.failures.inc({ reason }, 0);
    for (const labels of ERROR_SERIES) this.requests.inc(labels, 0);
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts `requests` and moves the queues to the time of the newest one. */
  record(requests: readonly ShopRequest[], nowMs: number): void {
    for (const r of requests) {
      this.requests.inc({ service: r.service, route: r.route, method: r.method, status: String(r.status) });
      this.duration.observe({ service: r.service, route: r.route }, r.durationMs / 1000);
      if (r.payment) {
        this.requests.inc({ service: "payments", route: "/v1/charges", method: "POST", status: String(r.payment.status) });
        this.duration.observe({ service: "payments", route: "/v1/charges" }, r.payment.durationMs / 1000);
        if (r.payment.failure) this.failures.inc({ reason: r.payment.failure });
        if (r.payment.failure === "upstream_timeout") this.depth["payment-retries"]++;
      }
      if (r.orderId) {
        this.orders.inc();
        this.depth["order-fulfilment"]++;
      }
    }
    this.drain(nowMs);
  }

  private drain(nowMs: number): void {
    const seconds = this.lastDrain === null ? 0 : Math.max(0, (nowMs - this.lastDrain) / 1000);
    this.lastDrain = nowMs;
    const paymentsDown = incidentAt(nowMs) === "payments-latency";
    for (const q of Object.keys(this.depth) as QueueName[]) {
      const rate = q === "payment-retries" && paymentsDown ? 0 : DRAIN_PER_SECOND[q];
      this.depth[q] = Math.max(0, this.depth[q] - rate * seconds);
      this.queueDepth.set({ queue: q }, Math.ceil(this.depth[q]));
    }
  }

  /** The exposition body and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
