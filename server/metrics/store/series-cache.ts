/**
 * Per-process cache of series lookups (`metric_series` rows by label matchers), per database handle.
 *
 * `metric_series` rows are only ever inserted: never updated, and never deleted (delete_series
 * removes samples and keeps the rows, see delete.ts). So the rows matching a SQL filter can only
 * grow, and a cached list is still exact when the filter's row count has not changed. Each lookup
 * runs one statement (one snapshot) that counts the filter's rows and returns those with an id
 * above the largest cached one: cached + new adding up to the count means nothing else appeared
 * (a series committed late with a lower id would make the sum fall short), so the lookup costs an
 * index count instead of transferring and parsing every row; otherwise the filter is re-read whole.
 * Cached label sets are frozen: they are shared by every query that selects them.
 */
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { Labels } from "@/server/metrics/model";

export interface StoredSeries {
  id: number;
  labels: Labels;
}

/** Filters kept per database handle (least recently used dropped first). */
const MAX_ENTRIES = 500;
/** Series kept over all filters of a handle; beyond it the least recently used filters go. */
const MAX_SERIES = 2_000_000;

interface Entry {
  rows: StoredSeries[];
  maxId: number;
  /** Rows narrowed by the matchers SQL cannot express, per matcher set; emptied when rows change. */
  narrowed: Map<string, StoredSeries[]>;
}

class SeriesCache {
  private readonly entries = new Map<string, Entry>();
  private total = 0;

  /** Rows of `metric_series` matching `where` (a condition on its columns; `key` identifies it). */
  async rows(db: DbOrTx, key: string, where: SQL): Promise<Entry> {
    const cached = this.entries.get(key);
    if (cached) {
      const res = await db.execute<{ id: number | null; labels: Labels | null; total: number | null }>(sql`
        select null::int4 as id, null::jsonb as labels, count(*)::int4 as total from metric_series where ${where}
        union all
        select id, labels, null from metric_series where ${where} and id > ${cached.maxId}`);
      let count = -1;
      const fresh: StoredSeries[] = [];
      for (const r of res.rows) {
        if (r.total !== null) count = Number(r.total);
        else fresh.push({ id: Number(r.id), labels: Object.freeze(r.labels!) });
      }
      this.entries.delete(key);
      if (cached.rows.length + fresh.length === count) {
        if (fresh.length) {
          const rows = cached.rows.concat(fresh);
          const entry = { rows, maxId: maxIdOf(rows), narrowed: new Map<string, StoredSeries[]>() };
          return this.keep(key, entry, cached.rows.length);
        }
        this.entries.set(key, cached); // most recently used
        return cached;
      }
      this.total -= cached.rows.length;
    }
    const res = await db.execute<{ id: number; labels: Labels }>(sql`select id, labels from metric_series where ${where}`);
    const rows = res.rows.map((r) => ({ id: Number(r.id), labels: Object.freeze(r.labels) }));
    return this.keep(key, { rows, maxId: maxIdOf(rows), narrowed: new Map() }, 0);
  }

  private keep(key: string, entry: Entry, replacedRows: number): Entry {
    this.total += entry.rows.length - replacedRows;
    this.entries.set(key, entry);
    for (const [k, e] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.total <= MAX_SERIES) break;
      if (k === key) continue;
      this.entries.delete(k);
      this.total -= e.rows.length;
    }
    return entry;
  }
}

function maxIdOf(rows: StoredSeries[]): number {
  let max = 0;
  for (const r of rows) if (r.id > max) max = r.id;
  return max;
}

const caches = new WeakMap<DbOrTx, SeriesCache>();

/** Series rows matching `where`, cached for `db` (see the module comment). */
export async function cachedSeriesRows(db: DbOrTx, key: string, where: SQL): Promise<{ rows: StoredSeries[]; narrowed: Map<string, StoredSeries[]> }> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new SeriesCache()));
  return cache.rows(db, key, where);
}
