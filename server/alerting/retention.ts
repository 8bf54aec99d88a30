/**
 * Alerting's housekeeping (the maintenance queue's `alerting-retention`, hourly): state history
 * and delivery-log rows older than 30 days (pending deliveries are kept), silences that expired
 * more than 5 days ago (Alertmanager's default retention), and external alerts that ended more
 * than an hour ago (the dispatcher looks back 15 minutes for resolved ones).
 */
import type { DbOrTx } from "@/db/client";
import * as store from "./store";

const DAY_MS = 86_400_000;

export const ALERTING_RETENTION = {
  historyMs: 30 * DAY_MS,
  notificationsMs: 30 * DAY_MS,
  expiredSilencesMs: 5 * DAY_MS,
  endedExternalAlertsMs: 60 * 60_000,
} as const;

export interface AlertingRetentionResult {
  history: number;
  notifications: number;
  silences: number;
  externalAlerts: number;
}

export async function pruneAlerting(db: DbOrTx, now: number = Date.now(), r: typeof ALERTING_RETENTION = ALERTING_RETENTION): Promise<AlertingRetentionResult> {
  return {
    history: await store.deleteHistoryBefore(db, now - r.historyMs),
    notifications: await store.deleteNotificationsBefore(db, new Date(now - r.notificationsMs)),
    silences: await store.deleteSilencesEndedBefore(db, new Date(now - r.expiredSilencesMs)),
    externalAlerts: await store.deleteExternalAlertsEndedBefore(db, new Date(now - r.endedExternalAlertsMs)),
  };
}
