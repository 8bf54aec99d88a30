import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { pgArray } from "@/server/lib/sql-array";

/**
 * The partitions retention manages (migration 0011), read from the catalog: log_blocks day
 * parents and their per-source leaves, the metrics tables' day/month partitions, audit_log's
 * months. Names are parsed, never trusted to build SQL as text (sql.identifier quotes them).
 */
export const DAY_MS = 86_400_000;

/** UTC day (YYYY-MM-DD) of an epoch-ms time. */
export function dayString(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `day` plus `n` days (YYYY-MM-DD, UTC). */
export function addDays(day: string, n: number): string {
  return dayString(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);
}

export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** `YYYYMMDD` → `YYYY-MM-DD`. */
function compactDay(s: string): string {
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** A 32-digit hex uuid (leaf name suffix) → canonical form. */
export function uuidOfHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The leaf of log_blocks holding a source's day (lookout_ensure_log_partition names it so). */
export function leafName(sourceId: string, day: string): string {
  return `log_blocks_${day.replaceAll("-", "")}_${sourceId.replaceAll("-", "")}`;
}

export type LogLeaf = { name: string; parent: string; day: string; sourceId: string };

async function childrenOf(db: DbOrTx, parent: string): Promise<string[]> {
  const res = await db.execute<{ name: string }>(sql`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = to_regclass(${parent}) order by c.relname`);
  return res.rows.map((r) => r.name);
}

/** log_blocks day parents (`log_blocks_YYYYMMDD`), with their leaves, by day. */
export async function listLogPartitions(db: DbOrTx): Promise<{ parents: { name: string; day: string }[]; leaves: LogLeaf[] }> {
  const res = await db.execute<{ parent: string; leaf: string | null }>(sql`
    select p.relname as parent, c.relname as leaf
    from pg_inherits pi join pg_class p on p.oid = pi.inhrelid
    left join pg_inherits li on li.inhparent = p.oid
    left join pg_class c on c.oid = li.inhrelid
    where pi.inhparent = 'log_blocks'::regclass
    order by p.relname, c.relname`);
  const parents = new Map<string, string>();
  const leaves: LogLeaf[] = [];
  for (const r of res.rows) {
    const pm = /^log_blocks_(\d{8})$/.exec(r.parent);
    if (!pm) continue;
    const day = compactDay(pm[1]!);
    parents.set(r.parent, day);
    const lm = r.leaf ? /^log_blocks_(\d{8})_([0-9a-f]{32})$/.exec(r.leaf) : null;
    if (lm) leaves.push({ name: r.leaf!, parent: r.parent, day, sourceId: uuidOfHex(lm[2]!) });
  }
  return { parents: [...parents].map(([name, day]) => ({ name, day })), leaves };
}

export type PeriodPartition = { name: string; /** Period start (epoch ms, UTC) */ start: number; /** Period end, exclusive */ end: number; label: string };

/** Day partitions `<table>_YYYYMMDD` (metric_chunks, metric_rollups_5m). */
export async function listDayPartitions(db: DbOrTx, table: "metric_chunks" | "metric_rollups_5m"): Promise<PeriodPartition[]> {
  const re = new RegExp(`^${table}_(\\d{8})$`);
  const out: PeriodPartition[] = [];
  for (const name of await childrenOf(db, table)) {
    const m = re.exec(name);
    if (!m) continue;
    const label = compactDay(m[1]!);
    const start = dayStartMs(label);
    out.push({ name, start, end: start + DAY_MS, label });
  }
  return out;
}

/** Month partitions `<table>_YYYYMM` (metric_rollups_1h, audit_log; never audit_log_default). */
export async function listMonthPartitions(db: DbOrTx, table: "metric_rollups_1h" | "audit_log"): Promise<PeriodPartition[]> {
  const re = new RegExp(`^${table}_(\\d{4})(\\d{2})$`);
  const out: PeriodPartition[] = [];
  for (const name of await childrenOf(db, table)) {
    const m = re.exec(name);
    if (!m) continue;
    const y = Number(m[1]);
    const mo = Number(m[2]) - 1;
    out.push({ name, start: Date.UTC(y, mo, 1), end: Date.UTC(y, mo + 1, 1), label: `${m[1]}-${m[2]}` });
  }
  return out;
}

/** Total size (table, indexes, TOAST) of a relation; 0 when it does not exist. */
export async function relationBytes(db: DbOrTx, name: string): Promise<number> {
  const res = await db.execute<{ bytes: string | null }>(sql`select pg_total_relation_size(to_regclass(${name})) as bytes`);
  return Number(res.rows[0]?.bytes ?? 0);
}

/** Sizes of many relations at once, by name (missing ones left out). */
export async function relationSizes(db: DbOrTx, names: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (names.length === 0) return out;
  const res = await db.execute<{ name: string; bytes: string }>(sql`
    select c.relname as name, pg_total_relation_size(c.oid) as bytes from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relname = any(${pgArray(names)}::text[])`);
  for (const r of res.rows) out.set(r.name, Number(r.bytes));
  return out;
}

/** Drops one partition (by its catalog name) and returns its size before. */
export async function dropPartition(db: DbOrTx, name: string): Promise<number> {
  const bytes = await relationBytes(db, name);
  await db.execute(sql`drop table if exists ${sql.identifier(name)}`);
  return bytes;
}
