import type { Job } from "bullmq";
import { UnrecoverableError } from "bullmq";
import { QUEUES } from "@/server/queues/registry";

/** The retention queue's jobs (server/retention). */
export async function processRetention(job: Job): Promise<unknown> {
  const parsed = QUEUES.retention.payload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
  throw new Error(`retention ${parsed.data.kind}: not built yet`);
}
