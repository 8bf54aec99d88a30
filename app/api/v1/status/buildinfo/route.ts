import { promApi } from "@/server/metrics/prom-api/http";
import { BUILD_INFO } from "@/server/metrics/prom-api/response";

export const dynamic = "force-dynamic";

/** What Grafana's Prometheus data source reads to pick its feature set. */
export const GET = promApi("metrics:read", async () => ({ data: BUILD_INFO }));
