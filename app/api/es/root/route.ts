import { rootHandler } from "@/server/logs/es-compat";

export const dynamic = "force-dynamic";

/** `GET /` for Elasticsearch clients (the proxy routes non-browser requests for `/` here). */
export const GET = rootHandler;
export const HEAD = rootHandler;
