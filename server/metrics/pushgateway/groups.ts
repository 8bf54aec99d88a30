/**
 * Pushgateway groups in PostgreSQL (`pushgateway_groups`): a push replaces families of the group
 * (rules in pushgateway.ts), writes the pushed values and stale markers for what it replaced, and
 * the group keeps answering: `republishGroups` samples every group's values into storage on a
 * schedule, as a Prometheus scraping a Pushgateway would, until the group is deleted.
 */
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { pushgatewayGroups } from "@/db/schema";
import { AppError } from "@/server/lib/errors";
import { fromJsonValue, toJsonValue } from "@/server/metrics/ingest-service";
import type { MetricMetadata } from "@/server/metrics/store/metadata";
import type { Labels, SeriesSamplesInput } from "@/server/metrics/model";
import type { SeriesResolver } from "@/server/metrics/store/series-resolver";
import { appendSamples, type AppendResult } from "@/server/metrics/store/write";
import { groupKey, planPush, prepareGroup, pushFailureSeries, staleMarkers, type PushMethod } from "./pushgateway";

const JsonValue = z.union([z.number(), z.enum(["NaN", "+Inf", "-Inf"])]);
const StoredFamiliesSchema = z.array(
  z.object({
    name: z.string(),
    type: z.string(),
    help: z.string(),
    unit: z.string(),
    series: z.array(z.object({ labels: z.record(z.string(), z.string()), value: JsonValue })),
  }),
);
type StoredFamily = z.infer<typeof StoredFamiliesSchema>[number];

/** What to write after a push: the pushed values and stale markers, with metadata. */
export interface PushOutcome {
  series: SeriesSamplesInput[];
  metadata: MetricMetadata[];
}

/**
 * Applies a PUT/POST/DELETE to a group in one transaction (the group row is the durable copy;
 * the caller queues `series` for storage afterwards). A body that does not parse records a
 * failed push (push_failure_time_seconds) and throws the parse error (400).
 */
export async function applyPush(
  db: Db,
  method: PushMethod,
  grouping: Labels,
  body: string,
  contentType: string | null,
  nowMs: number,
): Promise<PushOutcome> {
  const key = groupKey(grouping);
  // Plain objects for the JSON columns (the push parser builds prototype-less label maps).
  const groupingJson = { ...grouping };
  let failure: AppError | null = null;
  const outcome = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(pushgatewayGroups).where(eq(pushgatewayGroups.groupKey, key)).for("update");
    const existing: StoredFamily[] = row ? StoredFamiliesSchema.parse(row.families) : [];
    const existingSeries = existing.flatMap((f) => f.series.map((s) => ({ family: f.name, labels: s.labels })));
    if (method === "DELETE") {
      if (row) await tx.delete(pushgatewayGroups).where(eq(pushgatewayGroups.groupKey, key));
      return { series: staleMarkers(existingSeries, { kind: "delete" }, nowMs), metadata: [] };
    }
    let prepared;
    try {
      prepared = prepareGroup(grouping, body, contentType, nowMs, { lastFailureSeconds: (row?.lastFailureMs ?? 0) / 1000 });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      failure = err;
      await tx
        .insert(pushgatewayGroups)
        .values({ groupKey: key, grouping: groupingJson, families: existing, lastFailureMs: nowMs })
        .onConflictDoUpdate({ target: pushgatewayGroups.groupKey, set: { lastFailureMs: nowMs } });
      return { series: pushFailureSeries(grouping, nowMs, (row?.lastPushMs ?? 0) / 1000), metadata: [] };
    }
    const plan = planPush(method, existing.map((f) => f.name), prepared);
    const replaced = plan.kind === "write" && plan.replaceFamilies !== "all" ? new Set(plan.replaceFamilies) : null;
    const pushedNames = new Set(prepared.families.map((f) => f.name));
    const kept = replaced ? existing.filter((f) => !replaced.has(f.name) && !pushedNames.has(f.name)) : [];
    const families: StoredFamily[] = [
      ...kept,
      ...prepared.families.map((f) => ({
        name: f.name,
        type: f.type,
        help: f.help,
        unit: f.unit,
        series: f.series.map((s) => ({ labels: { ...s.labels }, value: toJsonValue(s.samples[0]!.value) })),
      })),
    ];
    await tx
      .insert(pushgatewayGroups)
      .values({ groupKey: key, grouping: groupingJson, families, lastPushMs: nowMs })
      .onConflictDoUpdate({ target: pushgatewayGroups.groupKey, set: { families, lastPushMs: nowMs } });
    return { series: [...prepared.series, ...staleMarkers(existingSeries, plan, nowMs)], metadata: prepared.metadata };
  });
  if (failure) throw failure;
  return outcome;
}

/** Every group's current values at `nowMs` (what a scrape of the gateway would return). */
export async function groupSamples(db: Db, nowMs: number): Promise<SeriesSamplesInput[]> {
  const rows = await db.select({ families: pushgatewayGroups.families }).from(pushgatewayGroups);
  const out: SeriesSamplesInput[] = [];
  for (const row of rows) {
    const parsed = StoredFamiliesSchema.safeParse(row.families);
    if (!parsed.success) continue;
    for (const f of parsed.data) for (const s of f.series) out.push({ labels: s.labels, samples: [{ timestampMs: nowMs, value: fromJsonValue(s.value) }] });
  }
  return out;
}

/** Re-samples every group at the tick's time; the tick is the batch id, so two workers write it once. */
export async function republishGroups(db: Db, resolver: SeriesResolver, nowMs: number, intervalMs = 15_000): Promise<AppendResult> {
  const tick = Math.floor(nowMs / intervalMs) * intervalMs;
  const series = await groupSamples(db, tick);
  if (series.length === 0) return { committed: false, samples: 0, rejectedSeriesLimit: 0, rejectedTooOld: 0, blocks: 0, bytes: 0 };
  return appendSamples(db, { batchId: `pushgateway:${tick}`, series }, { resolver });
}

/** Group count, for /status and tests. */
export async function countGroups(db: Db): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from pushgateway_groups`);
  return r.rows[0]!.n;
}
