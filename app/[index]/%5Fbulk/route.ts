import { bulkHandler } from "@/server/logs/es-compat";

export const dynamic = "force-dynamic";

/** Elasticsearch `POST /{index}/_bulk`. */
export const POST = bulkHandler((request) => decodeURIComponent(new URL(request.url).pathname.split("/")[1] ?? ""));
export const PUT = POST;
