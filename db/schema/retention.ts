import { bigserial, check, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

/**
 * Retention of metrics tiers and the audit log (one row, id 1; log sources carry their own
 * hot/archive days). Seeded with the defaults in server/retention/model.ts.
 */
export const retentionSettings = pgTable(
  "retention_settings",
  {
    id: integer("id").primaryKey().default(1),
    metricsRawDays: integer("metrics_raw_days").notNull().default(15),
    metrics5mDays: integer("metrics_5m_days").notNull().default(90),
    metrics1hDays: integer("metrics_1h_days").notNull().default(365),
    auditDays: integer("audit_days").notNull().default(365),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text("updated_by"),
  },
  (t) => [check("retention_settings_single_row", sql`${t.id} = 1`)],
);

/** One row per retention run: what it did (summary JSON, server/retention/model.ts RunSummary). */
export const retentionRuns = pgTable("retention_runs", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  /** schedule | manual (console) | cli */
  trigger: text("trigger").$type<"schedule" | "manual" | "cli">().notNull(),
  actor: text("actor"),
  status: text("status").$type<"running" | "success" | "failed">().notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
  summary: jsonb("summary").$type<Record<string, unknown>>(),
  error: text("error"),
});
