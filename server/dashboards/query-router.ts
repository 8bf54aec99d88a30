import { router } from "@/server/trpc/init";
import { permission } from "@/server/trpc/procedures";
import { defaultPanelCache } from "./panel-cache";
import { PanelQueryInputSchema, runPanelQuery } from "./panel-query";
import { VariableOptionsInputSchema, variableOptions } from "./variable-options";

/**
 * Panel data and variable options for dashboards. Viewing a dashboard needs dashboards:read; each
 * PromQL target also needs metrics:read and each log target logs:read (a missing one is that
 * target's error), and the caller's data-access filters apply to everything.
 */
export const panelsRouter = router({
  query: permission("dashboards:read")
    .input(PanelQueryInputSchema)
    .query(({ ctx, input }) => runPanelQuery({ db: ctx.db, cache: defaultPanelCache() }, ctx.principal, input)),
  variableOptions: permission("dashboards:read")
    .input(VariableOptionsInputSchema)
    .query(({ ctx, input }) => variableOptions({ db: ctx.db }, ctx.principal, input)),
});
