/**
 * The cold tier's hot paths on one source's day of BENCH_EVENTS (1,000,000) events (half nginx
 * access lines, half JSON app logs, bench/lib/log-events.ts), committed through the real store
 * (commitBatch) into a scratch database that is dropped at the end. Prints, as medians over
 * BENCH_RUNS (3) runs:
 *   (a) archive throughput: hotBlocksOf + writeArchiveGeneration (encode, put, read back, verify,
 *       row upsert) to a LocalObjectStore in a temp dir, and to S3 when LOOKOUT_ARCHIVE_S3_BUCKET
 *       and LOOKOUT_ARCHIVE_S3_ENDPOINT are set: MB/s of raw event bytes and of object bytes, events/s
 *   (b) compression of the day: raw bytes (blocks' rawBytes; NDJSON of the events) / object bytes
 *   (c) search of the day, exact totals: hot (searchLogs) and, after the hot leaf is dropped as
 *       retention does, archived (searchLogs includeArchive: object read back verified, blocks
 *       skipped by the query's block filter, the rest decoded and matched); events of the day / s
 *
 *   npm run bench:retention          (BENCH_EVENTS=200000 for a shorter run)
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { createDb, createPool, type Db } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { logSources } from "@/db/schema";
import { env } from "@/env";
import { LocalObjectStore, type ObjectStore } from "@/server/archive/object-store";
import { archiveRow, deleteArchiveObject, hotBlocksOf, writeArchiveGeneration, type ArchiveRow } from "@/server/archive/log-archives";
import { S3ObjectStore } from "@/server/archive/s3-store";
import { s3ConfigFromEnv, setArchiveStore } from "@/server/archive/store-from-env";
import type { Principal } from "@/server/auth/principal";
import type { LogEvent } from "@/server/logs/event";
import { SearchInput } from "@/server/logs/search/contract";
import { searchLogs } from "@/server/logs/search/service";
import { commitBatch, dayOf, ensurePartitions, forgetPartitions } from "@/server/logs/store/write";
import { appEvent, nginxEvent } from "./lib/log-events";

const DAY = 86_400_000;
const MB = 1024 * 1024;
const total = Number(process.env.BENCH_EVENTS || 1_000_000);
const runs = Math.max(1, Number(process.env.BENCH_RUNS || 3));
const BATCH = 10_000;
const IN_FLIGHT = 4;
const QUERIES = [
  ["term", "timeout"],
  ["field", "service:payments AND level:error"],
  ["attribute", "response:500"],
] as const;

const principal = { type: "service_account", id: "bench", name: "bench", apiKeyId: "bench", scopes: ["query"], permissions: new Set(["logs:read"]), dataFilter: null } as unknown as Principal;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(title: string, head: string[], rows: (string | number)[][]): void {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(`\n${title}\n${line(head)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const r of cells.slice(1)) console.log(line(r));
}

/** Commits the day in batches of BATCH events, IN_FLIGHT at a time; returns the events' NDJSON size. */
async function load(db: Db, sourceId: string, sourceName: string, dayStart: number): Promise<number> {
  await ensurePartitions(db, sourceId, [dayOf(dayStart)]);
  const spacing = DAY / total;
  let ndjson = 0;
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < total) {
      const from = next;
      next += BATCH;
      const events: LogEvent[] = [];
      for (let i = from; i < Math.min(total, from + BATCH); i++) {
        const ts = Math.floor(dayStart + i * spacing);
        const e = i % 2 === 0 ? nginxEvent(i, ts, sourceName) : appEvent(i, ts, sourceName);
        ndjson += Buffer.byteLength(JSON.stringify(e)) + 1;
        events.push(e);
      }
      await commitBatch(db, { batchId: randomUUID(), sourceId, receivedAt: new Date(), events, deadLetters: [], dropped: 0 });
      done += events.length;
      if (done % (BATCH * 20) === 0) console.log(`loaded ${fmt(done)} events (${fmt(done / ((performance.now() - t0) / 1000))} events/s)`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  console.log(`loaded ${fmt(total)} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return ndjson;
}

type ArchiveFigures = { store: ObjectStore; row: ArchiveRow; payloadBytes: number; readMs: number; writeMs: number; totalMs: number };

/** Archives the day `runs` times (each a new generation, the replaced one deleted); medians. */
async function archiveDay(db: Db, store: ObjectStore, sourceId: string, sourceName: string, day: string): Promise<ArchiveFigures> {
  const read: number[] = [];
  const write: number[] = [];
  const all: number[] = [];
  let payloadBytes = 0;
  for (let r = 0; r < runs; r++) {
    const previous = await archiveRow(db, sourceId, day);
    const t0 = performance.now();
    const blocks = await hotBlocksOf(db, sourceId, day);
    const t1 = performance.now();
    payloadBytes = blocks.reduce((n, b) => n + b.payload.length, 0);
    const { replacedKey } = await db.transaction((tx) => writeArchiveGeneration(tx, store, { sourceId, sourceName, day, blocks, previous }));
    const t2 = performance.now();
    if (replacedKey) await deleteArchiveObject(store, replacedKey);
    read.push(t1 - t0);
    write.push(t2 - t1);
    all.push(t2 - t0);
  }
  return { store, row: (await archiveRow(db, sourceId, day))!, payloadBytes, readMs: median(read), writeMs: median(write), totalMs: median(all) };
}

/**
 * The product's search of an archived day: searchLogs with includeArchive after the hot leaf is
 * gone (the archived day read back verified, blocks skipped by the query's block filter, the rest
 * decoded and matched, exact total); medians.
 */
async function archiveSearch(db: Db, store: ObjectStore, q: string, dayStart: number) {
  setArchiveStore(store);
  try {
    const times: number[] = [];
    let hits = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const res = await searchLogs(db, principal, SearchInput.parse({ q, start: dayStart, end: dayStart + DAY - 1, limit: 100, trackTotalHits: true, includeArchive: true }));
      times.push(performance.now() - t0);
      hits = res.total;
    }
    return { hits, ms: median(times) };
  } finally {
    setArchiveStore(null);
  }
}

async function hotSearch(db: Db, q: string, dayStart: number) {
  const times: number[] = [];
  let hits = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const res = await searchLogs(db, principal, SearchInput.parse({ q, start: dayStart, end: dayStart + DAY - 1, limit: 100, trackTotalHits: true }));
    times.push(performance.now() - t0);
    hits = res.total;
  }
  return { hits, ms: median(times) };
}

async function main() {
  const base = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const dbName = `lookout_bench_retention_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${pg.escapeIdentifier(dbName)}`);
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), "lookout-bench-archive-"));
  const pool = createPool(u.toString(), IN_FLIGHT + 2);
  const s3Config = process.env.LOOKOUT_ARCHIVE_S3_BUCKET && process.env.LOOKOUT_ARCHIVE_S3_ENDPOINT ? s3ConfigFromEnv(env()) : null;
  const s3 = s3Config ? new S3ObjectStore({ ...s3Config, prefix: `${s3Config.prefix ?? ""}bench-${randomUUID().slice(0, 8)}/` }) : null;
  try {
    await runMigrations(u.toString());
    const db = createDb(pool);
    const [src] = await db.insert(logSources).values({ name: "bench-day" }).returning();
    const dayStart = Math.floor(Date.now() / DAY) * DAY - DAY;
    const day = dayOf(dayStart);
    console.log(`scratch database ${dbName}; source ${src!.name}, day ${day}, ${fmt(total)} events; medians of ${runs} runs`);
    const ndjsonBytes = await load(db, src!.id, src!.name, dayStart);
    await db.execute(sql`vacuum analyze log_blocks`);
    const hotSize = await db.execute<{ bytes: string }>(
      sql`select coalesce(sum(pg_total_relation_size(c.oid)), 0)::text as bytes from pg_class c join pg_inherits i on i.inhrelid = c.oid join pg_inherits d on d.inhrelid = i.inhparent where d.inhparent = 'log_blocks'::regclass`,
    );

    // (a) archive throughput
    const archived: ArchiveFigures[] = [await archiveDay(db, new LocalObjectStore(dir), src!.id, src!.name, day)];
    // The S3 runs write the next generations of the same day; the searches read each store's own object.
    if (s3) archived.push(await archiveDay(db, s3, src!.id, src!.name, day));
    const row = archived[archived.length - 1]!.row;
    const raw = row.rawBytes;
    table(
      `(a) archive throughput: hotBlocksOf + writeArchiveGeneration (${fmt(row.blocks)} blocks, ${fmt(row.events)} events)`,
      ["store", "read hot ms", "write+verify ms", "total ms", "raw MB/s", "object MB/s", "events/s"],
      archived.map((a) => [
        a.store.kind === "s3" ? `s3 ${a.store.location}` : `local ${a.store.location}`,
        fmt(a.readMs),
        fmt(a.writeMs),
        fmt(a.totalMs),
        fmt(raw / MB / (a.totalMs / 1000), 1),
        fmt(a.row.bytes / MB / (a.totalMs / 1000), 1),
        fmt(a.row.events / (a.totalMs / 1000)),
      ]),
    );

    // (b) compression
    const hotBytes = Number(hotSize.rows[0]!.bytes);
    const payload = archived[archived.length - 1]!.payloadBytes;
    table("(b) compression of the day", ["measure", "bytes", "MB", "ratio to archive object"], [
      ["archive object", fmt(row.bytes), fmt(row.bytes / MB, 1), "1.00"],
      ["  of which block payloads (compressed columns)", fmt(payload), fmt(payload / MB, 1), fmt(payload / row.bytes, 2)],
      ["  of which block meta (token hashes ...) + framing", fmt(row.bytes - payload), fmt((row.bytes - payload) / MB, 1), fmt((row.bytes - payload) / row.bytes, 2)],
      ["raw (sum of blocks' rawBytes)", fmt(raw), fmt(raw / MB, 1), fmt(raw / row.bytes, 2)],
      ["NDJSON of the events", fmt(ndjsonBytes), fmt(ndjsonBytes / MB, 1), fmt(ndjsonBytes / row.bytes, 2)],
      ["hot partition on disk (heap+TOAST+indexes)", fmt(hotBytes), fmt(hotBytes / MB, 1), fmt(hotBytes / row.bytes, 2)],
    ]);

    // (c) archive search vs hot search: hot first, then the leaf is dropped as retention does.
    const rows: (string | number)[][] = [];
    const hot = new Map<string, { hits: number; ms: number }>();
    for (const [, q] of QUERIES) hot.set(q, await hotSearch(db, q, dayStart));
    await db.execute(sql`drop table ${sql.identifier(`log_blocks_${day.replaceAll("-", "")}_${src!.id.replaceAll("-", "")}`)}`);
    forgetPartitions();
    for (const [kind, q] of QUERIES) {
      const h = hot.get(q)!;
      rows.push([`${kind}: ${q}`, "hot (searchLogs, exact total)", fmt(h.hits), fmt(h.ms), fmt(total / (h.ms / 1000))]);
      for (const a of archived) {
        const r = await archiveSearch(db, a.store, q, dayStart);
        rows.push(["", `archive ${a.store.kind} (searchLogs includeArchive, exact total)`, fmt(r.hits), fmt(r.ms), fmt(total / (r.ms / 1000))]);
      }
    }
    table("(c) search of the day: archive vs hot (events/s = events of the day / time)", ["query", "how", "matches", "ms", "events/s"], rows);
  } finally {
    s3?.close();
    await pool.end();
    await rm(dir, { recursive: true, force: true });
    await admin.query(`drop database if exists ${pg.escapeIdentifier(dbName)} with (force)`);
    await admin.end();
    console.log(`\ndropped ${dbName}`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
