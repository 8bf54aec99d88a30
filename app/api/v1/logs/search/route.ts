import { getDb } from "@/db/client";
import { jsonResponse, withApi } from "@/server/lib/http";
import { searchParamsOf } from "@/server/logs/search/http";
import { searchLogs } from "@/server/logs/search/service";

export const dynamic = "force-dynamic";

/** Log search, newest first: `?q=&start=&end=&limit=&cursor=&includeArchive=` → `{ total, totalRelation, hits, nextCursor }`. */
export const GET = withApi("logs:read", async ({ principal, request }) => {
  const params = new URL(request.url).searchParams;
  const res = await searchLogs(getDb(), principal, searchParamsOf(params));
  return jsonResponse(200, res);
});
