/**
 * "Lookout self-monitoring": Lookout's own metrics, as its built-in `lookout` scrape job stores
 * them (server/metrics/scrape/self.ts). Every name is one Lookout exports: server/lib/metrics.ts
 * (the `lookout_*` counters, gauges and histograms), prom-client's default metrics registered there
 * with the `lookout_process_` prefix, and the scrape report series (`up`, `scrape_duration_seconds`)
 * the scraper writes for every target (server/metrics/scrape/scrape.ts).
 *
 * Layout: the stats and the four headline rows (ingest, queues, query latency, storage) are open,
 * about 14 panels: what a first load evaluates. The detail rows are collapsed and query only when
 * opened.
 *
 * Labels to know: web and worker processes are aggregated into one exposition (sums; event-loop
 * lag averaged), and a metric's own `job` label (the scrape job of `lookout_scrapes_total`)
 * becomes `exported_job` under the scrape's `job="lookout"`.
 */
import { SELF_JOB_NAME } from "@/server/metrics/scrape/self";
import { bargauge, dashboard, heatmap, Layout, prom, stat, table, thresholds, timeseries } from "./build";

const J = `job="${SELF_JOB_NAME}"`;
const RI = "$__rate_interval";

const rate = (metric: string, by?: string, matchers = "") => `sum${by ? ` by (${by})` : ""} (rate(${metric}{${J}${matchers}}[${RI}]))`;
const quantile = (q: number, histogram: string, by = "") => `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ""}) (rate(${histogram}_bucket{${J}}[${RI}])))`;

const tableLegend = (...calcs: ("mean" | "max" | "last" | "min" | "lastNotNull")[]) => ({ displayMode: "table" as const, placement: "bottom" as const, calcs });

const layout = new Layout()
  // ---- At a glance
  .add(4, 4, stat("Log events stored/s", [prom("A", rate("lookout_logs_events_stored_total"))], { defaults: { unit: "ops", decimals: 1 } }))
  .add(
    4,
    4,
    stat("Samples stored/s", [prom("A", `(${rate("lookout_metrics_samples_stored_total")} or vector(0)) + (${rate("lookout_scrape_samples_stored_total")} or vector(0))`)], {
      description: "Pushed (remote write, OTLP, Pushgateway) and scraped samples committed to storage.",
      defaults: { unit: "ops", decimals: 0 },
    }),
  )
  .add(
    4,
    4,
    stat("Jobs waiting", [prom("A", `sum(lookout_queue_jobs{${J},state="waiting"})`)], {
      description: "Jobs waiting in all BullMQ queues (prioritised included).",
      defaults: { unit: "short", thresholds: thresholds("green", ["orange", 1000], ["red", 10000]) },
      options: { colorMode: "background" },
    }),
  )
  .add(
    4,
    4,
    stat("Failed jobs", [prom("A", `sum(lookout_queue_jobs{${J},state="failed"})`)], {
      description: "Jobs in the failed sets of all queues (kept for inspection on /status).",
      defaults: { unit: "short", thresholds: thresholds("green", ["orange", 1], ["red", 100]) },
      options: { colorMode: "background" },
    }),
  )
  .add(
    4,
    4,
    stat("Scrape targets up", [prom("A", "sum(up) / count(up)")], {
      description: "Share of all scrape targets whose last scrape succeeded.",
      defaults: { unit: "percentunit", min: 0, max: 1, thresholds: thresholds("red", ["orange", 0.5], ["green", 0.999]) },
      options: { colorMode: "background" },
    }),
  )
  .add(
    4,
    4,
    stat("Workers alive", [prom("A", `lookout_workers_alive{${J}}`)], {
      description: "Worker processes with a recent heartbeat.",
      defaults: { unit: "short", decimals: 0, thresholds: thresholds("red", ["green", 1]) },
      options: { colorMode: "background", graphMode: "none" },
    }),
  )

  // ---- Ingest
  .row("Ingest")
  .add(
    8,
    8,
    timeseries(
      "Log events/s",
      [prom("A", rate("lookout_logs_events_accepted_total", "source"), "accepted {{source}}"), prom("B", rate("lookout_logs_events_stored_total"), "stored (all sources)")],
      { description: "Events the ingest endpoints accepted (enqueued), by source, and events committed to storage.", defaults: { unit: "ops" }, options: { legend: tableLegend("mean", "max", "last") } },
    ),
  )
  .add(
    8,
    8,
    timeseries(
      "Metric samples/s by endpoint",
      [
        prom("A", rate("lookout_metrics_samples_accepted_total", "path"), "{{path}}"),
        prom("B", rate("lookout_scrape_samples_stored_total"), "scrapes"),
        prom("C", rate("lookout_metrics_samples_stored_total"), "pushed, stored"),
      ],
      { description: "Samples accepted by remote write, OTLP and the Pushgateway endpoint, samples stored from scrapes, and pushed samples committed.", defaults: { unit: "ops" }, options: { legend: tableLegend("mean", "max", "last") } },
    ),
  )
  .add(
    8,
    8,
    timeseries("Log ingest bytes/s by source", [prom("A", rate("lookout_logs_ingest_bytes_total", "source"), "{{source}}")], {
      description: "Request bodies of accepted log ingest requests, as sent (compressed bodies count compressed).",
      defaults: { unit: "binBps", min: 0 },
      options: { stacking: "normal", fillOpacity: 30, legend: tableLegend("mean", "max", "last") },
    }),
  )

  // ---- Queues
  .row("Queues")
  .add(
    16,
    8,
    timeseries(
      "Queue depth",
      [prom("A", `sum by (queue) (lookout_queue_jobs{${J},state="waiting"})`, "{{queue}} waiting"), prom("B", `sum by (queue) (lookout_queue_jobs{${J},state="active"})`, "{{queue}} active")],
      { description: "BullMQ jobs waiting and active, per queue.", defaults: { unit: "short" }, options: { legend: tableLegend("mean", "max", "last") } },
    ),
  )
  .add(
    8,
    8,
    bargauge("Failed jobs by queue", [prom("A", `sum by (queue) (lookout_queue_jobs{${J},state="failed"})`, "{{queue}}", { instant: true })], {
      defaults: { unit: "short", min: 0, thresholds: thresholds("green", ["orange", 1], ["red", 100]) },
      options: { displayMode: "gradient", orientation: "horizontal" },
    }),
  )

  // ---- Query latency
  .row("Query latency")
  .add(
    24,
    8,
    timeseries(
      "Query latency by kind",
      [
        prom("A", quantile(0.5, "lookout_query_duration_seconds", "kind"), "{{kind}} p50"),
        prom("B", quantile(0.95, "lookout_query_duration_seconds", "kind"), "{{kind}} p95"),
        prom("C", quantile(0.99, "lookout_query_duration_seconds", "kind"), "{{kind}} p99"),
      ],
      {
        description:
          "Time to answer one query: PromQL instant and range evaluations (the Prometheus API, Explore and dashboard panels) and log searches, histograms and terms (the search API, Discover and log panels).",
        defaults: { unit: "s", min: 0 },
        options: { legend: tableLegend("mean", "max", "last") },
      },
    ),
  )

  // ---- Storage
  .row("Storage")
  .add(
    18,
    8,
    timeseries("Storage by kind", [prom("A", `sum by (kind) (lookout_storage_bytes{${J},kind!="total"})`, "{{kind}}")], {
      description: "The logs and metrics tables (partitions, indexes and TOAST included) and the rest of the database; stacked, they make the database size. Measured at most once a minute.",
      defaults: { unit: "bytes", min: 0 },
      options: { stacking: "normal", fillOpacity: 30, legend: tableLegend("min", "max", "last") },
    }),
  )
  .add(
    6,
    8,
    stat("Database size", [prom("A", `sum(lookout_storage_bytes{${J},kind="total"})`)], {
      description: "pg_database_size of Lookout's database.",
      defaults: { unit: "bytes" },
    }),
  )

  // ---- Refused data and dead letters
  .row("Refused events and dead letters", { collapsed: true })
  .add(
    8,
    8,
    timeseries(
      "Refused log events/s",
      [
        prom("A", rate("lookout_logs_events_rejected_total", "source"), "rejected {{source}}"),
        prom("B", rate("lookout_logs_events_dropped_total", "source"), "dropped {{source}}"),
        prom("C", rate("lookout_logs_dead_letters_total", "source"), "dead letter {{source}}"),
      ],
      { description: "Malformed items rejected at the endpoint, events dropped by drop/sample steps, and events a pipeline step could not process.", defaults: { unit: "ops" }, options: { legend: tableLegend("mean", "max") } },
    ),
  )
  .add(
    8,
    8,
    timeseries("Refused samples/s by reason", [prom("A", rate("lookout_metrics_samples_rejected_total", "reason"), "{{reason}}")], {
      description: "invalid, too_old, series_limit, sample_limit.",
      defaults: { unit: "ops" },
      options: { drawStyle: "bars", fillOpacity: 80, stacking: "normal", legend: tableLegend("mean", "max") },
    }),
  )
  .add(
    8,
    8,
    timeseries("Dead letters/s by source", [prom("A", rate("lookout_logs_dead_letters_total", "source"), "{{source}}")], {
      description: "Events a pipeline step could not process (kept as dead letters of the source).",
      defaults: { unit: "ops", thresholds: thresholds("green", ["red", 0.1]) },
      options: { drawStyle: "bars", fillOpacity: 80, thresholdsStyle: "line" },
    }),
  )

  // ---- Processing
  .row("Processing", { collapsed: true })
  .add(
    8,
    8,
    timeseries(
      "Log batch commit time",
      [prom("A", quantile(0.5, "lookout_logs_batch_seconds"), "p50"), prom("B", quantile(0.95, "lookout_logs_batch_seconds"), "p95")],
      { description: "Time to process and commit one log ingest batch (pipeline, storage).", defaults: { unit: "s" }, options: { legend: tableLegend("mean", "max") } },
    ),
  )
  .add(
    8,
    8,
    timeseries(
      "Metrics batch store time",
      [prom("A", quantile(0.5, "lookout_metrics_batch_seconds"), "p50"), prom("B", quantile(0.95, "lookout_metrics_batch_seconds"), "p95")],
      { description: "Time to store one metrics batch.", defaults: { unit: "s" }, options: { legend: tableLegend("mean", "max") } },
    ),
  )
  .add(
    8,
    8,
    timeseries("Queries/s by kind", [prom("A", rate("lookout_query_duration_seconds_count", "kind"), "{{kind}}")], {
      description: "PromQL evaluations and log searches, histograms and terms answered.",
      defaults: { unit: "ops" },
      options: { stacking: "normal", fillOpacity: 30 },
    }),
  )
  .add(
    8,
    8,
    timeseries("Jobs processed/s", [prom("A", rate("lookout_jobs_total", "queue, status"), "{{queue}} {{status}}")], {
      description: "Jobs the workers finished, per queue and outcome (completed, failed).",
      defaults: { unit: "ops" },
      options: { stacking: "normal", fillOpacity: 30 },
    }),
  )
  .add(
    8,
    8,
    timeseries("Job duration p95 by queue", [prom("A", quantile(0.95, "lookout_job_duration_seconds", "queue"), "{{queue}}")], {
      description: "95th percentile of job processing time per queue (scrapes, ingest, alert evaluation…).",
      defaults: { unit: "s" },
      options: { legend: tableLegend("mean", "max") },
    }),
  )
  .add(
    8,
    8,
    heatmap("Job duration distribution", [prom("A", `sum by (le) (rate(lookout_job_duration_seconds_bucket{${J}}[${RI}]))`, "{{le}}")], {
      options: { calculate: false, yAxisUnit: "s", colorScheme: "oranges", deaccumulate: true },
    }),
  )

  // ---- HTTP
  .row("HTTP API", { collapsed: true })
  .add(
    8,
    8,
    timeseries("Requests/s by route", [prom("A", rate("lookout_http_requests_total", "route"), "{{route}}")], {
      description: "Requests to the public HTTP API (ingest, Prometheus and log search APIs…), by route pattern.",
      defaults: { unit: "reqps" },
      options: { legend: tableLegend("mean", "max", "last") },
    }),
  )
  .add(
    8,
    8,
    timeseries(
      "Errors/s by status class",
      [prom("A", rate("lookout_http_requests_total", "", ',status=~"4.."'), "4xx"), prom("B", rate("lookout_http_requests_total", "", ',status=~"5.."'), "5xx")],
      {
        description: "4xx: refused requests (authentication, permission, invalid input, rate limits); 5xx: server errors.",
        defaults: { unit: "reqps", min: 0 },
        overrides: [{ matcher: { id: "byName", options: "5xx" }, properties: { color: "red" } }],
        options: { drawStyle: "bars", fillOpacity: 80, stacking: "normal" },
      },
    ),
  )
  .add(
    8,
    8,
    timeseries("Latency p95 by route", [prom("A", quantile(0.95, "lookout_http_request_duration_seconds", "route"), "{{route}}")], {
      description: "Time until the response starts (streamed bodies such as exports and tails continue after it).",
      defaults: { unit: "s", min: 0 },
      options: { legend: tableLegend("mean", "max") },
    }),
  )

  // ---- Scrape health
  .row("Scrape health", { collapsed: true })
  .add(
    12,
    8,
    timeseries("Targets up by job", [prom("A", "sum by (job) (up)", "{{job}} up"), prom("B", "count by (job) (up)", "{{job}} targets")], {
      defaults: { unit: "short", min: 0, decimals: 0 },
      options: { lineInterpolation: "stepAfter" },
    }),
  )
  .add(
    12,
    8,
    table("Targets", [prom("A", "up", undefined, { instant: true })], {
      description: "Every scrape target's last result (1 up, 0 down).",
      defaults: { mappings: [{ type: "value", value: "1", text: "UP", color: "green" }, { type: "value", value: "0", text: "DOWN", color: "red" }] },
      options: { format: "series" },
    }),
  )
  .add(
    12,
    8,
    timeseries("Scrapes/s by job and result", [prom("A", `sum by (exported_job, result) (rate(lookout_scrapes_total{${J}}[${RI}]))`, "{{exported_job}} {{result}}")], {
      description: "Scrapes Lookout ran (`exported_job` is the scraped job: the metric's own `job` label, renamed under the `lookout` job).",
      defaults: { unit: "ops" },
    }),
  )
  .add(
    12,
    8,
    timeseries("Scrape duration by job", [prom("A", "max by (job) (scrape_duration_seconds)", "{{job}}")], {
      defaults: { unit: "s" },
      options: { legend: tableLegend("mean", "max") },
    }),
  )

  // ---- Processes
  .row("Processes (web + workers)", { collapsed: true })
  .add(
    6,
    8,
    timeseries(
      "Memory",
      [
        prom("A", `sum(lookout_process_process_resident_memory_bytes{${J}})`, "resident"),
        prom("B", `sum(lookout_process_nodejs_heap_size_used_bytes{${J}})`, "heap used"),
        prom("C", `sum(lookout_process_nodejs_heap_size_total_bytes{${J}})`, "heap total"),
      ],
      { defaults: { unit: "bytes", min: 0 } },
    ),
  )
  .add(
    6,
    8,
    timeseries(
      "CPU",
      [prom("A", rate("lookout_process_process_cpu_user_seconds_total"), "user"), prom("B", rate("lookout_process_process_cpu_system_seconds_total"), "system")],
      { description: "CPU time used by the web and worker processes together (1.0 = one core).", defaults: { unit: "percentunit", min: 0 }, options: { stacking: "normal", fillOpacity: 30 } },
    ),
  )
  .add(
    6,
    8,
    timeseries(
      "Event-loop lag",
      [prom("A", `max(lookout_process_nodejs_eventloop_lag_p99_seconds{${J}})`, "p99"), prom("B", `max(lookout_process_nodejs_eventloop_lag_max_seconds{${J}})`, "max")],
      { defaults: { unit: "s", min: 0, thresholds: thresholds("green", ["red", 0.1]) }, options: { thresholdsStyle: "line" } },
    ),
  )
  .add(
    6,
    8,
    timeseries(
      "Handles and file descriptors",
      [prom("A", `sum(lookout_process_process_open_fds{${J}})`, "open fds"), prom("B", `sum(lookout_process_nodejs_active_handles_total{${J}})`, "active handles")],
      { defaults: { unit: "short", min: 0 } },
    ),
  );

export const lookoutSelfDashboard = dashboard({
  title: "Lookout self-monitoring",
  description: "Ingest rates, queue depths, query latency and storage size of this Lookout; refusals, processing times, the HTTP API, scrape health and its processes below.",
  tags: ["lookout", "self-monitoring"],
  time: { from: "now-6h", to: "now" },
  refresh: "30s",
  panels: layout.build(),
});
