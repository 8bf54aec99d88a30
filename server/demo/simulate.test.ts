import { describe, expect, it } from "vitest";
import { eventFromNdjsonObject } from "@/server/logs/ingest/ndjson";
import { compilePipeline } from "@/server/logs/pipeline/run";
import { parsePrometheusText } from "@/server/metrics/exposition";
import { demoSources, DEMO_NGINX_SOURCE, DEMO_APP_SOURCE } from "./config";
import { renderLogs } from "./render";
import { boundedBackfill } from "./run";
import { ShopMetrics } from "./shop-metrics";
import { ShopSimulator, type ShopRequest } from "./simulate";
import { diurnalFactor, incidentAt } from "./traffic";

const MIN = 60_000;
const HOUR = 3_600_000;
/** 2024-06-03 00:00 UTC: incidents repeat on wall-clock multiples, so minutes below are exact. */
const DAY0 = Date.UTC(2024, 5, 3);

function simulate(seed: number, from: number, to: number, rate = 3): ShopRequest[] {
  return new ShopSimulator({ seed, rate }).advance(from, to);
}

describe("demo traffic shape", () => {
  it("is deterministic for a seed and different for another", () => {
    const a = simulate(7, DAY0 + 10 * HOUR, DAY0 + 10 * HOUR + 5 * MIN);
    const b = simulate(7, DAY0 + 10 * HOUR, DAY0 + 10 * HOUR + 5 * MIN);
    const c = simulate(8, DAY0 + 10 * HOUR, DAY0 + 10 * HOUR + 5 * MIN);
    expect(a).toEqual(b);
    expect(a.map((r) => r.traceId)).not.toEqual(c.map((r) => r.traceId));
  });

  it("follows the daily curve: mean 1, quiet at 04:00 UTC, busy at 16:00 UTC", () => {
    let sum = 0;
    for (let m = 0; m < 1440; m++) sum += diurnalFactor(DAY0 + m * MIN);
    expect(sum / 1440).toBeCloseTo(1, 5);
    expect(diurnalFactor(DAY0 + 4 * HOUR)).toBeCloseTo(0.4, 5);
    expect(diurnalFactor(DAY0 + 16 * HOUR)).toBeCloseTo(1.6, 5);
    const quiet = simulate(1, DAY0 + 3.5 * HOUR, DAY0 + 4.5 * HOUR).length;
    const busy = simulate(1, DAY0 + 15.5 * HOUR, DAY0 + 16.5 * HOUR).length;
    expect(quiet).toBeGreaterThan(3 * 3600 * 0.4 * 0.85);
    expect(quiet).toBeLessThan(3 * 3600 * 0.4 * 1.15);
    expect(busy).toBeGreaterThan(3 * quiet);
  });

  it("has a payments incident at minutes 12–14 of every 20 and a search incident at 30–31 of every 45", () => {
    expect(incidentAt(DAY0 + 11 * MIN + 59_999)).toBeNull();
    expect(incidentAt(DAY0 + 12 * MIN)).toBe("payments-latency");
    expect(incidentAt(DAY0 + 53 * MIN)).toBe("payments-latency");
    expect(incidentAt(DAY0 + 14 * MIN)).toBeNull();
    expect(incidentAt(DAY0 + 30 * MIN + 30_000)).toBe("search-errors");
    expect(incidentAt(DAY0 + 75 * MIN + 30_000)).toBe("search-errors");
    expect(incidentAt(DAY0 + 31 * MIN)).toBeNull();
  });

  it("payments time out (upstream timeout, 504) only during the incident, and slowly", () => {
    const reqs = simulate(3, DAY0 + 14 * HOUR, DAY0 + 16 * HOUR, 5);
    const checkouts = reqs.filter((r) => r.payment);
    const during = checkouts.filter((r) => r.incident === "payments-latency");
    const outside = checkouts.filter((r) => r.incident !== "payments-latency");
    expect(during.length).toBeGreaterThan(20);
    expect(outside.every((r) => r.payment!.failure !== "upstream_timeout")).toBe(true);
    const timeouts = during.filter((r) => r.payment!.failure === "upstream_timeout");
    expect(timeouts.length / during.length).toBeGreaterThan(0.3);
    expect(timeouts.every((r) => r.status === 504 && r.payment!.durationMs >= 5000)).toBe(true);
    expect(during.every((r) => r.payment!.durationMs >= 1800)).toBe(true);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(median(outside.map((r) => r.payment!.durationMs))).toBeLessThan(400);
    // A few ordinary declines happen at any time.
    expect(outside.some((r) => r.payment!.failure === "card_declined")).toBe(true);
    // Search errors appear only in their window.
    expect(reqs.filter((r) => r.status === 503).every((r) => r.incident === "search-errors" && r.service === "search")).toBe(true);
  });
});

describe("demo logs", () => {
  const reqs = simulate(11, DAY0 + 12 * HOUR, DAY0 + 12 * HOUR + 10 * MIN);
  const logs = renderLogs(reqs);

  it("one nginx combined line per request, parsed by the demo-nginx pipeline (grok + date + level)", () => {
    const pipeline = compilePipeline(demoSources().find((s) => s.name === DEMO_NGINX_SOURCE)!.pipeline);
    expect(logs.nginx).toHaveLength(reqs.length);
    reqs.forEach((r, i) => {
      const result = pipeline(eventFromNdjsonObject(JSON.parse(JSON.stringify(logs.nginx[i])) as Record<string, unknown>), { source: DEMO_NGINX_SOURCE, observedTs: Date.now() });
      if (result.kind !== "event") throw new Error(`line ${i} not parsed: ${JSON.stringify(result)}`);
      const e = result.event;
      expect(e.ts).toBe(Math.floor((r.ts + r.durationMs) / 1000) * 1000);
      expect(e.host).toBe(r.nginxHost);
      expect(e.level).toBe(r.status >= 500 ? "error" : r.status >= 400 ? "warn" : "info");
      expect(e.attributes).toMatchObject({
        source: { address: r.clientIp },
        http: { request: { method: r.method }, response: { status_code: r.status, body: { bytes: r.bytes } } },
        url: { original: r.path },
        user_agent: { original: r.userAgent },
      });
      expect(e.attributes.tags).toBeUndefined();
    });
  });

  it("JSON app lines carry level, service, host, trace id and attributes", () => {
    const pipeline = compilePipeline(demoSources().find((s) => s.name === DEMO_APP_SOURCE)!.pipeline);
    expect(logs.app).toHaveLength(reqs.length + reqs.filter((r) => r.payment).length);
    for (const line of logs.app) {
      const result = pipeline(eventFromNdjsonObject(JSON.parse(JSON.stringify(line)) as Record<string, unknown>), { source: DEMO_APP_SOURCE, observedTs: 0 });
      if (result.kind !== "event") throw new Error("app line not stored");
      const e = result.event;
      expect(e.ts).toBe(Date.parse(line["@timestamp"] as string));
      expect(["info", "warn", "error"]).toContain(e.level);
      expect(["frontend", "search", "cart", "auth", "checkout", "payments"]).toContain(e.service);
      expect(e.host).toMatch(/^[a-z]+-[0-9a-z]+-[0-9a-z]+$/);
      expect(e.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(e.attributes).toMatchObject({ http: { status: expect.any(Number) }, duration_ms: expect.any(Number) });
    }
    const order = logs.app.find((l) => String(l.message).startsWith("order placed"))!;
    expect(order).toMatchObject({ service: "checkout", order: { id: expect.stringMatching(/^ord-/) }, user: { id: expect.stringMatching(/^u-\d+$/) } });
  });

  it("a payments incident shows as upstream timeout errors of the payments service", () => {
    const during = renderLogs(simulate(5, DAY0 + 12 * MIN, DAY0 + 14 * MIN, 6)).app.filter((l) => l.service === "payments");
    expect(during.some((l) => l.level === "error" && /upstream timeout/.test(String(l.message)))).toBe(true);
  });
});

describe("demo metrics agree with the logs", () => {
  it("requests, durations, orders and payment failures count exactly what the logs say", async () => {
    const reqs = simulate(21, DAY0 + 11 * HOUR, DAY0 + 12 * HOUR, 4);
    const logs = renderLogs(reqs);
    const m = new ShopMetrics({ processMetrics: false });
    m.record(reqs, DAY0 + 12 * HOUR);
    const { body } = await m.scrape();
    const families = new Map(parsePrometheusText(body).families.map((f) => [f.name, f]));
    const sum = (name: string, match: (l: Record<string, string>) => boolean = () => true, sample = name) =>
      families.get(name)!.samples.filter((s) => s.name === sample && match(s.labels)).reduce((a, s) => a + s.value, 0);

    // Every nginx line is one request of the service behind it; payments counts the checkouts' calls.
    expect(sum("http_requests_total", (l) => l.service !== "payments")).toBe(logs.nginx.length);
    expect(sum("http_requests_total", (l) => l.service === "payments")).toBe(logs.app.filter((l) => l.service === "payments").length);
    const status504 = logs.nginx.filter((l) => / 504 \d+ "/.test(String(l.message))).length;
    expect(sum("http_requests_total", (l) => l.service !== "payments" && l.status === "504")).toBe(status504);
    expect(sum("http_request_duration_seconds", () => true, "http_request_duration_seconds_count")).toBe(logs.nginx.length + reqs.filter((r) => r.payment).length);
    expect(sum("orders_total")).toBe(logs.app.filter((l) => String(l.message).startsWith("order placed")).length);
    expect(sum("orders_total")).toBeGreaterThan(0);
    const failures = logs.app.filter((l) => l.service === "payments" && (l.payment as { failure_reason?: string }).failure_reason);
    for (const reason of ["upstream_timeout", "card_declined", "insufficient_funds", "fraud_suspected"]) {
      expect(sum("payment_failures_total", (l) => l.reason === reason), reason).toBe(failures.filter((l) => (l.payment as { failure_reason: string }).failure_reason === reason).length);
    }
    expect(sum("payment_failures_total", (l) => l.reason === "upstream_timeout")).toBeGreaterThan(0);
    expect(families.get("shop_queue_depth")!.samples.map((s) => s.labels.queue).sort()).toEqual(["order-fulfilment", "payment-retries"]);
    expect(families.get("http_requests_total")!.samples[0]!.labels.app).toBe("demo-shop");
  });

  it("the payment-retries queue grows during the incident and drains after it", async () => {
    const m = new ShopMetrics({ processMetrics: false });
    const sim = new ShopSimulator({ seed: 4, rate: 2 });
    const depth = async () => (await m.registry.getSingleMetric("shop_queue_depth")!.get()).values.find((v) => v.labels.queue === "payment-retries")!.value;
    let t = DAY0 + 14 * HOUR;
    const run = (until: number) => {
      for (; t < until; t += 1000) m.record(sim.advance(t, t + 1000), t + 1000);
    };
    run(DAY0 + 14 * HOUR + 12 * MIN);
    expect(await depth()).toBe(0);
    run(DAY0 + 14 * HOUR + 14 * MIN - 1000);
    const peak = await depth();
    expect(peak).toBeGreaterThan(2);
    run(DAY0 + 14 * HOUR + 19 * MIN);
    expect(await depth()).toBe(0);
  });
});

describe("backfill bound", () => {
  it("keeps the newest requests whose logs fit the bound", () => {
    const reqs = simulate(2, DAY0 + 10 * HOUR, DAY0 + 12 * HOUR, 4);
    const all = renderLogs(reqs);
    expect(all.nginx.length + all.app.length).toBeGreaterThan(20_000);
    const b = boundedBackfill(reqs, 20_000);
    expect(b.nginx.length + b.app.length).toBeLessThanOrEqual(20_000);
    expect(b.nginx.length + b.app.length).toBeGreaterThan(19_990);
    expect(b.nginx.at(-1)).toEqual(all.nginx.at(-1));
    expect(b.from).toBeGreaterThan(DAY0 + 10 * HOUR);
  });
});
