/**
 * Retention of the metrics tiers and the audit log, and its settings, against a scratch database
 * with simulated time: raw days dropped only after their hours are rolled up (an hour compacted
 * without rollups is rolled up first), 5m/1h partitions per the settings, audit months.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalObjectStore } from "@/server/archive/object-store";
import { createEngine } from "@/server/metrics/promql/engine/engine";
import type { QueryResult } from "@/server/metrics/promql/engine/types";
import { compactHour } from "@/server/metrics/store/compact";
import { ensureMetricPartitions } from "@/server/metrics/store/partitions";
import { PgQueryable } from "@/server/metrics/store/read";
import { SeriesResolver } from "@/server/metrics/store/series-resolver";
import { appendSamples } from "@/server/metrics/store/write";
import { auditRows, createTestUser, expectAppError, scratchDatabase, testMeta, type ScratchDatabase } from "@/test/helpers";
import { tableExists } from "@/test/retention";
import type { RunSummary } from "./model";
import { DAY_MS } from "./partitions";
import { forgetRawRetention, getRetentionSettings, metricsRawRetentionMs, updateRetentionSettings } from "./settings";
import { runRetention } from "./run";
import { getQueue } from "@/server/queues/queues";
import { schedulerEvery } from "@/workers/retention";
import { retentionOverview } from "./overview";

const NOW = Date.UTC(2031, 5, 20, 12); // 2031-06-20 12:00 UTC
const H = 3_600_000;
const M = 60_000;
/** Past raw retention (2 days), inside 5m (5 days) and 1h (40 days). */
const RECENT = Date.UTC(2031, 5, 16);
/** Past raw and 5m retention, inside 1h. */
const OLD = Date.UTC(2031, 5, 5);
const engine = createEngine();

function summaryOf(r: RunSummary | { skipped: string }): RunSummary {
  if ("skipped" in r) throw new Error(`run skipped: ${r.skipped}`);
  return r;
}

function points(r: QueryResult): [number, number][] {
  if (r.resultType !== "matrix") throw new Error(`expected a matrix, got ${r.resultType}`);
  return r.result.flatMap((s) => s.timestamps.map((t, i) => [t, s.values[i]!] as [number, number]));
}

describe("retention run: metrics tiers, audit months, settings", () => {
  let S: ScratchDatabase;
  let dir: string;
  let store: LocalObjectStore;

  beforeAll(async () => {
    S = await scratchDatabase();
    dir = mkdtempSync(path.join(tmpdir(), "lookout-retention-metrics-"));
    store = new LocalObjectStore(dir);
  });
  afterAll(async () => {
    forgetRawRetention();
    await S?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("settings: defaults seeded; an update is validated and audited in the same transaction; ingest's raw retention follows", async () => {
    const before = await getRetentionSettings(S.db);
    expect(before).toMatchObject({ metricsRawDays: 15, metrics5mDays: 90, metrics1hDays: 365, auditDays: 365, updatedBy: null });
    const admin = await createTestUser("Admin", { db: S.db });
    await expectAppError(updateRetentionSettings(S.db, admin.principal, { metricsRawDays: 10, metrics5mDays: 5, metrics1hDays: 40, auditDays: 30 }, testMeta()), "INVALID_INPUT");
    await expectAppError(updateRetentionSettings(S.db, admin.principal, { metricsRawDays: 2, metrics5mDays: 5, metrics1hDays: 40, auditDays: 7 }, testMeta()), "INVALID_INPUT");
    expect(await auditRows({ action: "retention.settings.update" }, S.db)).toEqual([]);

    const saved = await updateRetentionSettings(S.db, admin.principal, { metricsRawDays: 2, metrics5mDays: 5, metrics1hDays: 40, auditDays: 30 }, testMeta({ ip: "10.1.2.3" }));
    expect(saved).toMatchObject({ metricsRawDays: 2, metrics5mDays: 5, metrics1hDays: 40, auditDays: 30, updatedBy: admin.email });
    expect(await getRetentionSettings(S.db)).toEqual(saved);
    const [audit] = await auditRows({ action: "retention.settings.update" }, S.db);
    expect(audit).toMatchObject({ actorId: admin.id, result: "success", ip: "10.1.2.3" });
    expect(audit!.details).toEqual({ before: { metricsRawDays: 15, metrics5mDays: 90, metrics1hDays: 365, auditDays: 365 }, after: { metricsRawDays: 2, metrics5mDays: 5, metrics1hDays: 40, auditDays: 30 } });

    forgetRawRetention();
    expect(await metricsRawRetentionMs(S.db)).toBe(2 * DAY_MS);
  });

  it("drops raw days only once rolled up (rebuilding an hour compacted without rollups), then 5m days and 1h months per the settings, and old audit months", async () => {
    const resolver = new SeriesResolver(1000);
    const series = (from: number, to: number) => {
      const samples: { timestampMs: number; value: number }[] = [];
      for (let t = from; t < to; t += 15_000) samples.push({ timestampMs: t, value: (t / 15_000) % 97 });
      return [{ labels: { __name__: "rt_metric", job: "retention" }, samples }];
    };
    const hours = [RECENT + 10 * H, RECENT + 11 * H, OLD + 10 * H];
    for (const h of hours) {
      await appendSamples(S.db, { batchId: randomUUID(), series: series(h, h + H) }, { resolver });
      await compactHour(S.db, h);
    }
    // RECENT 11:00 as compacted before rollups existed: chunks only.
    await S.db.execute(sql`delete from metric_rollups_5m where bucket = ${RECENT + 11 * H}`);
    await S.db.execute(sql`delete from metric_rollups_1h where bucket = ${RECENT + 11 * H}`);
    await S.db.execute(sql`update metric_rollup_hours set complete = false where hour = ${RECENT + 11 * H}`);
    // Older periods: an April and a May of 1h rollups, audit months.
    await ensureMetricPartitions(S.db, Date.UTC(2031, 3, 10));
    await ensureMetricPartitions(S.db, Date.UTC(2031, 4, 20));
    await S.db.execute(sql`select lookout_ensure_audit_partition('2031-04-10'::date), lookout_ensure_audit_partition('2031-05-10'::date)`);

    const q = (expr: string, start: number, end: number, step: number) => engine.rangeQuery(new PgQueryable(S.db), expr, start, end, step);
    const recentRange = [RECENT + 10 * H + 5 * M, RECENT + 11 * H + 55 * M, 5 * M] as const;
    const before = {
      max5m: points(await q("max_over_time(rt_metric[5m])", ...recentRange)),
      count5m: points(await q("count_over_time(rt_metric[5m])", ...recentRange)),
      count1hOld: points(await q("count_over_time(rt_metric[1h])", OLD + 11 * H, OLD + 11 * H, H)),
    };
    expect(before.max5m).toHaveLength(23);
    expect(before.count5m.every(([, v]) => v === 20)).toBe(true);
    expect(before.count1hOld).toEqual([[OLD + 11 * H, 239]]);

    const run = summaryOf(await runRetention({ db: S.db, store, now: NOW, trigger: "manual" }));
    expect(run.errors).toEqual([]);
    expect(run.rolledUp).toBe(1);
    const dropped = run.dropped.map((d) => d.partition);
    expect(dropped).toEqual(
      expect.arrayContaining([
        "metric_chunks_20310616",
        "metric_chunks_20310605",
        "metric_chunks_20310410",
        "metric_rollups_5m_20310605",
        "metric_rollups_5m_20310520",
        "metric_rollups_1h_203104",
        "audit_log_203104",
      ]),
    );
    for (const kept of ["metric_rollups_5m_20310616", "metric_rollups_1h_203105", "metric_rollups_1h_203106", "audit_log_203105", "audit_log_default", "metric_chunks_20310620"]) {
      expect(dropped, kept).not.toContain(kept);
      expect(await tableExists(S.db, kept), kept).toBe(true);
    }
    for (const gone of ["metric_chunks_20310616", "metric_rollups_1h_203104", "audit_log_203104"]) expect(await tableExists(S.db, gone), gone).toBe(false);
    expect(run.bytesDropped).toBe(run.dropped.reduce((n, d) => n + d.bytes, 0));

    // The rebuilt hour has rollups and counts as rolled up.
    const rebuilt = await S.db.execute<{ n: number; complete: boolean }>(sql`
      select (select count(*)::int from metric_rollups_5m where bucket = ${RECENT + 11 * H}) as n,
             (select complete from metric_rollup_hours where hour = ${RECENT + 11 * H}) as complete`);
    expect(rebuilt.rows[0]).toEqual({ n: 1, complete: true });

    // PromQL past raw retention: rollup-eligible queries on the rollup grid answer as before...
    expect(points(await q("max_over_time(rt_metric[5m])", ...recentRange))).toEqual(before.max5m);
    expect(points(await q("count_over_time(rt_metric[5m])", ...recentRange))).toEqual(before.count5m);
    expect(points(await q("count_over_time(rt_metric[1h])", OLD + 11 * H, OLD + 11 * H, H))).toEqual(before.count1hOld);
    // ...where the tier is gone (5m of OLD) or the query needs raw samples (irate, off-grid steps), there is nothing.
    expect(points(await q("count_over_time(rt_metric[5m])", OLD + 10 * H + 5 * M, OLD + 11 * H, 5 * M))).toEqual([]);
    expect(points(await q("irate(rt_metric[5m])", ...recentRange))).toEqual([]);
    expect(points(await q("max_over_time(rt_metric[5m])", RECENT + 10 * H + 7 * M, RECENT + 11 * H + 57 * M, 5 * M))).toEqual([]);

    // A second run has nothing left to do with metrics.
    const again = summaryOf(await runRetention({ db: S.db, store, now: NOW, trigger: "manual" }));
    expect(again).toMatchObject({ rolledUp: 0, dropped: [], created: [], errors: [] });
  });

  it("the overview reports tiers, the store, no scheduler and the runs", async () => {
    const o = await retentionOverview(S.db, store, { nextRunAt: async () => null });
    expect(o.settings).toMatchObject({ metricsRawDays: 2, metrics5mDays: 5, metrics1hDays: 40, auditDays: 30 });
    expect(o.metrics.rollups5m).toMatchObject({ oldest: "2031-06-16" });
    expect(o.metrics.rollups5m.bytes).toBeGreaterThan(0);
    expect(o.metrics.rollups1h).toMatchObject({ oldest: "2031-05" });
    expect(o.metrics.raw.oldest).toBe("2031-06-20");
    expect(o.audit).toMatchObject({ oldest: "2031-05" });
    expect(o.store).toEqual({ kind: "local", location: path.resolve(dir) });
    expect(o.nextRunAt).toBeNull();
    expect(o.runs.map((r) => r.status)).toEqual(["success", "success"]);
    expect(o.runs[1]!.summary!.rolledUp).toBe(1);
  });

  it("the overview's next run comes from the retention queue's job scheduler when one is registered", async () => {
    const queue = getQueue("retention");
    const every = schedulerEvery("retention-run", 1);
    expect(every).toBe(60 * 60_000);
    await queue.upsertJobScheduler("retention-run", { every }, { name: "retention-run", data: { kind: "run", trigger: "schedule" } });
    try {
      const s = await queue.getJobScheduler("retention-run");
      const o = await retentionOverview(S.db, store);
      expect(o.nextRunAt).toBe(new Date(s!.next!).toISOString());
    } finally {
      await queue.removeJobScheduler("retention-run");
    }
    expect((await retentionOverview(S.db, store)).nextRunAt).toBeNull();
  });
});
