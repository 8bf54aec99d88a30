import type { Redis } from "ioredis";
import { redisKey } from "@/server/lib/redis";

/** A worker process announces itself every few seconds; /status lists those seen recently. */
export type WorkerHeartbeat = { id: string; host: string; pid: number; queues: string[]; startedAt: string; lastSeen: string };

export const HEARTBEAT_TTL_SECONDS = 20;
const setKey = () => redisKey("workers");

export async function beat(redis: Redis, hb: Omit<WorkerHeartbeat, "lastSeen">): Promise<void> {
  const value: WorkerHeartbeat = { ...hb, lastSeen: new Date().toISOString() };
  await redis.multi().set(redisKey("worker", hb.id), JSON.stringify(value), "EX", HEARTBEAT_TTL_SECONDS).sadd(setKey(), hb.id).exec();
}

export async function retire(redis: Redis, id: string): Promise<void> {
  await redis.multi().del(redisKey("worker", id), redisKey("worker-metrics", id)).srem(setKey(), id).exec();
}

export async function aliveWorkers(redis: Redis): Promise<WorkerHeartbeat[]> {
  const ids = await redis.smembers(setKey());
  if (ids.length === 0) return [];
  const values = await redis.mget(ids.map((id) => redisKey("worker", id)));
  const alive: WorkerHeartbeat[] = [];
  const gone: string[] = [];
  values.forEach((v, i) => {
    if (v) alive.push(JSON.parse(v) as WorkerHeartbeat);
    else gone.push(ids[i]!);
  });
  if (gone.length) await redis.srem(setKey(), ...gone);
  return alive.sort((a, b) => a.id.localeCompare(b.id));
}

/** Workers publish their prom-client metrics (JSON) so the web's /metrics can serve them. */
export async function publishWorkerMetrics(redis: Redis, id: string, metricsJson: unknown): Promise<void> {
  await redis.set(redisKey("worker-metrics", id), JSON.stringify(metricsJson), "EX", HEARTBEAT_TTL_SECONDS * 2);
}

export async function collectWorkerMetrics(redis: Redis): Promise<unknown[]> {
  const ids = await redis.smembers(setKey());
  if (ids.length === 0) return [];
  const values = await redis.mget(ids.map((id) => redisKey("worker-metrics", id)));
  return values.filter((v): v is string => !!v).map((v) => JSON.parse(v) as unknown);
}
