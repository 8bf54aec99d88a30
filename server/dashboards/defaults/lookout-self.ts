/**
 * "Lookout self-monitoring": Lookout's own metrics, as its built-in `lookout` scrape job stores
 * them (server/metrics/scrape/self.ts). Every name is one Lookout exports: server/lib/metrics.ts
 * (the `lookout_*` counters, gauges and histograms), prom-client's default metrics registered there
 * with the `lookout_process_` prefix, and the scrape report series (`up`, `scrape_duration_seconds`)
 * the scraper writes for every target (server/metrics/scrape/scrape.ts).
 *
 * Labels to know: web and worker processes are aggregated into one exposition (sums; event-loop
 * lag averaged), and a metric's own `job` label (the scrape job of `lookout_scrapes_total`)
 * becomes `exported_job` under the scrape's `job="lookout"`.
 */
import { SELF_JOB_NAME } from "@/server/metrics/scrape/self";
import { bargauge, dashboard, heatmap, Layout, prom, stat, table, text, thresholds, timeseries } from "./build";

const J = `job="${SELF_JOB_NAME}"`;
const RI = "$__rate_interval";

const rate = (metric: string, by?: string, matchers = "") => `sum${by ? ` by (${by})` : ""} (rate(${metric}{${J}${matchers}}[${RI}]))`;
const quantile = (q: number, histogram: string, by = "") => `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ""}) (rate(${histogram}_bucket{${J}}[${RI}])))`;

const tableLegend = (...calcs: ("mean" | "max" | "last" | "min" | "lastNotNull")[]) => ({ displayMode: "table" as const, placement: "bottom" as const, calcs });

const layout = new Layout()
  // ---- At a glance
  .add(4, 4, stat("Log events stored/s", [prom("A", rate("lookout_logs_events_stored_total"))], { defaults: { unit: "ops", decimals: 1 } }))
  .add(4, 4, stat("Samples stored/s", [prom("A", rate("lookout_metrics_samples_stored_total"))], { defaults: { unit: "ops", decimals: 0 } }))
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
    12,
    8,
    timeseries(
      "Log events/s",
      [prom("A", rate("lookout_logs_events_accepted_total", "source"), "accepted {{source}}"), prom("B", rate("lookout_logs_events_stored_total"), "stored (all sources)")],
      { description: "Events the ingest endpoints accepted (enqueued), by source, and events committed to storage.", defaults: { unit: "ops" }, options: { legend: tableLegend("mean", "max", "last") } },
    ),
  )
  .add(
    12,
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
    12,
    8,
    timeseries(
      "Metric samples/s by endpoint",
      [
        prom("A", rate("lookout_metrics_samples_accepted_total", "path"), "{{path}}"),
        prom("B", rate("lookout_scrape_samples_stored_total"), "scrapes"),
        prom("C", rate("lookout_metrics_samples_stored_total"), "stored (all)"),
      ],
      { description: "Samples accepted by remote write, OTLP and the Pushgateway endpoint, samples stored from scrapes, and all samples committed.", defaults: { unit: "ops" }, options: { legend: tableLegend("mean", "max", "last") } },
    ),
  )
  .add(
    12,
    8,
    timeseries("Refused samples/s by reason", [prom("A", rate("lookout_metrics_samples_rejected_total", "reason"), "{{reason}}")], {
      description: "invalid, too_old, series_limit, sample_limit.",
      defaults: { unit: "ops" },
      options: { drawStyle: "bars", fillOpacity: 80, stacking: "normal", legend: tableLegend("mean", "max") },
    }),
  )

  // ---- Queues
  .row("Queues")
  .add(
    12,
    8,
    timeseries(
      "Queue depth",
      [prom("A", `sum by (queue) (lookout_queue_jobs{${J},state="waiting"})`, "{{queue}} waiting"), prom("B", `sum by (queue) (lookout_queue_jobs{${J},state="active"})`, "{{queue}} active")],
      { description: "BullMQ jobs waiting and active, per queue.", defaults: { unit: "short" }, options: { legend: tableLegend("mean", "max", "last") } },
    ),
  )
  .add(
    6,
    8,
    bargauge("Failed jobs by queue", [prom("A", `sum by (queue) (lookout_queue_jobs{${J},state="failed"})`, "{{queue}}", { instant: true })], {
      defaults: { unit: "short", min: 0, thresholds: thresholds("green", ["orange", 1], ["red", 100]) },
      options: { displayMode: "gradient", orientation: "horizontal" },
    }),
  )
  .add(
    6,
    8,
    timeseries("Jobs processed/s", [prom("A", rate("lookout_jobs_total", "queue, status"), "{{queue}} {{status}}")], {
      description: "Jobs the workers finished, per queue and outcome (completed, failed).",
      defaults: { unit: "ops" },
      options: { stacking: "normal", fillOpacity: 30 },
    }),
  )

  // ---- Latency
  .row("Latency")
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
    timeseries("Job duration p95 by queue", [prom("A", quantile(0.95, "lookout_job_duration_seconds", "queue"), "{{queue}}")], {
      description: "95th percentile of job processing time per queue (scrapes, ingest, alert evaluation…).",
      defaults: { unit: "s" },
      options: { legend: tableLegend("mean", "max") },
    }),
  )
  .add(
    16,
    8,
    heatmap("Job duration distribution", [prom("A", `sum by (le) (rate(lookout_job_duration_seconds_bucket{${J}}[${RI}]))`, "{{le}}")], {
      options: { calculate: false, yAxisUnit: "s", colorScheme: "oranges", deaccumulate: true },
    }),
  )
  .add(
    8,
    8,
    text(
      "About query latency",
      "Lookout does not yet export the latency of log searches or PromQL queries, nor the size of its tables, as metrics. " +
        "The database size is on the **/status** page; the panels here show the ingest and job timings it does export.",
    ),
  )

  // ---- HTTP
  .row("HTTP API", { collapsed: true })
  .add(
    12,
    8,
    timeseries("Requests/s by route and status", [prom("A", rate("lookout_http_requests_total", "route, status"), "{{route}} {{status}}")], {
      defaults: { unit: "reqps" },
      options: { legend: tableLegend("mean", "max", "last") },
    }),
  )
  .add(
    12,
    8,
    timeseries(
      "Server errors (5xx) ratio",
      [prom("A", `${rate("lookout_http_requests_total", "route", ',status=~"5.."')} / ${rate("lookout_http_requests_total", "route")}`, "{{route}}")],
      {
        defaults: { unit: "percentunit", min: 0, thresholds: thresholds("green", ["orange", 0.01], ["red", 0.05]) },
        options: { thresholdsStyle: "line" },
      },
    ),
  )

  // ---- Storage and dead letters
  .row("Storage and dead letters")
  .add(
    6,
    6,
    stat("Log events stored (range)", [prom("A", `sum(increase(lookout_logs_events_stored_total{${J}}[$__range]))`, undefined, { instant: true })], {
      description: "Events committed to the logs tables during the dashboard's range.",
      defaults: { unit: "short" },
      options: { graphMode: "none" },
    }),
  )
  .add(
    6,
    6,
    stat("Samples stored (range)", [prom("A", `sum(increase(lookout_metrics_samples_stored_total{${J}}[$__range]))`, undefined, { instant: true })], {
      description: "Samples committed to the metrics tables during the dashboard's range.",
      defaults: { unit: "short" },
      options: { graphMode: "none" },
    }),
  )
  .add(
    12,
    6,
    timeseries("Dead letters/s by source", [prom("A", rate("lookout_logs_dead_letters_total", "source"), "{{source}}")], {
      description: "Events a pipeline step could not process (kept as dead letters of the source).",
      defaults: { unit: "ops", thresholds: thresholds("green", ["red", 0.1]) },
      options: { drawStyle: "bars", fillOpacity: 80, thresholdsStyle: "line" },
    }),
  )

  // ---- Scrape health
  .row("Scrape health")
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
  description: "Ingest rates, queues, processing latency, HTTP, storage growth, scrape health and the processes of this Lookout.",
  tags: ["lookout", "self-monitoring"],
  time: { from: "now-6h", to: "now" },
  refresh: "30s",
  panels: layout.build(),
});
