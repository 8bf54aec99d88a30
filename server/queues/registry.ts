import { z } from "zod";

/**
 * Every BullMQ queue: its name, job payload schema and default job options, defined once.
 * Later features add their queues here (logs-ingest, metrics-ingest, scrape, rollup, alert-eval,
 * notify, retention); the workers process, /status and /metrics pick them up from this list.
 */
export const QUEUES = {
  maintenance: {
    description: "Housekeeping: purge expired sessions and verification tokens",
    payload: z.discriminatedUnion("kind", [z.object({ kind: z.literal("purge-expired-sessions") })]),
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: "exponential", delay: 5_000 },
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 500 },
    },
    schedulers: [{ id: "purge-expired-sessions", every: 15 * 60_000, data: { kind: "purge-expired-sessions" as const } }],
  },
} as const;

export type QueueName = keyof typeof QUEUES;
export type JobPayload<Q extends QueueName> = z.infer<(typeof QUEUES)[Q]["payload"]>;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

export function isQueueName(s: string): s is QueueName {
  return Object.prototype.hasOwnProperty.call(QUEUES, s);
}
