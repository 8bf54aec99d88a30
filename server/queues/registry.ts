import { z } from "zod";

/** An event as decoded at the ingest endpoint (server/logs/event.ts IncomingEvent). */
const IncomingEventSchema = z.object({
  ts: z.number().optional(),
  message: z.string(),
  level: z.string().optional(),
  service: z.string().optional(),
  host: z.string().optional(),
  traceId: z.string().optional(),
  spanId: z.string().optional(),
  fields: z.record(z.string(), z.unknown()),
});

/**
 * Every BullMQ queue: its name, job payload schema and default job options, defined once.
 * Later features add their queues here (logs-ingest, metrics-ingest, scrape, rollup, alert-eval,
 * notify, retention); the workers process, /status and /metrics pick them up from this list.
 */
export const QUEUES = {
  "logs-ingest": {
    description: "Decoded log batches: source pipeline, then one exactly-once commit per batch",
    payload: z.object({
      batchId: z.string().min(1),
      sourceId: z.uuid(),
      receivedAt: z.number(),
      apiKeyId: z.string().nullable(),
      events: z.array(IncomingEventSchema),
      /** Dead-letter ids this batch replays (marked replayed when it commits). */
      replayOf: z.array(z.number().int()).optional(),
    }),
    // Completed batches are removed at once: their payload (up to MBs) is in PostgreSQL now, and
    // exactly-once rests on the batch id recorded there, not on keeping jobs in Redis.
    defaultJobOptions: {
      attempts: 10,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: { count: 100 },
    },
    schedulers: [],
  },
  "metrics-ingest": {
    description: "Pushed metric batches (remote_write bodies, decoded Pushgateway/OTLP series): one exactly-once head write per batch",
    payload: z.discriminatedUnion("kind", [
      /** The snappy-compressed remote_write body as received (base64): compact in Redis, decoded again by the worker. */
      z.object({ kind: z.literal("remote-write"), batchId: z.string().min(1), receivedAt: z.number(), body: z.string(), minTimestamp: z.number() }),
      z.object({
        kind: z.literal("series"),
        batchId: z.string().min(1),
        receivedAt: z.number(),
        series: z.array(
          z.object({
            labels: z.record(z.string(), z.string()),
            /** Values as JSON numbers, or "NaN" / "+Inf" / "-Inf" (JSON has no such numbers). */
            samples: z.array(z.object({ timestampMs: z.number(), value: z.union([z.number(), z.enum(["NaN", "+Inf", "-Inf"])]), stale: z.boolean().optional() })),
          }),
        ),
        metadata: z.array(z.object({ name: z.string(), type: z.string(), help: z.string(), unit: z.string() })).optional(),
      }),
    ]),
    defaultJobOptions: {
      attempts: 10,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: { count: 100 },
    },
    schedulers: [],
  },
  scrape: {
    description: "Scrapes of Prometheus targets (one job scheduler per target), scheduler reconciliation, stale markers of retired targets",
    payload: z.discriminatedUnion("kind", [
      /** One scrape of one target (job schedulers create these; the URL names the target within its job). */
      z.object({ kind: z.literal("scrape"), jobId: z.uuid(), url: z.string().min(1) }),
      /** Make the job schedulers match the enabled jobs' targets; retire targets no longer scraped. */
      z.object({ kind: z.literal("reconcile") }),
      /** One stale marker per series of a deleted job's target (written once per batch id). */
      z.object({ kind: z.literal("stale"), batchId: z.string().min(1), seriesIds: z.array(z.number().int().positive()), atMs: z.number() }),
    ]),
    // A failed scrape is not a failed job (it is stored as up=0); a job fails only when storing
    // does, and one retry is enough: the next scheduled scrape comes soon.
    defaultJobOptions: {
      attempts: 2,
      backoff: { type: "fixed", delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: { count: 100 },
    },
    // The periodic reconcile: picks up provisioning and changes made while no worker listened.
    schedulers: [{ id: "reconcile-scrape-targets", every: 60_000, data: { kind: "reconcile" as const } }],
  },
  "alert-eval": {
    description: "Alert rule evaluation (one job scheduler per rule group, at its interval) and the reconciliation of those schedulers with the stored groups",
    payload: z.discriminatedUnion("kind", [
      /** Evaluates a group: at `at` (epoch ms) when given, else at the instant the scheduler's job was due. */
      z.object({ kind: z.literal("evaluate"), groupId: z.uuid(), at: z.number().int().positive().optional() }),
      /** Make the job schedulers match the rule groups (after a save, delete or import; at worker start; periodically). */
      z.object({ kind: z.literal("reconcile") }),
    ]),
    // A failed evaluation is retried a little (a busy group, a database hiccup); the instant it was
    // scheduled for is kept, and an instant already evaluated is not evaluated again.
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: { count: 200 },
    },
    schedulers: [{ id: "reconcile-alert-schedulers", every: 60_000, data: { kind: "reconcile" as const } }],
  },
  "alert-dispatch": {
    description: "The notification dispatcher: routing, grouping, silences, inhibition and time muting → delivery-log rows (a tick every 2 s, and one right after an evaluation or received alerts changed something)",
    payload: z.discriminatedUnion("kind", [z.object({ kind: z.literal("dispatch") })]),
    // Its own queue, so slow deliveries never hold the ticks up; a failed tick is soon followed by the next.
    defaultJobOptions: {
      attempts: 2,
      backoff: { type: "fixed", delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: { count: 100 },
    },
    schedulers: [{ id: "dispatch-alerts", every: 2_000, data: { kind: "dispatch" as const } }],
  },
  notify: {
    description: "Notification delivery: one job per delivery-log row, retried with exponential backoff",
    payload: z.discriminatedUnion("kind", [
      /** Deliver one delivery-log row (the job id is `notification-<id>`: one job per row). */
      z.object({ kind: z.literal("deliver"), notificationId: z.number().int().positive() }),
    ]),
    // 8 attempts, 1 s doubling: the last retry about 2 minutes after the first failure.
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: { count: 500 },
    },
    schedulers: [],
  },
  retention: {
    description: "Retention (server/retention): partitions ahead, log days leaving the hot tier archived to the cold tier, verified, then dropped; expired partitions and archives dropped; archived days restored on demand",
    payload: z.discriminatedUnion("kind", [
      /** A whole run (scheduled, or asked for from the console / CLI). */
      z.object({ kind: z.literal("run"), trigger: z.enum(["schedule", "manual", "cli"]), actor: z.string().nullish() }),
      /** Load an archived day of a source back into the hot tier for `hours`. */
      z.object({ kind: z.literal("restore"), sourceId: z.uuid(), day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), hours: z.number().int().min(1).max(24 * 30), actor: z.string().nullish() }),
    ]),
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: "exponential", delay: 30_000 },
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 100 },
    },
    schedulers: [{ id: "retention-run", every: 60 * 60_000, data: { kind: "run" as const, trigger: "schedule" as const } }],
  },
  maintenance: {
    description: "Housekeeping: purge expired sessions and verification tokens, compact closed metric head hours into chunks, re-sample Pushgateway groups, alerting retention",
    payload: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("purge-expired-sessions") }),
      z.object({ kind: z.literal("compact-metrics-head") }),
      z.object({ kind: z.literal("republish-pushgateway") }),
      /** Alert state history and delivery log older than 30 days, silences expired 5 days ago, external alerts ended an hour ago. */
      z.object({ kind: z.literal("alerting-retention") }),
    ]),
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: "exponential", delay: 5_000 },
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 500 },
    },
    schedulers: [
      { id: "purge-expired-sessions", every: 15 * 60_000, data: { kind: "purge-expired-sessions" as const } },
      { id: "compact-metrics-head", every: 5 * 60_000, data: { kind: "compact-metrics-head" as const } },
      { id: "republish-pushgateway", every: 15_000, data: { kind: "republish-pushgateway" as const } },
      { id: "alerting-retention", every: 60 * 60_000, data: { kind: "alerting-retention" as const } },
    ],
  },
} as const;

export type QueueName = keyof typeof QUEUES;
export type JobPayload<Q extends QueueName> = z.infer<(typeof QUEUES)[Q]["payload"]>;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

export function isQueueName(s: string): s is QueueName {
  return Object.prototype.hasOwnProperty.call(QUEUES, s);
}
