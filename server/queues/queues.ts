import { Queue } from "bullmq";
import { env } from "@/env";
import { createRedis } from "@/server/lib/redis";
import { QUEUES, type JobPayload, type QueueName } from "./registry";

/** BullMQ key prefix: shares LOOKOUT_REDIS_PREFIX so a test run's queues are its own. */
export function bullPrefix(): string {
  return `${env().LOOKOUT_REDIS_PREFIX}:bull`;
}

const globalForQueues = globalThis as unknown as { __lookoutQueues?: Map<QueueName, Queue> };

export function getQueue(name: QueueName): Queue {
  globalForQueues.__lookoutQueues ??= new Map();
  let q = globalForQueues.__lookoutQueues.get(name);
  if (!q) {
    q = new Queue(name, {
      connection: createRedis({ maxRetriesPerRequest: 2, enableOfflineQueue: false }),
      prefix: bullPrefix(),
      defaultJobOptions: QUEUES[name].defaultJobOptions,
    });
    q.on("error", () => {});
    globalForQueues.__lookoutQueues.set(name, q);
  }
  return q;
}

/** Validates the payload against the queue's schema, then enqueues it. */
export async function enqueue<Q extends QueueName>(name: Q, payload: JobPayload<Q>, opts: { jobId?: string } = {}) {
  const data = QUEUES[name].payload.parse(payload);
  return getQueue(name).add(name, data, opts.jobId ? { jobId: opts.jobId } : undefined);
}

const waitingCache = new Map<QueueName, { at: number; value: number }>();

/**
 * Waiting jobs of a queue, cached for 250 ms so a burst of ingest requests checking back-pressure
 * costs one Redis round trip.
 */
export async function waitingCount(name: QueueName): Promise<number> {
  const hit = waitingCache.get(name);
  if (hit && Date.now() - hit.at <= 250) return hit.value;
  const value = await getQueue(name).getWaitingCount();
  waitingCache.set(name, { at: Date.now(), value });
  return value;
}

export async function closeQueues(): Promise<void> {
  const qs = globalForQueues.__lookoutQueues;
  globalForQueues.__lookoutQueues = undefined;
  if (qs) await Promise.all([...qs.values()].map((q) => q.close().catch(() => {})));
}
