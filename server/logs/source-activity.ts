import type { Redis } from "ioredis";
import { redisKey } from "@/server/lib/redis";

/**
 * Live per-source ingest activity for Settings → Sources: events and bytes per second (1-second
 * buckets kept for a minute) and the API keys that sent to the source recently.
 */
const WINDOW_SECONDS = 10;
const BUCKET_TTL = 60;
const KEY_RETENTION_MS = 24 * 3600_000;

const bucket = (sourceId: string, second: number) => redisKey("src-rate", sourceId, String(second));
const keysOf = (sourceId: string) => redisKey("src-keys", sourceId);

export async function recordSourceActivity(redis: Redis, sourceId: string, events: number, bytes: number, apiKeyId: string | null, now = Date.now()): Promise<void> {
  const k = bucket(sourceId, Math.floor(now / 1000));
  const m = redis.multi().hincrby(k, "events", events).hincrby(k, "bytes", bytes).expire(k, BUCKET_TTL);
  if (apiKeyId) m.zadd(keysOf(sourceId), now, apiKeyId).zremrangebyscore(keysOf(sourceId), 0, now - KEY_RETENTION_MS);
  await m.exec();
}

export type SourceActivity = { eventsPerSecond: number; bytesPerSecond: number; apiKeyIds: string[] };

/** Average over the last WINDOW_SECONDS complete seconds. */
export async function sourceActivity(redis: Redis, sourceIds: string[], now = Date.now()): Promise<Map<string, SourceActivity>> {
  const out = new Map<string, SourceActivity>();
  if (sourceIds.length === 0) return out;
  const nowSec = Math.floor(now / 1000);
  const m = redis.multi();
  for (const id of sourceIds) {
    for (let s = nowSec - WINDOW_SECONDS; s < nowSec; s++) m.hmget(bucket(id, s), "events", "bytes");
    m.zrevrange(keysOf(id), 0, 49);
  }
  const res = (await m.exec()) ?? [];
  let i = 0;
  for (const id of sourceIds) {
    let events = 0;
    let bytes = 0;
    for (let s = 0; s < WINDOW_SECONDS; s++) {
      const [e, b] = (res[i++]?.[1] as (string | null)[] | undefined) ?? [];
      events += Number(e ?? 0);
      bytes += Number(b ?? 0);
    }
    const keys = (res[i++]?.[1] as string[] | undefined) ?? [];
    out.set(id, { eventsPerSecond: events / WINDOW_SECONDS, bytesPerSecond: bytes / WINDOW_SECONDS, apiKeyIds: keys });
  }
  return out;
}
