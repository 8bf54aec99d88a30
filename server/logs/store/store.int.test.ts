import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { logBlocks, logDeadLetters, logSources, logSourceStats } from "@/db/schema";
import { LOG_LEVELS, type LogEvent } from "@/server/logs/event";
import { uid } from "@/test/helpers";
import { storedEvents } from "@/test/logs";
import { fieldValueKey, fnv1a32 } from "./tokens";
import { encodeBlock } from "./block";
import { commitBatch, planBlocks } from "./write";

async function newSource() {
  const [s] = await getDb().insert(logSources).values({ name: `src-${uid()}` }).returning();
  return s!;
}

function events(n: number, t0: number, source: string, extra: Partial<LogEvent> = {}): LogEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: t0 + i * 1000,
    observedTs: t0 + i * 1000 + 10,
    source,
    service: i % 2 ? "api" : "web",
    host: "h1",
    level: i % 10 === 0 ? "error" : "info",
    message: `request ${i} ${i % 10 === 0 ? "failed: timeout" : "ok"}`,
    traceId: null,
    spanId: null,
    attributes: { n: i },
    ...extra,
  }));
}

describe("log store", () => {
  it("stores each block's row columns exactly as the encoder computed them (arrays with awkward strings too)", async () => {
    const src = await newSource();
    const t0 = Date.UTC(2026, 10, 20, 12, 0, 0);
    const evs = events(1200, t0, src.name).map((e, i) => ({ ...e, service: i % 3 ? 'a,"b"' : "{c}\\d", host: i % 2 ? "h 1" : "NULL" }));
    const res = await commitBatch(getDb(), { batchId: randomUUID(), sourceId: src.id, receivedAt: new Date(), events: evs, deadLetters: [], dropped: 0 });
    expect(res.committed).toBe(true);
    const rows = await getDb().select().from(logBlocks).where(eq(logBlocks.sourceId, src.id)).orderBy(logBlocks.minTs);
    const plan = planBlocks(evs);
    expect(rows).toHaveLength(plan.length);
    rows.forEach((row, i) => {
      const block = encodeBlock(plan[i]!.events);
      expect(row.day).toBe("2026-11-20");
      expect(row.minTs.getTime()).toBe(block.minTs);
      expect(row.maxTs.getTime()).toBe(block.maxTs);
      expect(row.count).toBe(block.count);
      expect(row.rawBytes).toBe(block.rawBytes);
      expect(row.tokens).toEqual(block.tokens);
      expect(new Set(row.services)).toEqual(new Set(block.services));
      expect(new Set(row.hosts)).toEqual(new Set(["h 1", "NULL"]));
      expect(row.levelCounts).toEqual([...LOG_LEVELS.map((l) => block.levelCounts[l]), block.levelCounts.none]);
      expect(Buffer.compare(row.payload, block.payload)).toBe(0);
    });
    expect(new Set(rows[0]!.services)).toEqual(new Set(['a,"b"', "{c}\\d"]));
  });

  it("commits a batch exactly once, across day partitions, with totals and dead letters", async () => {
    const src = await newSource();
    const t0 = Date.UTC(2026, 10, 24, 23, 59, 0); // straddles midnight → two partitions
    const batch = {
      batchId: randomUUID(),
      sourceId: src.id,
      receivedAt: new Date(),
      events: events(2500, t0, src.name),
      deadLetters: [{ step: 0, stepType: "date", error: "unparseable date", event: { message: "x" } }],
      dropped: 3,
    };
    const first = await commitBatch(getDb(), batch);
    expect(first.committed).toBe(true);
    const again = await commitBatch(getDb(), batch);
    expect(again.committed).toBe(false);

    const blocks = await getDb().select({ day: logBlocks.day, count: logBlocks.count }).from(logBlocks).where(eq(logBlocks.sourceId, src.id));
    expect(blocks.reduce((a, b) => a + b.count, 0)).toBe(2500);
    expect(new Set(blocks.map((b) => b.day))).toEqual(new Set(["2026-11-24", "2026-11-25"]));
    expect(Math.max(...blocks.map((b) => b.count))).toBeLessThanOrEqual(1000);

    const [stats] = await getDb().select().from(logSourceStats).where(eq(logSourceStats.sourceId, src.id));
    expect(stats).toMatchObject({ events: 2500, deadLetters: 1 });
    expect(stats!.storedBytes).toBeGreaterThan(0);
    expect(stats!.lastEventAt!.getTime()).toBe(t0 + 2499 * 1000);
    const dl = await getDb().select().from(logDeadLetters).where(eq(logDeadLetters.sourceId, src.id));
    expect(dl).toHaveLength(1);
    expect(dl[0]).toMatchObject({ stepType: "date", error: "unparseable date", event: { message: "x" } });

    const parts = await getDb().execute<{ n: number }>(sql`select count(*)::int as n from pg_inherits where inhparent = 'log_blocks'::regclass`);
    expect(parts.rows[0]!.n).toBeGreaterThanOrEqual(2);
  });

  it("scans newest first, exactly ordered across overlapping blocks, with token pruning", async () => {
    const src = await newSource();
    const t0 = Date.UTC(2026, 10, 25, 10, 0, 0);
    // Two batches whose time ranges interleave.
    const a = events(1500, t0, src.name).filter((_, i) => i % 2 === 0);
    const b = events(1500, t0, src.name).filter((_, i) => i % 2 === 1);
    for (const evs of [a, b]) {
      await commitBatch(getDb(), { batchId: randomUUID(), sourceId: src.id, receivedAt: new Date(), events: evs, deadLetters: [], dropped: 0 });
    }
    const all = await storedEvents(getDb(), { start: t0, end: t0 + 1500 * 1000, sourceIds: [src.id], limit: 2000, pageBlocks: 1 });
    expect(all).toHaveLength(1500);
    expect(all.map((e) => e.ts)).toEqual([...all.map((e) => e.ts)].sort((x, y) => y - x));
    expect(all[0]!.message).toBe("request 1499 ok");

    const failed = await storedEvents(getDb(), {
      start: t0,
      end: t0 + 1500 * 1000,
      sourceIds: [src.id],
      allTokens: [fnv1a32("timeout"), fieldValueKey("service", "web")],
      predicate: (e) => e.message.includes("timeout") && e.service === "web",
      limit: 5,
    });
    expect(failed.map((e) => e.message)).toEqual(["request 1490 failed: timeout", "request 1480 failed: timeout", "request 1470 failed: timeout", "request 1460 failed: timeout", "request 1450 failed: timeout"]);

    const none = await storedEvents(getDb(), { start: t0, end: t0 + 1e7, sourceIds: [src.id], allTokens: [fnv1a32("nosuchtoken")], limit: 10 });
    expect(none).toEqual([]);
    const window = await storedEvents(getDb(), { start: t0 + 10_000, end: t0 + 12_000, sourceIds: [src.id], limit: 10 });
    expect(window.map((e) => e.message)).toEqual(["request 12 ok", "request 11 ok", "request 10 failed: timeout"]);
  });
});

describe("partitions", () => {
  it("creates a source's day partition (and a metrics head hour, chunk day and audit month) once under concurrent first writes", async () => {
    const source = randomUUID();
    const day = new Date(Date.UTC(2045, 0, 1) + Math.floor(Math.random() * 3000) * 86_400_000).toISOString().slice(0, 10);
    const hour = Date.UTC(2045, 0, 1) + Math.floor(Math.random() * 70_000) * 3_600_000;
    for (let round = 0; round < 3; round++) {
      const d = new Date(Date.parse(day) + round * 86_400_000).toISOString().slice(0, 10);
      await Promise.all(Array.from({ length: 6 }, () => getDb().execute(sql`select lookout_ensure_log_partition(${d}::date, ${source}::uuid)`)));
      await Promise.all(Array.from({ length: 6 }, () => getDb().execute(sql`select lookout_ensure_metric_head_partition(${hour + round * 3_600_000}::bigint)`)));
      await Promise.all(Array.from({ length: 6 }, () => getDb().execute(sql`select lookout_ensure_metric_partition('metric_chunks', ${hour + round * 86_400_000}::bigint)`)));
      await Promise.all(Array.from({ length: 6 }, () => getDb().execute(sql`select lookout_ensure_audit_partition(${d}::date)`)));
    }
  });
});
