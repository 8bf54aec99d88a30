import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { logArchives, logBlocks } from "@/db/schema";
import {
  ARCHIVE_SCHEMA_VERSION,
  archiveBlocks,
  archiveKey,
  CorruptArchiveError,
  encodeArchive,
  manifestKey,
  sha256,
  summarizeArchive,
  type ArchivedBlock,
  type LogArchiveManifest,
} from "./log-archive";
import type { ObjectStore } from "./object-store";

/**
 * Archived days (log_archives rows) and their objects: reading one back verified, writing a new
 * generation (archive, GDPR rewrite), and the hot rows of a source's day in the archive's shape.
 * The row is the pointer: it is written in the caller's transaction, so a reader sees the old
 * generation or the new one, never a half-written day; the replaced object is deleted after commit.
 */
export type ArchiveRow = typeof logArchives.$inferSelect;

export async function archiveRow(db: DbOrTx, sourceId: string, day: string): Promise<ArchiveRow | null> {
  const [row] = await db
    .select()
    .from(logArchives)
    .where(and(eq(logArchives.sourceId, sourceId), eq(logArchives.day, day)));
  return row ?? null;
}

/** The object of an archived day, checked against its row (size and SHA-256). */
export async function readArchiveObject(store: ObjectStore, row: Pick<ArchiveRow, "key" | "sha256" | "bytes">): Promise<Buffer> {
  const buf = await store.get(row.key);
  if (!buf) throw new CorruptArchiveError(`archive object ${row.key} is missing from the ${store.kind} store`);
  if (buf.length !== row.bytes || sha256(buf) !== row.sha256) throw new CorruptArchiveError(`archive object ${row.key} does not match its checksum`);
  return buf;
}

/** The blocks of an archived day (verified), payloads as views into one buffer. */
export async function readArchivedBlocks(store: ObjectStore, row: Pick<ArchiveRow, "key" | "sha256" | "bytes">): Promise<ArchivedBlock[]> {
  return [...archiveBlocks(await readArchiveObject(store, row))];
}

type BlockRow = {
  id: string | number;
  min_ts: Date | string;
  max_ts: Date | string;
  count: number;
  raw_bytes: number;
  tokens: string;
  services: string[];
  hosts: string[];
  level_counts: number[];
  batch_id: string;
  payload: Buffer;
};

/**
 * The hot rows of a source's day (its leaf partition), in the archive's shape, by id. Token arrays
 * come as plain comma-separated text: node-postgres's generic array parser took ~9 s for a
 * million-event day's 4.5 M hashes.
 */
export async function hotBlocksOf(db: DbOrTx, sourceId: string, day: string): Promise<ArchivedBlock[]> {
  const rows = await db.execute<BlockRow>(sql`
    select id, min_ts, max_ts, count, raw_bytes, array_to_string(tokens, ',') as tokens, services, hosts, level_counts, batch_id, payload
    from ${logBlocks} where day = ${day}::date and source_id = ${sourceId}::uuid order by id`);
  return rows.rows.map((r) => ({
    id: Number(r.id),
    minTs: new Date(r.min_ts).getTime(),
    maxTs: new Date(r.max_ts).getTime(),
    count: r.count,
    rawBytes: r.raw_bytes,
    tokens: r.tokens ? r.tokens.split(",").map(Number) : [],
    services: r.services,
    hosts: r.hosts,
    levelCounts: r.level_counts,
    batchId: r.batch_id,
    payload: r.payload,
  }));
}

/** Inserts archived blocks into the hot tier with their ids (restore); the leaf must exist. */
export async function insertHotBlocks(db: DbOrTx, sourceId: string, day: string, blocks: readonly ArchivedBlock[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < blocks.length; i += 200) {
    const page = blocks.slice(i, i + 200);
    const res = await db
      .insert(logBlocks)
      .values(
        page.map((b) => ({
          id: b.id,
          day,
          sourceId,
          minTs: new Date(b.minTs),
          maxTs: new Date(b.maxTs),
          count: b.count,
          rawBytes: b.rawBytes,
          tokens: b.tokens,
          services: b.services,
          hosts: b.hosts,
          levelCounts: b.levelCounts,
          payload: Buffer.from(b.payload),
          batchId: b.batchId,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: logBlocks.id });
    n += res.length;
  }
  return n;
}

export type WrittenGeneration = {
  /** The new row; null when `blocks` was empty (the day's archive was removed). */
  row: ArchiveRow | null;
  /** The object the row pointed to before: delete it (deleteArchiveObject) once the transaction committed. */
  replacedKey: string | null;
};

/**
 * Writes `blocks` as the next generation of a source's day: the object and its manifest, then
 * reads the object back and checks checksum, block and event counts, then points the day's row at
 * it inside `tx`. Nothing is deleted here. Empty `blocks` removes the row (GDPR deleted every event).
 */
export async function writeArchiveGeneration(
  tx: DbOrTx,
  store: ObjectStore,
  o: { sourceId: string; sourceName: string; day: string; blocks: readonly ArchivedBlock[]; previous: ArchiveRow | null; now?: Date },
): Promise<WrittenGeneration> {
  const replacedKey = o.previous?.key ?? null;
  if (o.blocks.length === 0) {
    if (o.previous) await tx.delete(logArchives).where(eq(logArchives.id, o.previous.id));
    return { row: null, replacedKey };
  }
  const generation = (o.previous?.generation ?? 0) + 1;
  const key = archiveKey(o.sourceId, o.day, generation);
  const body = encodeArchive(o.blocks);
  let events = 0;
  let rawBytes = 0;
  let minTs = Infinity;
  let maxTs = -Infinity;
  for (const b of o.blocks) {
    events += b.count;
    rawBytes += b.rawBytes;
    minTs = Math.min(minTs, b.minTs);
    maxTs = Math.max(maxTs, b.maxTs);
  }
  const digest = sha256(body);
  const now = o.now ?? new Date();
  const manifest: LogArchiveManifest = {
    kind: "lookout.logs.day",
    schemaVersion: ARCHIVE_SCHEMA_VERSION,
    key,
    generation,
    sourceId: o.sourceId,
    sourceName: o.sourceName,
    day: o.day,
    minTs: new Date(minTs).toISOString(),
    maxTs: new Date(maxTs).toISOString(),
    blocks: o.blocks.length,
    events,
    rawBytes,
    bytes: body.length,
    sha256: digest,
    createdAt: now.toISOString(),
  };
  await store.put(key, body, "application/octet-stream");
  await store.put(manifestKey(key), Buffer.from(JSON.stringify(manifest, null, 2)), "application/json");
  // Verify what the store holds, not what we meant to write.
  const back = await store.get(key);
  if (!back) throw new CorruptArchiveError(`archive object ${key} is missing right after it was written`);
  const check = summarizeArchive(back);
  if (check.sha256 !== digest || check.blocks !== o.blocks.length || check.events !== events) {
    throw new CorruptArchiveError(`archive object ${key} failed verification (blocks ${check.blocks}/${o.blocks.length}, events ${check.events}/${events}, checksum ${check.sha256 === digest ? "ok" : "mismatch"})`);
  }
  const values = {
    sourceId: o.sourceId,
    day: o.day,
    key,
    generation,
    schemaVersion: ARCHIVE_SCHEMA_VERSION,
    events,
    blocks: o.blocks.length,
    rawBytes,
    bytes: body.length,
    sha256: digest,
    minTs: new Date(minTs),
    maxTs: new Date(maxTs),
    archivedAt: now,
  };
  const [row] = await tx
    .insert(logArchives)
    .values(values)
    .onConflictDoUpdate({ target: [logArchives.sourceId, logArchives.day], set: values })
    .returning();
  return { row: row!, replacedKey };
}

/** Deletes an archive object and its manifest (missing ones are fine). */
export async function deleteArchiveObject(store: ObjectStore, key: string): Promise<void> {
  await store.delete(key);
  await store.delete(manifestKey(key));
}
