/**
 * "HTTP service (RED)": rate, errors and duration of an HTTP service instrumented with the
 * conventional `http_requests_total{service,route,method,status}` counter and
 * `http_request_duration_seconds{service,route}` histogram — the demo shop's metrics
 * (server/demo/shop-metrics.ts, scraped by the `demo` job), and any service exposing the same.
 * The demo's own counters (`orders_total`, `payment_failures_total{reason}`, `shop_queue_depth{queue}`)
 * and its logs (sources `demo-app` and `demo-nginx`) complete it.
 *
 * Variables: `job` → `service` (of that job) → `route` (of those services), each multi-select with
 * All; the last row is repeated for each selected service.
 */
import { ALL_VALUE } from "../model";
import { dashboard, gauge, heatmap, Layout, logQuery, logs, logVolume, prom, stat, thresholds, timeseries } from "./build";

/** The demo's scrape job (server/demo/config.ts DEMO_JOB_NAME) and log source (server/demo/render.ts DEMO_APP_SOURCE). */
export const RED_DEFAULT_JOB = "demo";
export const RED_LOG_SOURCE = "demo-app";

const RI = "$__rate_interval";
const S = `job=~"$job",service=~"$service",route=~"$route"`;
const J = `job=~"$job"`;

const requests = (by: string, extra = "") => `sum${by ? ` by (${by})` : ""} (rate(http_requests_total{${S}${extra}}[${RI}]))`;
/** 5xx share; 0 (not "no data") while there are no 5xx series. */
const errorRatio = (by: string) => `(${requests(by, ',status=~"5.."')} or ${by ? `0 * ${requests(by)}` : "vector(0)"}) / ${requests(by)}`;
const quantile = (q: number, by = "", matchers = S) => `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ""}) (rate(http_request_duration_seconds_bucket{${matchers}}[${RI}])))`;
/** Little's law: requests in flight on average = arrival rate × mean duration = rate of the duration sum. */
const inFlight = (by: string) => `sum${by ? ` by (${by})` : ""} (rate(http_request_duration_seconds_sum{${S}}[${RI}]))`;

const errorThresholds = thresholds("green", ["orange", 0.01], ["red", 0.05]);
const latencyThresholds = thresholds("green", ["orange", 0.5], ["red", 1]);
const tableLegend = (...calcs: ("mean" | "max" | "last" | "min")[]) => ({ displayMode: "table" as const, placement: "bottom" as const, calcs });

const layout = new Layout()
  // ---- At a glance
  .add(4, 4, stat("Requests/s", [prom("A", requests(""))], { defaults: { unit: "reqps" } }))
  .add(4, 4, stat("Error ratio (5xx)", [prom("A", errorRatio(""))], { defaults: { unit: "percentunit", decimals: 2, thresholds: errorThresholds }, options: { colorMode: "background" } }))
  .add(4, 4, stat("p99 latency", [prom("A", quantile(0.99))], { defaults: { unit: "s", thresholds: latencyThresholds }, options: { colorMode: "background" } }))
  .add(
    4,
    4,
    gauge("In flight", [prom("A", inFlight(""))], {
      description: "Requests being served at once, on average (request rate × mean duration, Little's law).",
      defaults: { unit: "short", decimals: 2, min: 0, max: 5, thresholds: thresholds("green", ["orange", 2], ["red", 4]) },
    }),
  )
  .add(4, 4, stat("Orders/s", [prom("A", `sum(rate(orders_total{${J}}[${RI}]))`)], { defaults: { unit: "ops", decimals: 2 } }))
  .add(
    4,
    4,
    stat("Payment failures/s", [prom("A", `sum(rate(payment_failures_total{${J}}[${RI}]))`)], {
      defaults: { unit: "ops", decimals: 2, thresholds: thresholds("green", ["orange", 0.05], ["red", 0.2]) },
      options: { colorMode: "value" },
    }),
  )

  // ---- Rate, errors, duration
  .row("Rate, errors, duration")
  .add(12, 8, timeseries("Request rate by service", [prom("A", requests("service"), "{{service}}")], { defaults: { unit: "reqps", min: 0 }, options: { legend: tableLegend("mean", "max", "last") } }))
  .add(
    12,
    8,
    timeseries("Error ratio (5xx) by service", [prom("A", errorRatio("service"), "{{service}}")], {
      defaults: { unit: "percentunit", min: 0, thresholds: errorThresholds },
      options: { thresholdsStyle: "line+area", legend: tableLegend("mean", "max") },
    }),
  )
  .add(
    12,
    8,
    timeseries("Latency", [prom("A", quantile(0.5), "p50"), prom("B", quantile(0.9), "p90"), prom("C", quantile(0.99), "p99")], {
      defaults: { unit: "s", min: 0, thresholds: latencyThresholds },
      options: { thresholdsStyle: "line", legend: tableLegend("mean", "max", "last") },
    }),
  )
  .add(
    12,
    8,
    heatmap("Latency distribution", [prom("A", `sum by (le) (rate(http_request_duration_seconds_bucket{${S}}[${RI}]))`, "{{le}}")], {
      description: "Requests per second in each latency bucket.",
      options: { calculate: false, yAxisUnit: "s", colorScheme: "spectral", deaccumulate: true },
    }),
  )
  .add(
    12,
    8,
    timeseries("Requests by status", [prom("A", requests("status"), "{{status}}")], {
      defaults: { unit: "reqps", min: 0 },
      overrides: [{ matcher: { id: "byRegexp", options: "^5" }, properties: { color: "red" } }],
      options: { drawStyle: "bars", fillOpacity: 80, stacking: "normal" },
    }),
  )
  .add(
    12,
    8,
    timeseries("Request rate by route", [prom("A", requests("service, route"), "{{service}} {{route}}")], {
      defaults: { unit: "reqps", min: 0 },
      options: { legend: tableLegend("mean", "max", "last") },
    }),
  )

  // ---- Saturation
  .row("Saturation")
  .add(8, 8, timeseries("Requests in flight by service", [prom("A", inFlight("service"), "{{service}}")], { description: "Average concurrent requests (rate × mean duration).", defaults: { unit: "short", min: 0 }, options: { stacking: "normal", fillOpacity: 30 } }))
  .add(8, 8, timeseries("Background queue depth", [prom("A", `sum by (queue) (shop_queue_depth{${J}})`, "{{queue}}")], { defaults: { unit: "short", min: 0 } }))
  .add(
    8,
    8,
    timeseries("Payment failures by reason", [prom("A", `sum by (reason) (rate(payment_failures_total{${J}}[${RI}]))`, "{{reason}}")], {
      defaults: { unit: "ops", min: 0 },
      options: { drawStyle: "bars", fillOpacity: 80, stacking: "normal" },
    }),
  )

  // ---- Logs
  .row("Logs")
  .add(24, 6, logVolume("Log volume", [logQuery("A", `source:${RED_LOG_SOURCE}`, "volume")], { description: "The demo services' log events per interval, stacked by level." }))
  .add(
    24,
    10,
    logs("Error logs", [logQuery("A", `source:${RED_LOG_SOURCE} AND level:error`, "lines", { limit: 100 })], {
      description: "The newest error events of the demo services.",
      options: { showTime: true, showLevel: true, wrapLines: false, order: "newest", fields: ["service", "host", "http.route", "trace_id"] },
    }),
  )

  // ---- One row per selected service
  .row("Service: $service", { repeat: "service" })
  .add(8, 8, timeseries("$service: requests/s by route", [prom("A", `sum by (route) (rate(http_requests_total{job=~"$job",service="$service",route=~"$route"}[${RI}]))`, "{{route}}")], { defaults: { unit: "reqps", min: 0 } }))
  .add(
    8,
    8,
    timeseries(
      "$service: error ratio (5xx)",
      [
        prom(
          "A",
          `(sum by (route) (rate(http_requests_total{job=~"$job",service="$service",route=~"$route",status=~"5.."}[${RI}])) or 0 * sum by (route) (rate(http_requests_total{job=~"$job",service="$service",route=~"$route"}[${RI}]))) / sum by (route) (rate(http_requests_total{job=~"$job",service="$service",route=~"$route"}[${RI}]))`,
          "{{route}}",
        ),
      ],
      { defaults: { unit: "percentunit", min: 0, thresholds: errorThresholds }, options: { thresholdsStyle: "line" } },
    ),
  )
  .add(
    8,
    8,
    timeseries("$service: p90 latency by route", [prom("A", quantile(0.9, "route", `job=~"$job",service="$service",route=~"$route"`), "{{route}}")], {
      defaults: { unit: "s", min: 0, thresholds: latencyThresholds },
      options: { thresholdsStyle: "line" },
    }),
  );

export const redDashboard = dashboard({
  title: "HTTP service (RED)",
  description: "Rate, errors and duration of an HTTP service (http_requests_total / http_request_duration_seconds), with the demo shop's logs.",
  tags: ["http", "red", "demo"],
  time: { from: "now-1h", to: "now" },
  refresh: "30s",
  variables: [
    {
      type: "query",
      name: "job",
      label: "Job",
      datasource: "promql",
      query: "label_values(http_requests_total, job)",
      multi: true,
      includeAll: true,
      current: { value: [RED_DEFAULT_JOB], text: [RED_DEFAULT_JOB] },
      refresh: "load",
    },
    {
      type: "query",
      name: "service",
      label: "Service",
      datasource: "promql",
      query: 'label_values(http_requests_total{job=~"$job"}, service)',
      multi: true,
      includeAll: true,
      current: { value: [ALL_VALUE], text: ["All"] },
      refresh: "time",
    },
    {
      type: "query",
      name: "route",
      label: "Route",
      datasource: "promql",
      query: 'label_values(http_requests_total{job=~"$job",service=~"$service"}, route)',
      multi: true,
      includeAll: true,
      current: { value: [ALL_VALUE], text: ["All"] },
      refresh: "time",
    },
  ],
  panels: layout.build(),
});
