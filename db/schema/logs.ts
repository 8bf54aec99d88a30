import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, customType, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/** A log source: where events land, how they are parsed (pipeline) and how long they are kept. */
export const logSources = pgTable("log_sources", {
  id: id(),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  /** Ordered pipeline steps (validated with PipelineStepSchema on read and write). */
  pipeline: jsonb("pipeline").$type<unknown[]>().notNull().default([]),
  hotDays: integer("hot_days").notNull().default(7),
  archiveDays: integer("archive_days").notNull().default(30),
  provisioned: boolean("provisioned").notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Stored events: compressed blocks of up to ~1,000 events of one source and one day
 * (server/logs/store/block.ts). Range-partitioned by `day`, each day list-partitioned by
 * `source_id` (custom migration 0011): one leaf `log_blocks_YYYYMMDD_<source hex>` per source and
 * day, so retention archives and drops a source's day whole (server/retention). Leaves are created
 * ahead by retention and on demand by the store.
 */
export const logBlocks = pgTable(
  "log_blocks",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    day: date("day", { mode: "string" }).notNull(),
    sourceId: uuid("source_id").notNull(),
    minTs: timestamp("min_ts", { withTimezone: true, mode: "date" }).notNull(),
    maxTs: timestamp("max_ts", { withTimezone: true, mode: "date" }).notNull(),
    count: integer("count").notNull(),
    rawBytes: integer("raw_bytes").notNull(),
    tokens: integer("tokens").array().notNull(),
    services: text("services").array().notNull(),
    hosts: text("hosts").array().notNull(),
    /** Counts per level in LOG_LEVELS order, then events without a level. */
    levelCounts: integer("level_counts").array().notNull(),
    payload: bytea("payload").notNull(),
    batchId: text("batch_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.day, t.sourceId] }),
    index("log_blocks_source_time_idx").on(t.sourceId, t.maxTs.desc(), t.minTs),
    index("log_blocks_time_idx").on(t.maxTs.desc(), t.minTs),
    index("log_blocks_tokens_idx").using("gin", t.tokens).with({ fastupdate: true }),
  ],
);

/** One row per committed ingest batch: a retried or duplicated job finds its id and stops. */
export const logIngestBatches = pgTable(
  "log_ingest_batches",
  {
    batchId: text("batch_id").primaryKey(),
    sourceId: uuid("source_id").notNull(),
    events: integer("events").notNull(),
    deadLetters: integer("dead_letters").notNull(),
    dropped: integer("dropped").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    committedAt: timestamp("committed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("log_ingest_batches_committed_idx").on(t.committedAt)],
);

/** Events a pipeline step could not process, kept as received with the reason, for replay. */
export const logDeadLetters = pgTable(
  "log_dead_letters",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => logSources.id, { onDelete: "cascade" }),
    batchId: text("batch_id").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    step: integer("step").notNull(),
    stepType: text("step_type").notNull(),
    error: text("error").notNull(),
    event: jsonb("event").$type<Record<string, unknown>>().notNull(),
    replayedAt: timestamp("replayed_at", { withTimezone: true }),
  },
  (t) => [index("log_dead_letters_source_idx").on(t.sourceId, t.receivedAt.desc()).where(sql`replayed_at is null`)],
);

/** Running totals per source, updated in the ingest transaction. */
export const logSourceStats = pgTable("log_source_stats", {
  sourceId: uuid("source_id")
    .primaryKey()
    .references(() => logSources.id, { onDelete: "cascade" }),
  events: bigint("events", { mode: "number" }).notNull().default(0),
  rawBytes: bigint("raw_bytes", { mode: "number" }).notNull().default(0),
  storedBytes: bigint("stored_bytes", { mode: "number" }).notNull().default(0),
  deadLetters: bigint("dead_letters", { mode: "number" }).notNull().default(0),
  lastEventAt: timestamp("last_event_at", { withTimezone: true }),
  lastBatchAt: timestamp("last_batch_at", { withTimezone: true }),
});

/**
 * Fields seen per source (attribute paths with their value types): autocompletion in Discover and
 * the query compiler's "unknown field" / type checks. Upserted by the ingest transaction when a
 * batch brings a path or type the process has not recorded recently.
 */
export const logFields = pgTable(
  "log_fields",
  {
    sourceId: uuid("source_id")
      .notNull()
      .references(() => logSources.id, { onDelete: "cascade" }),
    path: text("path").notNull(),
    /** Value types seen: string, number, boolean. */
    types: text("types").array().notNull(),
    firstSeen: timestamp("first_seen", { withTimezone: true }).notNull().defaultNow(),
    lastSeen: timestamp("last_seen", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.path] })],
);

/**
 * Days of a source that left the hot tier: one object in the cold tier (server/archive) per source
 * and day. `key` is the current generation's object (a rewrite writes a new key and then points
 * here, so readers never see half a day). `restoredUntil`: the day is loaded back into the hot
 * tier until then (search reads it hot, not from the archive).
 */
export const logArchives = pgTable(
  "log_archives",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => logSources.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    key: text("key").notNull(),
    generation: integer("generation").notNull(),
    schemaVersion: integer("schema_version").notNull(),
    events: bigint("events", { mode: "number" }).notNull(),
    blocks: integer("blocks").notNull(),
    rawBytes: bigint("raw_bytes", { mode: "number" }).notNull(),
    bytes: bigint("bytes", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    minTs: timestamp("min_ts", { withTimezone: true }).notNull(),
    maxTs: timestamp("max_ts", { withTimezone: true }).notNull(),
    archivedAt: timestamp("archived_at", { withTimezone: true }).notNull().defaultNow(),
    restoredUntil: timestamp("restored_until", { withTimezone: true }),
  },
  (t) => [uniqueIndex("log_archives_source_day_idx").on(t.sourceId, t.day), index("log_archives_day_idx").on(t.day)],
);
