import { z } from "zod";
import { router } from "@/server/trpc/init";
import { permission } from "@/server/trpc/procedures";
import { enqueue } from "@/server/queues/queues";
import { listArchiveDays, requestRestore, searchArchiveDay } from "./archive-service";
import { ArchiveScanInput, ContextInput, HistogramInput, RestoreArchivedDayInput, SavedSearchInput, SearchInput, TermsInput, TimeRangeInput, ValuesInput } from "./contract";
import { deleteSavedSearch, getSavedSearch, listSavedSearches, saveSearch } from "./saved-searches";
import { searchContext, searchFields, searchHistogram, searchLogs, searchTerms, searchValues } from "./service";

/** Discover: every procedure needs logs:read and applies the caller's role data filter in the service. */
export const logsRouter = router({
  search: permission("logs:read")
    .input(SearchInput)
    .query(({ ctx, input }) => searchLogs(ctx.db, ctx.principal, input)),
  histogram: permission("logs:read")
    .input(HistogramInput)
    .query(({ ctx, input }) => searchHistogram(ctx.db, ctx.principal, input)),
  terms: permission("logs:read")
    .input(TermsInput)
    .query(({ ctx, input }) => searchTerms(ctx.db, ctx.principal, input)),
  context: permission("logs:read")
    .input(ContextInput)
    .query(({ ctx, input }) => searchContext(ctx.db, ctx.principal, input)),
  /** Known fields (built-ins, then attribute paths seen in the sources) for autocompletion. */
  fields: permission("logs:read").query(({ ctx }) => searchFields(ctx.db)),
  /** Top values of a field starting with `prefix` in the range (autocompletion of values). */
  values: permission("logs:read")
    .input(ValuesInput)
    .query(({ ctx, input }) => searchValues(ctx.db, ctx.principal, input)),
  /** Archived (cold tier) days the range reaches, not restored to the hot tier. */
  archiveDays: permission("logs:read")
    .input(TimeRangeInput)
    .query(({ ctx, input }) => listArchiveDays(ctx.db, ctx.principal, input)),
  /** One archived day searched (the console calls it day by day, newest first, to show progress). */
  archiveScan: permission("logs:read")
    .input(ArchiveScanInput)
    .query(({ ctx, input }) => searchArchiveDay(ctx.db, ctx.principal, input)),
  /** Loads an archived day back into the hot tier for a while (the retention worker does it). */
  restoreArchivedDay: permission("sources:write")
    .input(RestoreArchivedDayInput)
    .mutation(({ ctx, input }) => requestRestore(ctx.db, ctx.principal, ctx.meta, input, (job) => enqueue("retention", job))),
});

export const savedSearchesRouter = router({
  list: permission("logs:read").query(({ ctx }) => listSavedSearches(ctx.db, ctx.principal)),
  get: permission("logs:read")
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getSavedSearch(ctx.db, ctx.principal, input.id)),
  save: permission("logs:read")
    .input(SavedSearchInput.extend({ id: z.uuid().optional() }))
    .mutation(({ ctx, input }) => saveSearch(ctx.db, ctx.principal, ctx.meta, input)),
  delete: permission("logs:read")
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => deleteSavedSearch(ctx.db, ctx.principal, ctx.meta, input.id)),
});
