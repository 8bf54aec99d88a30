import { z } from "zod";
import { logger } from "@/server/lib/logger";
import { enqueue } from "@/server/queues/queues";
import { router } from "@/server/trpc/init";
import { permission } from "@/server/trpc/procedures";
import { parseScrapeConfig, ScrapeConfigError } from "./config";
import { createScrapeJob, deleteScrapeJob, getScrapeJob, listScrapeJobs, setScrapeJobEnabled, updateScrapeJob } from "./jobs";
import { retireBatchId } from "./service";

/**
 * A Prometheus scrape_config, checked here so a form gets its errors per field
 * (`config.scrape_interval`, `config.static_configs.0.targets.1`, …).
 */
const ConfigSchema = z.record(z.string(), z.unknown()).superRefine((raw, ctx) => {
  try {
    parseScrapeConfig(raw);
  } catch (e) {
    if (!(e instanceof ScrapeConfigError)) throw e;
    for (const issue of e.issues.length ? e.issues : [{ path: [], message: e.message }]) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  }
});

/** The scheduler follows the change within moments (and the periodic reconcile catches a miss). */
async function reconcileSoon(): Promise<void> {
  await enqueue("scrape", { kind: "reconcile" }).catch((e) => logger.warn({ err: (e as Error).message }, "could not enqueue a scrape reconcile"));
}

export const scrapeJobsRouter = router({
  list: permission("metrics:read").query(({ ctx }) => listScrapeJobs(ctx.db)),
  byId: permission("metrics:read")
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getScrapeJob(ctx.db, input.id)),
  create: permission("targets:write")
    .input(z.object({ config: ConfigSchema, enabled: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) => {
      const job = await createScrapeJob(ctx.db, ctx.principal, ctx.meta, input);
      await reconcileSoon();
      return job;
    }),
  update: permission("targets:write")
    .input(z.object({ id: z.uuid(), config: ConfigSchema }))
    .mutation(async ({ ctx, input }) => {
      const job = await updateScrapeJob(ctx.db, ctx.principal, ctx.meta, input.id, input);
      await reconcileSoon();
      return job;
    }),
  setEnabled: permission("targets:write")
    .input(z.object({ id: z.uuid(), enabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const job = await setScrapeJobEnabled(ctx.db, ctx.principal, ctx.meta, input.id, input.enabled);
      await reconcileSoon();
      return job;
    }),
  delete: permission("targets:write")
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const { retired } = await deleteScrapeJob(ctx.db, ctx.principal, ctx.meta, input.id);
      const atMs = Date.now();
      for (const t of retired) {
        await enqueue("scrape", { kind: "stale", batchId: retireBatchId(t.jobId, t.url, t.lastScrapeAt), seriesIds: t.seriesIds, atMs }).catch((e) =>
          logger.warn({ err: (e as Error).message, url: t.url }, "could not enqueue stale markers of a deleted scrape job"),
        );
      }
      await reconcileSoon();
      return { id: input.id };
    }),
});
