import { metadata } from "@/server/metrics/prom-api/api";
import { promApi } from "@/server/metrics/prom-api/http";

export const dynamic = "force-dynamic";

/** TYPE/HELP/UNIT per metric, as last received from remote_write, scrapes, Pushgateway and OTLP. */
export const GET = promApi("metrics:read", ({ db, params }) => metadata(db, params));
