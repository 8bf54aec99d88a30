import { z } from "zod";
import { router } from "@/server/trpc/init";
import { permission } from "@/server/trpc/procedures";
import { enqueue } from "@/server/queues/queues";
import { explainPipeline } from "./pipeline/explain";
import { getRedis } from "@/server/lib/redis";
import { ArchiveDaysSchema, HotDaysSchema, SourceNameSchema, createSource, listDeadLetters, listSourcesWithActivity, parsePipeline, replayDeadLetters, updateSource } from "./sources";

const SourceInputSchema = z.object({
  name: SourceNameSchema,
  description: z.string().trim().max(500).optional(),
  pipeline: z.array(z.unknown()).max(100),
  hotDays: HotDaysSchema,
  archiveDays: ArchiveDaysSchema,
});

export const sourcesRouter = router({
  list: permission("sources:read").query(({ ctx }) => listSourcesWithActivity(ctx.db, getRedis())),
  create: permission("sources:write")
    .input(SourceInputSchema)
    .mutation(({ ctx, input }) => createSource(ctx.db, ctx.principal, ctx.meta, input)),
  update: permission("sources:write")
    .input(SourceInputSchema.extend({ id: z.uuid() }))
    .mutation(({ ctx, input }) => updateSource(ctx.db, ctx.principal, ctx.meta, input.id, input)),
  deadLetters: permission("sources:read")
    .input(z.object({ sourceId: z.uuid(), limit: z.number().int().min(1).max(200).default(20) }))
    .query(({ ctx, input }) => listDeadLetters(ctx.db, input.sourceId, input.limit)),
  replayDeadLetters: permission("sources:write")
    .input(z.object({ sourceId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      replayDeadLetters(ctx.db, ctx.principal, ctx.meta, input.sourceId, async (job) => {
        await enqueue("logs-ingest", job, { jobId: job.batchId });
      }),
    ),
  /** The "test pipeline" panel: pasted lines through the given steps, each step's output shown. */
  testPipeline: permission("sources:read")
    .input(z.object({ pipeline: z.array(z.unknown()).max(100), lines: z.array(z.string().max(64 * 1024)).min(1).max(50) }))
    .mutation(({ input }) => {
      const steps = parsePipeline(input.pipeline);
      const observedTs = Date.now();
      return input.lines.map((line) => explainPipeline(steps, { message: line, fields: {} }, { source: "test", observedTs }));
    }),
});
