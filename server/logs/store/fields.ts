import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { logFields } from "@/db/schema";
import type { FieldInfo, FieldType } from "@/server/logs/query/ast";
import type { FieldTypes } from "./field-types";

/** How long a process trusts that a (source, path, type) is recorded before touching last_seen again. */
const REFRESH_MS = 3_600_000;

const recorded = new Map<string, number>();

/** Test hook (a scratch database was dropped). */
export function forgetRecordedFields(): void {
  recorded.clear();
}

/**
 * Upserts the (source, path, types) this process has not recorded in the last hour. Call inside
 * the batch transaction; the in-memory note is made only after the upsert succeeds, so a rolled
 * back batch is recorded by its retry.
 */
export async function recordFields(tx: DbOrTx, sourceId: string, fields: FieldTypes, now = Date.now()): Promise<() => void> {
  const rows: { sourceId: string; path: string; types: string[] }[] = [];
  const keys: string[] = [];
  for (const [path, types] of fields) {
    const key = `${sourceId}\u0000${path}\u0000${[...types].sort().join(",")}`;
    const at = recorded.get(key);
    if (at !== undefined && now - at < REFRESH_MS) continue;
    rows.push({ sourceId, path, types: [...types].sort() });
    keys.push(key);
  }
  if (rows.length) {
    await tx
      .insert(logFields)
      .values(rows)
      .onConflictDoUpdate({
        target: [logFields.sourceId, logFields.path],
        set: {
          types: sql`(select array_agg(distinct t order by t) from unnest(${logFields.types} || excluded.types) t)`,
          lastSeen: sql`now()`,
        },
      });
  }
  return () => {
    for (const k of keys) recorded.set(k, now);
  };
}

/** Every attribute path recorded for any source, with the union of their types (sorted by path). */
export async function listFields(db: DbOrTx): Promise<FieldInfo[]> {
  const rows = await db.execute<{ path: string; types: string[] }>(
    sql`select path, array_agg(distinct t order by t) as types from log_fields, unnest(types) t group by path order by path`,
  );
  return rows.rows.map((r) => ({ path: r.path, types: r.types as FieldType[] }));
}

/** Sources that have recorded `path` (or a path below it, for object values). */
export async function sourcesWithField(db: DbOrTx, path: string): Promise<Set<string>> {
  const rows = await db.execute<{ source_id: string }>(
    sql`select distinct source_id from log_fields where path = ${path} or starts_with(path, ${`${path}.`})`,
  );
  return new Set(rows.rows.map((r) => r.source_id));
}
