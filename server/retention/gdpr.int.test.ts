import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { logArchives, logBlocks, logSourceStats } from "@/db/schema";
import { archiveRow, hotBlocksOf, readArchivedBlocks, writeArchiveGeneration } from "@/server/archive/log-archives";
import { LocalObjectStore } from "@/server/archive/object-store";
import { setArchiveStore } from "@/server/archive/store-from-env";
import type { LogEvent } from "@/server/logs/event";
import { forgetCatalog, planQuery } from "@/server/logs/search/plan";
import { createSource, type LogSource } from "@/server/logs/sources";
import { decodeBlock } from "@/server/logs/store/block";
import { commitBatch, dayOf } from "@/server/logs/store/write";
import { auditRows, callerFor, createTestUser, expectTrpcError, scratchDatabase, testMeta, uid, type ScratchDatabase, type TestUser } from "@/test/helpers";
import { gdprDelete, gdprEvents, gdprExportStream, gdprPreview, type GdprHit } from "./gdpr";
import { RETENTION_LOCK_KEY_FOR_TESTS } from "./lock";

type Seeded = { source: LogSource; hotDay: string; archivedDay: string; person: string; all: LogEvent[] };

function ev(source: string, ts: number, message: string, attributes: Record<string, unknown>): LogEvent {
  return { ts, observedTs: ts + 5, source, service: "shop", host: "web-1", level: "info", message, traceId: null, spanId: null, attributes };
}

/**
 * One source with a hot day and an archived day, each of three blocks: mixed (some of the
 * person's events), only the person's, none of the person's. The archived day is committed hot,
 * written as generation 1 to the store and its leaf dropped, as retention does.
 */
async function seed(db: Db, store: LocalObjectStore): Promise<Seeded> {
  const source = await createSource(db, null, null, { name: `gdpr-${uid()}`, pipeline: [], hotDays: 7, archiveDays: 365 });
  const person = String(100_000 + Math.floor(Math.random() * 800_000));
  const other = (i: number) => String(1_000 + i);
  const hotBase = Date.now() - 2 * 3_600_000;
  const archivedBase = Date.UTC(2026, 9, 20, 12);
  const all: LogEvent[] = [];
  const batch = async (events: LogEvent[]) => {
    all.push(...events);
    await commitBatch(db, { batchId: `gdpr-${uid(8)}`, sourceId: source.id, receivedAt: new Date(), events, deadLetters: [], dropped: 0 });
  };
  for (const base of [hotBase, archivedBase]) {
    await batch(Array.from({ length: 12 }, (_, i) => ev(source.name, base + i * 1000, i % 3 === 0 ? `login user ${person}` : `login user ${other(i)}`, { user_id: i % 3 === 0 ? person : other(i), n: i })));
    await batch(Array.from({ length: 4 }, (_, i) => ev(source.name, base + 20_000 + i, `export requested`, { user_id: person, n: 100 + i })));
    await batch(Array.from({ length: 5 }, (_, i) => ev(source.name, base + 30_000 + i, `cart updated`, { user_id: other(50 + i), n: 200 + i })));
  }
  const archivedDay = dayOf(archivedBase);
  const blocks = await hotBlocksOf(db, source.id, archivedDay);
  expect(blocks).toHaveLength(3);
  await db.transaction((tx) => writeArchiveGeneration(tx, store, { sourceId: source.id, sourceName: source.name, day: archivedDay, blocks, previous: null }));
  await db.execute(sql.raw(`drop table "log_blocks_${archivedDay.replace(/-/g, "")}_${source.id.replace(/-/g, "")}"`));
  forgetCatalog();
  return { source, hotDay: dayOf(hotBase), archivedDay, person, all };
}

const canonical = (events: readonly LogEvent[]) => events.map((e) => JSON.stringify(e)).sort();

async function hotEventsOf(db: Db, sourceId: string, day: string): Promise<LogEvent[]> {
  return (await hotBlocksOf(db, sourceId, day)).flatMap((b) => decodeBlock(b.payload));
}

async function archivedEventsOf(db: Db, store: LocalObjectStore, sourceId: string, day: string): Promise<LogEvent[]> {
  const row = await archiveRow(db, sourceId, day);
  return row ? (await readArchivedBlocks(store, row)).flatMap((b) => decodeBlock(b.payload)) : [];
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("GDPR data requests across the hot and the cold tier", () => {
  let S: ScratchDatabase;
  let dir: string;
  let store: LocalObjectStore;
  let admin: TestUser;
  let viewer: TestUser;
  let data: Seeded;

  beforeAll(async () => {
    S = await scratchDatabase();
    dir = mkdtempSync(path.join(tmpdir(), "lookout-gdpr-"));
    store = new LocalObjectStore(dir);
    setArchiveStore(store);
    admin = await createTestUser("Admin", { db: S.db });
    viewer = await createTestUser("Viewer", { db: S.db });
    data = await seed(S.db, store);
  });

  afterAll(async () => {
    setArchiveStore(null);
    await S?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses an empty or match-all query, and callers without logs:gdpr", async () => {
    await expect(gdprPreview(S.db, store, admin.principal, "  ")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(gdprPreview(S.db, store, admin.principal, "*")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(admin.principal.permissions.has("logs:gdpr")).toBe(true);
    expect(viewer.principal.permissions.has("logs:gdpr")).toBe(false);
    await expectTrpcError(callerFor(viewer.principal, { db: S.db }).retention.gdprPreview({ q: `user_id:${data.person}` }), "FORBIDDEN");
    await expectTrpcError(callerFor(viewer.principal, { db: S.db }).retention.gdprDelete({ q: `user_id:${data.person}`, confirm: `user_id:${data.person}` }), "FORBIDDEN");
    expect(await auditRows({ action: "permission.denied", actorId: viewer.id }, S.db)).toHaveLength(2);
  });

  it("previews the matches of each tier", async () => {
    const counts = await callerFor(admin.principal, { db: S.db }).retention.gdprPreview({ q: `user_id:${data.person}` });
    expect(counts).toEqual({ hot: { events: 8, days: 1 }, archived: { events: 8, days: 1 } });
  });

  it("exports every match of both tiers as NDJSON and audits the count", async () => {
    const text = await readAll(await gdprExportStream(S.db, store, admin.principal, testMeta(), `user_id:${data.person}`));
    const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l) as GdprHit);
    expect(lines).toHaveLength(16);
    expect(lines.filter((l) => l.tier === "hot")).toHaveLength(8);
    expect(lines.filter((l) => l.tier === "archive")).toHaveLength(8);
    for (const l of lines) expect(l.attributes.user_id).toBe(data.person);
    const expected = data.all.filter((e) => e.attributes.user_id === data.person);
    expect(lines.map((l) => `${l.ts} ${l.message} ${String(l.attributes.n)}`).sort()).toEqual(expected.map((e) => `${e.ts} ${e.message} ${String(e.attributes.n)}`).sort());
    const [audit] = await auditRows({ action: "logs.gdpr.export", actorId: admin.id }, S.db);
    expect(audit).toMatchObject({ result: "success", details: { q: `user_id:${data.person}`, count: 16 } });
  });

  it("does not delete while a retention run holds its lock", async () => {
    const client = new pg.Client({ connectionString: S.url });
    await client.connect();
    try {
      await client.query("select pg_advisory_lock($1)", [RETENTION_LOCK_KEY_FOR_TESTS]);
      await expect(gdprDelete(S.db, store, admin.principal, testMeta(), `user_id:${data.person}`)).rejects.toMatchObject({ code: "CONFLICT" });
    } finally {
      await client.end();
    }
    expect((await gdprPreview(S.db, store, admin.principal, `user_id:${data.person}`)).hot.events).toBe(8);
  });

  it("deletes the matches from both tiers; everything else stays byte for byte", async () => {
    const untouchedHot = (await hotBlocksOf(S.db, data.source.id, data.hotDay)).find((b) => b.count === 5)!;
    const before = await archiveRow(S.db, data.source.id, data.archivedDay);
    const [statsBefore] = await S.db.select().from(logSourceStats).where(eq(logSourceStats.sourceId, data.source.id));
    const q = `user_id:${data.person}`;

    await expectTrpcError(callerFor(admin.principal, { db: S.db }).retention.gdprDelete({ q, confirm: "yes" }), "BAD_REQUEST");
    const result = await callerFor(admin.principal, { db: S.db }).retention.gdprDelete({ q, confirm: q });
    expect(result).toMatchObject({ hot: { events: 8, days: 1 }, archived: { events: 8, days: 1 }, hotBlocksRewritten: 1, hotBlocksDeleted: 1 });
    expect(result.generations).toEqual([{ source: data.source.name, day: data.archivedDay, generation: 2 }]);

    // The query finds nothing in either tier.
    expect(await gdprPreview(S.db, store, admin.principal, q)).toEqual({ hot: { events: 0, days: 0 }, archived: { events: 0, days: 0 } });
    const left: GdprHit[] = [];
    for await (const h of gdprEvents(S.db, store, await planQuery(S.db, admin.principal, q))) left.push(h);
    expect(left).toEqual([]);

    // Every other event is as it was, in both tiers.
    const others = (day: string) => canonical(data.all.filter((e) => dayOf(e.ts) === day && e.attributes.user_id !== data.person));
    expect(canonical(await hotEventsOf(S.db, data.source.id, data.hotDay))).toEqual(others(data.hotDay));
    expect(canonical(await archivedEventsOf(S.db, store, data.source.id, data.archivedDay))).toEqual(others(data.archivedDay));
    // A block without matches is not rewritten: same row, same payload bytes.
    const [same] = await S.db.select().from(logBlocks).where(and(eq(logBlocks.day, data.hotDay), eq(logBlocks.id, untouchedHot.id)));
    expect(Buffer.compare(same!.payload, untouchedHot.payload)).toBe(0);
    expect(await S.db.select({ id: logBlocks.id }).from(logBlocks).where(eq(logBlocks.sourceId, data.source.id))).toHaveLength(2);

    // The archived day is a new generation that passes its checksum; the old object is gone.
    const after = await archiveRow(S.db, data.source.id, data.archivedDay);
    expect(after).toMatchObject({ generation: 2, events: 13, blocks: 2 });
    expect(after!.key).not.toBe(before!.key);
    await expect(readArchivedBlocks(store, after!)).resolves.toHaveLength(2);
    expect(await store.get(before!.key)).toBeNull();
    expect(await S.db.select().from(logArchives).where(eq(logArchives.sourceId, data.source.id))).toHaveLength(1);

    // The source's totals lose the hot events deleted.
    const [statsAfter] = await S.db.select().from(logSourceStats).where(eq(logSourceStats.sourceId, data.source.id));
    expect(statsAfter!.events).toBe(statsBefore!.events - 8);
    expect(statsAfter!.storedBytes).toBeLessThan(statsBefore!.storedBytes);

    const [audit] = await auditRows({ action: "logs.gdpr.delete", actorId: admin.id }, S.db);
    expect(audit).toMatchObject({ result: "success", details: { q, hot: { events: 8, days: 1 }, archived: { events: 8, days: 1 } } });

    // Again: nothing left to delete, nothing rewritten.
    const again = await gdprDelete(S.db, store, admin.principal, testMeta(), q);
    expect(again).toMatchObject({ hot: { events: 0 }, archived: { events: 0 }, generations: [] });
    expect((await archiveRow(S.db, data.source.id, data.archivedDay))!.generation).toBe(2);
  });

  it("removes an archived day whose every event matched", async () => {
    const source = await createSource(S.db, null, null, { name: `gdpr-all-${uid()}`, pipeline: [], hotDays: 7, archiveDays: 365 });
    const ts = Date.UTC(2026, 8, 1, 8);
    const person = `p${uid()}`;
    await commitBatch(S.db, { batchId: `gdpr-${uid(8)}`, sourceId: source.id, receivedAt: new Date(), events: [ev(source.name, ts, "hello", { user_id: person }), ev(source.name, ts + 1, "bye", { user_id: person })], deadLetters: [], dropped: 0 });
    const day = dayOf(ts);
    const blocks = await hotBlocksOf(S.db, source.id, day);
    await S.db.transaction((tx) => writeArchiveGeneration(tx, store, { sourceId: source.id, sourceName: source.name, day, blocks, previous: null }));
    const key = (await archiveRow(S.db, source.id, day))!.key;
    await S.db.execute(sql.raw(`drop table "log_blocks_${day.replace(/-/g, "")}_${source.id.replace(/-/g, "")}"`));
    forgetCatalog();

    const r = await gdprDelete(S.db, store, admin.principal, testMeta(), `user_id:${person}`);
    expect(r).toMatchObject({ hot: { events: 0 }, archived: { events: 2, days: 1 }, generations: [{ source: source.name, day, generation: null }] });
    expect(await archiveRow(S.db, source.id, day)).toBeNull();
    expect(await store.get(key)).toBeNull();
  });
});
