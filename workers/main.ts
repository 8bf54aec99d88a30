import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { Worker } from "bullmq";
import { env } from "@/env";
import { closeDb, getDb } from "@/db/client";
import { ensureSource } from "@/server/logs/sources";
import { applyProvisioningAtStart } from "@/server/provisioning/at-start";
import { provisionBuiltinDashboards } from "@/server/dashboards/defaults/provision";
import { provisionBuiltinAlerting } from "@/server/alerting/defaults/provision";
import { startSyslogListener } from "@/server/logs/syslog-listener";
import { logger } from "@/server/lib/logger";
import { metrics } from "@/server/lib/metrics";
import { closeRedis, createRedis, getRedis } from "@/server/lib/redis";
import { beat, publishWorkerMetrics, retire } from "@/server/queues/heartbeat";
import { bullPrefix, closeQueues, enqueue, getQueue } from "@/server/queues/queues";
import { QUEUE_NAMES, QUEUES, isQueueName, type QueueName } from "@/server/queues/registry";
import { assertStorageAvailable } from "@/server/retention/watermarks";
import { startAlertEvaluation } from "./alert-eval";
import { startDemoIfEnabled } from "./demo";
import { PROCESSORS } from "./processors";
import { schedulerEvery } from "./retention";
import { startScraping } from "./scrape";

/** `npm run workers [-- --queues=a,b]`: runs the chosen queues' workers and schedulers. */
function chosenQueues(argv: string[]): QueueName[] {
  const arg = argv.find((a) => a.startsWith("--queues="))?.slice("--queues=".length);
  if (!arg) return QUEUE_NAMES;
  const names = arg.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !isQueueName(n));
  if (unknown.length) {
    console.error(`Unknown queue(s): ${unknown.join(", ")}. Known: ${QUEUE_NAMES.join(", ")}`);
    process.exit(2);
  }
  return names as QueueName[];
}

async function main() {
  const queues = chosenQueues(process.argv.slice(2));
  const id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const m = metrics();
  const workers: Worker[] = [];

  // Before any job is taken: sources' pipelines and scrape jobs as the file states them.
  await applyProvisioningAtStart(getDb(), env().LOOKOUT_CONFIG, logger);
  // The dashboards Lookout ships (self-monitoring; Host and RED with the demo). Never fatal.
  await provisionBuiltinDashboards(getDb(), { demo: env().LOOKOUT_DEMO === "1" })
    .then((r) => (r.created.length || r.updated.length || r.removed.length || r.problems.length ? logger.info(r, "built-in dashboards provisioned") : undefined))
    .catch((e: unknown) => logger.error({ err: (e as Error).message }, "built-in dashboards not provisioned"));
  // The demo's alert rules (with the demo; removed without it) and the default notification configuration. Never fatal.
  await provisionBuiltinAlerting(getDb(), { demo: env().LOOKOUT_DEMO === "1" })
    .then(({ rules: r, notificationConfig }) =>
      r.created.length || r.updated.length || r.removed.length || r.problems.length || notificationConfig === "created" ? logger.info({ ...r, notificationConfig }, "built-in alerting provisioned") : undefined,
    )
    .catch((e: unknown) => logger.error({ err: (e as Error).message }, "built-in alerting not provisioned"));

  for (const name of queues) {
    const { process: processor, concurrency } = PROCESSORS[name];
    const worker = new Worker(
      name,
      async (job) => {
        const end = m.jobDuration.startTimer({ queue: name });
        try {
          const result = await processor(job);
          m.jobsTotal.inc({ queue: name, status: "completed" });
          return result;
        } catch (e) {
          m.jobsTotal.inc({ queue: name, status: "failed" });
          throw e;
        } finally {
          end();
        }
      },
      {
        connection: createRedis(),
        prefix: bullPrefix(),
        concurrency,
        lockDuration: env().LOOKOUT_JOB_LOCK_MS,
        stalledInterval: Math.max(1000, Math.floor(env().LOOKOUT_JOB_LOCK_MS / 2)),
      },
    );
    worker.on("failed", (job, err) => logger.warn({ queue: name, jobId: job?.id, err: err.message }, "job failed"));
    worker.on("error", (err) => logger.error({ queue: name, err: err.message }, "worker error"));
    workers.push(worker);
    for (const s of QUEUES[name].schedulers) {
      await getQueue(name).upsertJobScheduler(s.id, { every: schedulerEvery(s.id, s.every) }, { name: s.id, data: s.data });
    }
  }

  const syslog = queues.includes("logs-ingest") ? await startSyslog() : null;
  // Before the scrape targets are reconciled, so the demo's job is scheduled in the same pass.
  const demo = await startDemoIfEnabled();
  if (queues.includes("scrape")) await startScraping().catch((e) => logger.error({ err: (e as Error).message }, "scrape targets not reconciled at start"));
  if (queues.includes("alert-eval")) await startAlertEvaluation().catch((e) => logger.error({ err: (e as Error).message }, "alert rule group schedulers not reconciled at start"));

  const redis = getRedis();
  const startedAt = new Date().toISOString();
  const heartbeat = async () => {
    try {
      await beat(redis, { id, host: hostname(), pid: process.pid, queues, startedAt });
      await publishWorkerMetrics(redis, id, await m.registry.getMetricsAsJSON());
    } catch (e) {
      logger.warn({ err: (e as Error).message }, "heartbeat failed");
    }
  };
  await heartbeat();
  const timer = setInterval(heartbeat, 5_000);
  logger.info({ id, queues }, "workers started");
  process.send?.({ type: "ready" });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "workers stopping: finishing active jobs");
    clearInterval(timer);
    const force = setTimeout(() => {
      logger.error("workers did not stop within 30 s; exiting");
      process.exit(1);
    }, 30_000);
    force.unref();
    // close() waits for active jobs to finish; waiting jobs stay in Redis for the next worker.
    await syslog?.close().catch(() => {});
    await demo?.close().catch(() => {});
    await Promise.all(workers.map((w) => w.close()));
    await retire(redis, id).catch(() => {});
    await closeQueues();
    await closeRedis();
    await closeDb();
    logger.info("workers stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

/** The syslog listener runs beside the logs-ingest worker; a port already taken is a warning, not a crash. */
async function startSyslog() {
  const e = env();
  if (e.LOOKOUT_SYSLOG_PORT === 0) return null;
  try {
    const source = await ensureSource(getDb(), e.LOOKOUT_SYSLOG_SOURCE, "Syslog (RFC 5424 / RFC 3164) over TCP and UDP");
    const listener = await startSyslogListener({
      port: e.LOOKOUT_SYSLOG_PORT,
      host: e.LOOKOUT_SYSLOG_BIND,
      timezone: e.LOOKOUT_SYSLOG_TIMEZONE,
      submit: async (events) => {
        // Syslog cannot answer 429: while a storage watermark is crossed the batch is refused (logged by onError).
        await assertStorageAvailable(getDb());
        const batchId = randomUUID();
        await enqueue("logs-ingest", { batchId, sourceId: source.id, receivedAt: Date.now(), apiKeyId: null, events }, { jobId: batchId });
      },
      onError: (what, err) => logger.warn({ err: err instanceof Error ? err.message : err }, what),
    });
    logger.info({ port: listener.tcpPort, bind: e.LOOKOUT_SYSLOG_BIND }, "syslog listening (TCP and UDP)");
    return listener;
  } catch (err) {
    logger.warn({ err: (err as Error).message, port: e.LOOKOUT_SYSLOG_PORT }, "syslog listener not started");
    return null;
  }
}

main().catch((e) => {
  logger.fatal({ err: e }, "workers failed to start");
  process.exit(1);
});
