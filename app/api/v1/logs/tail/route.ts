import { getDb } from "@/db/client";
import { withApi } from "@/server/lib/http";
import { logger } from "@/server/lib/logger";
import { queryParam } from "@/server/logs/search/http";
import { planQuery } from "@/server/logs/search/plan";
import { LogTail, tailStream } from "@/server/logs/search/tail";

export const dynamic = "force-dynamic";

/** Live tail (Server-Sent Events): `?q=` → `event: hit` with each new matching event as it is stored. */
export const GET = withApi("logs:read", async ({ principal, request }) => {
  const db = getDb();
  const plan = await planQuery(db, principal, queryParam(new URL(request.url).searchParams));
  const tail = new LogTail(db, plan);
  await tail.start();
  const body = tailStream(tail, request.signal, (err) => logger.error({ err }, "live tail poll failed"));
  return new Response(body, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
});
