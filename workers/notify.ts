import { UnrecoverableError, type Job } from "bullmq";
import { getDb } from "@/db/client";
import { deliverNotification, type NotifyServiceDeps } from "@/server/alerting/notify-service";
import { enqueue } from "@/server/queues/queues";
import { QUEUES } from "@/server/queues/registry";
import { deliver } from "./alerting-deps";

/** The job id of a delivery: one job per delivery-log row (BullMQ ignores a second add of the same id). */
export const deliveryJobId = (notificationId: number) => `notification-${notificationId}`;

export async function enqueueDeliveries(ids: readonly number[]): Promise<void> {
  for (const id of ids) await enqueue("notify", { kind: "deliver", notificationId: id }, { jobId: deliveryJobId(id) });
}

export interface NotifyWiring {
  notifyDeps: () => NotifyServiceDeps;
}

export const defaultNotifyWiring: NotifyWiring = {
  notifyDeps: () => ({ db: getDb(), deliver }),
};

/**
 * The notify processor: delivers one delivery-log row. A retryable failure throws so the queue
 * retries with backoff; one retrying cannot fix fails the job for good (the row says `failed`
 * and why).
 */
export function createNotifyProcessor(wiring: NotifyWiring = defaultNotifyWiring) {
  return async function processNotify(job: Job): Promise<unknown> {
    const parsed = QUEUES.notify.payload.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
    const p = parsed.data;
    const attempts = job.opts.attempts ?? 1;
    const outcome = await deliverNotification(wiring.notifyDeps(), p.notificationId, { attempt: job.attemptsMade + 1, last: job.attemptsMade + 1 >= attempts });
    if (outcome.status === "failed") throw new UnrecoverableError(`notification ${p.notificationId} failed: ${outcome.error}`);
    return outcome;
  };
}

export const processNotify = createNotifyProcessor();
