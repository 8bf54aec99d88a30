import { Redis, type RedisOptions } from "ioredis";
import { env, requireEnv } from "@/env";

const globalForRedis = globalThis as unknown as { __lookoutRedis?: Redis };

/** A new connection suitable for BullMQ (maxRetriesPerRequest: null is required by workers). */
export function createRedis(opts: RedisOptions = {}): Redis {
  const client = new Redis(requireEnv("REDIS_URL"), { maxRetriesPerRequest: null, lazyConnect: false, ...opts });
  client.on("error", () => {}); // reconnects on its own; health checks report the state
  return client;
}

/** The process-wide shared connection for rate limits, caches and health checks. */
export function getRedis(): Redis {
  if (!globalForRedis.__lookoutRedis) {
    globalForRedis.__lookoutRedis = createRedis({ maxRetriesPerRequest: 2, enableOfflineQueue: true });
  }
  return globalForRedis.__lookoutRedis;
}

export async function closeRedis(): Promise<void> {
  const r = globalForRedis.__lookoutRedis;
  globalForRedis.__lookoutRedis = undefined;
  if (r) await r.quit().catch(() => r.disconnect());
}

/** Deletes every key under `prefix:` (SCAN, never KEYS); returns how many. */
export async function deleteKeysByPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== "0");
  return deleted;
}

/** Every Redis key Lookout writes goes through this, so test runs can use their own prefix. */
export function redisKey(...parts: string[]): string {
  return [env().LOOKOUT_REDIS_PREFIX, ...parts].join(":");
}
