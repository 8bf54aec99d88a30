import { getDb } from "@/db/client";
import { AppError } from "@/server/lib/errors";
import { jsonResponse, withApi } from "@/server/lib/http";
import { includeArchiveParam, intParam, queryParam, timeParams } from "@/server/logs/search/http";
import { searchTerms } from "@/server/logs/search/service";

export const dynamic = "force-dynamic";

/** Top values of a field: `?field=&q=&start=&end=&size=&includeArchive=` → `{ field, buckets: [{ value, count }], other, missing }`. */
export const GET = withApi("logs:read", async ({ principal, request }) => {
  const params = new URL(request.url).searchParams;
  const field = params.get("field") ?? "";
  if (!field || field.length > 256) throw new AppError("INVALID_INPUT", { userMessage: "field is required (at most 256 characters)" });
  const res = await searchTerms(getDb(), principal, { field, q: queryParam(params), ...timeParams(params), size: intParam(params, "size", 10, 1, 100), includeArchive: includeArchiveParam(params) });
  return jsonResponse(200, res);
});
