import { getDb } from "@/db/client";
import { AppError } from "@/server/lib/errors";
import { jsonResponse, withApi } from "@/server/lib/http";
import { getRedis, redisKey } from "@/server/lib/redis";
import { buildBulkResponse, decodeEsBulk } from "./ingest/es-bulk";
import { accept, bodyMeta, esErrorBody, ES_HEADERS, maxBodyBytes, readBody } from "./ingest-http";
import { resolveSource } from "./ingest-service";
import { DEFAULT_SOURCE } from "./sources";

/**
 * What Elasticsearch shippers (Filebeat, Fluent Bit, Vector, Logstash, rsyslog omelasticsearch)
 * need from an Elasticsearch node: the bulk API and the start-up handshake (root info, license,
 * index templates). Every answer carries `X-Elastic-Product: Elasticsearch`.
 */
export const ES_VERSION = "8.11.0";

export function esRootInfo() {
  return {
    name: "lookout",
    cluster_name: "lookout",
    cluster_uuid: "bG9va291dC1jbHVzdGVy",
    version: {
      number: ES_VERSION,
      build_flavor: "default",
      build_type: "lookout",
      build_hash: "lookout",
      build_date: "2026-01-01T00:00:00.000Z",
      build_snapshot: false,
      lucene_version: "9.8.0",
      minimum_wire_compatibility_version: "7.17.0",
      minimum_index_compatibility_version: "7.0.0",
    },
    tagline: "You Know, for Search",
  };
}

export function esLicense() {
  return {
    license: {
      status: "active",
      uid: "lookout",
      type: "basic",
      issue_date: "2026-01-01T00:00:00.000Z",
      issue_date_in_millis: 1767225600000,
      max_nodes: 1000,
      max_resource_units: null,
      issued_to: "lookout",
      issuer: "lookout",
      start_date_in_millis: -1,
    },
  };
}

const es = (status: number, body: unknown) => jsonResponse(status, body, ES_HEADERS);

/** A source named like the index when there is one, else the default source (ES auto-creates indices). */
async function sourceForIndex(explicit: string | null, index: string | undefined): Promise<string> {
  if (explicit) return explicit;
  if (index) {
    try {
      return (await resolveSource(getDb(), index)).name;
    } catch (e) {
      if (!(e instanceof AppError && e.code === "INVALID_INPUT")) throw e;
    }
  }
  return DEFAULT_SOURCE;
}

export function bulkHandler(indexOf: (request: Request) => string | undefined) {
  return withApi(
    "logs:write",
    async ({ principal, request }) => {
      const started = performance.now();
      const body = await readBody(request);
      const urlIndex = indexOf(request) || undefined;
      const decoded = decodeEsBulk(
        body,
        bodyMeta(request),
        { maxBytes: maxBodyBytes(), defaultIndex: urlIndex },
      );
      const explicit = new URL(request.url).searchParams.get("source");
      const source = await sourceForIndex(explicit, urlIndex ?? decoded.actions.find((a) => a._index)?._index);
      await accept(principal, source, decoded.items, body.length);
      return es(200, buildBulkResponse(decoded.actions, { took: Math.round(performance.now() - started) }));
    },
    { errorBody: esErrorBody },
  );
}

/** Index templates are acknowledged and remembered (so HEAD/GET answer as after a real PUT). */
const templatesKey = () => redisKey("es-templates");

export function templateHandlers(kind: "index_template" | "template") {
  const nameOf = (request: Request) => decodeURIComponent(new URL(request.url).pathname.split("/").filter(Boolean)[1] ?? "");
  const field = (name: string) => `${kind}:${name}`;
  const opts = { errorBody: esErrorBody };
  return {
    HEAD: withApi("logs:write", async ({ request }) => new Response(null, { status: (await getRedis().hexists(templatesKey(), field(nameOf(request)))) ? 200 : 404, headers: ES_HEADERS }), opts),
    GET: withApi(
      "logs:write",
      async ({ request }) => {
        const name = nameOf(request);
        const stored = await getRedis().hget(templatesKey(), field(name));
        if (!stored) return es(404, kind === "index_template" ? { index_templates: [] } : {});
        const template = JSON.parse(stored) as unknown;
        return es(200, kind === "index_template" ? { index_templates: [{ name, index_template: template }] } : { [name]: template });
      },
      opts,
    ),
    PUT: withApi(
      "logs:write",
      async ({ request }) => {
        const name = nameOf(request);
        const body = (await readBody(request, 1024 * 1024)).toString("utf8") || "{}";
        try {
          JSON.parse(body);
        } catch {
          throw new AppError("INVALID_INPUT", { userMessage: "template body is not valid JSON" });
        }
        await getRedis().hset(templatesKey(), field(name), body);
        return es(200, { acknowledged: true });
      },
      opts,
    ),
  };
}

export const rootHandler = withApi("logs:write", async () => es(200, esRootInfo()), { errorBody: esErrorBody });
export const licenseHandler = withApi("logs:write", async () => es(200, esLicense()), { errorBody: esErrorBody });
