/** TYPE/HELP/UNIT per metric family (`metric_metadata`), as last received from any ingest path. */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { pgArray } from "@/server/lib/sql-array";

export interface MetricMetadata {
  name: string;
  type: string;
  help: string;
  unit: string;
}

/** Upserts the last entry per name; rows are rewritten only when they change. */
export async function upsertMetadata(db: DbOrTx, metadata: MetricMetadata[]): Promise<void> {
  const latest = new Map(metadata.filter((m) => m.name).map((m) => [m.name, m]));
  if (latest.size === 0) return;
  const rows = [...latest.values()];
  await db.execute(sql`
    insert into metric_metadata (name, type, help, unit)
    select * from unnest(${pgArray(rows.map((m) => m.name))}::text[], ${pgArray(rows.map((m) => m.type))}::text[], ${pgArray(rows.map((m) => m.help))}::text[], ${pgArray(rows.map((m) => m.unit))}::text[])
    on conflict (name) do update set type = excluded.type, help = excluded.help, unit = excluded.unit, updated_at = now()
    where (metric_metadata.type, metric_metadata.help, metric_metadata.unit) is distinct from (excluded.type, excluded.help, excluded.unit)`);
}
