import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Db } from "@/db/client";
import type { Principal } from "@/server/auth/principal";
import { AppError } from "@/server/lib/errors";
import { redisKey } from "@/server/lib/redis";
import type { DecodedItem, IncomingEvent } from "./event";
import { DEFAULT_SOURCE, findSourceByName, type LogSource } from "./sources";

export type IngestLimits = { maxEvents: number; ratePerKey: number; highWater: number };

export type IngestDeps = {
  db: Db;
  redis: Redis;
  limits: IngestLimits;
  /** Waiting jobs in the logs-ingest queue (back-pressure signal). */
  backlog: () => Promise<number>;
  /** Throws the 429 while a storage watermark is crossed (server/retention/watermarks.ts). */
  storageGate: () => Promise<void>;
  enqueue: (payload: { batchId: string; sourceId: string; receivedAt: number; apiKeyId: string | null; events: IncomingEvent[] }) => Promise<void>;
};

export type AcceptResult = {
  batchId: string | null;
  source: string;
  accepted: number;
  rejected: { index: number; error: string }[];
};

const sourceCache = new Map<string, { source: LogSource; at: number }>();
const SOURCE_TTL_MS = 5_000;

/** The named source (default when unnamed), cached for a few seconds; unknown → 400. */
export async function resolveSource(db: Db, name: string | null | undefined): Promise<LogSource> {
  const wanted = name?.trim() || DEFAULT_SOURCE;
  const hit = sourceCache.get(wanted);
  if (hit && Date.now() - hit.at < SOURCE_TTL_MS) return hit.source;
  const source = await findSourceByName(db, wanted);
  if (!source) throw new AppError("INVALID_INPUT", { userMessage: `Unknown source "${wanted}": create it in Settings → Sources` });
  sourceCache.set(wanted, { source, at: Date.now() });
  return source;
}

/** Fixed one-second window per API key; refuses the whole request when it would exceed the rate. */
export async function checkRate(redis: Redis, keyId: string, n: number, limit: number, unit = "events"): Promise<void> {
  const second = Math.floor(Date.now() / 1000);
  const k = redisKey(unit === "events" ? "ingest-rate" : `ingest-rate-${unit}`, keyId, String(second));
  const [[, used]] = (await redis.multi().incrby(k, n).expire(k, 2).exec()) as [[Error | null, number]];
  if (used > limit) {
    await redis.decrby(k, n);
    throw new AppError("RATE_LIMITED", { userMessage: `Rate limit of ${limit} ${unit}/s for this API key exceeded; retry shortly`, retryAfter: 1 });
  }
}

/**
 * Accepts a decoded request: checks the limits, then enqueues the good events as one batch with
 * a new batch id (durable in Redis before the caller answers). Rejected items are returned for the
 * protocol's per-item response; they never fail the good ones.
 */
export async function acceptBatch(deps: IngestDeps, principal: Principal, sourceName: string | null | undefined, items: DecodedItem[]): Promise<AcceptResult> {
  const source = await resolveSource(deps.db, sourceName);
  if (items.length > deps.limits.maxEvents) {
    throw new AppError("PAYLOAD_TOO_LARGE", { userMessage: `Too many events in one request: ${items.length} > ${deps.limits.maxEvents}; send smaller batches` });
  }
  const events: IncomingEvent[] = [];
  const rejected: AcceptResult["rejected"] = [];
  for (const item of items) {
    if (item.ok) events.push(item.event);
    else rejected.push({ index: item.index, error: item.error });
  }
  if (events.length === 0) return { batchId: null, source: source.name, accepted: 0, rejected };
  const keyId = principal.type === "service_account" ? principal.apiKeyId : `user:${principal.id}`;
  await deps.storageGate();
  if ((await deps.backlog()) > deps.limits.highWater) {
    throw new AppError("RATE_LIMITED", { userMessage: "Ingest is busy (queue above its high-water mark); retry shortly", retryAfter: 5 });
  }
  await checkRate(deps.redis, keyId, events.length, deps.limits.ratePerKey);
  const batchId = randomUUID();
  await deps.enqueue({
    batchId,
    sourceId: source.id,
    receivedAt: Date.now(),
    apiKeyId: principal.type === "service_account" ? principal.apiKeyId : null,
    events,
  });
  return { batchId, source: source.name, accepted: events.length, rejected };
}
