import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { logArchives, logSources } from "@/db/schema";
import { hotBlocksOf, insertHotBlocks, readArchivedBlocks, writeArchiveGeneration } from "@/server/archive/log-archives";
import { LocalObjectStore } from "@/server/archive/object-store";
import { setArchiveStore } from "@/server/archive/store-from-env";
import { createRole } from "@/server/auth/roles";
import type { LogEvent } from "@/server/logs/event";
import { candidateBlocks } from "@/server/logs/search/scan";
import { commitBatch } from "@/server/logs/store/write";
import { getQueue } from "@/server/queues/queues";
import { auditRows, callerFor, createTestKey, createTestUser, expectTrpcError, request, testMeta, uid, type TestUser } from "@/test/helpers";
import { GET as histogramGet } from "@/app/api/v1/logs/histogram/route";
import { GET as searchGet } from "@/app/api/v1/logs/search/route";
import { GET as termsGet } from "@/app/api/v1/logs/terms/route";
import type { LogHit } from "./contract";
import { forgetCatalog, planQuery } from "./plan";

/**
 * Search across the hot and cold tiers. Three days of two sources are written hot; the older two
 * days are then archived and their leaf partitions dropped, as retention does. What a search
 * returned before archiving is what it must return afterwards with includeArchive.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const D0 = Date.UTC(2033, 0, 1) + Math.floor(Math.random() * 300) * DAY;
const DAYS = [D0, D0 + DAY, D0 + 2 * DAY];
const range = { start: D0, end: D0 + 3 * DAY - 1 };
const run = uid();
const svc = (s: string) => `${run}-${s}`;
const dayText = (t: number) => new Date(t).toISOString().slice(0, 10);

const sources: { id: string; name: string }[] = [];
const fixture: LogEvent[] = [];
let storeDir = "";
let store: LocalObjectStore;
let admin: TestUser;
let viewer: TestUser;
let restricted: TestUser;
let oneSource: TestUser;

function event(source: string, day: number, i: number, s: number): LogEvent {
  const status = [200, 200, 404, 500][(i + s) % 4]!;
  return {
    // Both sources interleave in time (same second, different ms), so tiers and sources mix in the order.
    ts: day + 6 * HOUR + i * 20_000 + s * 7,
    observedTs: day,
    source,
    service: [svc("checkout"), svc("payment"), svc("cart")][i % 3]!,
    host: `host-${i % 4}`,
    level: status === 500 ? "error" : status === 404 ? "warn" : i % 5 ? "info" : null,
    message: status === 500 ? `upstream failed for order ${i}: declined by bank` : `order ${i} handled with ${status}`,
    traceId: null,
    spanId: null,
    attributes: { http: { status }, user: { id: i % 40 } },
  };
}

/** The search's order: newest first by (ts, block, index); ids carry day and block. */
async function allPages(q: string, includeArchive: boolean, limit: number, user = admin): Promise<LogHit[]> {
  const out: LogHit[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 1000; i++) {
    const page: { hits: LogHit[]; nextCursor: string | null } = await callerFor(user.principal).logs.search({ q, ...range, limit, cursor, includeArchive });
    out.push(...page.hits);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return out;
}

const QUERIES = ["", "declined", `service:${svc("payment")}`, "level:error", "NOT level:info", "http.status:404", `NOT service:${svc("cart")} AND user.id:7`, "NOT _exists_:level"];
/** Every page of every query while all days were hot. */
const before = new Map<string, LogHit[]>();
/** Surrounding documents of some events while all days were hot. */
const contextAnchors: { label: string; id: string; user: TestUser; want?: unknown }[] = [];
/** An archived event the restricted role's data filter hides. */
let hiddenFromRole = "";
const beforeHist = new Map<string, number[]>();

async function archiveDay(sourceId: string, sourceName: string, day: string): Promise<void> {
  const db = getDb();
  const blocks = await hotBlocksOf(db, sourceId, day);
  await db.transaction((tx) => writeArchiveGeneration(tx, store, { sourceId, sourceName, day, blocks, previous: null }));
  await db.execute(sql.raw(`drop table log_blocks_${day.replace(/-/g, "")}_${sourceId.replace(/-/g, "")}`));
}

beforeAll(async () => {
  const db = getDb();
  storeDir = await mkdtemp(path.join(tmpdir(), "lookout-archive-search-"));
  store = new LocalObjectStore(storeDir);
  setArchiveStore(store);
  for (const name of [`app-${run}`, `edge-${run}`]) {
    const [s] = await db.insert(logSources).values({ name }).returning();
    sources.push({ id: s!.id, name });
  }
  for (const [s, src] of sources.entries()) {
    for (const day of DAYS) {
      const events = Array.from({ length: 1_500 }, (_, i) => event(src.name, day, i, s));
      fixture.push(...events);
      // Several batches per day: several blocks, overlapping in time across sources.
      for (let b = 0; b < 3; b++) {
        await commitBatch(db, { batchId: randomUUID(), sourceId: src.id, receivedAt: new Date(), events: events.slice(b * 500, (b + 1) * 500), deadLetters: [], dropped: 0 });
      }
    }
  }
  forgetCatalog();
  admin = await createTestUser("Admin");
  viewer = await createTestUser("Viewer");
  const roleName = `checkout-archive-${run}`;
  await createRole(db, admin.principal, testMeta(), { name: roleName, permissions: ["logs:read"], dataFilter: { logQuery: `service:${svc("checkout")}` } });
  restricted = await createTestUser(roleName);
  await createRole(db, admin.principal, testMeta(), { name: `${roleName}-src`, permissions: ["logs:read"], dataFilter: { logQuery: `source:${sources[0]!.name}` } });
  oneSource = await createTestUser(`${roleName}-src`);
  for (const q of QUERIES) {
    before.set(q, await allPages(q, false, 700));
    const h = await callerFor(admin.principal).logs.histogram({ q, ...range, step: HOUR });
    beforeHist.set(q, h.buckets.map((b) => b.count));
  }
  before.set("role", await allPages("", false, 1000, restricted));
  // Surrounding documents while everything was hot: anchors whose day either side crosses days
  // that will be archived, and the boundary with the day that stays hot.
  const all = before.get("")!;
  const idAt = (s: number, day: number, i: number) => all.find((h) => h.source === sources[s]!.name && h.ts === day + 6 * HOUR + i * 20_000 + s * 7)!.id;
  contextAnchors.push(
    { label: "archived, the day before archived too", id: idAt(0, DAYS[1]!, 0), user: admin },
    { label: "archived, the day after hot", id: idAt(0, DAYS[1]!, 1499), user: admin },
    { label: "hot, the day before archived", id: idAt(1, DAYS[2]!, 0), user: admin },
    { label: "archived, mid-day", id: idAt(1, DAYS[0]!, 700), user: admin },
    { label: "archived, under a role's data filter", id: idAt(0, DAYS[1]!, 3), user: restricted },
  );
  for (const a of contextAnchors) a.want = await callerFor(a.user.principal).logs.context({ id: a.id, before: 10, after: 10 });
  hiddenFromRole = idAt(0, DAYS[1]!, 1);
  // Hot blocks selected by SQL, for the in-memory filter check.
  for (const day of DAYS.slice(0, 2)) for (const s of sources) await archiveDay(s.id, s.name, dayText(day));
}, 120_000);

afterAll(async () => {
  setArchiveStore(null);
  await rm(storeDir, { recursive: true, force: true });
});

describe("search across hot and archived days", () => {
  it("lists the archived days of a range", async () => {
    const days = await callerFor(admin.principal).logs.archiveDays(range);
    const mine = days.filter((d) => sources.some((s) => s.id === d.sourceId));
    expect(mine.map((d) => `${d.source} ${d.day}`).sort()).toEqual(sources.flatMap((s) => DAYS.slice(0, 2).map((d) => `${s.name} ${dayText(d)}`)).sort());
    expect(mine.every((d) => d.events === 1_500 && d.bytes > 0 && d.restoredUntil === null)).toBe(true);
    // A range inside the hot day reaches no archive.
    expect((await callerFor(admin.principal).logs.archiveDays({ start: DAYS[2]!, end: DAYS[2]! + DAY - 1 })).filter((d) => sources.some((s) => s.id === d.sourceId))).toEqual([]);
  });

  it("without includeArchive only the hot day is searched", async () => {
    const res = await callerFor(admin.principal).logs.search({ q: "", ...range, limit: 10 });
    expect(res.total).toBe(3_000);
    expect(res.hits.every((h) => h.ts >= DAYS[2]!)).toBe(true);
  });

  it.each(QUERIES)("gives the same hits, order, totals and histogram as before archiving: %s", async (q) => {
    const want = before.get(q)!;
    const first = await callerFor(admin.principal).logs.search({ q, ...range, limit: 50, includeArchive: true });
    expect(first.total).toBe(want.length);
    expect(first.totalRelation).toBe("eq");
    // Pages of 700 cross the tier boundary (the hot day holds 3,000 events): each event exactly once.
    const got = await allPages(q, true, 700);
    expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
    expect(got).toEqual(want);
    const hist = await callerFor(admin.principal).logs.histogram({ q, ...range, step: HOUR, includeArchive: true });
    expect(hist.buckets.map((b) => b.count)).toEqual(beforeHist.get(q));
  });

  it("shows an event's surrounding documents from both tiers as it did when all was hot", async () => {
    for (const a of contextAnchors) {
      const got = await callerFor(a.user.principal).logs.context({ id: a.id, before: 10, after: 10 });
      expect(got, a.label).toEqual(a.want);
      expect([got.before.length, got.after.length], a.label).toEqual([10, 10]);
    }
    // Hidden by the role's data filter, archived or not; no such block on an archived day.
    await expectTrpcError(callerFor(restricted.principal).logs.context({ id: hiddenFromRole }), "NOT_FOUND");
    expect((await callerFor(admin.principal).logs.context({ id: hiddenFromRole, before: 0, after: 0 })).anchor.id).toBe(hiddenFromRole);
    await expectTrpcError(callerFor(admin.principal).logs.context({ id: `${dayText(DAYS[0]!)}.999999999.0` }), "NOT_FOUND");
  });

  it("filters archived blocks in memory exactly as SQL selected them hot", async () => {
    const db = getDb();
    const hotDay = dayText(DAYS[2]!);
    for (const q of QUERIES) {
      const plan = await planQuery(db, admin.principal, q);
      const sqlIds = new Set((await candidateBlocks(db, plan, DAYS[2]!, DAYS[2]! + DAY - 1)).map((b) => b.id));
      for (const s of sources) {
        for (const b of await hotBlocksOf(db, s.id, hotDay)) {
          const mem = plan.blockMatches ? plan.blockMatches({ tokens: b.tokens, sourceId: s.id, levelCounts: b.levelCounts }) : true;
          expect(mem, `${q} / block ${b.id}`).toBe(sqlIds.has(b.id));
        }
      }
    }
  });

  it("scans one archived day per call with hits, total and histogram (tRPC archiveScan)", async () => {
    const c = callerFor(admin.principal);
    const q = "declined";
    const want = before.get(q)!;
    const days = (await c.logs.archiveDays(range)).filter((d) => sources.some((s) => s.id === d.sourceId));
    const hot = await c.logs.search({ q, ...range, limit: 1000 });
    let total = hot.total;
    const hits = [...hot.hits];
    let scanned = 0;
    const perBucket = new Map<number, number>();
    for (const d of days) {
      const res = await c.logs.archiveScan({ q, ...range, sourceId: d.sourceId, day: d.day, limit: 1000, step: HOUR });
      expect(res.found).toBe(true);
      expect(res.hits.map((h) => h.ts)).toEqual([...res.hits.map((h) => h.ts)].sort((a, b) => b - a));
      expect(res.hits.every((h) => h.source === d.source && h.timestamp.startsWith(d.day))).toBe(true);
      expect(res.histogram.buckets.reduce((n, b) => n + b.count, 0)).toBe(res.total);
      for (const b of res.histogram.buckets) perBucket.set(b.ts, (perBucket.get(b.ts) ?? 0) + b.count);
      total += res.total;
      hits.push(...res.hits);
      scanned += res.eventsScanned;
      expect(res.bytesScanned).toBe(d.bytes);
    }
    expect(total).toBe(want.length);
    expect(new Set(hits.map((h) => h.id))).toEqual(new Set(want.map((h) => h.id)));
    expect(scanned).toBe(4 * 1_500);
    // The block filter skips blocks without the word: only the last batch's block of each day holds "1499".
    let rare = 0;
    let rareScanned = 0;
    for (const d of days) {
      const res = await c.logs.archiveScan({ q: "1499", ...range, sourceId: d.sourceId, day: d.day });
      rare += res.total;
      rareScanned += res.eventsScanned;
    }
    expect(rare).toBe(4);
    expect(rareScanned).toBe(4 * 500);
    // A day's pages by cursor.
    const d = days[0]!;
    const p1 = await c.logs.archiveScan({ q: "", ...range, sourceId: d.sourceId, day: d.day, limit: 1000 });
    const p2 = await c.logs.archiveScan({ q: "", ...range, sourceId: d.sourceId, day: d.day, limit: 1000, cursor: p1.nextCursor });
    expect(p1.total).toBe(1_500);
    expect(p2.nextCursor).toBeNull();
    expect(new Set([...p1.hits, ...p2.hits].map((h) => h.id)).size).toBe(1_500);
    await expectTrpcError(c.logs.archiveScan({ q: "", ...range, sourceId: d.sourceId, day: d.day, cursor: "bogus" }), "BAD_REQUEST");
  });

  it("applies the role's data filter to archived days", async () => {
    const want = before.get("role")!;
    expect(want.length).toBe(6 * 500);
    const got = await allPages("", true, 1000, restricted);
    expect(got).toEqual(want);
    const c = callerFor(restricted.principal);
    expect((await c.logs.search({ q: `service:${svc("cart")}`, ...range, includeArchive: true })).total).toBe(0);
    const d = (await c.logs.archiveDays(range)).find((x) => x.sourceId === sources[0]!.id)!;
    const res = await c.logs.archiveScan({ q: "", ...range, sourceId: d.sourceId, day: d.day, limit: 1000 });
    expect(res.total).toBe(500);
    expect(res.hits.every((h) => h.service === svc("checkout"))).toBe(true);
    const terms = await c.logs.terms({ field: "service", q: "", ...range, includeArchive: true });
    expect(terms.buckets).toEqual([{ value: svc("checkout"), count: 3_000 }]);
    // A filter by source hides the other sources' archived days, and their objects are not read.
    const o = callerFor(oneSource.principal);
    const listed = (await o.logs.archiveDays(range)).filter((x) => sources.some((s) => s.id === x.sourceId));
    expect(listed.map((x) => x.source)).toEqual([sources[0]!.name, sources[0]!.name]);
    expect((await o.logs.search({ q: "", ...range, includeArchive: true })).total).toBe(3 * 1_500);
    const other = await o.logs.archiveScan({ q: "", ...range, sourceId: sources[1]!.id, day: dayText(DAYS[0]!) });
    expect([other.total, other.bytesScanned]).toEqual([0, 0]);
  });

  it("serves includeArchive over REST (search, histogram, terms)", async () => {
    const { key } = await createTestKey(["query"]);
    const auth = { authorization: `Bearer ${key}` };
    const qs = (p: Record<string, string>) => new URLSearchParams({ start: new Date(range.start).toISOString(), end: String(range.end / 1000), ...p }).toString();
    const want = before.get("declined")!;
    const res = await searchGet(request(`/api/v1/logs/search?${qs({ q: "declined", limit: "1000", includeArchive: "true" })}`, { headers: auth }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; hits: LogHit[]; nextCursor: string | null };
    expect(body.total).toBe(want.length);
    expect(body.hits.map((h) => h.id)).toEqual(want.slice(0, 1000).map((h) => h.id));
    const hot = (await (await searchGet(request(`/api/v1/logs/search?${qs({ q: "declined" })}`, { headers: auth }))).json()) as { total: number };
    expect(hot.total).toBe(want.filter((h) => h.ts >= DAYS[2]!).length);
    const hist = (await (await histogramGet(request(`/api/v1/logs/histogram?${qs({ q: "declined", step: "1h", includeArchive: "true" })}`, { headers: auth }))).json()) as { total: number };
    expect(hist.total).toBe(want.length);
    const terms = (await (await termsGet(request(`/api/v1/logs/terms?${qs({ field: "level", q: `source:${sources[1]!.name}`, includeArchive: "true", size: "10" })}`, { headers: auth }))).json()) as {
      buckets: { value: string; count: number }[];
      missing: number;
    };
    const edge = fixture.filter((e) => e.source === sources[1]!.name);
    expect(new Map(terms.buckets.map((b) => [b.value, b.count]))).toEqual(
      new Map(["info", "warn", "error"].map((l) => [l, edge.filter((e) => e.level === l).length])),
    );
    expect(terms.missing).toBe(edge.filter((e) => e.level === null).length);
    expect((await searchGet(request(`/api/v1/logs/search?${qs({ includeArchive: "maybe" })}`, { headers: auth }))).status).toBe(400);
  });

  it("never counts a restored day twice, nor blocks of an expired restore still in the hot tier", async () => {
    const db = getDb();
    const s = sources[0]!;
    const day = dayText(DAYS[0]!);
    const [row] = await db.select().from(logArchives).where(and(eq(logArchives.sourceId, s.id), eq(logArchives.day, day)));
    const blocks = await readArchivedBlocks(store, row!);
    await db.execute(sql`select lookout_ensure_log_partition(${day}::date, ${s.id}::uuid)`);
    // Half restored (a restore in progress): the rest still comes from the archive.
    await insertHotBlocks(db, s.id, day, blocks.slice(0, 1));
    const want = before.get("")!;
    expect((await callerFor(admin.principal).logs.search({ q: "", ...range, limit: 10, includeArchive: true })).total).toBe(want.length);
    // Restored: the day is hot until restored_until and not listed as archived.
    await insertHotBlocks(db, s.id, day, blocks);
    await db.update(logArchives).set({ restoredUntil: new Date(Date.now() + HOUR) }).where(eq(logArchives.id, row!.id));
    expect((await callerFor(admin.principal).logs.archiveDays(range)).some((d) => d.sourceId === s.id && d.day === day)).toBe(false);
    expect(await allPages("", true, 1000)).toEqual(want);
    // Expired, rows not dropped yet: listed again, read hot, still once.
    await db.update(logArchives).set({ restoredUntil: new Date(Date.now() - HOUR) }).where(eq(logArchives.id, row!.id));
    expect((await callerFor(admin.principal).logs.archiveDays(range)).find((d) => d.sourceId === s.id && d.day === day)?.restoredUntil).toBeTruthy();
    expect((await callerFor(admin.principal).logs.search({ q: "declined", ...range, limit: 1000, includeArchive: true })).hits).toEqual(before.get("declined")!.slice(0, 1000));
    await db.execute(sql.raw(`drop table log_blocks_${day.replace(/-/g, "")}_${s.id.replace(/-/g, "")}`));
    await db.update(logArchives).set({ restoredUntil: null }).where(eq(logArchives.id, row!.id));
  });

  it("enqueues a restore for sources:write, audited; refuses others", async () => {
    const s = sources[1]!;
    const day = dayText(DAYS[1]!);
    const res = await callerFor(admin.principal).logs.restoreArchivedDay({ sourceId: s.id, day, hours: 24 });
    expect(res.jobId).toBeTruthy();
    const job = await getQueue("retention").getJob(res.jobId!);
    expect(job?.data).toEqual({ kind: "restore", sourceId: s.id, day, hours: 24, actor: admin.principal.name });
    await job?.remove();
    const audit = await auditRows({ action: "retention.restore.request", targetId: `${s.id}/${day}` });
    expect(audit[0]?.actorId).toBe(admin.id);
    await expectTrpcError(callerFor(viewer.principal).logs.restoreArchivedDay({ sourceId: s.id, day, hours: 24 }), "FORBIDDEN");
    await expectTrpcError(callerFor(admin.principal).logs.restoreArchivedDay({ sourceId: s.id, day: "1999-01-01", hours: 24 }), "NOT_FOUND");
    // Viewers may search the archive.
    expect((await callerFor(viewer.principal).logs.archiveDays(range)).length).toBeGreaterThan(0);
  });

  it("answers a corrupt archive object with a clear error, not a crash", async () => {
    const db = getDb();
    const s = sources[1]!;
    const day = dayText(DAYS[0]!);
    const [row] = await db.select().from(logArchives).where(and(eq(logArchives.sourceId, s.id), eq(logArchives.day, day)));
    const good = (await store.get(row!.key))!;
    const bad = Buffer.from(good);
    bad[bad.length - 10] ^= 0xff;
    await store.put(row!.key, bad);
    try {
      const err = await expectTrpcError(callerFor(admin.principal).logs.search({ q: "", ...range, includeArchive: true }), "INTERNAL_SERVER_ERROR");
      expect(err.message).toMatch(new RegExp(`archive of ${s.name} for ${day} cannot be read .*checksum`));
      const { key } = await createTestKey(["query"]);
      const rest = await searchGet(request(`/api/v1/logs/search?${new URLSearchParams({ start: String(range.start / 1000), end: String(range.end / 1000), includeArchive: "true" })}`, { headers: { authorization: `Bearer ${key}` } }));
      expect(rest.status).toBe(503);
      expect(((await rest.json()) as { message: string }).message).toMatch(/cannot be read/);
      // The hot tier still answers.
      expect((await callerFor(admin.principal).logs.search({ q: "", ...range })).total).toBe(3_000);
    } finally {
      await store.put(row!.key, good);
    }
  });
});
