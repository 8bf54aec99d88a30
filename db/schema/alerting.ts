import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, doublePrecision, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { folders } from "./dashboards";
import { createdAt, id, updatedAt } from "./_columns";

/*
 * Alerting: rule groups and rules, the state the evaluator keeps per (rule, label set), the
 * notification configuration (an alertmanager.yml, versioned), silences, alerts received from
 * outside (POST /api/v2/alerts), and the notification pipeline's bookkeeping (delivery log,
 * attempts, per-group dispatcher state). JSON columns hold the shapes of
 * server/alerting/model.ts and are validated on write and read.
 */

const tz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Rule groups: a name, a folder (server/dashboards folders, by uid; null is General) and an
 * evaluation interval. `provisioned_from`: the provisioning file that made it (read-only then).
 * `version` counts saves (optimistic concurrency of the editor).
 */
export const alertRuleGroups = pgTable(
  "alert_rule_groups",
  {
    id: id(),
    folderUid: text("folder_uid").references(() => folders.uid, { onDelete: "restrict" }),
    name: text("name").notNull(),
    intervalMs: integer("interval_ms").notNull(),
    version: integer("version").notNull().default(1),
    provisionedFrom: text("provisioned_from"),
    createdBy: text("created_by"),
    updatedBy: text("updated_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("alert_rule_groups_interval_check", sql`${t.intervalMs} > 0`),
    // One group name per folder (General included), case-insensitively.
    uniqueIndex("alert_rule_groups_folder_name_idx").on(sql`coalesce(${t.folderUid}, '')`, sql`lower(${t.name})`),
    index("alert_rule_groups_folder_idx").on(t.folderUid),
  ],
);

/**
 * Alert rules: `data` is the model's AlertRule (uid included); `title` and `paused` are copies of
 * it for listing. `position` orders a group's rules (Prometheus evaluates them in order).
 */
export const alertRules = pgTable(
  "alert_rules",
  {
    id: id(),
    uid: text("uid").notNull().unique(),
    groupId: uuid("group_id")
      .notNull()
      .references(() => alertRuleGroups.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    paused: boolean("paused").notNull().default(false),
    provisioned: boolean("provisioned").notNull().default(false),
    createdBy: text("created_by"),
    updatedBy: text("updated_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check("alert_rules_uid_check", sql`${t.uid} ~ '^[A-Za-z0-9_-]{1,40}$'`), index("alert_rules_group_idx").on(t.groupId, t.position)],
);

export const ALERT_STATES = ["normal", "pending", "firing", "nodata", "error"] as const;
const stateCheck = (col: unknown) => sql`${col} in ('normal', 'pending', 'firing', 'nodata', 'error')`;

/** One row per (rule, label set): the model's AlertInstance. */
export const alertInstances = pgTable(
  "alert_instances",
  {
    ruleUid: text("rule_uid")
      .notNull()
      .references(() => alertRules.uid, { onDelete: "cascade" }),
    fingerprint: text("fingerprint").notNull(),
    labels: jsonb("labels").$type<Record<string, string>>().notNull(),
    state: text("state").$type<(typeof ALERT_STATES)[number]>().notNull(),
    stateSince: tz("state_since").notNull(),
    activeSince: tz("active_since"),
    keepFiringUntil: tz("keep_firing_until"),
    value: doublePrecision("value"),
    lastEvalAt: tz("last_eval_at").notNull(),
    annotations: jsonb("annotations").$type<Record<string, string>>().notNull().default({}),
    resolvedAt: tz("resolved_at"),
    error: text("error"),
  },
  (t) => [primaryKey({ columns: [t.ruleUid, t.fingerprint] }), check("alert_instances_state_check", stateCheck(t.state)), index("alert_instances_state_idx").on(t.state)],
);

/** State transitions (the model's StateTransition), newest read first. */
export const alertStateHistory = pgTable(
  "alert_state_history",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    ruleUid: text("rule_uid")
      .notNull()
      .references(() => alertRules.uid, { onDelete: "cascade" }),
    fingerprint: text("fingerprint").notNull(),
    labels: jsonb("labels").$type<Record<string, string>>().notNull(),
    fromState: text("from_state").$type<(typeof ALERT_STATES)[number]>().notNull(),
    toState: text("to_state").$type<(typeof ALERT_STATES)[number]>().notNull(),
    at: tz("at").notNull(),
    value: doublePrecision("value"),
    error: text("error"),
  },
  (t) => [
    check("alert_state_history_from_check", stateCheck(t.fromState)),
    check("alert_state_history_to_check", stateCheck(t.toState)),
    index("alert_state_history_rule_at_idx").on(t.ruleUid, t.at.desc()),
    index("alert_state_history_at_idx").on(t.at.desc()),
  ],
);

/** The last evaluation of each rule. */
export const alertRuleEvaluations = pgTable(
  "alert_rule_evaluations",
  {
    ruleUid: text("rule_uid")
      .primaryKey()
      .references(() => alertRules.uid, { onDelete: "cascade" }),
    lastEvalAt: tz("last_eval_at").notNull(),
    durationMs: doublePrecision("duration_ms").notNull(),
    health: text("health").$type<"ok" | "error" | "nodata">().notNull(),
    error: text("error"),
    nextEvalAt: tz("next_eval_at"),
  },
  (t) => [check("alert_rule_evaluations_health_check", sql`${t.health} in ('ok', 'error', 'nodata')`)],
);

/**
 * The notification configuration: one row (id 1) holding the AlertmanagerConfig. `version` counts
 * saves (optimistic concurrency); `provisioned`: set by the provisioning file (read-only then).
 */
export const notificationConfig = pgTable(
  "notification_config",
  {
    id: smallint("id").primaryKey().default(1),
    config: jsonb("config").$type<Record<string, unknown>>().notNull(),
    version: integer("version").notNull(),
    provisioned: boolean("provisioned").notNull().default(false),
    updatedAt: updatedAt(),
    updatedBy: text("updated_by"),
  },
  (t) => [check("notification_config_single_row", sql`${t.id} = 1`)],
);

/** Every saved version of the notification configuration (the current one included). */
export const notificationConfigVersions = pgTable("notification_config_versions", {
  version: integer("version").primaryKey(),
  config: jsonb("config").$type<Record<string, unknown>>().notNull(),
  message: text("message").notNull().default(""),
  /** The user's or service account's id (null: provisioning). */
  createdBy: text("created_by"),
  createdByName: text("created_by_name").notNull(),
  createdAt: createdAt(),
});

/** Silences (Alertmanager's): `matchers` is SilenceMatcher[]; the state is computed at read time. */
export const silences = pgTable(
  "silences",
  {
    id: id(),
    matchers: jsonb("matchers").$type<{ name: string; value: string; isRegex: boolean; isEqual: boolean }[]>().notNull(),
    startsAt: tz("starts_at").notNull(),
    endsAt: tz("ends_at").notNull(),
    /** The author as given (Alertmanager's free-text createdBy). */
    createdBy: text("created_by").notNull(),
    /** The user's or service account's id that made it (null: unknown). */
    actorId: text("actor_id"),
    comment: text("comment").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check("silences_time_check", sql`${t.endsAt} >= ${t.startsAt}`), index("silences_ends_at_idx").on(t.endsAt)],
);

/** Alerts received on POST /api/v2/alerts (an external Prometheus), by label fingerprint. */
export const externalAlerts = pgTable(
  "external_alerts",
  {
    fingerprint: text("fingerprint").primaryKey(),
    labels: jsonb("labels").$type<Record<string, string>>().notNull(),
    annotations: jsonb("annotations").$type<Record<string, string>>().notNull().default({}),
    startsAt: tz("starts_at").notNull(),
    endsAt: tz("ends_at").notNull(),
    generatorUrl: text("generator_url"),
    /** Whether endsAt was filled in (now + resolve_timeout) rather than sent. */
    endsAtDefaulted: boolean("ends_at_defaulted").notNull().default(false),
    receivedAt: tz("received_at").notNull().defaultNow(),
  },
  (t) => [index("external_alerts_ends_at_idx").on(t.endsAt)],
);

/**
 * The delivery log: one row per notification to one integration of a receiver. `dedup_key` (group
 * key + content hash + repeat window) is unique, so the pipeline inserts a notification at most
 * once however many workers or restarts; a row is `pending` until sent (or `failed` after the
 * last attempt).
 */
export const notificationLog = pgTable(
  "notification_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    groupKey: text("group_key").notNull(),
    receiver: text("receiver").notNull(),
    integrationType: text("integration_type").$type<"webhook" | "slack" | "email" | "pagerduty">().notNull(),
    integrationIndex: integer("integration_index").notNull(),
    dedupKey: text("dedup_key").notNull().unique(),
    status: text("status").$type<"pending" | "sent" | "failed">().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    sentAt: tz("sent_at"),
  },
  (t) => [
    check("notification_log_status_check", sql`${t.status} in ('pending', 'sent', 'failed')`),
    check("notification_log_integration_check", sql`${t.integrationType} in ('webhook', 'slack', 'email', 'pagerduty')`),
    index("notification_log_group_idx").on(t.groupKey, t.createdAt.desc()),
    index("notification_log_pending_idx")
      .on(t.createdAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);

/** Each delivery attempt of a notification. */
export const notificationAttempts = pgTable(
  "notification_attempts",
  {
    notificationId: bigint("notification_id", { mode: "number" })
      .notNull()
      .references(() => notificationLog.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    at: tz("at").notNull().defaultNow(),
    ok: boolean("ok").notNull(),
    /** The HTTP status (or SMTP reply code) when there was one. */
    status: integer("status"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.notificationId, t.attempt] })],
);

/**
 * The dispatcher's state per aggregation group: when it was first seen and last flushed, what was
 * last notified (fingerprint → firing/resolved) and when, and when it flushes next.
 */
export const alertGroupsState = pgTable(
  "alert_groups_state",
  {
    groupKey: text("group_key").primaryKey(),
    receiver: text("receiver").notNull(),
    routeId: text("route_id").notNull(),
    firstSeenAt: tz("first_seen_at").notNull().defaultNow(),
    lastFlushAt: tz("last_flush_at"),
    lastNotified: jsonb("last_notified").$type<Record<string, "firing" | "resolved">>().notNull().default({}),
    /** When the group was last notified (the time repeat_interval counts from); null: never. */
    lastNotifiedAt: tz("last_notified_at"),
    nextFlushAt: tz("next_flush_at"),
  },
  (t) => [index("alert_groups_state_next_flush_idx").on(t.nextFlushAt)],
);
