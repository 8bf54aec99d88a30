/**
 * Alerting storage: every SQL statement of rule groups and rules, alert instances, state history
 * and evaluations, the notification configuration, silences, external alerts and the delivery log.
 * No access checks here (the services decide who may do what). Times cross this module as Date
 * for control-plane rows and as epoch milliseconds where the model (AlertInstance,
 * StateTransition) says so.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  alertGroupsState,
  alertInstances,
  alertRuleEvaluations,
  alertRuleGroups,
  alertRules,
  alertStateHistory,
  externalAlerts,
  folders,
  notificationAttempts,
  notificationConfig,
  notificationConfigVersions,
  notificationLog,
  silences,
} from "@/db/schema";
import type { AlertInstance, AlertState, IntegrationType, LabelSet, SilenceMatcher, StateTransition } from "./model";

export type RuleGroupRow = typeof alertRuleGroups.$inferSelect;
export type RuleRow = typeof alertRules.$inferSelect;
export type EvaluationRow = typeof alertRuleEvaluations.$inferSelect;
export type SilenceRow = typeof silences.$inferSelect;
export type ExternalAlertRow = typeof externalAlerts.$inferSelect;
export type NotificationConfigRow = typeof notificationConfig.$inferSelect;
export type NotificationRow = typeof notificationLog.$inferSelect;
export type GroupStateRow = typeof alertGroupsState.$inferSelect;

/** A group row with its folder's title (null: General). */
export type RuleGroupWithFolder = RuleGroupRow & { folderTitle: string | null };

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);
const date = (n: number | null | undefined): Date | null => (n === null || n === undefined ? null : new Date(n));

// ---------------------------------------------------------------------------------------------
// Rule groups and rules
// ---------------------------------------------------------------------------------------------

const groupColumns = {
  id: alertRuleGroups.id,
  folderUid: alertRuleGroups.folderUid,
  name: alertRuleGroups.name,
  intervalMs: alertRuleGroups.intervalMs,
  version: alertRuleGroups.version,
  provisionedFrom: alertRuleGroups.provisionedFrom,
  createdBy: alertRuleGroups.createdBy,
  updatedBy: alertRuleGroups.updatedBy,
  createdAt: alertRuleGroups.createdAt,
  updatedAt: alertRuleGroups.updatedAt,
  folderTitle: folders.title,
};

/** Groups in these folders (null stands for General; undefined: all), by folder title then name. */
export async function listGroupRows(db: DbOrTx, folderUids?: readonly (string | null)[]): Promise<RuleGroupWithFolder[]> {
  let where: SQL | undefined;
  if (folderUids) {
    const uids = folderUids.filter((f): f is string => f !== null);
    const conds: SQL[] = [];
    if (folderUids.includes(null)) conds.push(isNull(alertRuleGroups.folderUid));
    if (uids.length) conds.push(inArray(alertRuleGroups.folderUid, uids));
    if (conds.length === 0) return [];
    where = or(...conds);
  }
  return db
    .select(groupColumns)
    .from(alertRuleGroups)
    .leftJoin(folders, eq(folders.uid, alertRuleGroups.folderUid))
    .where(where)
    .orderBy(asc(sql`lower(coalesce(${folders.title}, ''))`), asc(sql`lower(${alertRuleGroups.name})`));
}

export async function findGroup(db: DbOrTx, id: string, opts: { forUpdate?: boolean } = {}): Promise<RuleGroupWithFolder | null> {
  const q = db.select(groupColumns).from(alertRuleGroups).leftJoin(folders, eq(folders.uid, alertRuleGroups.folderUid)).where(eq(alertRuleGroups.id, id));
  const [row] = opts.forUpdate ? await q.for("update", { of: alertRuleGroups }) : await q;
  return row ?? null;
}

/** The group of this name (case-insensitive) in a folder (null: General), other than `exceptId`. */
export async function findGroupByName(db: DbOrTx, folderUid: string | null, name: string, exceptId?: string): Promise<RuleGroupRow | null> {
  const conds: SQL[] = [eq(sql`lower(${alertRuleGroups.name})`, name.toLowerCase()), folderUid ? eq(alertRuleGroups.folderUid, folderUid) : isNull(alertRuleGroups.folderUid)];
  if (exceptId) conds.push(ne(alertRuleGroups.id, exceptId));
  const [row] = await db.select().from(alertRuleGroups).where(and(...conds));
  return row ?? null;
}

export type GroupValues = { folderUid: string | null; name: string; intervalMs: number; provisionedFrom: string | null; actorId: string | null };

export async function insertGroup(db: DbOrTx, v: GroupValues): Promise<RuleGroupRow> {
  const [row] = await db
    .insert(alertRuleGroups)
    .values({ folderUid: v.folderUid, name: v.name, intervalMs: v.intervalMs, provisionedFrom: v.provisionedFrom, createdBy: v.actorId, updatedBy: v.actorId })
    .returning();
  return row!;
}

/** Writes the group's new values and bumps its version. */
export async function updateGroup(db: DbOrTx, id: string, v: GroupValues): Promise<RuleGroupRow> {
  const [row] = await db
    .update(alertRuleGroups)
    .set({ folderUid: v.folderUid, name: v.name, intervalMs: v.intervalMs, provisionedFrom: v.provisionedFrom, updatedBy: v.actorId, version: sql`${alertRuleGroups.version} + 1` })
    .where(eq(alertRuleGroups.id, id))
    .returning();
  return row!;
}

export async function deleteGroup(db: DbOrTx, id: string): Promise<void> {
  await db.delete(alertRuleGroups).where(eq(alertRuleGroups.id, id));
}

export async function countGroupsInFolder(db: DbOrTx, folderUid: string): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(alertRuleGroups).where(eq(alertRuleGroups.folderUid, folderUid));
  return r?.n ?? 0;
}

/** Rules of these groups, by group then position. */
export async function rulesOfGroups(db: DbOrTx, groupIds: readonly string[]): Promise<RuleRow[]> {
  if (groupIds.length === 0) return [];
  return db
    .select()
    .from(alertRules)
    .where(inArray(alertRules.groupId, [...groupIds]))
    .orderBy(asc(alertRules.groupId), asc(alertRules.position));
}

export async function findRule(db: DbOrTx, uid: string, opts: { forUpdate?: boolean } = {}): Promise<RuleRow | null> {
  const q = db.select().from(alertRules).where(eq(alertRules.uid, uid));
  const [row] = opts.forUpdate ? await q.for("update") : await q;
  return row ?? null;
}

export async function findRulesByUids(db: DbOrTx, uids: readonly string[]): Promise<RuleRow[]> {
  if (uids.length === 0) return [];
  return db.select().from(alertRules).where(inArray(alertRules.uid, [...uids]));
}

export type RuleValues = { uid: string; groupId: string; position: number; title: string; data: Record<string, unknown>; paused: boolean; provisioned: boolean; actorId: string | null };

export async function insertRule(db: DbOrTx, v: RuleValues): Promise<RuleRow> {
  const [row] = await db
    .insert(alertRules)
    .values({ uid: v.uid, groupId: v.groupId, position: v.position, title: v.title, data: v.data, paused: v.paused, provisioned: v.provisioned, createdBy: v.actorId, updatedBy: v.actorId })
    .returning();
  return row!;
}

export async function updateRule(db: DbOrTx, id: string, v: Omit<RuleValues, "uid">): Promise<RuleRow> {
  const [row] = await db
    .update(alertRules)
    .set({ groupId: v.groupId, position: v.position, title: v.title, data: v.data, paused: v.paused, provisioned: v.provisioned, updatedBy: v.actorId })
    .where(eq(alertRules.id, id))
    .returning();
  return row!;
}

export async function deleteRules(db: DbOrTx, ids: readonly string[]): Promise<void> {
  if (ids.length) await db.delete(alertRules).where(inArray(alertRules.id, [...ids]));
}

export async function setRulePausedRow(db: DbOrTx, id: string, paused: boolean, data: Record<string, unknown>, actorId: string | null): Promise<RuleRow> {
  const [row] = await db.update(alertRules).set({ paused, data, updatedBy: actorId }).where(eq(alertRules.id, id)).returning();
  return row!;
}

/** Provisioned groups (for the provisioner's bookkeeping). */
export async function provisionedGroupRows(db: DbOrTx): Promise<RuleGroupRow[]> {
  return db.select().from(alertRuleGroups).where(sql`${alertRuleGroups.provisionedFrom} is not null`);
}

// ---------------------------------------------------------------------------------------------
// Instances, history, evaluations (the evaluator writes, the console reads)
// ---------------------------------------------------------------------------------------------

type InstanceRow = typeof alertInstances.$inferSelect;

function toInstance(r: InstanceRow): AlertInstance {
  return {
    ruleUid: r.ruleUid,
    labels: r.labels,
    fingerprint: r.fingerprint,
    state: r.state,
    stateSince: r.stateSince.getTime(),
    activeSince: ms(r.activeSince),
    keepFiringUntil: ms(r.keepFiringUntil),
    value: r.value,
    lastEvalAt: r.lastEvalAt.getTime(),
    annotations: r.annotations,
    resolvedAt: ms(r.resolvedAt),
    error: r.error,
  };
}

function instanceValues(i: AlertInstance): typeof alertInstances.$inferInsert {
  return {
    ruleUid: i.ruleUid,
    fingerprint: i.fingerprint,
    labels: i.labels,
    state: i.state,
    stateSince: new Date(i.stateSince),
    activeSince: date(i.activeSince),
    keepFiringUntil: date(i.keepFiringUntil),
    // NaN and ±Inf do not fit a JSON answer well but are valid float8.
    value: i.value,
    lastEvalAt: new Date(i.lastEvalAt),
    annotations: i.annotations,
    resolvedAt: date(i.resolvedAt),
    error: i.error,
  };
}

/** A rule's stored instances (the evaluator's previous state). */
export async function loadInstances(db: DbOrTx, ruleUid: string): Promise<AlertInstance[]> {
  const rows = await db.select().from(alertInstances).where(eq(alertInstances.ruleUid, ruleUid));
  return rows.map(toInstance);
}

export type InstanceFilter = { ruleUids?: readonly string[]; states?: readonly AlertState[]; limit?: number };

/** Instances of these rules (undefined: all), optionally in these states; by rule then labels. */
export async function instanceRows(db: DbOrTx, f: InstanceFilter): Promise<AlertInstance[]> {
  const conds: SQL[] = [];
  if (f.ruleUids) {
    if (f.ruleUids.length === 0) return [];
    conds.push(inArray(alertInstances.ruleUid, [...f.ruleUids]));
  }
  if (f.states) {
    if (f.states.length === 0) return [];
    conds.push(inArray(alertInstances.state, [...f.states]));
  }
  const q = db
    .select()
    .from(alertInstances)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(alertInstances.ruleUid), asc(sql`${alertInstances.labels}::text`));
  const rows = f.limit ? await q.limit(f.limit) : await q;
  return rows.map(toInstance);
}

export type StateCounts = Record<AlertState, number>;
export type InstanceSummary = { counts: StateCounts; /** Per state: the earliest state_since (epoch ms) of its instances. */ since: Partial<Record<AlertState, number>> };

/** Per rule: how many instances are in each state, and since when the oldest of each has been. */
export async function instanceSummaries(db: DbOrTx, ruleUids: readonly string[]): Promise<Map<string, InstanceSummary>> {
  const out = new Map<string, InstanceSummary>();
  if (ruleUids.length === 0) return out;
  const rows = await db
    .select({ ruleUid: alertInstances.ruleUid, state: alertInstances.state, n: sql<number>`count(*)::int`, since: sql<Date>`min(${alertInstances.stateSince})` })
    .from(alertInstances)
    .where(inArray(alertInstances.ruleUid, [...ruleUids]))
    .groupBy(alertInstances.ruleUid, alertInstances.state);
  for (const r of rows) {
    const s = out.get(r.ruleUid) ?? { counts: { normal: 0, pending: 0, firing: 0, nodata: 0, error: 0 }, since: {} };
    s.counts[r.state] = r.n;
    s.since[r.state] = new Date(r.since).getTime();
    out.set(r.ruleUid, s);
  }
  return out;
}

export async function evaluationRows(db: DbOrTx, ruleUids: readonly string[]): Promise<Map<string, EvaluationRow>> {
  if (ruleUids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(alertRuleEvaluations)
    .where(inArray(alertRuleEvaluations.ruleUid, [...ruleUids]));
  return new Map(rows.map((r) => [r.ruleUid, r]));
}

export type HistoryQuery = { ruleUids?: readonly string[]; fingerprint?: string; from: number; to: number; limit: number };

/** State transitions in [from, to] (epoch ms), newest first. */
export async function historyRows(db: DbOrTx, q: HistoryQuery): Promise<(StateTransition & { id: number })[]> {
  const conds: SQL[] = [gte(alertStateHistory.at, new Date(q.from)), lte(alertStateHistory.at, new Date(q.to))];
  if (q.ruleUids) {
    if (q.ruleUids.length === 0) return [];
    conds.push(inArray(alertStateHistory.ruleUid, [...q.ruleUids]));
  }
  if (q.fingerprint) conds.push(eq(alertStateHistory.fingerprint, q.fingerprint));
  const rows = await db
    .select()
    .from(alertStateHistory)
    .where(and(...conds))
    .orderBy(desc(alertStateHistory.at), desc(alertStateHistory.id))
    .limit(q.limit);
  return rows.map((r) => ({ id: r.id, ruleUid: r.ruleUid, fingerprint: r.fingerprint, labels: r.labels, from: r.fromState, to: r.toState, at: r.at.getTime(), value: r.value, error: r.error }));
}

export type TransitionQuery = { ruleUids: readonly string[]; from: number; to: number; limit: number };

/**
 * State transitions of these rules in [from, to] (epoch ms), newest first, without values and
 * errors (what alert periods need). One range scan (alert_state_history_at_idx or, for few rules,
 * alert_state_history_rule_at_idx); `limit` keeps the newest.
 */
export async function transitionRows(db: DbOrTx, q: TransitionQuery): Promise<(Omit<StateTransition, "value" | "error"> & { id: number })[]> {
  if (q.ruleUids.length === 0) return [];
  const rows = await db
    .select({ id: alertStateHistory.id, ruleUid: alertStateHistory.ruleUid, fingerprint: alertStateHistory.fingerprint, labels: alertStateHistory.labels, from: alertStateHistory.fromState, to: alertStateHistory.toState, at: alertStateHistory.at })
    .from(alertStateHistory)
    .where(and(gte(alertStateHistory.at, new Date(q.from)), lte(alertStateHistory.at, new Date(q.to)), inArray(alertStateHistory.ruleUid, [...q.ruleUids])))
    .orderBy(desc(alertStateHistory.at), desc(alertStateHistory.id))
    .limit(q.limit);
  return rows.map((r) => ({ ...r, at: r.at.getTime() }));
}

export type EvaluationRecord = {
  /** Epoch ms of the evaluation (the scheduled instant). */
  lastEvalAt: number;
  durationMs: number;
  health: "ok" | "error" | "nodata";
  error: string | null;
  nextEvalAt: number | null;
};

/**
 * Stores one evaluation of a rule: its instances (upserted; stored instances not listed are
 * deleted), its transitions appended to the history, and the evaluation record. Call it in a
 * transaction (the evaluator's) so the three commit together.
 */
export async function writeEvaluation(db: DbOrTx, ruleUid: string, e: { instances: readonly AlertInstance[]; transitions: readonly StateTransition[]; evaluation: EvaluationRecord }): Promise<void> {
  const fps = e.instances.map((i) => i.fingerprint);
  if (fps.length) {
    await db
      .delete(alertInstances)
      .where(and(eq(alertInstances.ruleUid, ruleUid), sql`not (${alertInstances.fingerprint} = any(${sql.param(fps)}::text[]))`));
  } else {
    await db.delete(alertInstances).where(eq(alertInstances.ruleUid, ruleUid));
  }
  if (e.instances.length) {
    await db
      .insert(alertInstances)
      .values(e.instances.map((i) => instanceValues({ ...i, ruleUid })))
      .onConflictDoUpdate({
        target: [alertInstances.ruleUid, alertInstances.fingerprint],
        set: {
          labels: sql`excluded.labels`,
          state: sql`excluded.state`,
          stateSince: sql`excluded.state_since`,
          activeSince: sql`excluded.active_since`,
          keepFiringUntil: sql`excluded.keep_firing_until`,
          value: sql`excluded.value`,
          lastEvalAt: sql`excluded.last_eval_at`,
          annotations: sql`excluded.annotations`,
          resolvedAt: sql`excluded.resolved_at`,
          error: sql`excluded.error`,
        },
      });
  }
  if (e.transitions.length) {
    await db.insert(alertStateHistory).values(
      e.transitions.map((t) => ({ ruleUid, fingerprint: t.fingerprint, labels: t.labels, fromState: t.from, toState: t.to, at: new Date(t.at), value: t.value, error: t.error ?? null })),
    );
  }
  const ev = { lastEvalAt: new Date(e.evaluation.lastEvalAt), durationMs: e.evaluation.durationMs, health: e.evaluation.health, error: e.evaluation.error, nextEvalAt: date(e.evaluation.nextEvalAt) };
  await db
    .insert(alertRuleEvaluations)
    .values({ ruleUid, ...ev })
    .onConflictDoUpdate({ target: alertRuleEvaluations.ruleUid, set: ev });
}

/** Deletes history older than `before` (epoch ms); returns how many rows went. */
export async function deleteHistoryBefore(db: DbOrTx, before: number): Promise<number> {
  const rows = await db.delete(alertStateHistory).where(lt(alertStateHistory.at, new Date(before))).returning({ id: alertStateHistory.id });
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Notification configuration
// ---------------------------------------------------------------------------------------------

export async function configRow(db: DbOrTx, opts: { forUpdate?: boolean } = {}): Promise<NotificationConfigRow | null> {
  const q = db.select().from(notificationConfig).where(eq(notificationConfig.id, 1));
  const [row] = opts.forUpdate ? await q.for("update") : await q;
  return row ?? null;
}

/**
 * Takes the row lock of the configuration (creating the row from `initial` first when there is
 * none), so concurrent read-modify-write changes queue up. Returns the locked row.
 */
export async function lockConfigRow(db: DbOrTx, initial: Record<string, unknown>): Promise<NotificationConfigRow> {
  await db.insert(notificationConfig).values({ id: 1, config: initial, version: 0 }).onConflictDoNothing();
  return (await configRow(db, { forUpdate: true }))!;
}

export async function writeConfigRow(db: DbOrTx, v: { config: Record<string, unknown>; version: number; provisioned: boolean; updatedBy: string | null }): Promise<NotificationConfigRow> {
  const [row] = await db
    .insert(notificationConfig)
    .values({ id: 1, ...v })
    .onConflictDoUpdate({ target: notificationConfig.id, set: { ...v, updatedAt: new Date() } })
    .returning();
  return row!;
}

export async function insertConfigVersion(db: DbOrTx, v: { version: number; config: Record<string, unknown>; message: string; createdBy: string | null; createdByName: string }): Promise<void> {
  await db.insert(notificationConfigVersions).values(v);
}

/** Versions newest first, without their configuration. */
export async function listConfigVersionRows(db: DbOrTx, limit: number) {
  return db
    .select({ version: notificationConfigVersions.version, message: notificationConfigVersions.message, createdByName: notificationConfigVersions.createdByName, createdAt: notificationConfigVersions.createdAt })
    .from(notificationConfigVersions)
    .orderBy(desc(notificationConfigVersions.version))
    .limit(limit);
}

export async function findConfigVersion(db: DbOrTx, version: number) {
  const [row] = await db.select().from(notificationConfigVersions).where(eq(notificationConfigVersions.version, version));
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Silences
// ---------------------------------------------------------------------------------------------

export type SilenceValues = { matchers: SilenceMatcher[]; startsAt: Date; endsAt: Date; createdBy: string; actorId: string | null; comment: string };

export async function insertSilence(db: DbOrTx, v: SilenceValues): Promise<SilenceRow> {
  const [row] = await db.insert(silences).values(v).returning();
  return row!;
}

export async function updateSilenceRow(db: DbOrTx, id: string, v: Partial<SilenceValues>): Promise<SilenceRow> {
  const [row] = await db
    .update(silences)
    .set({ ...v, updatedAt: new Date() })
    .where(eq(silences.id, id))
    .returning();
  return row!;
}

export async function findSilence(db: DbOrTx, id: string, opts: { forUpdate?: boolean } = {}): Promise<SilenceRow | null> {
  const q = db.select().from(silences).where(eq(silences.id, id));
  const [row] = opts.forUpdate ? await q.for("update") : await q;
  return row ?? null;
}

/** Silences ending at or after `endsAfter` (undefined: all), by end time. */
export async function listSilenceRows(db: DbOrTx, opts: { endsAfter?: Date } = {}): Promise<SilenceRow[]> {
  return db
    .select()
    .from(silences)
    .where(opts.endsAfter ? gte(silences.endsAt, opts.endsAfter) : undefined)
    .orderBy(asc(silences.endsAt), asc(silences.id));
}

/** Silences active at `at`: started, not ended. */
export async function activeSilenceRows(db: DbOrTx, at: Date): Promise<SilenceRow[]> {
  return db
    .select()
    .from(silences)
    .where(and(lte(silences.startsAt, at), sql`${silences.endsAt} > ${at}`));
}

/** Deletes silences that ended before `before` (Alertmanager keeps expired ones for a while). */
export async function deleteSilencesEndedBefore(db: DbOrTx, before: Date): Promise<number> {
  const rows = await db.delete(silences).where(lt(silences.endsAt, before)).returning({ id: silences.id });
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// External alerts
// ---------------------------------------------------------------------------------------------

export async function externalAlertsByFingerprint(db: DbOrTx, fps: readonly string[], opts: { forUpdate?: boolean } = {}): Promise<Map<string, ExternalAlertRow>> {
  if (fps.length === 0) return new Map();
  const q = db
    .select()
    .from(externalAlerts)
    .where(inArray(externalAlerts.fingerprint, [...fps]))
    .orderBy(asc(externalAlerts.fingerprint));
  const rows = opts.forUpdate ? await q.for("update") : await q;
  return new Map(rows.map((r) => [r.fingerprint, r]));
}

export type ExternalAlertValues = { fingerprint: string; labels: LabelSet; annotations: Record<string, string>; startsAt: Date; endsAt: Date; generatorUrl: string | null; endsAtDefaulted: boolean; receivedAt: Date };

export async function upsertExternalAlertRows(db: DbOrTx, rows: readonly ExternalAlertValues[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(externalAlerts)
    .values([...rows])
    .onConflictDoUpdate({
      target: externalAlerts.fingerprint,
      set: {
        labels: sql`excluded.labels`,
        annotations: sql`excluded.annotations`,
        startsAt: sql`excluded.starts_at`,
        endsAt: sql`excluded.ends_at`,
        generatorUrl: sql`excluded.generator_url`,
        endsAtDefaulted: sql`excluded.ends_at_defaulted`,
        receivedAt: sql`excluded.received_at`,
      },
    });
}

/** External alerts ending after `endsAfter` (undefined: all), by start time. */
export async function listExternalAlertRows(db: DbOrTx, opts: { endsAfter?: Date; limit?: number } = {}): Promise<ExternalAlertRow[]> {
  const q = db
    .select()
    .from(externalAlerts)
    .where(opts.endsAfter ? sql`${externalAlerts.endsAt} > ${opts.endsAfter}` : undefined)
    .orderBy(asc(externalAlerts.startsAt), asc(externalAlerts.fingerprint));
  return opts.limit ? q.limit(opts.limit) : q;
}

export async function deleteExternalAlertsEndedBefore(db: DbOrTx, before: Date): Promise<number> {
  const rows = await db.delete(externalAlerts).where(lt(externalAlerts.endsAt, before)).returning({ fp: externalAlerts.fingerprint });
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Delivery log (the notification pipeline's)
// ---------------------------------------------------------------------------------------------

export type NewNotification = { groupKey: string; receiver: string; integrationType: IntegrationType; integrationIndex: number; dedupKey: string; payload: Record<string, unknown> };

/**
 * Records a notification to send, once: a second insert with the same dedup key (another worker,
 * a retried job) returns the existing row with `created: false`.
 */
export async function insertNotification(db: DbOrTx, n: NewNotification): Promise<{ row: NotificationRow; created: boolean }> {
  const [inserted] = await db.insert(notificationLog).values(n).onConflictDoNothing({ target: notificationLog.dedupKey }).returning();
  if (inserted) return { row: inserted, created: true };
  const [existing] = await db.select().from(notificationLog).where(eq(notificationLog.dedupKey, n.dedupKey));
  return { row: existing!, created: false };
}

export async function findNotification(db: DbOrTx, id: number, opts: { forUpdate?: boolean } = {}): Promise<NotificationRow | null> {
  const q = db.select().from(notificationLog).where(eq(notificationLog.id, id));
  const [row] = opts.forUpdate ? await q.for("update") : await q;
  return row ?? null;
}

/** The notification, row-locked for sending; throws (55P03) when another transaction holds it. */
export async function findNotificationForDelivery(db: DbOrTx, id: number): Promise<NotificationRow | null> {
  const [row] = await db.select().from(notificationLog).where(eq(notificationLog.id, id)).for("update", { noWait: true });
  return row ?? null;
}

/** Records one attempt and moves the notification to `status` (sent / failed / still pending). */
export async function recordAttempt(
  db: DbOrTx,
  id: number,
  a: { ok: boolean; status: number | null; error: string | null; durationMs: number; at?: Date; final: "sent" | "failed" | "pending" },
): Promise<void> {
  const at = a.at ?? new Date();
  const [row] = await db
    .update(notificationLog)
    .set({ attempts: sql`${notificationLog.attempts} + 1`, status: a.final, lastError: a.ok ? null : a.error, sentAt: a.final === "sent" ? at : null })
    .where(eq(notificationLog.id, id))
    .returning({ attempts: notificationLog.attempts });
  if (!row) return;
  await db.insert(notificationAttempts).values({ notificationId: id, attempt: row.attempts, at, ok: a.ok, status: a.status, error: a.error, durationMs: Math.round(a.durationMs) });
}

/** The newest notifications (optionally of one group key), for the delivery log page. */
export async function listNotificationRows(db: DbOrTx, opts: { groupKey?: string; receiver?: string; limit: number }): Promise<NotificationRow[]> {
  const conds: SQL[] = [];
  if (opts.groupKey) conds.push(eq(notificationLog.groupKey, opts.groupKey));
  if (opts.receiver) conds.push(eq(notificationLog.receiver, opts.receiver));
  return db
    .select()
    .from(notificationLog)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(notificationLog.createdAt), desc(notificationLog.id))
    .limit(opts.limit);
}

export async function attemptsOf(db: DbOrTx, notificationIds: readonly number[]) {
  if (notificationIds.length === 0) return [];
  return db
    .select()
    .from(notificationAttempts)
    .where(inArray(notificationAttempts.notificationId, [...notificationIds]))
    .orderBy(asc(notificationAttempts.notificationId), asc(notificationAttempts.attempt));
}

// ---------------------------------------------------------------------------------------------
// Dispatcher group state
// ---------------------------------------------------------------------------------------------

/** With `skipLocked` (implies forUpdate), a row another transaction holds is not waited for: null. */
export async function findGroupState(db: DbOrTx, groupKey: string, opts: { forUpdate?: boolean; skipLocked?: boolean } = {}): Promise<GroupStateRow | null> {
  const q = db.select().from(alertGroupsState).where(eq(alertGroupsState.groupKey, groupKey));
  const [row] = opts.skipLocked ? await q.for("update", { skipLocked: true }) : opts.forUpdate ? await q.for("update") : await q;
  return row ?? null;
}

export async function upsertGroupState(db: DbOrTx, v: typeof alertGroupsState.$inferInsert): Promise<void> {
  const { groupKey: _key, ...rest } = v;
  await db.insert(alertGroupsState).values(v).onConflictDoUpdate({ target: alertGroupsState.groupKey, set: rest });
}

/** Groups due to flush at `at`. */
export async function dueGroupStates(db: DbOrTx, at: Date, limit = 500): Promise<GroupStateRow[]> {
  return db
    .select()
    .from(alertGroupsState)
    .where(lte(alertGroupsState.nextFlushAt, at))
    .orderBy(asc(alertGroupsState.nextFlushAt))
    .limit(limit);
}

export async function deleteGroupState(db: DbOrTx, groupKey: string): Promise<void> {
  await db.delete(alertGroupsState).where(eq(alertGroupsState.groupKey, groupKey));
}

/** Every group state (the dispatcher matches them with the groups it computes each tick). */
export async function listGroupStates(db: DbOrTx): Promise<GroupStateRow[]> {
  return db.select().from(alertGroupsState).orderBy(asc(alertGroupsState.groupKey));
}

/** Creates a group's state unless another worker did first; true when this call created it. */
export async function insertGroupStateIfAbsent(db: DbOrTx, v: typeof alertGroupsState.$inferInsert): Promise<boolean> {
  const rows = await db.insert(alertGroupsState).values(v).onConflictDoNothing({ target: alertGroupsState.groupKey }).returning({ key: alertGroupsState.groupKey });
  return rows.length > 0;
}

/** Brings a not yet flushed group's first flush forward to `at` (an alert joined that already waited group_wait). */
export async function requestFirstFlush(db: DbOrTx, groupKey: string, at: Date): Promise<void> {
  await db
    .update(alertGroupsState)
    .set({ nextFlushAt: at })
    .where(and(eq(alertGroupsState.groupKey, groupKey), isNull(alertGroupsState.lastFlushAt), sql`${alertGroupsState.nextFlushAt} > ${at}`));
}

// ---------------------------------------------------------------------------------------------
// For the dispatcher and retention
// ---------------------------------------------------------------------------------------------

/** Instances that notify (firing, no data, error) or were resolved recently (normal with resolved_at). */
export async function notifiableInstanceRows(db: DbOrTx): Promise<AlertInstance[]> {
  const rows = await db
    .select()
    .from(alertInstances)
    .where(or(inArray(alertInstances.state, ["firing", "nodata", "error"]), sql`${alertInstances.resolvedAt} is not null`))
    .orderBy(asc(alertInstances.ruleUid), asc(alertInstances.fingerprint));
  return rows.map(toInstance);
}

/** Pending notifications created in [from, to) (their delivery job may be lost: enqueued again, by id). */
export async function pendingNotificationIds(db: DbOrTx, from: Date, to: Date, limit = 500): Promise<number[]> {
  const rows = await db
    .select({ id: notificationLog.id })
    .from(notificationLog)
    .where(and(eq(notificationLog.status, "pending"), gte(notificationLog.createdAt, from), lt(notificationLog.createdAt, to)))
    .orderBy(asc(notificationLog.createdAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Deletes delivery log rows (and their attempts) created before `before`; pending ones are kept. */
export async function deleteNotificationsBefore(db: DbOrTx, before: Date): Promise<number> {
  const rows = await db
    .delete(notificationLog)
    .where(and(lt(notificationLog.createdAt, before), ne(notificationLog.status, "pending")))
    .returning({ id: notificationLog.id });
  return rows.length;
}
