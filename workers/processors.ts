import type { Job } from "bullmq";
import type { QueueName } from "@/server/queues/registry";
import { processAlertDispatch } from "./alert-dispatch";
import { processAlertEval } from "./alert-eval";
import { processLogsIngest } from "./logs-ingest";
import { processMetricsIngest } from "./metrics-ingest";
import { processMaintenance } from "./maintenance";
import { processNotify } from "./notify";
import { processRetention } from "./retention";
import { processScrape } from "./scrape";

/** One processor per queue; adding a queue to the registry without one fails the type check. */
export const PROCESSORS: Record<QueueName, { process: (job: Job) => Promise<unknown>; concurrency: number }> = {
  "logs-ingest": { process: processLogsIngest, concurrency: 4 },
  "metrics-ingest": { process: processMetricsIngest, concurrency: 4 },
  // Scrapes mostly wait on the network.
  scrape: { process: processScrape, concurrency: 16 },
  // An evaluation holds a database connection (its transaction) while its queries use others, and a
  // delivery holds one while it sends: keep these low so a process's pool (10) never runs out.
  "alert-eval": { process: processAlertEval, concurrency: 2 },
  // Ticks of several processes share the due groups (each group row is taken with SKIP LOCKED).
  "alert-dispatch": { process: processAlertDispatch, concurrency: 1 },
  notify: { process: processNotify, concurrency: 4 },
  maintenance: { process: processMaintenance, concurrency: 1 },
  // One run at a time per process (runs also take a PostgreSQL advisory lock across processes).
  retention: { process: processRetention, concurrency: 1 },
};
