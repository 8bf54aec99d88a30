import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { logFields } from "@/db/schema";
import type { LogEvent } from "@/server/logs/event";
import type { FieldInfo, FieldType } from "@/server/logs/query/ast";

const MAX_DEPTH = 6;
const MAX_PATH_LENGTH = 256;
/** A source with more distinct paths than this stops adding new ones (runaway keys, e.g. ids as keys). */
export const MAX_FIELDS_PER_BATCH = 500;
/** How long a process trusts that a (source, path, type) is recorded before touching last_seen again. */
const REFRESH_MS = 3_600_000;

export type FieldTypes = Map<string, Set<FieldType>>;

function typeOf(v: unknown): FieldType | null {
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "boolean";
  return null;
}

function walk(into: FieldTypes, prefix: string, value: unknown, depth: number): void {
  if (value === null || value === undefined || depth > MAX_DEPTH || into.size >= MAX_FIELDS_PER_BATCH) return;
  if (Array.isArray(value)) {
    for (const v of value) walk(into, prefix, v, depth + 1);
    return;
  }
  const t = typeOf(value);
  if (t) {
    if (prefix.length > MAX_PATH_LENGTH) return;
    let types = into.get(prefix);
    if (!types) into.set(prefix, (types = new Set()));
    types.add(t);
    return;
  }
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    for (const k in obj) walk(into, prefix ? `${prefix}.${k}` : k, obj[k], depth + 1);
  }
}

/**
 * Attribute paths (dotted) and the value types seen in `events`. Events of one shape share their
 * attribute key list, so each distinct list of top-level keys with the same value types is
 * walked once per batch.
 */
export function collectFieldTypes(events: readonly LogEvent[]): FieldTypes {
  const out: FieldTypes = new Map();
  const seenShapes = new Set<string>();
  for (const e of events) {
    const a = e.attributes;
    let shape = "";
    for (const k in a) {
      const v = a[k];
      shape += `${k}\u0000${v === null ? "n" : Array.isArray(v) ? "a" : (typeof v)[0]}\u0001`;
    }
    if (shape === "" || seenShapes.has(shape)) continue;
    // Nested objects and arrays can still differ inside; only flat shapes are skipped on repeat.
    if (!shape.includes("\u0000o") && !shape.includes("\u0000a")) seenShapes.add(shape);
    walk(out, "", a, 0);
    if (out.size >= MAX_FIELDS_PER_BATCH) break;
  }
  return out;
}

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
