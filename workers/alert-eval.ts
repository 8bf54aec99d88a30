import { UnrecoverableError, type Job } from "bullmq";
import { getDb } from "@/db/client";
import { evaluateGroup, type EvalServiceDeps, type GroupEvaluation } from "@/server/alerting/eval-service";
import { reconcileAlertSchedulers, scheduledInstant, type AlertSchedulerPort } from "@/server/alerting/scheduler";
import { logger } from "@/server/lib/logger";
import { QUEUES } from "@/server/queues/registry";
import { alertEvalSchedulers } from "@/server/queues/schedulers";
import { requestDispatch } from "./alert-dispatch";
import { renderRuleTemplate } from "./alerting-deps";

export interface AlertEvalWiring {
  evalDeps: () => EvalServiceDeps;
  schedulers: () => AlertSchedulerPort;
  /** After an evaluation that changed what notifies: run the dispatcher now rather than at its next tick. */
  onChanged: (e: GroupEvaluation) => Promise<void>;
}

export const defaultAlertEvalWiring: AlertEvalWiring = {
  evalDeps: () => ({ db: getDb(), render: renderRuleTemplate }),
  schedulers: alertEvalSchedulers,
  // One tick per evaluation: the job id names the group and the instant.
  onChanged: (e) => requestDispatch(`dispatch-${e.groupId}-${e.at}`),
};

/**
 * The alert-eval processor: `evaluate` (a scheduler's job evaluates the instant it was due, on the
 * group's grid; a payload `at` is taken as is) and `reconcile`. A busy group or a database error
 * throws, and the queue retries the same instant.
 */
export function createAlertEvalProcessor(wiring: AlertEvalWiring = defaultAlertEvalWiring) {
  return async function processAlertEval(job: Job): Promise<unknown> {
    const parsed = QUEUES["alert-eval"].payload.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
    const p = parsed.data;
    switch (p.kind) {
      case "evaluate": {
        const result = p.at !== undefined ? await evaluateGroup(wiring.evalDeps(), p.groupId, p.at) : await evaluateGroup(wiring.evalDeps(), p.groupId, scheduledInstant(job), { align: true });
        if (result.changed) await wiring.onChanged(result).catch((err: unknown) => logger.warn({ err: (err as Error).message, groupId: p.groupId }, "dispatch not requested; the next dispatcher tick picks the change up"));
        return { at: result.at, status: result.status, changed: result.changed, rules: result.rules.map((r) => ({ uid: r.uid, status: r.status })) };
      }
      case "reconcile":
        return reconcileAlertSchedulers(wiring.evalDeps().db, wiring.schedulers());
    }
  };
}

export const processAlertEval = createAlertEvalProcessor();

/** At worker start: the schedulers made to match the rule groups (provisioning may have changed them). */
export async function startAlertEvaluation(): Promise<void> {
  const result = await reconcileAlertSchedulers(getDb(), alertEvalSchedulers());
  logger.info(result, "alert rule group schedulers reconciled");
}
