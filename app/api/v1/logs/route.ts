import { jsonResponse, withApi } from "@/server/lib/http";
import { decodeNdjson } from "@/server/logs/ingest/ndjson";
import { accept, bodyMeta, maxBodyBytes, readBody, sourceOf } from "@/server/logs/ingest-http";

export const dynamic = "force-dynamic";

/**
 * Native NDJSON ingest. 202 with the batch id when at least one line was accepted; rejected lines
 * are listed with their 1-based line numbers and never fail the others. 400 when none was usable.
 */
export const POST = withApi("logs:write", async ({ principal, request }) => {
  const body = await readBody(request);
  const items = decodeNdjson(body, bodyMeta(request), { maxBytes: maxBodyBytes() });
  const res = await accept(principal, sourceOf(request), items, body.length);
  const rejected = res.rejected.map((r) => ({ line: r.index + 1, error: r.error }));
  const status = res.accepted > 0 ? 202 : 400;
  const message = items.length === 0 ? "empty body: send one JSON object (or plain line) per line" : undefined;
  return jsonResponse(status, { batchId: res.batchId, source: res.source, accepted: res.accepted, rejected, ...(message ? { message } : {}) });
});
