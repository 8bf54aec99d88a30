import { bigserial, index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Append-only: a trigger (custom migration) rejects UPDATE, DELETE and TRUNCATE. Range-partitioned
 * by month of `ts` (migration 0011; `audit_log_YYYYMM`, plus a default partition so a write never
 * fails for want of one); retention drops whole months past the audit retention.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    ts: timestamp("ts", { withTimezone: true }).notNull().defaultNow(),
    actorType: text("actor_type").$type<"user" | "service_account" | "anonymous" | "system">().notNull(),
    actorId: text("actor_id"),
    actorName: text("actor_name").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    targetName: text("target_name"),
    result: text("result").$type<"success" | "denied" | "failure">().notNull(),
    ip: text("ip"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.ts] }),
    index("audit_log_ts_idx").on(t.ts.desc()),
    index("audit_log_actor_ts_idx").on(t.actorId, t.ts.desc()),
    index("audit_log_action_ts_idx").on(t.action, t.ts.desc()),
  ],
);
