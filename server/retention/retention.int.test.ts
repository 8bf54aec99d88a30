/**
 * The retention run end to end on logs, against a scratch database (a run drops partitions of
 * the whole database) and a local object store in a temporary directory. Time is simulated: the
 * run's `now` is a fixed instant years ahead, events carry explicit timestamps before it.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logArchives, retentionRuns } from "@/db/schema";
import { archiveKey, manifestKey, sha256, type LogArchiveManifest } from "@/server/archive/log-archive";
import { LocalObjectStore } from "@/server/archive/object-store";
import { createSource, findSourceByName, type LogSource } from "@/server/logs/sources";
import { applyProvisioning } from "@/server/provisioning/apply";
import { parseProvisioningFile } from "@/server/provisioning/parse";
import { auditRows, expectAppError, scratchDatabase, TEST_ACTOR, type ScratchDatabase } from "@/test/helpers";
import { leafNames, tableExists, tierState, writeDays, type TierState } from "@/test/retention";
import type { RunSummary } from "./model";
import { addDays, DAY_MS, leafName } from "./partitions";
import { retentionOverview } from "./overview";
import { restoreDay } from "./restore";
import { runRetention } from "./run";

const NOW = Date.UTC(2031, 2, 15, 12); // 2031-03-15 12:00 UTC
const TODAY = "2031-03-15";
const DAYS = 40;
const HOUR = 3_600_000;

function summaryOf(r: RunSummary | { skipped: string }): RunSummary {
  if ("skipped" in r) throw new Error(`run skipped: ${r.skipped}`);
  return r;
}

/** Days (YYYY-MM-DD) from `today − from` down to `today − to`, inclusive. */
function daysBack(from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(addDays(TODAY, -i));
  return out;
}

function sortedKeys(m: Map<string, number> | undefined): string[] {
  return [...(m?.keys() ?? [])].sort();
}

describe("retention run: logs over 40 simulated days", () => {
  let S: ScratchDatabase;
  let dir: string;
  let store: LocalObjectStore;
  // hot/archive days: a 3/10, b 7/20, c 1/5.
  let a: LogSource;
  let b: LogSource;
  let c: LogSource;
  const written = new Map<string, Map<string, number>>();
  let first: RunSummary;

  beforeAll(async () => {
    S = await scratchDatabase();
    dir = mkdtempSync(path.join(tmpdir(), "lookout-retention-"));
    store = new LocalObjectStore(dir);
    a = await createSource(S.db, TEST_ACTOR, null, { name: "app", pipeline: [], hotDays: 3, archiveDays: 10 });
    b = await createSource(S.db, TEST_ACTOR, null, { name: "billing", pipeline: [], hotDays: 7, archiveDays: 20 });
    c = await createSource(S.db, TEST_ACTOR, null, { name: "cache", pipeline: [], hotDays: 1, archiveDays: 5 });
    // Varying counts; one day of `app` over 1,000 events (several blocks per batch).
    written.set(a.id, await writeDays(S.db, a, TODAY, DAYS, (i) => (i === 4 ? 2300 : 3 + (i % 7))));
    written.set(b.id, await writeDays(S.db, b, TODAY, DAYS, (i) => 2 + (i % 5)));
    written.set(c.id, await writeDays(S.db, c, TODAY, DAYS, (i) => 1 + (i % 3)));
  }, 120_000);
  afterAll(async () => {
    await S?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  function expectNoLossNoDuplicates(state: TierState, expired: Record<string, string[]>) {
    expect(new Set([...state.hotIds, ...state.archivedIds]).size).toBe(state.hotIds.length + state.archivedIds.length);
    for (const src of [a, b, c]) {
      for (const [day, n] of written.get(src.id)!) {
        const got = (state.hot.get(src.id)?.get(day) ?? 0) + (state.archived.get(src.id)?.get(day) ?? 0);
        expect(`${src.name} ${day}: ${got}`).toBe(`${src.name} ${day}: ${expired[src.name]!.includes(day) ? 0 : n}`);
      }
    }
  }

  it("archives days leaving hot, drops expired days, creates partitions ahead; loses and duplicates nothing", async () => {
    first = summaryOf(await runRetention({ db: S.db, store, now: NOW, trigger: "manual", actor: "vitest" }));
    expect(first.errors).toEqual([]);

    // Hot: hotDays days including today, for each source; ahead: today+1..today+7 for each.
    const ahead = [1, 2, 3, 4, 5, 6, 7].map((i) => addDays(TODAY, i));
    const hotDays = { [a.id]: daysBack(0, 2), [b.id]: daysBack(0, 6), [c.id]: daysBack(0, 0) };
    const expectedLeaves = [a, b, c].flatMap((s) => [...hotDays[s.id]!, ...ahead].map((d) => leafName(s.id, d))).sort();
    expect(await leafNames(S.db)).toEqual(expectedLeaves);
    expect(first.created.filter((n) => n.startsWith("log_blocks_")).sort()).toEqual([a, b, c].flatMap((s) => ahead.map((d) => leafName(s.id, d))).sort());
    expect(first.created).toEqual(expect.arrayContaining(["metric_chunks_20310322", "metric_rollups_5m_20310315", "metric_rollups_1h_203103", "audit_log_203103", "audit_log_203104"]));

    // Archived: after hot, for archiveDays days; anything older dropped without archiving.
    const archivedDays = { app: daysBack(3, 12), billing: daysBack(7, 26), cache: daysBack(1, 5) };
    const expired = { app: daysBack(13, DAYS - 1), billing: daysBack(27, DAYS - 1), cache: daysBack(6, DAYS - 1) };
    const state = await tierState(S.db, store);
    for (const s of [a, b, c]) {
      expect(sortedKeys(state.archived.get(s.id))).toEqual([...archivedDays[s.name as keyof typeof archivedDays]].sort());
      expect(sortedKeys(state.hot.get(s.id))).toEqual([...hotDays[s.id]!].sort());
    }
    expectNoLossNoDuplicates(state, expired);
    expect(first.archived).toHaveLength(10 + 20 + 5);
    expect(first.archived.every((d) => d.generation === 1)).toBe(true);
    expect(first.archived.find((d) => d.source === "app" && d.day === addDays(TODAY, -4))).toMatchObject({ events: 2300, blocks: 4 });
    // Every leaf past hot was dropped: archived ones and expired ones.
    const droppedLeaves = first.dropped.filter((d) => d.table === "log_blocks").map((d) => d.partition);
    expect(droppedLeaves).toHaveLength(3 * DAYS - (3 + 7 + 1));
    expect(first.bytesArchived).toBe(first.archived.reduce((n, d) => n + d.bytes, 0));
    // Day parents with no leaf left are gone; the oldest kept parent is billing's oldest hot day.
    expect(await tableExists(S.db, `log_blocks_${addDays(TODAY, -7).replaceAll("-", "")}`)).toBe(false);
    expect(await tableExists(S.db, `log_blocks_${addDays(TODAY, -6).replaceAll("-", "")}`)).toBe(true);

    // Objects: exactly one object and one manifest per archived day, the manifest describing it.
    const keys: string[] = [];
    for await (const o of store.list("logs/")) keys.push(o.key);
    const rows = await S.db.select().from(logArchives);
    expect(rows).toHaveLength(35);
    expect(keys.sort()).toEqual(rows.flatMap((r) => [r.key, manifestKey(r.key)]).sort());
    for (const row of rows) {
      const src = [a, b, c].find((s) => s.id === row.sourceId)!;
      const body = (await store.get(row.key))!;
      const manifest = JSON.parse((await store.get(manifestKey(row.key)))!.toString("utf8")) as LogArchiveManifest;
      const dayStart = Date.parse(`${row.day}T00:00:00Z`);
      expect(manifest).toMatchObject({
        kind: "lookout.logs.day",
        schemaVersion: 1,
        key: archiveKey(src.id, row.day, 1),
        generation: 1,
        sourceId: src.id,
        sourceName: src.name,
        day: row.day,
        events: written.get(src.id)!.get(row.day),
        blocks: row.blocks,
        bytes: body.length,
        sha256: sha256(body),
      });
      expect(Date.parse(manifest.minTs)).toBeGreaterThanOrEqual(dayStart);
      expect(Date.parse(manifest.maxTs)).toBeLessThan(dayStart + DAY_MS);
      expect(Date.parse(manifest.minTs)).toBeLessThanOrEqual(Date.parse(manifest.maxTs));
    }

    const [run] = await S.db.select().from(retentionRuns).where(eq(retentionRuns.status, "success"));
    expect(run).toMatchObject({ trigger: "manual", actor: "vitest", status: "success", error: null });
    expect((run!.summary as RunSummary).archived).toHaveLength(35);
  });

  it("a second run at the same instant changes nothing", async () => {
    const before = await tierState(S.db, store);
    const again = summaryOf(await runRetention({ db: S.db, store, now: NOW, trigger: "cli" }));
    expect(again).toMatchObject({ created: [], archived: [], dropped: [], expiredArchives: [], rolledUp: 0, orphansRemoved: 0, errors: [], bytesArchived: 0, bytesDropped: 0 });
    const after = await tierState(S.db, store);
    expect(after).toEqual(before);
  });

  it("a late event for an archived day is merged by the next run: one generation later, the old object deleted", async () => {
    const day = addDays(TODAY, -5);
    const [old] = await S.db.select().from(logArchives).where(sql`${logArchives.sourceId} = ${a.id} and ${logArchives.day} = ${day}`);
    written.get(a.id)!.set(day, written.get(a.id)!.get(day)! + 1);
    await writeDays(S.db, a, day, 1, () => 1);
    expect(await tableExists(S.db, leafName(a.id, day))).toBe(true);

    const run = summaryOf(await runRetention({ db: S.db, store, now: NOW, trigger: "schedule" }));
    expect(run.errors).toEqual([]);
    expect(run.archived).toEqual([expect.objectContaining({ source: "app", day, generation: 2, events: old!.events + 1 })]);
    expect(run.dropped.map((d) => d.partition)).toEqual([leafName(a.id, day)]);
    expect(await tableExists(S.db, leafName(a.id, day))).toBe(false);
    expect(await store.get(old!.key)).toBeNull();
    expect(await store.get(manifestKey(old!.key))).toBeNull();
    const [now] = await S.db.select().from(logArchives).where(eq(logArchives.id, old!.id));
    expect(now).toMatchObject({ generation: 2, key: archiveKey(a.id, day, 2), events: old!.events + 1 });
    expectNoLossNoDuplicates(await tierState(S.db, store), { app: daysBack(13, DAYS - 1), billing: daysBack(27, DAYS - 1), cache: daysBack(6, DAYS - 1) });
  });

  it("restores an archived day into the hot tier until restored_until, then archives it away again without a new generation", async () => {
    const day = addDays(TODAY, -8);
    const [row] = await S.db.select().from(logArchives).where(sql`${logArchives.sourceId} = ${b.id} and ${logArchives.day} = ${day}`);
    const restored = await restoreDay(S.db, store, { sourceId: b.id, day, hours: 2, actor: "vitest-restorer", now: NOW });
    expect(restored).toMatchObject({ blocks: row!.blocks, inserted: row!.blocks, events: row!.events, restoredUntil: new Date(NOW + 2 * HOUR).toISOString() });
    const state = await tierState(S.db, store);
    expect(state.hot.get(b.id)!.get(day)).toBe(row!.events);
    const audit = await auditRows({ action: "retention.restore" }, S.db);
    expect(audit[0]).toMatchObject({ actorType: "system", actorName: "vitest-restorer", targetId: b.id, targetName: "billing", result: "success" });
    expect(audit[0]!.details).toMatchObject({ day, hours: 2, blocks: row!.blocks });

    // The overview shows the restored day, the hot leaves and the archive of each source.
    const o = await retentionOverview(S.db, store, { nextRunAt: async () => NOW + HOUR });
    expect(o.nextRunAt).toBe(new Date(NOW + HOUR).toISOString());
    const ob = o.sources.find((s) => s.id === b.id)!;
    expect(ob.restored).toEqual([{ day, until: new Date(NOW + 2 * HOUR).toISOString() }]);
    // 7 hot days + 7 ahead + the restored one.
    expect(ob.hot).toMatchObject({ partitions: 15, oldest: day });
    expect(ob.hot.bytes).toBeGreaterThan(0);
    const bRows = await S.db.select().from(logArchives).where(eq(logArchives.sourceId, b.id));
    expect(ob.archive).toEqual({
      bytes: bRows.reduce((n, r) => n + r.bytes, 0),
      partitions: 20,
      oldest: addDays(TODAY, -26),
      events: bRows.reduce((n, r) => n + r.events, 0),
    });
    expect(o.sources.map((s) => [s.name, s.hotDays, s.archiveDays])).toEqual([
      ["app", 3, 10],
      ["billing", 7, 20],
      ["cache", 1, 5],
    ]);
    expect(o.runs[0]).toMatchObject({ trigger: "schedule", status: "success" });

    // Refused: a restore of no time, of a day not archived, of an unknown source.
    await expectAppError(restoreDay(S.db, store, { sourceId: b.id, day, hours: 0, actor: null }), "INVALID_INPUT");
    await expectAppError(restoreDay(S.db, store, { sourceId: b.id, day: TODAY, hours: 1, actor: null }), "NOT_FOUND");
    await expectAppError(restoreDay(S.db, store, { sourceId: "00000000-0000-4000-8000-000000000000", day, hours: 1, actor: null }), "NOT_FOUND");

    // Restoring again keeps one copy of each block.
    expect((await restoreDay(S.db, store, { sourceId: b.id, day, hours: 2, actor: "vitest-restorer", now: NOW })).inserted).toBe(0);

    // While restored, runs leave the leaf alone.
    const during = summaryOf(await runRetention({ db: S.db, store, now: NOW + HOUR, trigger: "schedule" }));
    expect(during.dropped).toEqual([]);
    expect(await tableExists(S.db, leafName(b.id, day))).toBe(true);

    // Past restored_until: merged by block id (nothing new), leaf dropped, same generation.
    const after = summaryOf(await runRetention({ db: S.db, store, now: NOW + 3 * HOUR, trigger: "schedule" }));
    expect(after.errors).toEqual([]);
    expect(after.archived).toEqual([]);
    expect(after.dropped.map((d) => d.partition)).toEqual([leafName(b.id, day)]);
    const [back] = await S.db.select().from(logArchives).where(eq(logArchives.id, row!.id));
    expect(back).toMatchObject({ generation: row!.generation, key: row!.key, restoredUntil: null, events: row!.events });
    const final = await tierState(S.db, store);
    expect(final.hot.get(b.id)!.has(day)).toBe(false);
    expect(new Set([...final.hotIds, ...final.archivedIds]).size).toBe(final.hotIds.length + final.archivedIds.length);
  });

  it("a day later: the oldest archives expire (row and object), the next days are archived", async () => {
    const tomorrow = NOW + DAY_MS;
    const run = summaryOf(await runRetention({ db: S.db, store, now: tomorrow, trigger: "schedule" }));
    expect(run.errors).toEqual([]);
    // app: 3 hot / 10 archive → its day today−12 expires; cache (1/5): today−5; billing (7/20): today−26.
    expect(run.expiredArchives.map((e) => `${e.source} ${e.day}`).sort()).toEqual(["app 2031-03-03", "billing 2031-02-17", "cache 2031-03-10"]);
    for (const e of run.expiredArchives) {
      const src = [a, b, c].find((s) => s.name === e.source)!;
      expect(await store.get(archiveKey(src.id, e.day, 1))).toBeNull();
      expect(await S.db.select().from(logArchives).where(sql`${logArchives.sourceId} = ${src.id} and ${logArchives.day} = ${e.day}`)).toEqual([]);
    }
    expect(run.archived.map((d) => `${d.source} ${d.day}`).sort()).toEqual(["app 2031-03-13", "billing 2031-03-09", "cache 2031-03-15"]);
    expect(run.created.filter((n) => n.startsWith("log_blocks_"))).toHaveLength(3);
  });

  it("a second run while one is in progress is skipped", async () => {
    // A run held inside its first archive step (a late event gives it one).
    await writeDays(S.db, c, addDays(TODAY, -2), 1, () => 1);
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const held = runRetention({
      db: S.db,
      store,
      now: NOW + DAY_MS,
      trigger: "schedule",
      hooks: {
        afterArchive: () => {
          entered();
          return new Promise<void>((r) => (release = r));
        },
      },
    });
    await inside;
    expect(await runRetention({ db: S.db, store, now: NOW + DAY_MS, trigger: "manual" })).toEqual({ skipped: "another retention run (or a GDPR delete) is in progress" });
    // Late events for the day being archived (its leaf) and for another source's leaf of that
    // day: they wait for the archive's transaction, then land (the first in a recreated leaf).
    const day = addDays(TODAY, -2);
    const lateSame = writeDays(S.db, c, day, 1, () => 2);
    const lateOther = writeDays(S.db, b, day, 1, () => 3);
    release();
    const done = summaryOf(await held);
    await Promise.all([lateSame, lateOther]);
    expect(done.archived).toEqual([expect.objectContaining({ source: "cache", day, generation: 2 })]);
    const runs = await S.db.select().from(retentionRuns);
    expect(runs.filter((r) => r.status === "running")).toEqual([]);

    const mid = await tierState(S.db, store);
    expect(mid.hot.get(c.id)!.get(day)).toBe(2);
    const next = summaryOf(await runRetention({ db: S.db, store, now: NOW + DAY_MS, trigger: "schedule" }));
    expect(next.archived).toEqual([expect.objectContaining({ source: "cache", day, generation: 3 })]);
    const [row] = await S.db.select().from(logArchives).where(sql`${logArchives.sourceId} = ${c.id} and ${logArchives.day} = ${day}`);
    // The day's events: as written at first, one late event merged by the held run, two more now.
    expect(row!.events).toBe(written.get(c.id)!.get(day)! + 1 + 2);
    const final = await tierState(S.db, store);
    expect(new Set([...final.hotIds, ...final.archivedIds]).size).toBe(final.hotIds.length + final.archivedIds.length);
    expect(final.hot.get(b.id)!.get(day)).toBe(written.get(b.id)!.get(day)! + 3);
  });
});

describe("retention run killed between archive and drop", () => {
  let S: ScratchDatabase;
  let dir: string;
  let store: LocalObjectStore;
  let src: LogSource;
  let written: Map<string, number>;

  beforeAll(async () => {
    S = await scratchDatabase();
    dir = mkdtempSync(path.join(tmpdir(), "lookout-retention-kill-"));
    store = new LocalObjectStore(dir);
    src = await createSource(S.db, TEST_ACTOR, null, { name: "killed", pipeline: [], hotDays: 1, archiveDays: 30 });
    written = await writeDays(S.db, src, TODAY, 5, (i) => 10 + i);
  });
  afterAll(async () => {
    await S?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "a rerun finishes the job: every day archived exactly once, the killed run's object removed as an orphan, the leaf dropped",
    async () => {
      const child = fork(path.join(import.meta.dirname, "run-kill.fixture.ts"), [], {
        execArgv: ["--import", "tsx"],
        env: { ...process.env, DATABASE_URL: S.url, ARCHIVE_DIR: dir, RUN_NOW: String(NOW) },
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      });
      try {
        const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
        const item = await new Promise<{ day: string; key: string; leaf: string }>((resolve, reject) => {
          child.on("message", (m: { type: string; item?: { day: string; key: string; leaf: string } }) => (m.type === "archived" ? resolve(m.item!) : reject(new Error(`fixture: ${m.type}`))));
          child.once("exit", (code) => reject(new Error(`fixture exited early (${code})`)));
        });
        // The object is written and verified, the row and the drop are not committed.
        child.kill("SIGKILL");
        expect(await exited).toBe("SIGKILL");

        expect(item.key).toBe(archiveKey(src.id, item.day, 1));
        expect(await store.get(item.key)).not.toBeNull();
        expect(await tableExists(S.db, item.leaf)).toBe(true);
        expect(await S.db.select().from(logArchives)).toEqual([]);
        const killedRuns = await S.db.select().from(retentionRuns);
        expect(killedRuns.map((r) => r.status)).toEqual(["running"]);

        // The killed session's advisory lock goes with it (the server notices the closed socket).
        for (let i = 0; i < 100; i++) {
          const locks = await S.db.execute<{ n: number }>(sql`
            select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`);
          if (locks.rows[0]!.n === 0) break;
          await sleep(100);
        }

        const rerun = summaryOf(await runRetention({ db: S.db, store, now: NOW, trigger: "schedule" }));
        expect(rerun.errors).toEqual([]);
        expect(rerun.orphansRemoved).toBe(1);
        expect(rerun.archived.map((d) => d.day).sort()).toEqual(daysBack(1, 4).sort());
        expect(rerun.archived.every((d) => d.generation === 1)).toBe(true);
        expect(await tableExists(S.db, item.leaf)).toBe(false);

        const state = await tierState(S.db, store);
        expect(new Set([...state.hotIds, ...state.archivedIds]).size).toBe(state.hotIds.length + state.archivedIds.length);
        for (const [day, n] of written) {
          const hot = state.hot.get(src.id)?.get(day) ?? 0;
          const cold = state.archived.get(src.id)?.get(day) ?? 0;
          expect({ day, hot, cold }).toEqual({ day, hot: day === TODAY ? n : 0, cold: day === TODAY ? 0 : n });
        }
        const keys: string[] = [];
        for await (const o of store.list("logs/")) keys.push(o.key);
        const rows = await S.db.select().from(logArchives);
        expect(keys.sort()).toEqual(rows.flatMap((r) => [r.key, manifestKey(r.key)]).sort());

        const runs = await S.db.select().from(retentionRuns).orderBy(retentionRuns.id);
        expect(runs.map((r) => [r.status, r.actor])).toEqual([
          ["failed", "kill-fixture"],
          ["success", null],
        ]);
        expect(runs[0]!.error).toMatch(/interrupted/);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    },
    60_000,
  );
});

describe("retention policies from the provisioning file", () => {
  let S: ScratchDatabase;
  let dir: string;
  beforeAll(async () => {
    S = await scratchDatabase();
    dir = mkdtempSync(path.join(tmpdir(), "lookout-retention-prov-"));
  });
  afterAll(async () => {
    await S?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a source's hot_days / archive_days from `sources:` decide what a run archives and drops", async () => {
    const file = "sources:\n  - name: edge\n    hot_days: 2\n    archive_days: 3\n";
    const applied = await applyProvisioning(S.db, parseProvisioningFile(file, "lookout.yaml"));
    expect(applied.sources.created).toEqual(["edge"]);
    const edge = (await findSourceByName(S.db, "edge"))!;
    expect(edge).toMatchObject({ provisioned: true, hotDays: 2, archiveDays: 3 });
    await writeDays(S.db, edge, TODAY, 8, () => 4);

    const run = summaryOf(await runRetention({ db: S.db, store: new LocalObjectStore(dir), now: NOW, trigger: "schedule" }));
    expect(run.errors).toEqual([]);
    // Hot: today and yesterday; archived: the 3 days before; older: dropped.
    expect(run.archived.map((d) => d.day).sort()).toEqual(daysBack(2, 4).sort());
    expect(run.dropped.filter((d) => d.table === "log_blocks").map((d) => d.partition).sort()).toEqual(daysBack(2, 7).map((d) => leafName(edge.id, d)).sort());
  });
});
