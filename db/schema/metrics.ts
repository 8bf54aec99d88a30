import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * One row per series (metric name + label set). `fingerprint` is the MD5 of the canonical label
 * string (server/metrics/store/series-key.ts): unique, so concurrent writers agree on one id.
 */
export const metricSeries = pgTable(
  "metric_series",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    labels: jsonb("labels").$type<Record<string, string>>().notNull(),
    fingerprint: bytea("fingerprint").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("metric_series_fingerprint_idx").on(t.fingerprint),
    index("metric_series_name_idx").on(t.name),
    index("metric_series_labels_idx").using("gin", sql`${t.labels} jsonb_path_ops`),
  ],
);

/**
 * The head: recent samples as they arrived, one row per ingest batch and hour (a columnar block,
 * server/metrics/store/head-block.ts). Range-partitioned by `bucket` (the hour's start, epoch ms;
 * custom migration); the compactor turns a closed hour into per-series chunks and drops it.
 */
export const metricHead = pgTable(
  "metric_head",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    bucket: bigint("bucket", { mode: "number" }).notNull(),
    minTs: bigint("min_ts", { mode: "number" }).notNull(),
    maxTs: bigint("max_ts", { mode: "number" }).notNull(),
    samples: integer("samples").notNull(),
    /** Distinct series ids in the block, ascending (GIN-indexed for selection). */
    seriesIds: integer("series_ids").array().notNull(),
    payload: bytea("payload").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.bucket, t.id] }),
    index("metric_head_series_idx").using("gin", t.seriesIds).with({ fastupdate: true }),
    index("metric_head_time_idx").on(t.maxTs, t.minTs),
  ],
);

/**
 * Compacted samples: one Gorilla-style chunk per series and head hour (server/metrics/chunk).
 * Range-partitioned by `min_ts` per UTC day (`metric_chunks_YYYYMMDD`, migration 0011): retention
 * drops a day past raw retention once its hours are rolled up.
 */
export const metricChunks = pgTable(
  "metric_chunks",
  {
    seriesId: integer("series_id").notNull(),
    minTs: bigint("min_ts", { mode: "number" }).notNull(),
    maxTs: bigint("max_ts", { mode: "number" }).notNull(),
    samples: integer("samples").notNull(),
    data: bytea("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.minTs] })],
);

/** One row per committed metrics batch, so a retried job never writes twice. */
export const metricIngestBatches = pgTable(
  "metric_ingest_batches",
  {
    batchId: text("batch_id").primaryKey(),
    samples: integer("samples").notNull(),
    committedAt: timestamp("committed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("metric_ingest_batches_committed_idx").on(t.committedAt)],
);

/** TYPE/HELP/UNIT per metric family, as last received (for /api/v1/metadata and the UI). */
export const metricMetadata = pgTable("metric_metadata", {
  name: text("name").primaryKey(),
  type: text("type").notNull(),
  help: text("help").notNull().default(""),
  unit: text("unit").notNull().default(""),
  updatedAt: updatedAt(),
});

/**
 * Rollups of compacted hours (server/metrics/store/rollup.ts): one row per series and hour, the
 * hour's 5-minute slots (12) or its 1-hour slot as an encoded block of per-slot aggregates
 * (count, sum, min, max, first, last, counter correction, stale marker and slot-edge point).
 * Written in the compaction transaction of the hour; `bucket` is the hour's start (epoch ms).
 * Range-partitioned by `bucket` (migration 0011): 5m per UTC day (`metric_rollups_5m_YYYYMMDD`),
 * 1h per UTC month (`metric_rollups_1h_YYYYMM`), dropped whole by retention.
 */
function rollupTable(name: string) {
  return pgTable(
    name,
    {
      seriesId: integer("series_id").notNull(),
      bucket: bigint("bucket", { mode: "number" }).notNull(),
      data: bytea("data").notNull(),
    },
    (t) => [primaryKey({ columns: [t.seriesId, t.bucket] })],
  );
}
export const metricRollups5m = rollupTable("metric_rollups_5m");
export const metricRollups1h = rollupTable("metric_rollups_1h");

/**
 * Hours that have been compacted. `complete`: every chunk of the hour has its rollups, so queries
 * may read them; false for hours compacted before rollups existed (migration 0006), which stay raw.
 */
export const metricRollupHours = pgTable("metric_rollup_hours", {
  hour: bigint("hour", { mode: "number" }).primaryKey(),
  complete: boolean("complete").notNull(),
});

/**
 * A scrape job: Prometheus `scrape_config` (validated by ScrapeConfigSchema on read and write).
 * `provisioned` jobs come from the provisioning file and are read-only in the UI.
 */
export const scrapeJobs = pgTable("scrape_jobs", {
  id: id(),
  name: text("name").notNull().unique(),
  config: jsonb("config").$type<Record<string, unknown>>().notNull(),
  enabled: boolean("enabled").notNull().default(true),
  provisioned: boolean("provisioned").notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Health of each target of a scrape job, updated after every scrape. */
export const scrapeTargetHealth = pgTable(
  "scrape_target_health",
  {
    jobId: uuid("job_id")
      .notNull()
      .references(() => scrapeJobs.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    labels: jsonb("labels").$type<Record<string, string>>().notNull(),
    health: text("health").notNull().default("unknown"),
    lastScrapeAt: timestamp("last_scrape_at", { withTimezone: true }),
    lastDurationMs: doublePrecision("last_duration_ms"),
    lastSamples: integer("last_samples"),
    lastError: text("last_error"),
    /** Series of the last successful scrape (ids), for staleness markers when they disappear. */
    lastSeriesIds: integer("last_series_ids").array().notNull().default(sql`'{}'::int[]`),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.url] })],
);

/**
 * Pushgateway groups (`/metrics/job/<job>{/<label>/<value>}`): the families and values last
 * pushed, kept like the Pushgateway keeps them and re-sampled into storage every 15 s (what a
 * Prometheus scraping a Pushgateway records), until the group is deleted.
 */
export const pushgatewayGroups = pgTable("pushgateway_groups", {
  groupKey: text("group_key").primaryKey(),
  grouping: jsonb("grouping").$type<Record<string, string>>().notNull(),
  /** [{ name, type, help, unit, series: [{ labels, value }] }] (values as JSON numbers or "NaN"/"+Inf"/"-Inf"). */
  families: jsonb("families").$type<unknown[]>().notNull(),
  lastPushMs: bigint("last_push_ms", { mode: "number" }).notNull().default(0),
  lastFailureMs: bigint("last_failure_ms", { mode: "number" }).notNull().default(0),
  updatedAt: updatedAt(),
});
