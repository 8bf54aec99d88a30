import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { Queue, Worker, type Job } from "bullmq";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { evaluateRule } from "@/server/alerting/evaluate";
import { AlertRuleSchema, type AlertmanagerConfig, type AlertRuleInput } from "@/server/alerting/model";
import { upsertExternalAlerts } from "@/server/alerting/notifications-service";
import { gridOffset, reconcileAlertSchedulers, schedulerIdOf } from "@/server/alerting/scheduler";
import * as store from "@/server/alerting/store";
import { postJsonDeliver, startReceiver, type TestReceiver } from "@/server/alerting/test-deliver";
import { fakeRender } from "@/server/alerting/test-render";
import { createRedis } from "@/server/lib/redis";
import { bullPrefix } from "@/server/queues/queues";
import { QUEUES } from "@/server/queues/registry";
import { alertEvalSchedulers } from "@/server/queues/schedulers";
import { scratchDatabase, uid, type ScratchDatabase } from "@/test/helpers";
import { createAlertDispatchProcessor } from "./alert-dispatch";
import { createAlertEvalProcessor } from "./alert-eval";
import { createNotifyProcessor, deliveryJobId } from "./notify";

/**
 * The alert-eval and notify workers through BullMQ: real queues (a prefix of their own), two
 * Worker instances per queue as two worker processes would run, a database of its own, and a
 * local HTTP receiver as the contact point.
 */

let S: ScratchDatabase;
let rx: TestReceiver;
let prefix: string;
let evalQ: Queue;
let notifyQ: Queue;
let dispatchQ: Queue;
const workers: Worker[] = [];
/** Evaluation calls per (rule, instant). */
const evaluations = new Map<string, number>();

beforeAll(async () => {
  S = await scratchDatabase();
  rx = await startReceiver();
});
afterAll(async () => {
  await rx?.close();
  await S?.drop();
});

beforeEach(async () => {
  prefix = `${bullPrefix()}-${uid()}`;
  evalQ = new Queue("alert-eval", { connection: createRedis(), prefix, defaultJobOptions: QUEUES["alert-eval"].defaultJobOptions });
  notifyQ = new Queue("notify", { connection: createRedis(), prefix, defaultJobOptions: QUEUES.notify.defaultJobOptions });
  dispatchQ = new Queue("alert-dispatch", { connection: createRedis(), prefix, defaultJobOptions: QUEUES["alert-dispatch"].defaultJobOptions });
  await S.db.execute(sql`truncate alert_groups_state, notification_log, external_alerts, silences, alert_rule_groups cascade`);
  rx.requests.length = 0;
  evaluations.clear();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close(true)));
  for (const q of [evalQ, notifyQ, dispatchQ]) {
    await q.obliterate({ force: true });
    await q.close();
  }
});

let configVersion = 0;
async function setConfig(over: Partial<AlertmanagerConfig["route"]> = {}): Promise<void> {
  const config: AlertmanagerConfig = {
    route: { receiver: "ops", group_by: ["alertname"], group_wait: "100ms", group_interval: "1s", repeat_interval: "1h", ...over },
    receivers: [{ name: "ops", webhook_configs: [{ url: `${rx.url}/ops`, max_alerts: 0 }] }],
    inhibit_rules: [],
    time_intervals: [],
  };
  await store.writeConfigRow(S.db, { config: config as unknown as Record<string, unknown>, version: ++configVersion, provisioned: false, updatedBy: "test" });
}

async function ruleGroup(rules: AlertRuleInput[], intervalMs: number): Promise<string> {
  const g = await store.insertGroup(S.db, { folderUid: null, name: `g-${uid()}`, intervalMs, provisionedFrom: null, actorId: null });
  let position = 0;
  for (const r of rules) {
    const rule = AlertRuleSchema.parse({ uid: `r-${uid()}`, ...r });
    await store.insertRule(S.db, { uid: rule.uid!, groupId: g.id, position: position++, title: rule.title, data: rule as unknown as Record<string, unknown>, paused: false, provisioned: false, actorId: null });
  }
  return g.id;
}

const enqueueDeliveries = async (ids: number[]) => {
  await notifyQ.addBulk(ids.map((id) => ({ name: "notify", data: { kind: "deliver", notificationId: id }, opts: { jobId: deliveryJobId(id) } })));
};

const evalProcessor = () =>
  createAlertEvalProcessor({
    evalDeps: () => ({
      db: S.db,
      render: fakeRender,
      evaluate: (rule, at) => {
        const key = `${rule.uid}@${at}`;
        evaluations.set(key, (evaluations.get(key) ?? 0) + 1);
        return evaluateRule({ db: S.db }, rule, at);
      },
    }),
    schedulers: () => alertEvalSchedulers(evalQ),
    onChanged: async (e) => void (await dispatchQ.add("alert-dispatch", { kind: "dispatch" }, { jobId: `dispatch-${e.groupId}-${e.at}` })),
  });

const notifyProcessor = () => createNotifyProcessor({ notifyDeps: () => ({ db: S.db, deliver: postJsonDeliver }) });
const dispatchProcessor = () => createAlertDispatchProcessor({ dispatcherDeps: () => ({ db: S.db, enqueueDelivery: enqueueDeliveries, externalURL: "http://lookout.test" }) });

function startWorker(queue: "alert-eval" | "alert-dispatch" | "notify", processor: (job: Job) => Promise<unknown>, opts: { concurrency: number; stalledInterval?: number }): Worker {
  const w = new Worker(queue, processor, { connection: createRedis(), prefix, concurrency: opts.concurrency, lockDuration: 5_000, stalledInterval: opts.stalledInterval ?? 5_000 });
  w.on("error", () => {});
  workers.push(w);
  return w;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("alert-eval and notify workers", () => {
  it("reconciles one job scheduler per rule group: created at the group's interval and offset, changed with it, removed with the group", async () => {
    const port = alertEvalSchedulers(evalQ);
    const a = await ruleGroup([], 60_000);
    const b = await ruleGroup([], 10_000);
    await evalQ.upsertJobScheduler("alert-group:00000000-0000-4000-8000-000000000000", { every: 1_000 }, { name: "evaluate", data: { kind: "evaluate", groupId: "00000000-0000-4000-8000-000000000000" } });
    expect(await reconcileAlertSchedulers(S.db, port)).toEqual({ groups: 2, upserted: 2, removed: 1 });
    const schedulers = async () => (await port.list()).map((x) => [x.id, x.every, x.offset]).sort();
    expect(await schedulers()).toEqual(
      [
        [schedulerIdOf(a), 60_000, gridOffset(a, 60_000)],
        [schedulerIdOf(b), 10_000, gridOffset(b, 10_000)],
      ].sort(),
    );
    // The next run of each is due on its grid, within one interval.
    const next = (await evalQ.getJobScheduler(schedulerIdOf(b)))!.next!;
    expect((next - gridOffset(b, 10_000)) % 10_000).toBe(0);
    expect(next - Date.now()).toBeLessThanOrEqual(10_000);
    // Nothing to do when nothing changed.
    expect(await reconcileAlertSchedulers(S.db, port)).toEqual({ groups: 2, upserted: 0, removed: 0 });
    await S.db.execute(sql`update alert_rule_groups set interval_ms = 30000 where id = ${a}`);
    await S.db.execute(sql`delete from alert_rule_groups where id = ${b}`);
    expect(await reconcileAlertSchedulers(S.db, port)).toEqual({ groups: 1, upserted: 1, removed: 1 });
    expect(await schedulers()).toEqual([[schedulerIdOf(a), 30_000, gridOffset(a, 30_000)]]);
  });

  it(
    "two workers per queue: each scheduled instant is evaluated once, duplicates and late jobs do nothing, and the receiver gets firing then resolved once each",
    async () => {
      await setConfig();
      const start = Date.now();
      const g = await ruleGroup([{ title: "TwoWorkers", query: { kind: "promql", expr: "vector(time())", condition: { op: "<", threshold: (start + 3_500) / 1000 } } }], 1_000);
      const offset = gridOffset(g, 1_000);

      // Reconcile through the queue, as a save would; then the group's scheduler runs every second.
      const processEval = evalProcessor();
      const processNotify = notifyProcessor();
      const processDispatch = dispatchProcessor();
      const outcomes: string[] = [];
      for (let i = 0; i < 2; i++) {
        startWorker("alert-eval", processEval, { concurrency: 2 }).on("completed", (_job, r: { rules?: { status: string }[] }) => outcomes.push(...(r.rules ?? []).map((x) => x.status)));
        startWorker("notify", processNotify, { concurrency: 4 });
        startWorker("alert-dispatch", processDispatch, { concurrency: 1 });
      }
      await evalQ.add("alert-eval", { kind: "reconcile" });
      await dispatchQ.upsertJobScheduler("dispatch-alerts", { every: 250 }, { name: "dispatch-alerts", data: { kind: "dispatch" } });
      for (let t = 0; t < 60 && !(await evalQ.getJobScheduler(schedulerIdOf(g))); t++) await sleep(50);
      const scheduler = await evalQ.getJobScheduler(schedulerIdOf(g));
      expect(scheduler).toMatchObject({ every: 1_000, offset });

      // Meanwhile, duplicates: each grid instant enqueued twice more by hand, and a late job for the instant before.
      const duplicates = (async () => {
        for (let i = 0; i < 6; i++) {
          const now = Date.now();
          const at = now - ((((now - offset) % 1000) + 1000) % 1000);
          await evalQ.addBulk([
            { name: "alert-eval", data: { kind: "evaluate", groupId: g, at } },
            { name: "alert-eval", data: { kind: "evaluate", groupId: g, at } },
            { name: "alert-eval", data: { kind: "evaluate", groupId: g, at: at - 1000 } },
          ]);
          await sleep(700);
        }
      })();

      const [, resolved] = await rx.waitFor(2, () => true, 15_000);
      await duplicates;
      await sleep(1_500);

      expect(rx.requests.map((r) => r.body.status)).toEqual(["firing", "resolved"]);
      expect(resolved!.body.alerts[0]!.labels.alertname).toBe("TwoWorkers");
      // Duplicates ran (and did nothing); every instant was evaluated exactly once, on the group's grid.
      expect(outcomes.filter((o) => o === "done").length).toBeGreaterThanOrEqual(6);
      expect(outcomes.filter((o) => o === "evaluated")).toHaveLength(evaluations.size);
      expect(evaluations.size).toBeGreaterThanOrEqual(3);
      for (const [key, n] of evaluations) {
        expect(n, key).toBe(1);
        expect((Number(key.split("@")[1]) - offset) % 1000, key).toBe(0);
      }
      const history = await store.historyRows(S.db, { from: 0, to: Date.now() + 60_000, limit: 10 });
      expect(history.map((h) => `${h.from}>${h.to}`).reverse()).toEqual(["normal>firing", "firing>normal"]);
      const log = await store.listNotificationRows(S.db, { limit: 10 });
      expect(log.map((n) => [n.status, n.attempts])).toEqual([
        ["sent", 1],
        ["sent", 1],
      ]);
    },
    30_000,
  );

  it(
    "a failing receiver (500, 500, then 200) is retried by the queue with exponential backoff and then succeeds",
    async () => {
      await setConfig();
      rx.answer(500, 500);
      startWorker("notify", notifyProcessor(), { concurrency: 4 });
      startWorker("notify", notifyProcessor(), { concurrency: 4 });
      startWorker("alert-dispatch", dispatchProcessor(), { concurrency: 1 });
      await upsertExternalAlerts(S.db, [{ labels: { alertname: "Flaky" } }], { resolveTimeoutMs: 3_600_000 });
      await dispatchQ.add("alert-dispatch", { kind: "dispatch" });
      await sleep(150);
      await dispatchQ.add("alert-dispatch", { kind: "dispatch" });

      const got = await rx.waitFor(3, () => true, 15_000);
      expect(got.map((r) => r.status)).toEqual([500, 500, 200]);
      // Backoff: about 1 s, then about 2 s.
      expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(900);
      expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(1_800);
      await sleep(200);
      const [row] = await store.listNotificationRows(S.db, { limit: 5 });
      expect(row).toMatchObject({ status: "sent", attempts: 3, lastError: null });
      expect((await store.attemptsOf(S.db, [row!.id])).map((a) => [a.attempt, a.ok, a.status])).toEqual([
        [1, false, 500],
        [2, false, 500],
        [3, true, 200],
      ]);
      expect(new Set(got.map((r) => r.idempotencyKey)).size).toBe(1);
    },
    30_000,
  );

  it(
    "a worker process killed mid-send: its stalled job is delivered again by another worker; the receiver gets the notification twice with one Idempotency-Key, the log records one sent attempt",
    async () => {
      await setConfig();
      let child: ChildProcess | null = null;
      try {
        child = fork(path.join(import.meta.dirname, "notify-kill.fixture.ts"), [], {
          execArgv: ["--import", "tsx"],
          env: { ...process.env, DATABASE_URL: S.url, BULL_PREFIX: prefix },
          stdio: ["ignore", "ignore", "inherit", "ipc"],
        });
        const exited = new Promise<NodeJS.Signals | null>((resolve) => child!.once("exit", (_code, signal) => resolve(signal)));
        await new Promise<void>((resolve, reject) => {
          child!.once("message", () => resolve());
          child!.once("exit", (code) => reject(new Error(`fixture exited early (${code})`)));
        });

        // The notification is made and enqueued; only the child listens.
        await upsertExternalAlerts(S.db, [{ labels: { alertname: "Killed" } }], { resolveTimeoutMs: 3_600_000 });
        const dispatch = dispatchProcessor();
        await dispatch({ data: { kind: "dispatch" }, opts: {}, attemptsMade: 0 } as unknown as Job);
        await sleep(150);
        await dispatch({ data: { kind: "dispatch" }, opts: {}, attemptsMade: 0 } as unknown as Job);
        expect(await exited).toBe("SIGKILL");
        expect(rx.requests).toHaveLength(1);
        const [pending] = await store.listNotificationRows(S.db, { limit: 5 });
        expect(pending).toMatchObject({ status: "pending", attempts: 0 });

        // Another worker finds the job stalled (its lock expired with the process) and runs it again.
        const w = startWorker("notify", notifyProcessor(), { concurrency: 1, stalledInterval: 500 });
        const stalled: string[] = [];
        w.on("stalled", (id) => stalled.push(id));
        await rx.waitFor(2, () => true, 15_000);
        for (let t = 0; t < 40 && (await store.findNotification(S.db, pending!.id))!.status === "pending"; t++) await sleep(50);
        expect(await store.findNotification(S.db, pending!.id)).toMatchObject({ status: "sent", attempts: 1 });
        expect(stalled).toEqual([deliveryJobId(pending!.id)]);
        expect(rx.requests[1]!.body).toEqual(rx.requests[0]!.body);
        expect(rx.requests[1]!.idempotencyKey).toBe(rx.requests[0]!.idempotencyKey);
        await sleep(500);
        expect(rx.requests).toHaveLength(2);
      } finally {
        if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    },
    40_000,
  );
});
