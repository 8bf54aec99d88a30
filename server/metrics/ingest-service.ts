/**
 * Accepting pushed metrics (remote_write, Pushgateway, OTLP): limits and back-pressure at the
 * endpoint, then one queued batch with a batch id; the `metrics-ingest` worker stores it exactly
 * once (storeMetricsBatch). Domain functions: no HTTP or BullMQ here.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Db } from "@/db/client";
import type { Principal } from "@/server/auth/principal";
import { AppError } from "@/server/lib/errors";
import { checkRate } from "@/server/logs/ingest-service";
import type { JobPayload } from "@/server/queues/registry";
import type { SeriesSamplesInput } from "./model";
import { decodeRemoteWriteColumns, type ColumnarRemoteWrite } from "./remote-write/decode";
import type { SeriesResolver } from "./store/series-resolver";
import { upsertMetadata, type MetricMetadata } from "./store/metadata";
import { appendColumns, appendSamples, type AppendResult } from "./store/write";

export type MetricsIngestPayload = JobPayload<"metrics-ingest">;

export interface MetricsIngestDeps {
  redis: Redis;
  limits: { ratePerKey: number; highWater: number; maxBytes: number };
  /** Samples older than this many ms before now are refused (the retention settings' raw days). */
  rawRetentionMs: () => Promise<number>;
  backlog: () => Promise<number>;
  /** Throws the 429 while a storage watermark is crossed (server/retention/watermarks.ts). */
  storageGate: () => Promise<void>;
  enqueue: (payload: MetricsIngestPayload) => Promise<void>;
  now?: () => number;
}


export interface AcceptedMetrics {
  batchId: string | null;
  samples: number;
  /** Samples refused at the endpoint, with the reason (the route answers 400 when any). */
  refused: { reason: string; samples: number }[];
}

async function admit(deps: MetricsIngestDeps, principal: Principal, samples: number): Promise<void> {
  await deps.storageGate();
  if ((await deps.backlog()) > deps.limits.highWater) {
    throw new AppError("RATE_LIMITED", { userMessage: "Metrics ingest is busy (queue above its high-water mark); retry shortly", retryAfter: 5 });
  }
  const keyId = principal.type === "service_account" ? principal.apiKeyId : principal.id;
  await checkRate(deps.redis, keyId, samples, deps.limits.ratePerKey, "samples");
}

function countSamples(series: { samples: unknown[] }[]): number {
  let n = 0;
  for (const s of series) n += s.samples.length;
  return n;
}

/**
 * remote_write: decoded here to validate (the spec wants a 400 for bad series, and we refuse
 * samples older than raw retention), then the compressed body itself is queued: the worker
 * decodes it again and stores exactly what was validated here.
 */
export async function acceptRemoteWrite(deps: MetricsIngestDeps, principal: Principal, body: Buffer): Promise<AcceptedMetrics & { decoded: ColumnarRemoteWrite }> {
  const decoded = decodeRemoteWriteColumns(body, { maxBytes: deps.limits.maxBytes });
  const minTimestamp = (deps.now?.() ?? Date.now()) - (await deps.rawRetentionMs());
  let samples = 0;
  let tooOld = 0;
  const ts = decoded.timestamps;
  for (const s of decoded.series) {
    for (let i = s.start; i < s.end; i++) {
      if (ts[i]! < minTimestamp) tooOld++;
      else samples++;
    }
  }
  const refused: AcceptedMetrics["refused"] = [];
  if (tooOld) refused.push({ reason: `${tooOld} samples older than the raw retention window`, samples: tooOld });
  for (const inv of decoded.invalid) refused.push({ reason: inv.reason, samples: inv.samples });
  // Prometheus sends metadata in requests of their own, without samples: those are queued too.
  if (samples === 0 && decoded.metadata.length === 0) return { batchId: null, samples: 0, refused, decoded };
  await admit(deps, principal, samples);
  const batchId = randomUUID();
  await deps.enqueue({ kind: "remote-write", batchId, receivedAt: Date.now(), body: body.toString("base64"), minTimestamp });
  return { batchId, samples, refused, decoded };
}

/** Already-decoded series (Pushgateway, OTLP): queued as JSON. */
export async function acceptSeries(deps: MetricsIngestDeps, principal: Principal, series: SeriesSamplesInput[], metadata: MetricMetadata[] = []): Promise<AcceptedMetrics> {
  const samples = countSamples(series);
  if (samples === 0 && metadata.length === 0) return { batchId: null, samples: 0, refused: [] };
  await admit(deps, principal, samples);
  const batchId = randomUUID();
  await deps.enqueue({
    kind: "series",
    batchId,
    receivedAt: Date.now(),
    series: series.map((s) => ({ labels: s.labels, samples: s.samples.map((p) => ({ timestampMs: p.timestampMs, value: toJsonValue(p.value), ...(p.stale ? { stale: true } : {}) })) })),
    metadata,
  });
  return { batchId, samples, refused: [] };
}

export function toJsonValue(v: number): number | "NaN" | "+Inf" | "-Inf" {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return "NaN";
  return v > 0 ? "+Inf" : "-Inf";
}

export function fromJsonValue(v: number | "NaN" | "+Inf" | "-Inf"): number {
  if (typeof v === "number") return v;
  return v === "NaN" ? Number.NaN : v === "+Inf" ? Infinity : -Infinity;
}

/** The worker side: decode the queued batch and append it (exactly once by batch id). */
export async function storeMetricsBatch(db: Db, payload: MetricsIngestPayload, resolver: SeriesResolver, maxBytes: number): Promise<AppendResult> {
  let result: AppendResult;
  let metadata: MetricMetadata[];
  if (payload.kind === "remote-write") {
    const decoded = decodeRemoteWriteColumns(Buffer.from(payload.body, "base64"), { maxBytes });
    metadata = decoded.metadata.map((m) => ({ name: m.metricFamilyName, type: m.type, help: m.help, unit: m.unit }));
    result = await appendColumns(
      db,
      { batchId: payload.batchId, series: decoded.series, timestamps: decoded.timestamps, values: decoded.values, stale: decoded.stale },
      { resolver, minTimestamp: payload.minTimestamp },
    );
  } else {
    const series: SeriesSamplesInput[] = payload.series.map((s) => ({ labels: s.labels, samples: s.samples.map((p) => ({ timestampMs: p.timestampMs, value: fromJsonValue(p.value), stale: p.stale })) }));
    metadata = payload.metadata ?? [];
    result = await appendSamples(db, { batchId: payload.batchId, series }, { resolver });
  }
  if (result.committed && metadata.length) await upsertMetadata(db, metadata);
  return result;
}
