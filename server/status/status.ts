import { sql } from "drizzle-orm";
import type { Redis } from "ioredis";
import type { Db } from "@/db/client";
import { aliveWorkers, type WorkerHeartbeat } from "@/server/queues/heartbeat";
import { getQueue } from "@/server/queues/queues";
import { QUEUE_NAMES, QUEUES } from "@/server/queues/registry";

export type ComponentHealth = { ok: boolean; latencyMs: number | null; version: string | null; error: string | null };
export type QueueStatus = { name: string; description: string; waiting: number; active: number; delayed: number; failed: number; completed: number; paused: boolean };
export type SystemStatus = {
  checkedAt: string;
  postgres: ComponentHealth & { databaseSizeBytes: number | null; database: string | null };
  redis: ComponentHealth & { usedMemoryBytes: number | null };
  queues: QueueStatus[];
  workers: WorkerHeartbeat[];
};

async function timed<T>(fn: () => Promise<T>, timeoutMs: number): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const value = await Promise.race([fn(), timeout]);
    return { value, ms: Math.round((performance.now() - start) * 10) / 10 };
  } finally {
    clearTimeout(timer);
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function postgresHealth(db: Db): Promise<SystemStatus["postgres"]> {
  try {
    const { value, ms } = await timed(
      () =>
        db.execute<{ version: string; size: string; db: string }>(
          sql`select current_setting('server_version') as version, pg_database_size(current_database())::text as size, current_database() as db`,
        ),
      3000,
    );
    const row = value.rows[0]!;
    return { ok: true, latencyMs: ms, version: row.version, error: null, databaseSizeBytes: Number(row.size), database: row.db };
  } catch (e) {
    return { ok: false, latencyMs: null, version: null, error: message(e), databaseSizeBytes: null, database: null };
  }
}

export async function redisHealth(redis: Redis): Promise<SystemStatus["redis"]> {
  try {
    const { ms } = await timed(() => redis.ping(), 3000);
    const info = await timed(() => redis.info("server").then(async (s) => s + (await redis.info("memory"))), 3000);
    const version = /redis_version:(\S+)/.exec(info.value)?.[1] ?? null;
    const mem = /used_memory:(\d+)/.exec(info.value)?.[1];
    return { ok: true, latencyMs: ms, version, error: null, usedMemoryBytes: mem ? Number(mem) : null };
  } catch (e) {
    return { ok: false, latencyMs: null, version: null, error: message(e), usedMemoryBytes: null };
  }
}

export async function queueStatuses(): Promise<QueueStatus[]> {
  return Promise.all(
    QUEUE_NAMES.map(async (name) => {
      const q = getQueue(name);
      const [c, paused] = await Promise.all([q.getJobCounts("waiting", "active", "delayed", "failed", "completed", "prioritized"), q.isPaused()]);
      return {
        name,
        description: QUEUES[name].description,
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        failed: c.failed ?? 0,
        completed: c.completed ?? 0,
        paused,
      };
    }),
  );
}

/** Everything the /status page shows. Each part degrades on its own: a Redis outage still reports PostgreSQL. */
export async function systemStatus(db: Db, redis: Redis): Promise<SystemStatus> {
  const [postgres, redisH] = await Promise.all([postgresHealth(db), redisHealth(redis)]);
  let queues: QueueStatus[] = [];
  let workers: WorkerHeartbeat[] = [];
  if (redisH.ok) {
    [queues, workers] = await Promise.all([queueStatuses().catch(() => []), aliveWorkers(redis).catch(() => [])]);
  }
  return { checkedAt: new Date().toISOString(), postgres, redis: redisH, queues, workers };
}

/** The `/api/health` summary: ready means both stores answer and at least one worker is alive. */
export function healthSummary(s: Pick<SystemStatus, "postgres" | "redis" | "workers">) {
  const ready = s.postgres.ok && s.redis.ok && s.workers.length > 0;
  return {
    status: ready ? "ok" : "unavailable",
    postgres: s.postgres.ok ? "ok" : "down",
    redis: s.redis.ok ? "ok" : "down",
    workers: s.workers.length,
  } as const;
}
