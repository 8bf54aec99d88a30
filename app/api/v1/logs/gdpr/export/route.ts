import { getDb } from "@/db/client";
import { archiveStore } from "@/server/archive/store-from-env";
import { withApi } from "@/server/lib/http";
import { queryParam } from "@/server/logs/search/http";
import { gdprExportStream } from "@/server/retention/gdpr";

export const dynamic = "force-dynamic";

/**
 * GDPR export: every event matching `?q=` in the hot tier and every archived day, as NDJSON
 * (each line a search hit with `tier`: hot | archive). Needs logs:gdpr (an API key with the
 * `admin` scope, or an Admin's session); audited when the stream ends, with the count.
 */
export const GET = withApi("logs:gdpr", async ({ principal, meta, request }) => {
  const q = queryParam(new URL(request.url).searchParams);
  const body = await gdprExportStream(getDb(), archiveStore(), principal, meta, q);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(body, {
    headers: {
      "content-type": "application/x-ndjson",
      "content-disposition": `attachment; filename="lookout-gdpr-export-${stamp}.ndjson"`,
      "cache-control": "no-store",
    },
  });
});
