import { getDb } from "@/db/client";
import { writeAudit } from "@/server/auth/audit";
import { AppError } from "@/server/lib/errors";
import { withApi } from "@/server/lib/http";
import { logger } from "@/server/lib/logger";
import { DEFAULT_EXPORT_COLUMNS, exportStream, MAX_EXPORT_ROWS, type ExportFormat } from "@/server/logs/search/export";
import { intParam, queryParam, timeParams } from "@/server/logs/search/http";
import { planQuery } from "@/server/logs/search/plan";

export const dynamic = "force-dynamic";

/** Export of matching events (newest first), streamed: `?q=&start=&end=&format=csv|ndjson&columns=a,b&limit=`. */
export const GET = withApi("logs:read", async ({ principal, meta, request }) => {
  const params = new URL(request.url).searchParams;
  const format = (params.get("format") ?? "csv") as ExportFormat;
  if (format !== "csv" && format !== "ndjson") throw new AppError("INVALID_INPUT", { userMessage: 'format must be "csv" or "ndjson"' });
  const columns = (params.get("columns") ?? "").split(",").map((c) => c.trim()).filter(Boolean);
  if (columns.length > 50 || columns.some((c) => c.length > 256)) throw new AppError("INVALID_INPUT", { userMessage: "at most 50 columns of at most 256 characters" });
  const limit = intParam(params, "limit", 10_000, 1, MAX_EXPORT_ROWS);
  const q = queryParam(params);
  const range = timeParams(params);
  const db = getDb();
  const plan = await planQuery(db, principal, q);
  await writeAudit(db, principal, meta, { action: "logs.export", result: "success", details: { format, q, start: new Date(range.start).toISOString(), end: new Date(range.end).toISOString(), limit } });
  const body = exportStream(db, plan, { ...range, format, columns: columns.length ? columns : DEFAULT_EXPORT_COLUMNS, limit }, (err) => logger.error({ err }, "log export failed"));
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
      "content-disposition": `attachment; filename="lookout-logs-${stamp}.${format === "csv" ? "csv" : "ndjson"}"`,
      "cache-control": "no-store",
    },
  });
});
