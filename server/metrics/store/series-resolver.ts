/**
 * Series ids for label sets, cached per process so the ingest hot path is a Map lookup; a miss
 * inserts the new series (ON CONFLICT on the fingerprint, so concurrent writers agree) in one
 * round trip per batch. Enforces the per-metric series limit.
 */
import { env } from "@/env";
import { pgArray } from "@/server/lib/sql-array";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { Labels } from "@/server/metrics/model";
import { fingerprintOfKey, normaliseLabels, seriesKey } from "./series-key";

/** Cache bound: beyond it the cache is cleared (ids are re-read on the next miss). */
const MAX_CACHED = 2_000_000;

export interface ResolveResult {
  /** Series id per input label set; 0 where the set was rejected. */
  ids: Int32Array;
  /** Label sets rejected because their metric already has the maximum number of series. */
  rejectedOverLimit: number;
}

export class SeriesResolver {
  private readonly ids = new Map<string, number>();
  private readonly seriesPerMetric = new Map<string, number>();

  constructor(private readonly maxSeriesPerMetric: number) {}

  async resolve(db: DbOrTx, labelSets: Labels[], keys?: string[]): Promise<ResolveResult> {
    const ids = new Int32Array(labelSets.length);
    const missing = new Map<string, { labels: Labels; at: number[] }>();
    for (let i = 0; i < labelSets.length; i++) {
      const key = keys?.[i] ?? seriesKey(labelSets[i]!);
      const id = this.ids.get(key);
      if (id !== undefined) {
        ids[i] = id;
        continue;
      }
      const entry = missing.get(key);
      if (entry) entry.at.push(i);
      else missing.set(key, { labels: labelSets[i]!, at: [i] });
    }
    let rejectedOverLimit = 0;
    if (missing.size === 0) return { ids, rejectedOverLimit };

    const found = await this.lookup(db, [...missing.keys()]);
    const toCreate: { key: string; labels: Labels; name: string }[] = [];
    for (const [key, { labels }] of missing) {
      if (found.has(key)) continue;
      toCreate.push({ key, labels: normaliseLabels(labels), name: labels.__name__ ?? "" });
    }
    if (toCreate.length) {
      const allowed = await this.admit(db, toCreate);
      if (allowed.length) {
        await db.execute(sql`
          insert into metric_series (name, labels, fingerprint)
          select * from unnest(${pgArray(allowed.map((c) => c.name))}::text[], ${pgArray(allowed.map((c) => JSON.stringify(c.labels)))}::jsonb[], ${pgArray(allowed.map((c) => fingerprintOfKey(c.key)))}::bytea[])
          on conflict (fingerprint) do nothing`);
        const created = await this.lookup(db, allowed.map((c) => c.key));
        for (const [key, id] of created) found.set(key, id);
      }
    }
    if (this.ids.size + found.size > MAX_CACHED) this.ids.clear();
    for (const [key, { at }] of missing) {
      const id = found.get(key);
      if (id === undefined) {
        rejectedOverLimit += at.length;
        continue;
      }
      this.ids.set(key, id);
      for (const i of at) ids[i] = id;
    }
    return { ids, rejectedOverLimit };
  }

  /** Forgets cached ids (after series were deleted, or a test dropped the database). */
  clear(): void {
    this.ids.clear();
    this.seriesPerMetric.clear();
  }

  private async lookup(db: DbOrTx, keys: string[]): Promise<Map<string, number>> {
    const fingerprints = keys.map(fingerprintOfKey);
    const byFingerprint = new Map(keys.map((k, i) => [fingerprints[i]!.toString("hex"), k]));
    const rows = await db.execute<{ id: number; fp: string }>(sql`
      select id, encode(fingerprint, 'hex') as fp from metric_series
      where fingerprint = any(${pgArray(fingerprints)}::bytea[])`);
    const out = new Map<string, number>();
    for (const row of rows.rows) out.set(byFingerprint.get(row.fp)!, Number(row.id));
    return out;
  }

  /** The new series that fit under the per-metric limit (counts read once per metric, then kept). */
  private async admit<T extends { name: string }>(db: DbOrTx, candidates: T[]): Promise<T[]> {
    const names = [...new Set(candidates.map((c) => c.name))].filter((n) => !this.seriesPerMetric.has(n));
    if (names.length) {
      const rows = await db.execute<{ name: string; n: string }>(sql`
        select name, count(*) as n from metric_series where name = any(${pgArray(names)}::text[]) group by name`);
      for (const n of names) this.seriesPerMetric.set(n, 0);
      for (const row of rows.rows) this.seriesPerMetric.set(row.name, Number(row.n));
    }
    const out: T[] = [];
    for (const c of candidates) {
      const count = this.seriesPerMetric.get(c.name)!;
      if (count >= this.maxSeriesPerMetric) continue;
      this.seriesPerMetric.set(c.name, count + 1);
      out.push(c);
    }
    return out;
  }
}

const globalForResolver = globalThis as unknown as { __lookoutSeriesResolver?: SeriesResolver };

/** The process's resolver (one cache per process), limited by LOOKOUT_METRICS_MAX_SERIES_PER_METRIC. */
export function sharedSeriesResolver(): SeriesResolver {
  globalForResolver.__lookoutSeriesResolver ??= new SeriesResolver(env().LOOKOUT_METRICS_MAX_SERIES_PER_METRIC);
  return globalForResolver.__lookoutSeriesResolver;
}
