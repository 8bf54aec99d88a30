import type { Job } from "bullmq";
import type { QueueName } from "@/server/queues/registry";
import { processLogsIngest } from "./logs-ingest";
import { processMetricsIngest } from "./metrics-ingest";
import { processMaintenance } from "./maintenance";
import { processScrape } from "./scrape";

/** One processor per queue; adding a queue to the registry without one fails the type check. */
export const PROCESSORS: Record<QueueName, { process: (job: Job) => Promise<unknown>; concurrency: number }> = {
  "logs-ingest": { process: processLogsIngest, concurrency: 4 },
  "metrics-ingest": { process: processMetricsIngest, concurrency: 4 },
  // Scrapes mostly wait on the network.
  scrape: { process: processScrape, concurrency: 16 },
  maintenance: { process: processMaintenance, concurrency: 1 },
};
