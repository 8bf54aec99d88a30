import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>["sources"];
export type SourceRow = Outputs["list"][number];
export type DeadLetterRow = Outputs["deadLetters"][number];
export type LineExplanation = Outputs["testPipeline"][number];
export type SourceInput = inferRouterInputs<AppRouter>["sources"]["create"];
