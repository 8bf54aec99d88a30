/**
 * Delivering one notification of the delivery log (the `notify` queue's job) through the
 * receiver integration it was made for.
 *
 * Once per row. The row is read and locked (`FOR UPDATE NOWAIT`) in a transaction that stays
 * open while it is sent; the attempt and the row's new status are written in the same
 * transaction. So a row that is not `pending` is never sent again (a second job, a re-delivered
 * job, the dispatcher enqueueing it again: all no-ops), and two workers never send one row at the
 * same time (the second finds it locked and retries later, by when it is `sent`).
 *
 * Outcomes: delivered → `sent`; a retryable failure (network, timeout, 429, 5xx, SMTP 4xx) →
 * still `pending` with the attempt recorded, and `RetryableDeliveryError` thrown so the queue
 * retries with backoff; a failure retrying cannot fix, or the last attempt → `failed`.
 *
 * The residual window (at-least-once at the transport). A worker that dies after the receiver
 * got the notification but before its transaction committed (a crash, a kill, a lost database
 * connection) leaves the row `pending` with nothing recorded; its job is re-delivered as a stalled
 * job and the notification is sent again. The receiver then sees the same payload twice; every
 * attempt carries the row's dedup key (DeliveryContext.dedupKey: e.g. an `Idempotency-Key`
 * header), PagerDuty events carry the group's dedup_key and webhooks the `groupKey`, so receivers
 * can fold the duplicate.
 */
import type { Db } from "@/db/client";
import type { IntegrationType, Receiver } from "./model";
import { readNotificationConfig } from "./notifications-service";
import type { Deliver, DeliveryResult, NotificationData } from "./notify-types";
import * as store from "./store";

export interface NotifyServiceDeps {
  db: Db;
  deliver: Deliver;
  /** Monotonic clock for durations (default performance.now). */
  clock?: () => number;
  /** Test seam: runs after a delivery returned and before it is recorded (a crash there is the residual window). */
  afterDeliver?: (notificationId: number, result: DeliveryResult) => void | Promise<void>;
}

export interface AttemptInfo {
  /** 1 for the first attempt of the job. */
  attempt: number;
  /** Whether the queue will not retry after this attempt. */
  last: boolean;
}

export type DeliveryOutcome =
  | { id: number; status: "sent"; httpStatus: number | null }
  | { id: number; status: "failed"; error: string }
  /** Nothing done: the row was already sent or failed, or is gone. */
  | { id: number; status: "skipped"; reason: "sent" | "failed" | "missing" };

/** A failure worth retrying: the queue retries the job with backoff. */
export class RetryableDeliveryError extends Error {
  constructor(
    readonly notificationId: number,
    message: string,
  ) {
    super(message);
    this.name = "RetryableDeliveryError";
  }
}

const CONFIG_KEYS: Record<IntegrationType, keyof Receiver> = { webhook: "webhook_configs", slack: "slack_configs", email: "email_configs", pagerduty: "pagerduty_configs" };

const isLockNotAvailable = (e: unknown) => {
  const err = e as { code?: string; cause?: { code?: string } } | null;
  return err?.code === "55P03" || err?.cause?.code === "55P03";
};

type TxOutcome = DeliveryOutcome | { id: number; status: "retry"; error: string };

/** Delivers notification `id` once (see the module comment). */
export async function deliverNotification(deps: NotifyServiceDeps, id: number, attempt: AttemptInfo): Promise<DeliveryOutcome> {
  const clock = deps.clock ?? (() => performance.now());
  let outcome: TxOutcome;
  try {
    outcome = await deps.db.transaction(async (tx): Promise<TxOutcome> => {
      const row = await store.findNotificationForDelivery(tx, id);
      if (!row) return { id, status: "skipped", reason: "missing" };
      if (row.status !== "pending") return { id, status: "skipped", reason: row.status };

      const { config } = await readNotificationConfig(tx);
      const receiver = config.receivers.find((r) => r.name === row.receiver);
      const integrationConfig = (receiver?.[CONFIG_KEYS[row.integrationType]] as Record<string, unknown>[] | undefined)?.[row.integrationIndex];
      if (!integrationConfig) {
        const error = `contact point "${row.receiver}" has no ${row.integrationType} integration #${row.integrationIndex} any more`;
        await store.recordAttempt(tx, id, { ok: false, status: null, error, durationMs: 0, final: "failed" });
        return { id, status: "failed", error };
      }

      const started = clock();
      const result = await deps.deliver(
        { type: row.integrationType, index: row.integrationIndex, config: integrationConfig, receiverName: row.receiver },
        row.payload as unknown as NotificationData,
        { notificationId: id, dedupKey: row.dedupKey, attempt: row.attempts + 1, global: config.global },
      );
      const durationMs = clock() - started;
      await deps.afterDeliver?.(id, result);

      if (result.ok) {
        await store.recordAttempt(tx, id, { ok: true, status: result.status ?? null, error: null, durationMs, final: "sent" });
        return { id, status: "sent", httpStatus: result.status ?? null };
      }
      const error = result.error ?? (result.status ? `status ${result.status}` : "delivery failed");
      const retry = result.retryable && !attempt.last;
      await store.recordAttempt(tx, id, { ok: false, status: result.status ?? null, error, durationMs, final: retry ? "pending" : "failed" });
      return { id, status: retry ? "retry" : "failed", error };
    });
  } catch (e) {
    if (isLockNotAvailable(e)) throw new RetryableDeliveryError(id, `notification ${id} is being sent by another worker`);
    throw e;
  }
  // Thrown after the commit, so the failed attempt stays in the log.
  if (outcome.status === "retry") throw new RetryableDeliveryError(id, outcome.error);
  return outcome;
}
