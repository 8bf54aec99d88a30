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

export async function closeQueues(): Promise<void> {
  const qs = globalForQueues.__lookoutQueues;
  globalForQueues.__lookoutQueues = undefined;
  if (qs) await Promise.all([...qs.values()].map((q) => q.close().catch(() => {})));
}
