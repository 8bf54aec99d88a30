import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>["scrapeJobs"];
export type ScrapeJobRow = Outputs["list"][number];
export type ScrapeTargetRow = ScrapeJobRow["targets"][number];
