import type { Job } from "bullmq";
import { UnrecoverableError } from "bullmq";
import { getDb } from "@/db/client";
import { env } from "@/env";
import { pruneAlerting } from "@/server/alerting/retention";
import { purgeExpiredSessions } from "@/server/auth/maintenance";
import { republishGroups } from "@/server/metrics/pushgateway/groups";
import { compactHead } from "@/server/metrics/store/compact";
import { sharedSeriesResolver } from "@/server/metrics/store/series-resolver";
import { QUEUES } from "@/server/queues/registry";

export async function processMaintenance(job: Job): Promise<unknown> {
  const parsed = QUEUES.maintenance.payload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
  switch (parsed.data.kind) {
    case "purge-expired-sessions":
      return purgeExpiredSessions(getDb());
    case "compact-metrics-head":
      return compactHead(getDb(), Date.now(), env().LOOKOUT_METRICS_HEAD_WINDOW_MS);
    case "republish-pushgateway":
      return republishGroups(getDb(), sharedSeriesResolver(), Date.now());
    case "alerting-retention":
      return pruneAlerting(getDb());
  }
}
