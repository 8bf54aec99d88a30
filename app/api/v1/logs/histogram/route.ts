import { getDb } from "@/db/client";
import { jsonResponse, withApi } from "@/server/lib/http";
import { includeArchiveParam, intParam, queryParam, stepParam, timeParams } from "@/server/logs/search/http";
import { searchHistogram } from "@/server/logs/search/service";

export const dynamic = "force-dynamic";

/** Hits over time: `?q=&start=&end=&step=&includeArchive=` → `{ step, total, buckets: [{ ts, timestamp, count, levels }] }`. */
export const GET = withApi("logs:read", async ({ principal, request }) => {
  const params = new URL(request.url).searchParams;
  const res = await searchHistogram(getDb(), principal, {
    q: queryParam(params),
    ...timeParams(params),
    step: stepParam(params),
    buckets: intParam(params, "buckets", 60, 1, 1000),
    includeArchive: includeArchiveParam(params),
  });
  return jsonResponse(200, { ...res, buckets: res.buckets.map((b) => ({ ts: b.ts, timestamp: new Date(b.ts).toISOString(), count: b.count, levels: b.levels })) });
});
