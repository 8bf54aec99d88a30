/**
 * Test data and inspection for the retention integration tests: events written over simulated
 * days, and what the hot tier and the cold tier hold per source and day. Import only from
 * `*.int.test.ts`.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { logArchives } from "@/db/schema";
import { readArchivedBlocks } from "@/server/archive/log-archives";
import type { ObjectStore } from "@/server/archive/object-store";
import type { LogEvent } from "@/server/logs/event";
import { commitBatch } from "@/server/logs/store/write";
import { addDays, dayStartMs } from "@/server/retention/partitions";

export function event(source: string, ts: number, n: number): LogEvent {
  return { ts, observedTs: ts, source, service: "checkout", host: `web-${n % 3}`, level: n % 5 === 0 ? "error" : "info", message: `order ${n} placed`, traceId: null, spanId: null, attributes: { n } };
}

/**
 * Events of one source on `days` days ending with `today` (2 batches, so several blocks a day);
 * returns the count written per day.
 */
export async function writeDays(db: Db, src: { id: string; name: string }, today: string, days: number, perDay: (i: number) => number): Promise<Map<string, number>> {
  const written = new Map<string, number>();
  const batches: LogEvent[][] = [[], []];
  let n = 0;
  for (let i = 0; i < days; i++) {
    const day = addDays(today, -i);
    const count = perDay(i);
    written.set(day, count);
    for (let k = 0; k < count; k++) batches[k % 2]!.push(event(src.name, dayStartMs(day) + Math.floor(((k + 0.5) * 86_000_000) / count), n++));
  }
  for (const events of batches) {
    if (events.length) await commitBatch(db, { batchId: randomUUID(), sourceId: src.id, receivedAt: new Date(), events, deadLetters: [], dropped: 0 });
  }
  return written;
}

export type TierState = {
  /** source id → day → events in the hot tier. */
  hot: Map<string, Map<string, number>>;
  /** source id → day → events in the cold tier (read back from the objects, verified). */
  archived: Map<string, Map<string, number>>;
  hotIds: number[];
  archivedIds: number[];
};

function bump(m: Map<string, Map<string, number>>, source: string, day: string, n: number) {
  let d = m.get(source);
  if (!d) m.set(source, (d = new Map()));
  d.set(day, (d.get(day) ?? 0) + n);
}

export async function tierState(db: Db, store: ObjectStore): Promise<TierState> {
  const state: TierState = { hot: new Map(), archived: new Map(), hotIds: [], archivedIds: [] };
  const hot = await db.execute<{ id: string; source_id: string; day: string; count: number }>(sql`select id, source_id, day::text as day, count from log_blocks`);
  for (const r of hot.rows) {
    bump(state.hot, r.source_id, r.day, r.count);
    state.hotIds.push(Number(r.id));
  }
  for (const row of await db.select().from(logArchives)) {
    for (const b of await readArchivedBlocks(store, row)) {
      bump(state.archived, row.sourceId, row.day, b.count);
      state.archivedIds.push(b.id);
    }
  }
  state.hotIds.sort((x, y) => x - y);
  state.archivedIds.sort((x, y) => x - y);
  return state;
}

/** Leaves of log_blocks (names), sorted. */
export async function leafNames(db: Db): Promise<string[]> {
  const res = await db.execute<{ name: string }>(sql`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent in (select inhrelid from pg_inherits where inhparent = 'log_blocks'::regclass) order by 1`);
  return res.rows.map((r) => r.name);
}

export async function tableExists(db: Db, name: string): Promise<boolean> {
  const res = await db.execute<{ ok: boolean }>(sql`select to_regclass(${name}) is not null as ok`);
  return res.rows[0]!.ok;
}
