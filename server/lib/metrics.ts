import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from "prom-client";

/**
 * The process's own Prometheus metrics. The web process serves them at /metrics together with
 * the worker processes' metrics (published to Redis by each worker, aggregated here).
 */
type Metrics = {
  registry: Registry;
  jobsTotal: Counter<"queue" | "status">;
  jobDuration: Histogram<"queue">;
  queueJobs: Gauge<"queue" | "state">;
  workersAlive: Gauge;
  httpRequests: Counter<"route" | "status">;
  logsAccepted: Counter<"source">;
  logsRejected: Counter<"source">;
  logsStored: Counter<"source">;
  logsDeadLetters: Counter<"source">;
  logsDropped: Counter<"source">;
  logsBatchSeconds: Histogram;
  metricsSamplesAccepted: Counter<"path">;
  metricsSamplesRejected: Counter<"reason">;
  metricsSamplesStored: Counter;
  metricsBatchSeconds: Histogram;
  scrapesTotal: Counter<"job" | "result">;
  scrapeSamples: Counter<"job">;
  queryDuration: Histogram<"kind">;
  storageBytes: Gauge<"kind">;
  logsIngestBytes: Counter<"source">;
  httpRequestDuration: Histogram<"route">;
  storageWatermark: Gauge<"kind">;
};

/** What `lookout_query_duration_seconds` times: PromQL evaluations and log search service calls. */
export type QueryKind = "promql_instant" | "promql_range" | "logs_search" | "logs_histogram" | "logs_terms" | "logs_archive_scan";

/** Sizes for `lookout_storage_bytes`, in bytes. */
export type StorageSizes = { logs: number; metrics: number; other: number; total: number };

/**
 * Where `lookout_storage_bytes` reads the sizes from on each collection: set by the process that
 * serves /metrics (server/status/storage-size.ts, which caches them); none elsewhere, and the
 * gauge then has no series (a worker's copy adds nothing when the web process aggregates).
 */
type StorageSource = () => Promise<StorageSizes | null>;

/**
 * Where `lookout_storage_watermark_exceeded` reads each watermark's state (kind → crossed) on each
 * collection: set by the process serving /metrics (server/retention/watermarks.ts); none elsewhere.
 */
type WatermarkSource = () => Promise<Record<string, boolean> | null>;

const globalForMetrics = globalThis as unknown as { __lookoutMetrics?: Metrics; __lookoutStorageSource?: StorageSource | null; __lookoutWatermarkSource?: WatermarkSource | null };

export function setStorageSource(source: StorageSource | null): void {
  globalForMetrics.__lookoutStorageSource = source;
}

export function setWatermarkSource(source: WatermarkSource | null): void {
  globalForMetrics.__lookoutWatermarkSource = source;
}

export function metrics(): Metrics {
  if (!globalForMetrics.__lookoutMetrics) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: "lookout_process_" });
    globalForMetrics.__lookoutMetrics = {
      registry,
      jobsTotal: new Counter({ name: "lookout_jobs_total", help: "Jobs processed by workers, by queue and outcome", labelNames: ["queue", "status"], registers: [registry] }),
      jobDuration: new Histogram({
        name: "lookout_job_duration_seconds",
        help: "Job processing time by queue",
        labelNames: ["queue"],
        buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
        registers: [registry],
      }),
      queueJobs: new Gauge({ name: "lookout_queue_jobs", help: "Jobs in each BullMQ queue by state", labelNames: ["queue", "state"], registers: [registry] }),
      workersAlive: new Gauge({ name: "lookout_workers_alive", help: "Worker processes with a recent heartbeat", registers: [registry] }),
      httpRequests: new Counter({ name: "lookout_http_requests_total", help: "HTTP API requests by route and status", labelNames: ["route", "status"], registers: [registry] }),
      logsAccepted: new Counter({ name: "lookout_logs_events_accepted_total", help: "Log events accepted by the ingest endpoints (enqueued)", labelNames: ["source"], registers: [registry] }),
      logsRejected: new Counter({ name: "lookout_logs_events_rejected_total", help: "Log events rejected at the endpoint (malformed items)", labelNames: ["source"], registers: [registry] }),
      logsStored: new Counter({ name: "lookout_logs_events_stored_total", help: "Log events committed to storage", labelNames: ["source"], registers: [registry] }),
      logsDeadLetters: new Counter({ name: "lookout_logs_dead_letters_total", help: "Log events a pipeline step could not process", labelNames: ["source"], registers: [registry] }),
      logsDropped: new Counter({ name: "lookout_logs_events_dropped_total", help: "Log events dropped by drop/sample steps", labelNames: ["source"], registers: [registry] }),
      logsBatchSeconds: new Histogram({
        name: "lookout_logs_batch_seconds",
        help: "Time to process and commit one ingest batch",
        buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
      }),
      metricsSamplesAccepted: new Counter({ name: "lookout_metrics_samples_accepted_total", help: "Metric samples accepted by the push endpoints and scrapes (enqueued)", labelNames: ["path"], registers: [registry] }),
      metricsSamplesRejected: new Counter({
        name: "lookout_metrics_samples_rejected_total",
        help: "Metric samples refused, by reason (invalid, too_old, series_limit, sample_limit)",
        labelNames: ["reason"],
        registers: [registry],
      }),
      metricsSamplesStored: new Counter({ name: "lookout_metrics_samples_stored_total", help: "Metric samples committed to storage", registers: [registry] }),
      metricsBatchSeconds: new Histogram({
        name: "lookout_metrics_batch_seconds",
        help: "Time to store one metrics batch",
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
      }),
      scrapesTotal: new Counter({ name: "lookout_scrapes_total", help: "Target scrapes by job and result (up, down)", labelNames: ["job", "result"], registers: [registry] }),
      scrapeSamples: new Counter({ name: "lookout_scrape_samples_stored_total", help: "Samples stored from scrapes (report series and stale markers included)", labelNames: ["job"], registers: [registry] }),
      queryDuration: new Histogram({
        name: "lookout_query_duration_seconds",
        help: "Time to answer one query, by kind (promql_instant, promql_range, logs_search, logs_histogram, logs_terms, logs_archive_scan)",
        labelNames: ["kind"],
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [registry],
      }),
      storageBytes: new Gauge({
        name: "lookout_storage_bytes",
        help: "Database size by kind: logs and metrics tables (partitions, indexes and TOAST included), other (the rest), total (pg_database_size)",
        labelNames: ["kind"],
        registers: [registry],
        async collect() {
          const sizes = await globalForMetrics.__lookoutStorageSource?.();
          if (!sizes) return;
          for (const kind of ["logs", "metrics", "other", "total"] as const) this.set({ kind }, sizes[kind]);
        },
      }),
      logsIngestBytes: new Counter({ name: "lookout_logs_ingest_bytes_total", help: "Request body bytes (as sent, compressed or not) of log ingest requests accepted, by source", labelNames: ["source"], registers: [registry] }),
      httpRequestDuration: new Histogram({
        name: "lookout_http_request_duration_seconds",
        help: "Time for the public HTTP API to produce a response (headers; streamed bodies continue), by route pattern",
        labelNames: ["route"],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [registry],
      }),
      storageWatermark: new Gauge({
        name: "lookout_storage_watermark_exceeded",
        help: "1 while a storage watermark is crossed and ingestion answers 429, by kind (disk_free_bytes, disk_free_percent, database_size; only the limits that are on)",
        labelNames: ["kind"],
        registers: [registry],
        async collect() {
          const state = await globalForMetrics.__lookoutWatermarkSource?.().catch(() => null);
          if (!state) return;
          for (const [kind, crossed] of Object.entries(state)) this.set({ kind }, crossed ? 1 : 0);
        },
      }),
    };
  }
  return globalForMetrics.__lookoutMetrics;
}

/** Runs `query` and records its duration under `kind` (failures too: they cost time as well). */
export async function timeQuery<T>(kind: QueryKind, query: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await query();
  } finally {
    metrics().queryDuration.observe({ kind }, (performance.now() - started) / 1000);
  }
}

/** Own metrics plus the workers' (same-named series are summed, as prom-client's cluster mode does). */
export async function renderMetrics(workerMetrics: unknown[]): Promise<{ contentType: string; body: string }> {
  const own = await metrics().registry.getMetricsAsJSON();
  if (workerMetrics.length === 0) return { contentType: metrics().registry.contentType, body: await metrics().registry.metrics() };
  const merged = AggregatorRegistry.aggregate([own, ...(workerMetrics as MetricObjectWithValues<MetricValue<string>>[][])]);
  return { contentType: merged.contentType, body: await merged.metrics() };
}
