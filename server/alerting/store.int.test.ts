import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { uid } from "@/test/helpers";
import * as store from "./store";

const db = () => getDb();

describe("delivery log", () => {
  it("records a notification once per dedup key, and each attempt with the final status", async () => {
    const groupKey = `{}:{alertname="X${uid()}"}`;
    const n = { groupKey, receiver: "ops", integrationType: "webhook" as const, integrationIndex: 0, dedupKey: `${groupKey}|hash|0`, payload: { alerts: 1 } };
    const first = await store.insertNotification(db(), n);
    expect(first).toMatchObject({ created: true, row: { status: "pending", attempts: 0, groupKey } });
    // A second worker (or a retried job) gets the same row back.
    const [a, b] = await Promise.all([store.insertNotification(db(), n), store.insertNotification(db(), { ...n, payload: { alerts: 2 } })]);
    expect([a.created, b.created]).toEqual([false, false]);
    expect(b.row).toMatchObject({ id: first.row.id, payload: { alerts: 1 } });

    await store.recordAttempt(db(), first.row.id, { ok: false, status: 503, error: "unavailable", durationMs: 12.4, final: "pending" });
    await store.recordAttempt(db(), first.row.id, { ok: true, status: 200, error: null, durationMs: 8, final: "sent" });
    const row = (await store.findNotification(db(), first.row.id))!;
    expect(row).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    expect(row.sentAt).toBeInstanceOf(Date);
    expect((await store.attemptsOf(db(), [row.id])).map((x) => [x.attempt, x.ok, x.status, x.error, x.durationMs])).toEqual([
      [1, false, 503, "unavailable", 12],
      [2, true, 200, null, 8],
    ]);
    expect((await store.listNotificationRows(db(), { groupKey, limit: 10 })).map((r) => r.id)).toEqual([row.id]);
  });

  it("keeps the dispatcher's state per group and finds the groups due", async () => {
    const groupKey = `{}:{g="${uid()}"}`;
    const due = new Date(Date.now() - 1000);
    await store.upsertGroupState(db(), { groupKey, receiver: "ops", routeId: "route.routes[0]", nextFlushAt: due, lastNotified: { abc: "firing" } });
    expect((await store.dueGroupStates(db(), new Date())).map((g) => g.groupKey)).toContain(groupKey);
    await store.upsertGroupState(db(), { groupKey, receiver: "ops", routeId: "route.routes[0]", nextFlushAt: new Date(Date.now() + 60_000), lastFlushAt: new Date(), lastNotified: { abc: "resolved" } });
    expect((await store.dueGroupStates(db(), new Date())).map((g) => g.groupKey)).not.toContain(groupKey);
    expect((await store.findGroupState(db(), groupKey))!.lastNotified).toEqual({ abc: "resolved" });
    await store.deleteGroupState(db(), groupKey);
    expect(await store.findGroupState(db(), groupKey)).toBeNull();
  });
});
