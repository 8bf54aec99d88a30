import { describe, expect, it } from "vitest";
import { fingerprint } from "./fingerprint";
import {
  alertsAfterFlush,
  flushDecision,
  flushDueAt,
  flushesAtOnce,
  groupKey,
  groupLabels,
  isResolvedAt,
  notificationDecision,
  type GroupAlert,
  type GroupFlushState,
  type NotificationLogEntry,
  type NotifyDecision,
  type NotifyReason,
} from "./grouping";
import { buildRouteTree, matchRoutes } from "./routing";

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe("group keys", () => {
  const tree = buildRouteTree({
    receiver: "default",
    group_by: ["alertname", "cluster"],
    routes: [
      { matchers: ['team="db"'], receiver: "db", group_by: ["..."] },
      { matchers: ['team="web"'], receiver: "web", group_by: [] },
    ],
  });
  const route = (labels: Record<string, string>) => matchRoutes(tree, labels)[0];

  it("is the route key and the group_by labels, as Alertmanager", () => {
    const labels = { alertname: "DiskFull", cluster: "eu", instance: "a" };
    expect(groupLabels(route(labels), labels)).toEqual({ alertname: "DiskFull", cluster: "eu" });
    expect(groupKey(route(labels), labels)).toBe('{}:{alertname="DiskFull", cluster="eu"}');
  });

  it("leaves out group_by labels the alert lacks, and groups by all labels with '...'", () => {
    expect(groupKey(route({ alertname: "X" }), { alertname: "X" })).toBe('{}:{alertname="X"}');
    const db = { alertname: "X", team: "db", instance: "b" };
    expect(groupKey(route(db), db)).toBe('{}/{team="db"}:{alertname="X", instance="b", team="db"}');
    const web = { alertname: "X", team: "web" };
    expect(groupKey(route(web), web)).toBe('{}/{team="web"}:{}');
  });
});

describe("flush timing", () => {
  const timing = { groupWait: 30 * S, groupInterval: 5 * M, repeatInterval: 4 * H };

  it("waits group_wait for the first flush, then group_interval", () => {
    const fresh: GroupFlushState = { createdAt: 1000, lastFlushAt: null };
    expect(flushDueAt(fresh, timing)).toBe(31_000);
    expect(flushDecision(fresh, timing, 30_999)).toEqual({ flush: false, dueAt: 31_000, nextFlushAt: 31_000 });
    expect(flushDecision(fresh, timing, 31_000)).toEqual({ flush: true, dueAt: 31_000, nextFlushAt: 31_000 + 5 * M });
    expect(flushDecision({ createdAt: 1000, lastFlushAt: 31_000 }, timing, 31_000 + 5 * M - 1).flush).toBe(false);
    expect(flushDecision({ createdAt: 1000, lastFlushAt: 31_000 }, timing, 31_000 + 5 * M).flush).toBe(true);
  });

  it("flushes at once when an alert older than group_wait joins a group that has not flushed", () => {
    expect(flushesAtOnce({ lastFlushAt: null }, 0, 31 * S, timing)).toBe(true);
    expect(flushesAtOnce({ lastFlushAt: null }, 0, 30 * S, timing)).toBe(false);
    expect(flushesAtOnce({ lastFlushAt: 10 * S }, 0, 31 * S, timing)).toBe(false);
    expect(flushDueAt({ createdAt: 20 * S, lastFlushAt: null, flushRequestedAt: 20 * S }, timing)).toBe(20 * S);
  });
});

describe("notificationDecision", () => {
  const a: GroupAlert = { fingerprint: "a", endsAt: null };
  const b: GroupAlert = { fingerprint: "b", endsAt: null };
  const bResolved: GroupAlert = { fingerprint: "b", endsAt: 50 };
  const opts = { sendResolved: true, repeatInterval: 4 * H, now: 100 };
  const last = (firing: string[], resolved: string[] = [], at = 90): NotificationLogEntry => ({ at, firing, resolved });

  it.each<[string, GroupAlert[], NotificationLogEntry | null, Partial<typeof opts>, NotifyReason | null]>([
    ["first notification", [a], null, {}, "first_notification"],
    ["nothing firing, never notified", [bResolved], null, {}, null],
    ["a new firing alert", [a, b], last(["a"]), {}, "new_alerts"],
    ["firing again after an all-resolved notification", [a], last([], ["a"]), {}, "first_notification"],
    ["all resolved", [bResolved], last(["b"]), {}, "all_resolved"],
    ["all resolved, without send_resolved too", [bResolved], last(["b"]), { sendResolved: false }, "all_resolved"],
    ["all resolved, receiver never saw them firing", [bResolved], last([], ["x"]), {}, null],
    ["one resolved, send_resolved", [a, bResolved], last(["a", "b"]), {}, "new_resolved"],
    ["one resolved, no send_resolved", [a, bResolved], last(["a", "b"]), { sendResolved: false }, null],
    ["one resolved already notified", [a, bResolved], last(["a"], ["b"]), {}, null],
    ["unchanged, within repeat_interval", [a], last(["a"], [], 100 - 4 * H), {}, null],
    ["unchanged, repeat_interval passed", [a], last(["a"], [], 99 - 4 * H), {}, "repeat_interval"],
    ["fewer firing, nothing new", [a], last(["a", "b"]), { sendResolved: false }, null],
  ])("%s", (_name, alerts, entry, extra, reason) => {
    const d = notificationDecision(alerts, entry, { ...opts, ...extra });
    expect(d.reason).toBe(reason);
    expect(d.notify).toBe(reason !== null);
    expect(d.repeat).toBe(reason === "repeat_interval");
  });

  it("delivers firing alerts, and resolved ones only with send_resolved", () => {
    const withResolved = notificationDecision([a, bResolved], last(["a", "b"]), opts);
    expect(withResolved.deliver.map((x) => x.fingerprint)).toEqual(["a", "b"]);
    expect(withResolved.entry).toEqual({ at: 100, firing: ["a"], resolved: ["b"] });
    const allResolved = notificationDecision([bResolved], last(["b"]), { ...opts, sendResolved: false });
    expect(allResolved.notify).toBe(true);
    expect(allResolved.deliver).toEqual([]);
    expect(allResolved.entry).toEqual({ at: 100, firing: [], resolved: ["b"] });
  });

  it("calls an alert resolved once its endsAt has come", () => {
    expect(isResolvedAt({ endsAt: null }, 5)).toBe(false);
    expect(isResolvedAt({ endsAt: 6 }, 5)).toBe(false);
    expect(isResolvedAt({ endsAt: 5 }, 5)).toBe(true);
  });
});

describe("alertsAfterFlush", () => {
  it("drops the resolved alerts a flush covered, unless they changed since", () => {
    const a = { fingerprint: "a", endsAt: null, version: 1 };
    const b = { fingerprint: "b", endsAt: 10, version: 2 };
    const c = { fingerprint: "c", endsAt: 10, version: 1 };
    expect(alertsAfterFlush([a, b, c], [a, b, c], 20)).toEqual([a]);
    const cFiringAgain = { fingerprint: "c", endsAt: null, version: 3 };
    expect(alertsAfterFlush([a, b, cFiringAgain], [a, b, c], 20)).toEqual([a, cFiringAgain]);
  });
});

// -----------------------------------------------------------------------------------------------
// Alertmanager's documented behaviour, end to end on one group: a tick per second drives the
// pure functions the way the notification worker will.
// -----------------------------------------------------------------------------------------------

type Event = { at: number; fire?: string; resolve?: string; startsAt?: number };
interface Sent {
  at: number;
  reason: NotifyReason;
  firing: string[];
  resolved: string[];
}

function simulate(events: Event[], until: number, options: { groupWait: number; groupInterval: number; repeatInterval: number; sendResolved: boolean }) {
  type A = { name: string; fingerprint: string; endsAt: number | null; version: number };
  let alerts: A[] = [];
  let state: GroupFlushState | null = null;
  let last: NotificationLogEntry | null = null;
  const sent: Sent[] = [];
  const recordedOnly: number[] = [];
  let version = 0;
  for (let t = 0; t <= until; t += S) {
    for (const e of events.filter((x) => x.at === t)) {
      if (e.fire) {
        const fp = fingerprint({ alertname: e.fire });
        alerts = [...alerts.filter((x) => x.fingerprint !== fp), { name: e.fire, fingerprint: fp, endsAt: null, version: ++version }];
        state ??= { createdAt: t, lastFlushAt: null };
        if (flushesAtOnce(state, e.startsAt ?? t, t, options)) state.flushRequestedAt = t;
      }
      if (e.resolve) alerts = alerts.map((x) => (x.name === e.resolve ? { ...x, endsAt: t, version: ++version } : x));
    }
    if (!state || !flushDecision(state, options, t).flush) continue;
    const snapshot = alerts;
    const d: NotifyDecision<A> = notificationDecision(snapshot, last, { ...options, now: t });
    if (d.notify) {
      last = d.entry;
      if (d.deliver.length > 0) sent.push({ at: t / S, reason: d.reason as NotifyReason, firing: d.firing.map((x) => x.name), resolved: d.resolved.filter(() => options.sendResolved).map((x) => x.name) });
      else recordedOnly.push(t / S);
    }
    state.lastFlushAt = t;
    alerts = alertsAfterFlush(alerts, snapshot, t);
    if (alerts.length === 0) state = null;
  }
  return { sent, recordedOnly, groupOpen: state !== null };
}

describe("Alertmanager's timing, simulated", () => {
  const timing = { groupWait: 30 * S, groupInterval: 5 * M, repeatInterval: 1 * H, sendResolved: true };

  it("group_wait batches alerts arriving within it into one notification", () => {
    const { sent } = simulate([{ at: 0, fire: "A" }, { at: 10 * S, fire: "B" }, { at: 29 * S, fire: "C" }], 60 * S, timing);
    expect(sent).toEqual([{ at: 30, reason: "first_notification", firing: ["A", "B", "C"], resolved: [] }]);
  });

  it("changes after the first flush wait for the next group_interval", () => {
    const { sent } = simulate([{ at: 0, fire: "A" }, { at: 40 * S, fire: "B" }], 400 * S, timing);
    expect(sent).toEqual([
      { at: 30, reason: "first_notification", firing: ["A"], resolved: [] },
      { at: 330, reason: "new_alerts", firing: ["A", "B"], resolved: [] },
    ]);
  });

  it("repeat_interval re-sends an unchanged group, at the first flush strictly after it", () => {
    const { sent } = simulate([{ at: 0, fire: "A" }], 2 * H + 15 * M, timing);
    // Flushes every 5m from 30s; the first one more than 1h after 30s is 1h05m30s.
    expect(sent.map((s) => [s.at, s.reason])).toEqual([
      [30, "first_notification"],
      [3930, "repeat_interval"],
      [7830, "repeat_interval"],
    ]);
  });

  it("sends a resolved alert once, then drops it from the group", () => {
    const { sent, groupOpen } = simulate([{ at: 0, fire: "A" }, { at: 0, fire: "B" }, { at: 100 * S, resolve: "A" }, { at: 400 * S, resolve: "B" }], 1000 * S, timing);
    expect(sent).toEqual([
      { at: 30, reason: "first_notification", firing: ["A", "B"], resolved: [] },
      { at: 330, reason: "new_resolved", firing: ["B"], resolved: ["A"] },
      { at: 630, reason: "all_resolved", firing: [], resolved: ["B"] },
    ]);
    expect(groupOpen).toBe(false);
  });

  it("without send_resolved, the all-resolved flush is recorded but not sent", () => {
    const { sent, recordedOnly } = simulate([{ at: 0, fire: "A" }, { at: 100 * S, resolve: "A" }], 1000 * S, { ...timing, sendResolved: false });
    expect(sent.map((s) => s.at)).toEqual([30]);
    expect(recordedOnly).toEqual([330]);
  });

  it("an alert that fired and resolved within group_wait is never sent", () => {
    const { sent, groupOpen } = simulate([{ at: 0, fire: "A" }, { at: 10 * S, resolve: "A" }], 400 * S, timing);
    expect(sent).toEqual([]);
    expect(groupOpen).toBe(false);
  });

  it("an alert that started long before skips group_wait", () => {
    const { sent } = simulate([{ at: 5 * S, fire: "A", startsAt: -10 * M }], 60 * S, timing);
    expect(sent.map((s) => s.at)).toEqual([5]);
  });

  it("a group that ended starts over with group_wait, as a first notification", () => {
    const { sent } = simulate([{ at: 0, fire: "A" }, { at: 100 * S, resolve: "A" }, { at: 1000 * S, fire: "A" }], 1100 * S, timing);
    expect(sent.map((s) => [s.at, s.reason])).toEqual([
      [30, "first_notification"],
      [330, "all_resolved"],
      [1030, "first_notification"],
    ]);
  });
});
