/**
 * The notification pipeline's dispatcher: alerts → routes → aggregation groups → flushes →
 * silences, inhibition, time muting → one delivery-log row per receiver integration, handed to the
 * `notify` queue. Alertmanager's dispatcher, with its in-memory state kept in PostgreSQL so that
 * any worker can run it, several at once, and a restart loses nothing.
 *
 * Alerts. Our rules' instances that notify (firing, and no data / error, which notify like firing),
 * instances resolved recently (state.ts keeps them 15 minutes with `resolvedAt`), and alerts from
 * outside (POST /api/v2/alerts) that have not ended, or ended in the last 15 minutes. One alert per
 * fingerprint (a firing one wins).
 *
 * Each tick (`dispatchAlerts`, run every few seconds and right after an evaluation changed
 * something):
 * 1. every alert is matched against the route tree; each route it reaches puts it in the group
 *    `<route key>:<group labels>` (grouping.ts);
 * 2. a group with a firing alert and no state gets one: first flush group_wait from now (at once
 *    when an alert of it started more than group_wait ago, as Alertmanager);
 * 3. each group due (`next_flush_at` ≤ now) is flushed in its own transaction, holding the row
 *    lock of its state (a row another worker holds is skipped: that worker is flushing it) and
 *    checking again that it is due, so two workers never flush a group twice: the alerts left after silences, inhibition (over all alerts) and the route's
 *    mute/active time intervals go through Alertmanager's notify decision (grouping.ts
 *    `notificationDecision`: new alerts, resolved ones, repeat_interval); a notification is one
 *    row per integration of the route's receiver, inserted in the same transaction as the group's
 *    new state (what was notified and when, next flush group_interval from now), so a crash loses
 *    or repeats neither. After the commit each new row is enqueued as a `notify` job whose id is
 *    the row's id;
 * 4. pending rows older than a minute whose job may have been lost (a crash between commit and
 *    enqueue, Redis down) are enqueued again: the job id makes that a no-op when the job exists,
 *    and the notify worker does not send a row twice.
 *
 * What was notified is kept per group (not per integration as Alertmanager's log does): an
 * integration without send_resolved is skipped when the only news is a resolved alert, and sent
 * only the firing alerts otherwise; the one difference is that such an integration's
 * repeat_interval then counts from the group's last notification. A group ends (its state is
 * deleted) after a flush that found no firing alert in it: alerts firing later start a new group
 * with group_wait again. An alert notified as firing that is gone from every source (its rule was
 * deleted) is notified as resolved, with the labels of the group's last notification.
 *
 * The dedup key of a row hashes the group key and its generation (the group's creation time), the
 * receiver and integration, the time of the group's previous notification and the notified
 * content (sorted fingerprint/status pairs): two decisions made from the same state collide
 * (the insert returns the existing row and nothing is enqueued twice), later decisions — a
 * repeat, an alert firing again — do not.
 */
import { createHash } from "node:crypto";
import type { Db, DbOrTx } from "@/db/client";
import { env } from "@/env";
import { logger } from "@/server/lib/logger";
import { groupKey as groupKeyOf, groupLabels as groupLabelsOf, isResolvedAt, notificationDecision, type NotificationLogEntry } from "./grouping";
import { compileInhibitRules, Inhibitor, type CompiledInhibitRule } from "./inhibit";
import type { AlertmanagerConfig, LabelSet, Receiver } from "./model";
import { readNotificationConfig } from "./notifications-service";
import { buildNotification } from "./notification";
import { receiverIntegrations, type BuildNotification, type NotifiableAlert, type NotificationData } from "./notify-types";
import { buildRouteTree, findRoute, matchRoutes, type Route } from "./routing";
import { mutingSilences, type SilenceLike } from "./silences-match";
import { RESOLVED_RETENTION_MS } from "./state";
import * as store from "./store";
import { routeTimeMuting, TimeIntervalSet } from "./time-intervals";

export interface DispatcherDeps {
  db: Db;
  /** Hands new delivery-log rows to the notify queue (job id = row id). Called after the commit. */
  enqueueDelivery: (notificationIds: number[]) => Promise<void>;
  /** Builds a notification's payload (default: the stand-in of notify-types.ts). */
  build?: BuildNotification;
  /** The console's URL for `externalURL` and rule links (default: LOOKOUT_BASE_URL). */
  externalURL?: string;
  /** Pending rows at least this old are enqueued again (default 60 s). */
  resendAfterMs?: number;
}

/** An alert as the dispatcher sees it (times in epoch ms). */
export interface DispatchAlert {
  fingerprint: string;
  labels: LabelSet;
  annotations: Record<string, string>;
  startsAt: number;
  /** null or in the future: firing. */
  endsAt: number | null;
  generatorURL: string;
}

export interface FlushOutcome {
  groupKey: string;
  receiver: string;
  /** Why nothing was notified, or the decision's reason. */
  reason: string;
  notifications: number[];
  ended: boolean;
}

export interface DispatchResult {
  alerts: number;
  groups: number;
  /** Group states created this tick. */
  created: string[];
  flushed: FlushOutcome[];
  /** Ids of the delivery-log rows created (and enqueued). */
  notifications: number[];
  /** Pending rows enqueued again. */
  resent: number;
}

interface ComputedGroup {
  key: string;
  route: Route;
  labels: LabelSet;
  alerts: DispatchAlert[];
}

/** Everything a tick needs from the configuration, built once. */
interface Pipeline {
  config: AlertmanagerConfig;
  tree: Route;
  inhibitRules: CompiledInhibitRule[];
  intervals: TimeIntervalSet;
}

function pipelineOf(config: AlertmanagerConfig): Pipeline {
  let tree: Route;
  try {
    tree = buildRouteTree(config.route);
  } catch (err) {
    // Saved configurations are validated; a stale one still routes everything to its root receiver.
    logger.error({ err: (err as Error).message }, "notification policies do not build; routing every alert to the root receiver");
    tree = buildRouteTree({ receiver: config.route.receiver, group_by: config.route.group_by?.filter((l) => /^[A-Za-z_][A-Za-z0-9_]*$|^\.\.\.$/.test(l)) });
  }
  let inhibitRules: CompiledInhibitRule[] = [];
  try {
    inhibitRules = compileInhibitRules(config.inhibit_rules ?? []);
  } catch (err) {
    logger.error({ err: (err as Error).message }, "inhibition rules do not compile; no inhibition");
  }
  let intervals = new TimeIntervalSet([]);
  try {
    intervals = new TimeIntervalSet([...(config.time_intervals ?? []), ...(config.mute_time_intervals ?? [])]);
  } catch (err) {
    logger.error({ err: (err as Error).message }, "time intervals do not compile; no time muting");
  }
  return { config, tree, inhibitRules, intervals };
}

const baseUrl = (deps: DispatcherDeps) => (deps.externalURL ?? env().LOOKOUT_BASE_URL ?? "").replace(/\/+$/, "");

/** Every alert the pipeline considers at `now` (see the module comment), one per fingerprint. */
export async function collectAlerts(db: DbOrTx, now: number, externalURL: string): Promise<DispatchAlert[]> {
  const byFp = new Map<string, DispatchAlert>();
  const add = (a: DispatchAlert) => {
    const prev = byFp.get(a.fingerprint);
    if (!prev) return void byFp.set(a.fingerprint, a);
    const firing = (x: DispatchAlert) => !isResolvedAt(x, now);
    if ((firing(a) && !firing(prev)) || (firing(a) === firing(prev) && a.startsAt < prev.startsAt)) byFp.set(a.fingerprint, a);
  };
  for (const i of await store.notifiableInstanceRows(db)) {
    const firing = i.state === "firing" || i.state === "nodata" || i.state === "error";
    if (!firing && i.resolvedAt === null) continue;
    add({
      fingerprint: i.fingerprint,
      labels: i.labels,
      annotations: i.annotations,
      startsAt: firing ? i.stateSince : (i.resolvedAt ?? i.stateSince),
      endsAt: firing ? null : i.resolvedAt,
      generatorURL: `${externalURL}/alerting/rules/${encodeURIComponent(i.ruleUid)}`,
    });
  }
  for (const e of await store.listExternalAlertRows(db, { endsAfter: new Date(now - RESOLVED_RETENTION_MS) })) {
    add({ fingerprint: e.fingerprint, labels: e.labels, annotations: e.annotations, startsAt: e.startsAt.getTime(), endsAt: e.endsAt.getTime(), generatorURL: e.generatorUrl ?? "" });
  }
  return [...byFp.values()];
}

/** The aggregation groups of `alerts` under the route tree. */
export function computeGroups(tree: Route, alerts: readonly DispatchAlert[]): Map<string, ComputedGroup> {
  const groups = new Map<string, ComputedGroup>();
  for (const a of alerts) {
    for (const route of matchRoutes(tree, a.labels)) {
      const key = groupKeyOf(route, a.labels);
      let g = groups.get(key);
      if (!g) {
        g = { key, route, labels: groupLabelsOf(route, a.labels), alerts: [] };
        groups.set(key, g);
      }
      g.alerts.push(a);
    }
  }
  return groups;
}

/** The dedup key of a notification (see the module comment). */
export function notificationDedupKey(p: { groupKey: string; generation: number; receiver: string; type: string; index: number; previousAt: number | null; alerts: readonly { fingerprint: string; status: string }[] }): string {
  const pairs = p.alerts.map((a) => `${a.fingerprint}:${a.status}`).sort();
  return createHash("sha256")
    .update(JSON.stringify([p.groupKey, p.generation, p.receiver, p.type, p.index, p.previousAt ?? 0, pairs]))
    .digest("hex");
}

const iso = (ms: number) => new Date(ms).toISOString();

function toNotifiable(a: DispatchAlert): NotifiableAlert {
  return { labels: a.labels, annotations: a.annotations, startsAt: iso(a.startsAt), endsAt: a.endsAt === null ? undefined : iso(a.endsAt), generatorURL: a.generatorURL, fingerprint: a.fingerprint };
}

function lastEntry(row: store.GroupStateRow): NotificationLogEntry | null {
  if (!row.lastNotifiedAt) return null;
  const firing: string[] = [];
  const resolved: string[] = [];
  for (const [fp, status] of Object.entries(row.lastNotified)) (status === "firing" ? firing : resolved).push(fp);
  return { at: row.lastNotifiedAt.getTime(), firing, resolved };
}

/** The alerts of the group's recent notifications by fingerprint (newest first wins). */
async function notifiedAlerts(tx: DbOrTx, groupKey: string): Promise<Map<string, NotificationData["alerts"][number]>> {
  const out = new Map<string, NotificationData["alerts"][number]>();
  for (const row of await store.listNotificationRows(tx, { groupKey, limit: 20 })) {
    const alerts = (row.payload as Partial<NotificationData>).alerts;
    if (!Array.isArray(alerts)) continue;
    for (const a of alerts) if (a && typeof a.fingerprint === "string" && !out.has(a.fingerprint)) out.set(a.fingerprint, a);
  }
  return out;
}

interface TickContext {
  now: number;
  pipeline: Pipeline;
  groups: Map<string, ComputedGroup>;
  /** Fingerprints firing anywhere. */
  firingAnywhere: Set<string>;
  silences: SilenceLike[];
  inhibitor: Inhibitor<DispatchAlert & { resolved: boolean }>;
}

/**
 * One tick of the dispatcher at `now` (see the module comment). Safe to run from several workers
 * at once.
 */
export async function dispatchAlerts(deps: DispatcherDeps, now: number = Date.now()): Promise<DispatchResult> {
  const db = deps.db;
  const external = baseUrl(deps);
  const { config } = await readNotificationConfig(db);
  const pipeline = pipelineOf(config);
  const alerts = await collectAlerts(db, now, external);
  const groups = computeGroups(pipeline.tree, alerts);
  const firingAnywhere = new Set(alerts.filter((a) => !isResolvedAt(a, now)).map((a) => a.fingerprint));
  const silences: SilenceLike[] = (await store.activeSilenceRows(db, new Date(now))).map((s) => ({ matchers: s.matchers, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() }));
  const inhibitor = new Inhibitor(
    pipeline.inhibitRules,
    alerts.map((a) => ({ ...a, resolved: isResolvedAt(a, now) })),
  );
  const ctx: TickContext = { now, pipeline, groups, firingAnywhere, silences, inhibitor };

  // 2. Group states for new groups; an old alert joining an unflushed group flushes it at once.
  const states = new Map((await store.listGroupStates(db)).map((s) => [s.groupKey, s]));
  const created: string[] = [];
  for (const g of groups.values()) {
    const firing = g.alerts.filter((a) => !isResolvedAt(a, now));
    if (firing.length === 0) continue;
    const waited = firing.some((a) => a.startsAt + g.route.options.groupWait < now);
    const state = states.get(g.key);
    if (!state) {
      const nextFlushAt = new Date(waited ? now : now + g.route.options.groupWait);
      if (await store.insertGroupStateIfAbsent(db, { groupKey: g.key, receiver: g.route.options.receiver, routeId: g.route.id, firstSeenAt: new Date(now), nextFlushAt })) created.push(g.key);
    } else if (waited && state.lastFlushAt === null) {
      await store.requestFirstFlush(db, g.key, new Date(now));
    }
  }

  // 3. Flush the due groups, each in its own transaction.
  const flushed: FlushOutcome[] = [];
  const notifications: number[] = [];
  for (const due of await store.dueGroupStates(db, new Date(now))) {
    const outcome = await flushGroup(deps, ctx, due.groupKey, external);
    if (!outcome) continue;
    flushed.push(outcome);
    if (outcome.notifications.length) {
      notifications.push(...outcome.notifications);
      await deps.enqueueDelivery(outcome.notifications).catch((err: unknown) => logger.warn({ err: (err as Error).message, groupKey: outcome.groupKey }, "notifications not enqueued; the dispatcher enqueues them again later"));
    }
  }

  // 4. Pending rows whose job may be lost.
  const resendAfter = deps.resendAfterMs ?? 60_000;
  const stale = await store.pendingNotificationIds(db, new Date(now - 7 * 86_400_000), new Date(now - resendAfter));
  if (stale.length) await deps.enqueueDelivery(stale).catch((err: unknown) => logger.warn({ err: (err as Error).message }, "pending notifications not enqueued again"));

  return { alerts: alerts.length, groups: groups.size, created, flushed, notifications, resent: stale.length };
}

async function flushGroup(deps: DispatcherDeps, ctx: TickContext, key: string, external: string): Promise<FlushOutcome | null> {
  const { now, pipeline } = ctx;
  const build = deps.build ?? buildNotification;
  return deps.db.transaction(async (tx) => {
    const row = await store.findGroupState(tx, key, { skipLocked: true });
    // Another worker is flushing it (locked: skipped), flushed it meanwhile (its next flush is in the future now) or ended it.
    if (!row || !row.nextFlushAt || row.nextFlushAt.getTime() > now) return null;

    const computed = ctx.groups.get(key);
    const route = computed?.route ?? findRoute(pipeline.tree, row.routeId) ?? pipeline.tree;
    const receiverName = computed?.route.options.receiver ?? row.receiver;
    const receiver: Receiver | undefined = pipeline.config.receivers.find((r) => r.name === receiverName);
    const current = computed?.alerts ?? [];
    const notified = row.lastNotified;

    // Resolved alerts already notified as resolved have left the group (Alertmanager drops them after the flush that sent them).
    const alreadyResolved = current.filter((a) => isResolvedAt(a, now) && notified[a.fingerprint] === "resolved");
    let members = current.filter((a) => !alreadyResolved.includes(a));

    // Alerts notified as firing that vanished from every source: resolved now, with the labels last notified.
    const present = new Set(current.map((a) => a.fingerprint));
    const vanished = Object.entries(notified)
      .filter(([fp, status]) => status === "firing" && !present.has(fp) && !ctx.firingAnywhere.has(fp))
      .map(([fp]) => fp);
    const needPayload = vanished.length > 0 || members.some((a) => isResolvedAt(a, now));
    const previous = needPayload ? await notifiedAlerts(tx, key) : new Map<string, NotificationData["alerts"][number]>();
    members = members.map((a) => {
      const p = previous.get(a.fingerprint);
      // A resolved rule instance no longer knows when it started firing; the last notification does.
      return isResolvedAt(a, now) && p && Date.parse(p.startsAt) < a.startsAt ? { ...a, startsAt: Date.parse(p.startsAt) } : a;
    });
    for (const fp of vanished) {
      const p = previous.get(fp);
      if (p) members.push({ fingerprint: fp, labels: p.labels, annotations: p.annotations, startsAt: Date.parse(p.startsAt), endsAt: now, generatorURL: p.generatorURL });
    }

    const stillFiring = members.some((a) => !isResolvedAt(a, now));
    const nextState = {
      receiver: receiverName,
      routeId: route.id,
      firstSeenAt: row.firstSeenAt,
      lastFlushAt: new Date(now),
      nextFlushAt: new Date(now + route.options.groupInterval),
    };
    const finish = async (reason: string, ids: number[], notifiedNow: { map: Record<string, "firing" | "resolved">; at: Date } | null): Promise<FlushOutcome> => {
      if (!stillFiring) {
        await store.deleteGroupState(tx, key);
      } else {
        await store.upsertGroupState(tx, {
          groupKey: key,
          ...nextState,
          lastNotified: notifiedNow?.map ?? row.lastNotified,
          lastNotifiedAt: notifiedNow?.at ?? row.lastNotifiedAt,
        });
      }
      return { groupKey: key, receiver: receiverName, reason, notifications: ids, ended: !stillFiring };
    };

    const muting = routeTimeMuting(route.options, pipeline.intervals, now);
    if (muting.muted) return finish(muting.reason, [], null);

    const unmuted = members.filter((a) => mutingSilences(ctx.silences, a.labels, now).length === 0 && ctx.inhibitor.inhibitedBy(a.labels) === null);
    const decision = notificationDecision(unmuted, lastEntry(row), { sendResolved: true, repeatInterval: route.options.repeatInterval, now });
    if (!decision.notify) return finish(unmuted.length < members.length ? "muted" : "nothing_new", [], null);

    const labels = computed?.labels ?? (members[0] ? groupLabelsOf(route, members[0].labels) : {});
    const ids: number[] = [];
    for (const integration of receiver ? receiverIntegrations(receiver) : []) {
      // Without send_resolved, news that is only a resolved alert is not sent, and resolved alerts are left out.
      if (!integration.sendResolved && decision.reason === "new_resolved") continue;
      const deliver = integration.sendResolved ? [...decision.firing, ...decision.resolved] : decision.firing;
      if (deliver.length === 0) continue;
      const data = build(key, receiverName, labels, deliver.map(toNotifiable), external, now);
      const dedupKey = notificationDedupKey({
        groupKey: key,
        generation: row.firstSeenAt.getTime(),
        receiver: receiverName,
        type: integration.type,
        index: integration.index,
        previousAt: row.lastNotifiedAt?.getTime() ?? null,
        alerts: data.alerts,
      });
      const { row: n, created } = await store.insertNotification(tx, {
        groupKey: key,
        receiver: receiverName,
        integrationType: integration.type,
        integrationIndex: integration.index,
        dedupKey,
        payload: data as unknown as Record<string, unknown>,
      });
      if (created) ids.push(n.id);
    }
    const map: Record<string, "firing" | "resolved"> = {};
    for (const fp of decision.entry.firing) map[fp] = "firing";
    for (const fp of decision.entry.resolved) map[fp] = "resolved";
    for (const a of alreadyResolved) map[a.fingerprint] = "resolved";
    return finish(decision.reason ?? "notified", ids, { map, at: new Date(now) });
  });
}
