import { UnrecoverableError, type Job } from "bullmq";
import { getDb } from "@/db/client";
import { dispatchAlerts, type DispatcherDeps } from "@/server/alerting/dispatcher";
import { enqueue } from "@/server/queues/queues";
import { QUEUES } from "@/server/queues/registry";
import { buildNotification } from "./alerting-deps";
import { enqueueDeliveries } from "./notify";

export interface AlertDispatchWiring {
  dispatcherDeps: () => DispatcherDeps;
}

export const defaultAlertDispatchWiring: AlertDispatchWiring = {
  dispatcherDeps: () => ({ db: getDb(), enqueueDelivery: enqueueDeliveries, build: buildNotification }),
};

/** Asks for a dispatcher tick now; `jobId` (no colons) makes repeated asks for one cause one job. */
export async function requestDispatch(jobId?: string): Promise<void> {
  await enqueue("alert-dispatch", { kind: "dispatch" }, jobId ? { jobId } : {});
}

/** The alert-dispatch processor: one dispatcher tick (safe alongside ticks of other workers). */
export function createAlertDispatchProcessor(wiring: AlertDispatchWiring = defaultAlertDispatchWiring) {
  return async function processAlertDispatch(job: Job): Promise<unknown> {
    const parsed = QUEUES["alert-dispatch"].payload.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
    const r = await dispatchAlerts(wiring.dispatcherDeps());
    return { alerts: r.alerts, groups: r.groups, created: r.created.length, flushed: r.flushed.length, notifications: r.notifications, resent: r.resent };
  };
}

export const processAlertDispatch = createAlertDispatchProcessor();
