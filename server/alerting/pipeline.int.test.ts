import { goTimeString } from "./notification";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestUser, scratchDatabase, uid, type ScratchDatabase } from "@/test/helpers";
import { dispatchAlerts, type DispatchResult } from "./dispatcher";
import { evaluateGroup, GroupBusyError, type EvalServiceDeps } from "./eval-service";
import { AlertRuleSchema, type AlertmanagerConfig, type AlertRuleInput, type EvalResult } from "./model";
import { listAlerts, upsertExternalAlerts } from "./notifications-service";
import { deliverNotification, RetryableDeliveryError } from "./notify-service";
import { pruneAlerting } from "./retention";
import * as store from "./store";
import { postJsonDeliver, startReceiver, type ReceivedRequest, type TestReceiver } from "./test-deliver";
import { fakeRender } from "./test-render";

/**
 * The alerting pipeline end to end on a database of its own: rules evaluated at chosen instants
 * (real PromQL: `vector(time())` makes a rule's value the evaluation time, so a threshold on it
 * says when it is active), the dispatcher run at chosen times, and notifications delivered over
 * HTTP to a local receiver. Time is explicit everywhere, so group_wait (100 ms), group_interval
 * (1 s) and repeat_interval are exact.
 */

let S: ScratchDatabase;
let rx: TestReceiver;
beforeAll(async () => {
  S = await scratchDatabase();
  rx = await startReceiver();
});
afterAll(async () => {
  await rx?.close();
  await S?.drop();
});

let configVersion = 0;
const enqueued: number[] = [];
beforeEach(async () => {
  await S.db.execute(sql`truncate alert_groups_state, notification_log, external_alerts, silences, alert_rule_groups cascade`);
  rx.requests.length = 0;
  enqueued.length = 0;
});

/** A base instant on a whole second, a little ahead of the clock. */
const base = () => Math.ceil(Date.now() / 1000) * 1000 + 1000;

const route = (over: Partial<AlertmanagerConfig["route"]> = {}): AlertmanagerConfig["route"] => ({ receiver: "ops", group_by: ["alertname"], group_wait: "100ms", group_interval: "1s", repeat_interval: "1h", ...over });

async function setConfig(over: Partial<AlertmanagerConfig> = {}): Promise<void> {
  const config: AlertmanagerConfig = { route: route(), receivers: [{ name: "ops", webhook_configs: [{ url: `${rx.url}/ops`, max_alerts: 0 }] }], inhibit_rules: [], time_intervals: [], ...over };
  configVersion++;
  await store.writeConfigRow(S.db, { config: config as unknown as Record<string, unknown>, version: configVersion, provisioned: false, updatedBy: "test" });
}

async function ruleGroup(rules: AlertRuleInput[], intervalMs = 1000): Promise<string> {
  const g = await store.insertGroup(S.db, { folderUid: null, name: `g-${uid()}`, intervalMs, provisionedFrom: null, actorId: null });
  let position = 0;
  for (const r of rules) {
    const rule = AlertRuleSchema.parse({ uid: `r-${uid()}`, ...r });
    await store.insertRule(S.db, { uid: rule.uid!, groupId: g.id, position: position++, title: rule.title, data: rule as unknown as Record<string, unknown>, paused: rule.paused, provisioned: false, actorId: null });
  }
  return g.id;
}

/** A rule active while the evaluation time is before `until` (epoch ms). */
const activeUntil = (title: string, until: number, extra: Partial<AlertRuleInput> = {}): AlertRuleInput => ({
  title,
  query: { kind: "promql", expr: "vector(time())", condition: { op: "<", threshold: until / 1000 } },
  ...extra,
});

const evalDeps = (over: Partial<EvalServiceDeps> = {}): EvalServiceDeps => ({ db: S.db, render: fakeRender, ...over });
const evalAt = (groupId: string, at: number) => evaluateGroup(evalDeps(), groupId, at);

const tick = (now: number, over: { resendAfterMs?: number; enqueue?: (ids: number[]) => Promise<void> } = {}): Promise<DispatchResult> =>
  dispatchAlerts({ db: S.db, externalURL: "http://lookout.test", resendAfterMs: over.resendAfterMs ?? 3_600_000, enqueueDelivery: over.enqueue ?? (async (ids) => void enqueued.push(...ids)) }, now);

async function deliverQueued(): Promise<void> {
  for (const id of enqueued.splice(0)) await deliverNotification({ db: S.db, deliver: postJsonDeliver }, id, { attempt: 1, last: false });
}

/** A dispatcher tick at `now`, then delivery of what it enqueued. */
async function step(now: number): Promise<DispatchResult> {
  const r = await tick(now);
  await deliverQueued();
  return r;
}

const names = (r: ReceivedRequest) => r.body.alerts.map((a) => `${a.labels.alertname}:${a.status}`).sort();
const external = (now: number, alerts: { labels: Record<string, string>; annotations?: Record<string, string>; startsAt?: string; endsAt?: string }[]) => upsertExternalAlerts(S.db, alerts, { now, resolveTimeoutMs: 3_600_000 });
const iso = (ms: number) => new Date(ms).toISOString();

describe("rule evaluation", () => {
  it("goes pending → firing after `for` → resolved, at the instants evaluated, and notifies firing then resolved", async () => {
    await setConfig();
    const B = base();
    const g = await ruleGroup([activeUntil("CPUHigh", B + 3500, { for: "2s", labels: { severity: "warning" }, annotations: { summary: "at {{ $value }}" } })]);

    expect((await evalAt(g, B)).changed).toBe(false);
    expect((await step(B + 10)).created).toEqual([]);
    await evalAt(g, B + 1000);
    const firing = await evalAt(g, B + 2000);
    expect(firing.changed).toBe(true);
    expect(firing.rules[0]).toMatchObject({ status: "evaluated", health: "ok", transitions: [{ from: "pending", to: "firing", at: B + 2000 }] });

    // The group waits group_wait (100 ms), then flushes.
    expect((await step(B + 2010)).created).toEqual(['{}:{alertname="CPUHigh"}']);
    expect((await step(B + 2100)).flushed).toEqual([]);
    expect(rx.requests).toHaveLength(0);
    expect((await step(B + 2120)).flushed).toMatchObject([{ reason: "first_notification", ended: false }]);
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0]!.body).toMatchObject({
      version: "4",
      status: "firing",
      receiver: "ops",
      groupKey: '{}:{alertname="CPUHigh"}',
      groupLabels: { alertname: "CPUHigh" },
      externalURL: "http://lookout.test",
      alerts: [{ status: "firing", labels: { alertname: "CPUHigh", severity: "warning" }, annotations: { summary: `at ${(B + 2000) / 1000}` }, startsAt: goTimeString(B + 2000), endsAt: "0001-01-01T00:00:00Z" }],
    });

    // Still firing: nothing new to say at the next flush.
    await evalAt(g, B + 3000);
    expect((await step(B + 3130)).flushed).toMatchObject([{ reason: "nothing_new" }]);
    // Resolved: told once, and the group ends.
    expect((await evalAt(g, B + 4000)).rules[0]).toMatchObject({ transitions: [{ from: "firing", to: "normal" }] });
    expect((await step(B + 4140)).flushed).toMatchObject([{ reason: "all_resolved", ended: true }]);
    expect(rx.requests).toHaveLength(2);
    expect(rx.requests[1]!.body).toMatchObject({ status: "resolved", alerts: [{ status: "resolved", startsAt: goTimeString(B + 2000), endsAt: goTimeString(B + 4000) }] });
    await evalAt(g, B + 5000);
    await step(B + 5200);
    expect(rx.requests).toHaveLength(2);

    const ruleUid = firing.rules[0]!.uid;
    const history = await store.historyRows(S.db, { ruleUids: [ruleUid], from: 0, to: B + 10_000, limit: 10 });
    expect(history.map((h) => `${h.from}>${h.to}@${h.at - B}`).reverse()).toEqual(["normal>pending@0", "pending>firing@2000", "firing>normal@4000"]);
    const log = await store.listNotificationRows(S.db, { limit: 10 });
    expect(log.map((n) => [n.status, n.attempts])).toEqual([
      ["sent", 1],
      ["sent", 1],
    ]);
    expect((await store.evaluationRows(S.db, [ruleUid])).get(ruleUid)).toMatchObject({ lastEvalAt: new Date(B + 5000), nextEvalAt: new Date(B + 6000), health: "ok" });
  });

  it("evaluates an instant once: a concurrent duplicate waits and does nothing, a late job for an earlier instant is a no-op", async () => {
    const B = base();
    const g = await ruleGroup([activeUntil("Dup", B + 60_000)]);
    const calls: number[] = [];
    const slow = evalDeps({
      evaluate: async (rule, at): Promise<EvalResult> => {
        calls.push(at);
        await new Promise((r) => setTimeout(r, 300));
        return { at, ok: true, series: [{ labels: {}, value: at / 1000, active: true }] };
      },
    });
    const [a, b, c] = await Promise.all([evaluateGroup(slow, g, B), evaluateGroup(slow, g, B), evaluateGroup(slow, g, B)]);
    expect(calls).toEqual([B]);
    expect([a, b, c].map((r) => r.rules[0]!.status).sort()).toEqual(["done", "done", "evaluated"]);
    await evaluateGroup(slow, g, B + 1000);
    // A late job for B (after B + 1 s was evaluated) and a second one for B + 1 s.
    expect((await evaluateGroup(slow, g, B)).rules[0]!.status).toBe("done");
    expect((await evaluateGroup(slow, g, B + 1000)).rules[0]!.status).toBe("done");
    expect(calls).toEqual([B, B + 1000]);
    const history = await store.historyRows(S.db, { from: 0, to: B + 10_000, limit: 10 });
    expect(history.map((h) => `${h.from}>${h.to}`)).toEqual(["normal>firing"]);
  });

  it("gives up waiting for a group held by another worker after the lock timeout (the queue retries)", async () => {
    const B = base();
    const g = await ruleGroup([activeUntil("Busy", B + 60_000)]);
    const slow = evalDeps({ evaluate: async (_rule, at): Promise<EvalResult> => (await new Promise((r) => setTimeout(r, 600)), { at, ok: true, series: [] }) });
    const first = evaluateGroup(slow, g, B);
    await new Promise((r) => setTimeout(r, 100));
    await expect(evaluateGroup(evalDeps({ lockTimeoutMs: 100 }), g, B + 1000)).rejects.toBeInstanceOf(GroupBusyError);
    expect((await first).rules[0]).toMatchObject({ status: "evaluated", health: "nodata" });
    // Retried later, it evaluates its instant.
    expect((await evaluateGroup(evalDeps(), g, B + 1000)).rules[0]!.status).toBe("evaluated");
  });

  it("skips paused rules and puts scheduled times on the group's grid", async () => {
    const B = base();
    const g = await ruleGroup([activeUntil("Paused", B + 60_000, { paused: true }), activeUntil("Live", B + 60_000)], 10_000);
    const r = await evaluateGroup(evalDeps(), g, B + 12_345, { align: true });
    expect(r.rules.map((x) => x.status)).toEqual(["paused", "evaluated"]);
    expect(r.at).toBeLessThanOrEqual(B + 12_345);
    expect(B + 12_345 - r.at).toBeLessThan(10_000);
    // Any time within the same grid step lands on the same instant (already evaluated).
    expect((await evaluateGroup(evalDeps(), g, r.at + 9_999, { align: true })).rules[1]!.status).toBe("done");
    expect((await evaluateGroup(evalDeps(), g, r.at + 10_000, { align: true })).rules[1]!.status).toBe("evaluated");
    expect((await evaluateGroup(evalDeps(), "00000000-0000-4000-8000-000000000000", B)).status).toBe("missing");
  });
});

describe("grouping and timing", () => {
  it("group_wait batches alerts arriving within it into one message per group", async () => {
    await setConfig({ route: route({ group_by: ["team"] }) });
    const B = base();
    const g = await ruleGroup([{ title: "DiskFull", query: { kind: "promql", expr: "vector(1)" }, labels: { team: "db" } }]);
    await evalAt(g, B);
    expect((await step(B + 5)).created).toEqual(['{}:{team="db"}']);
    await external(B + 50, [{ labels: { alertname: "ReplicaLag", team: "db" } }, { labels: { alertname: "ReplicaLag", team: "web" } }]);
    expect((await step(B + 60)).created).toEqual(['{}:{team="web"}']);
    expect(rx.requests).toHaveLength(0);
    await step(B + 110);
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0]!.body).toMatchObject({ groupLabels: { team: "db" }, commonLabels: { team: "db" } });
    expect(names(rx.requests[0]!)).toEqual(["DiskFull:firing", "ReplicaLag:firing"]);
    await step(B + 170);
    expect(rx.requests).toHaveLength(2);
    expect(rx.requests[1]!.body.groupLabels).toEqual({ team: "web" });
  });

  it("flushes at once a new group whose alert started more than group_wait ago", async () => {
    await setConfig();
    const B = base();
    await external(B, [{ labels: { alertname: "Old" }, startsAt: iso(B - 60_000) }]);
    await step(B);
    expect(rx.requests.map(names)).toEqual([["Old:firing"]]);
  });

  it("repeat_interval sends an unchanged group again, with a new dedup key", async () => {
    await setConfig({ route: route({ repeat_interval: "3s" }) });
    const B = base();
    await external(B, [{ labels: { alertname: "Stuck" } }]);
    const counts: number[] = [];
    for (const t of [0, 100, 1100, 2100, 3100, 4100, 5100, 6100, 7100, 8100]) {
      await step(B + t);
      counts.push(rx.requests.length);
    }
    // First at +100; repeat_interval (3 s) has passed at the flush of +4100, then again at +8100.
    expect(counts).toEqual([0, 1, 1, 1, 1, 2, 2, 2, 2, 3]);
    const [first, second] = rx.requests;
    expect(second!.body).toEqual(first!.body);
    expect(second!.idempotencyKey).not.toBe(first!.idempotencyKey);
  });

  it("two dispatchers at once flush a group once", async () => {
    await setConfig();
    const B = base();
    await external(B, [{ labels: { alertname: "Twice" } }]);
    await Promise.all([tick(B), tick(B), tick(B)]);
    expect((await store.listGroupStates(S.db)).map((s) => s.groupKey)).toEqual(['{}:{alertname="Twice"}']);
    const results = await Promise.all([tick(B + 100), tick(B + 100), tick(B + 150), tick(B + 200)]);
    expect(results.flatMap((r) => r.notifications)).toHaveLength(1);
    await deliverQueued();
    expect(rx.requests).toHaveLength(1);
  });

  it("sends resolved for an alert whose rule was deleted, with the labels it was notified with", async () => {
    await setConfig();
    const B = base();
    const g = await ruleGroup([{ title: "Gone", query: { kind: "promql", expr: "vector(1)" }, labels: { team: "x" } }]);
    await evalAt(g, B);
    await step(B + 1);
    await step(B + 101);
    expect(rx.requests.map(names)).toEqual([["Gone:firing"]]);
    await S.db.execute(sql`delete from alert_rule_groups where id = ${g}`);
    await step(B + 1101);
    expect(rx.requests.map(names)).toEqual([["Gone:firing"], ["Gone:resolved"]]);
    expect(rx.requests[1]!.body.alerts[0]!.labels).toEqual({ alertname: "Gone", team: "x" });
    expect(await store.listGroupStates(S.db)).toEqual([]);
  });
});

describe("silences, inhibition, time intervals", () => {
  it("a silence suppresses its alerts and its expiry releases them", async () => {
    await setConfig({ route: route({ group_by: [] }) });
    const B = base();
    await store.insertSilence(S.db, { matchers: [{ name: "alertname", value: "Noisy", isRegex: false, isEqual: true }], startsAt: new Date(B - 1000), endsAt: new Date(B + 2500), createdBy: "test", actorId: null, comment: "maintenance" });
    await external(B, [{ labels: { alertname: "Noisy" } }, { labels: { alertname: "Quiet" } }]);
    await step(B);
    await step(B + 100);
    expect(rx.requests.map(names)).toEqual([["Quiet:firing"]]);
    await step(B + 1100);
    await step(B + 2100);
    expect(rx.requests).toHaveLength(1);
    await step(B + 3100);
    expect(rx.requests.map(names)).toEqual([["Quiet:firing"], ["Noisy:firing", "Quiet:firing"]]);
  });

  it("a firing critical alert inhibits warnings of its cluster until it resolves", async () => {
    await setConfig({
      route: route({ group_by: ["alertname", "cluster"] }),
      inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["cluster"] }],
    });
    const B = base();
    await external(B, [
      { labels: { alertname: "NodeDown", severity: "critical", cluster: "a" } },
      { labels: { alertname: "Latency", severity: "warning", cluster: "a" } },
      { labels: { alertname: "Latency", severity: "warning", cluster: "b" } },
    ]);
    await step(B);
    await step(B + 100);
    const sent = () => rx.requests.map((r) => `${r.body.groupLabels.alertname}/${r.body.groupLabels.cluster}:${r.body.status}`).sort();
    expect(sent()).toEqual(["Latency/b:firing", "NodeDown/a:firing"]);
    await external(B + 1000, [{ labels: { alertname: "NodeDown", severity: "critical", cluster: "a" }, endsAt: iso(B + 1000) }]);
    await step(B + 1100);
    expect(sent()).toEqual(["Latency/a:firing", "Latency/b:firing", "NodeDown/a:firing", "NodeDown/a:resolved"]);
  });

  it("a route's mute time interval holds its notifications back", async () => {
    await setConfig({
      route: route({ routes: [{ matchers: ['team="night"'], mute_time_intervals: ["always"] }] }),
      time_intervals: [{ name: "always", time_intervals: [{}] }],
    });
    const B = base();
    await external(B, [{ labels: { alertname: "Muted", team: "night" } }, { labels: { alertname: "Loud", team: "day" } }]);
    await step(B);
    const r = await step(B + 100);
    expect(r.flushed.map((f) => f.reason).sort()).toEqual(["first_notification", "mute_time_interval"]);
    expect(rx.requests.map(names)).toEqual([["Loud:firing"]]);
  });
});

describe("the alert list's status (GET /api/v2/alerts)", () => {
  it("names the receivers the routes reach, the inhibiting alert and the muting time intervals", async () => {
    await setConfig({
      route: route({ routes: [{ matchers: ['team="db"'], receiver: "db", continue: true }, { matchers: ['team="night"'], receiver: "ops", mute_time_intervals: ["always"] }, { matchers: ['severity="critical"'], receiver: "pager" }] }),
      receivers: [{ name: "ops" }, { name: "db" }, { name: "pager" }],
      inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["cluster"] }],
      time_intervals: [{ name: "always", time_intervals: [{}] }],
    });
    const B = base();
    const r = await external(B, [
      { labels: { alertname: "Down", team: "db", severity: "critical", cluster: "a" } },
      { labels: { alertname: "Slow", team: "web", severity: "warning", cluster: "a" } },
      { labels: { alertname: "Batch", team: "night" } },
    ]);
    const viewer = await createTestUser("Viewer", { db: S.db });
    const alerts = await listAlerts(S.db, viewer.principal, {}, {}, { now: B + 1 });
    const byName = Object.fromEntries(alerts.map((a) => [a.labels.alertname, a]));
    expect(byName.Down).toMatchObject({ receivers: [{ name: "db" }, { name: "pager" }], status: { state: "active", inhibitedBy: [], mutedBy: [] } });
    expect(byName.Slow).toMatchObject({ receivers: [{ name: "ops" }], status: { state: "suppressed", inhibitedBy: [r.fingerprints[0]], mutedBy: [] } });
    expect(byName.Batch).toMatchObject({ receivers: [{ name: "ops" }], status: { state: "suppressed", inhibitedBy: [], mutedBy: ["always"] } });
    expect((await listAlerts(S.db, viewer.principal, { receiver: "d.*" }, {}, { now: B + 1 })).map((a) => a.labels.alertname)).toEqual(["Down"]);
  });
});

describe("delivery", () => {
  async function oneNotification(): Promise<number> {
    await setConfig();
    const B = base();
    await external(B, [{ labels: { alertname: `D${uid()}` } }]);
    await tick(B);
    await tick(B + 100);
    expect(enqueued).toHaveLength(1);
    return enqueued.splice(0)[0]!;
  }
  const deliverDeps = { deliver: postJsonDeliver };

  it("a failing receiver (500, then 200) is retried and then succeeds; every attempt is logged", async () => {
    const id = await oneNotification();
    rx.answer(500);
    await expect(deliverNotification({ db: S.db, ...deliverDeps }, id, { attempt: 1, last: false })).rejects.toBeInstanceOf(RetryableDeliveryError);
    expect(await store.findNotification(S.db, id)).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 500" });
    expect(await deliverNotification({ db: S.db, ...deliverDeps }, id, { attempt: 2, last: false })).toEqual({ id, status: "sent", httpStatus: 200 });
    expect((await store.attemptsOf(S.db, [id])).map((a) => [a.attempt, a.ok, a.status])).toEqual([
      [1, false, 500],
      [2, true, 200],
    ]);
    expect(rx.requests.map((r) => r.status)).toEqual([500, 200]);
    // Sent: another job for the row sends nothing.
    expect(await deliverNotification({ db: S.db, ...deliverDeps }, id, { attempt: 1, last: false })).toEqual({ id, status: "skipped", reason: "sent" });
    expect(rx.requests).toHaveLength(2);
  });

  it("a failure retrying cannot fix, or the last attempt, fails the notification", async () => {
    const id = await oneNotification();
    rx.answer(400);
    expect(await deliverNotification({ db: S.db, ...deliverDeps }, id, { attempt: 1, last: false })).toEqual({ id, status: "failed", error: "HTTP 400" });
    const id2 = await oneNotification();
    rx.answer(503);
    expect(await deliverNotification({ db: S.db, ...deliverDeps }, id2, { attempt: 8, last: true })).toMatchObject({ status: "failed" });
    expect(await store.findNotification(S.db, id2)).toMatchObject({ status: "failed", attempts: 1, lastError: "HTTP 503" });
  });

  it("a worker dying between the receiver's answer and the record sends again on re-delivery, with the same dedup key", async () => {
    const id = await oneNotification();
    const crash = deliverNotification(
      {
        db: S.db,
        ...deliverDeps,
        afterDeliver: () => {
          throw new Error("worker killed");
        },
      },
      id,
      { attempt: 1, last: false },
    );
    await expect(crash).rejects.toThrow("worker killed");
    // Nothing was recorded: the transaction holding the row rolled back.
    expect(await store.findNotification(S.db, id)).toMatchObject({ status: "pending", attempts: 0 });
    expect(await deliverNotification({ db: S.db, ...deliverDeps }, id, { attempt: 1, last: false })).toMatchObject({ status: "sent" });
    // The receiver saw the notification twice: the same body and the same Idempotency-Key, to fold.
    expect(rx.requests).toHaveLength(2);
    expect(rx.requests[1]!.body).toEqual(rx.requests[0]!.body);
    expect(rx.requests[1]!.idempotencyKey).toBe(rx.requests[0]!.idempotencyKey);
    expect(rx.requests[0]!.idempotencyKey).toBe((await store.findNotification(S.db, id))!.dedupKey);
    expect(await store.findNotification(S.db, id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("two deliveries of one row at once send it once", async () => {
    const id = await oneNotification();
    const slow = { db: S.db, deliver: async (...args: Parameters<typeof postJsonDeliver>) => (await new Promise((r) => setTimeout(r, 200)), postJsonDeliver(...args)) };
    const results = await Promise.allSettled([deliverNotification(slow, id, { attempt: 1, last: false }), deliverNotification(slow, id, { attempt: 1, last: false })]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value.status : (r.reason as Error).name)).sort()).toEqual(["RetryableDeliveryError", "sent"]);
    expect(rx.requests).toHaveLength(1);
  });

  it("a contact point removed since the notification was made fails it without retries", async () => {
    const id = await oneNotification();
    await setConfig({ receivers: [{ name: "ops" }] });
    expect(await deliverNotification({ db: S.db, ...deliverDeps }, id, { attempt: 1, last: false })).toMatchObject({ status: "failed", error: expect.stringContaining("no webhook integration #0") });
  });

  it("enqueues again a pending notification whose job was lost", async () => {
    await setConfig();
    const B = base();
    await external(B, [{ labels: { alertname: "Lost" } }]);
    await tick(B);
    const lost = await tick(B + 100, { enqueue: async () => Promise.reject(new Error("redis down")) });
    expect(lost.notifications).toHaveLength(1);
    expect(enqueued).toEqual([]);
    const later = await tick(B + 200, { resendAfterMs: 0 });
    expect(later.resent).toBe(1);
    expect(enqueued).toEqual(lost.notifications);
  });
});

describe("retention", () => {
  it("drops old history and delivery log rows, long expired silences and ended external alerts", async () => {
    const now = Date.now();
    const DAY = 86_400_000;
    const g = await ruleGroup([{ title: "Old", query: { kind: "promql", expr: "vector(1)" } }]);
    await evalAt(g, now - 40 * DAY);
    await evalAt(g, now - 1000);
    const old = await store.insertNotification(S.db, { groupKey: "k", receiver: "ops", integrationType: "webhook", integrationIndex: 0, dedupKey: `old-${uid()}`, payload: {} });
    await store.recordAttempt(S.db, old.row.id, { ok: true, status: 200, error: null, durationMs: 1, final: "sent" });
    await S.db.execute(sql`update notification_log set created_at = ${new Date(now - 31 * DAY)} where id = ${old.row.id}`);
    const pending = await store.insertNotification(S.db, { groupKey: "k", receiver: "ops", integrationType: "webhook", integrationIndex: 0, dedupKey: `pending-${uid()}`, payload: {} });
    await S.db.execute(sql`update notification_log set created_at = ${new Date(now - 31 * DAY)} where id = ${pending.row.id}`);
    await store.insertSilence(S.db, { matchers: [{ name: "a", value: "b", isRegex: false, isEqual: true }], startsAt: new Date(now - 10 * DAY), endsAt: new Date(now - 6 * DAY), createdBy: "t", actorId: null, comment: "" });
    await store.insertSilence(S.db, { matchers: [{ name: "a", value: "b", isRegex: false, isEqual: true }], startsAt: new Date(now - 10 * DAY), endsAt: new Date(now - 4 * DAY), createdBy: "t", actorId: null, comment: "" });
    await external(now - 3 * 3_600_000, [{ labels: { alertname: "Ended" }, endsAt: iso(now - 2 * 3_600_000) }]);
    await external(now, [{ labels: { alertname: "Live" } }]);

    expect(await pruneAlerting(S.db, now)).toEqual({ history: 1, notifications: 1, silences: 1, externalAlerts: 1 });
    expect(await store.findNotification(S.db, pending.row.id)).not.toBeNull();
    expect((await store.listExternalAlertRows(S.db)).map((e) => e.labels.alertname)).toEqual(["Live"]);
  });
});
