import { getDb } from "@/db/client";
import { jsonResponse } from "@/server/lib/http";
import { getRedis } from "@/server/lib/redis";
import { aliveWorkers } from "@/server/queues/heartbeat";
import { healthSummary, postgresHealth, redisHealth } from "@/server/status/status";

export const dynamic = "force-dynamic";

/**
 * Readiness for load balancers and the launcher: unauthenticated on purpose and reveals only
 * up/down per component (details are on /status, which needs status:read).
 */
export async function GET() {
  const redis = getRedis();
  const [postgres, redisH] = await Promise.all([postgresHealth(getDb()), redisHealth(redis)]);
  const workers = redisH.ok ? await aliveWorkers(redis).catch(() => []) : [];
  const summary = healthSummary({ postgres, redis: redisH, workers });
  return jsonResponse(summary.status === "ok" ? 200 : 503, summary, { "cache-control": "no-store" });
}
