import { getDb } from "@/db/client";
import { env } from "@/env";
import { getRedis } from "@/server/lib/redis";
import { withApi } from "@/server/lib/http";
import { metrics, renderMetrics } from "@/server/lib/metrics";
import { isSelfScrapeRequest } from "@/server/metrics/scrape/self";
import { aliveWorkers, collectWorkerMetrics } from "@/server/queues/heartbeat";
import { queueStatuses } from "@/server/status/status";
import { trackWatermarks } from "@/server/retention/watermarks";
import { trackStorageSize } from "@/server/status/storage-size";

export const dynamic = "force-dynamic";

async function render(): Promise<Response> {
  const redis = getRedis();
  const m = metrics();
  const [queues, workers, workerMetrics] = await Promise.all([
    queueStatuses().catch(() => []),
    aliveWorkers(redis).catch(() => []),
    collectWorkerMetrics(redis).catch(() => []),
  ]);
  m.queueJobs.reset();
  for (const q of queues) {
    for (const state of ["waiting", "active", "delayed", "failed", "completed"] as const) m.queueJobs.set({ queue: q.name, state }, q[state]);
  }
  m.workersAlive.set(workers.length);
  trackStorageSize(getDb());
  trackWatermarks(getDb());
  const { contentType, body } = await renderMetrics(workerMetrics);
  return new Response(body, { status: 200, headers: { "content-type": contentType } });
}

const withKey = withApi("status:read", () => render());

/**
 * Prometheus text format: web + workers. Needs status:read (an API key with the `query` scope),
 * or the self-scrape token of Lookout's own `lookout` scrape job (server/metrics/scrape/self.ts).
 */
export async function GET(request: Request): Promise<Response> {
  if (isSelfScrapeRequest(request.headers, env().LOOKOUT_SECRET)) return render();
  return withKey(request);
}
