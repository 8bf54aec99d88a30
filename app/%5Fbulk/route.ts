import { bulkHandler } from "@/server/logs/es-compat";

export const dynamic = "force-dynamic";

/** Elasticsearch `POST /_bulk`. */
export const POST = bulkHandler(() => undefined);
export const PUT = POST;
