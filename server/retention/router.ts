import { z } from "zod";
import { archiveStore } from "@/server/archive/store-from-env";
import { actorOf } from "@/server/auth/principal";
import { writeAudit } from "@/server/auth/audit";
import { AppError } from "@/server/lib/errors";
import { ArchiveDaysSchema, HotDaysSchema } from "@/server/logs/sources";
import { enqueue } from "@/server/queues/queues";
import { router } from "@/server/trpc/init";
import { permission } from "@/server/trpc/procedures";
import { gdprDelete, gdprPreview } from "./gdpr";
import { RetentionSettingsInput } from "./model";
import { retentionOverview } from "./overview";
import { updateRetentionSettings } from "./settings";
import { updateSourceRetention } from "./source-retention";
import { currentWatermarks } from "./watermarks";

const GdprQueryInput = z.object({ q: z.string().trim().min(1, "Enter a query").max(4096) });

/**
 * Settings → Retention: what is kept where (anyone who sees the status page), the settings, a
 * run on demand and per-source days (settings:manage), GDPR data requests (logs:gdpr).
 */
export const retentionRouter = router({
  overview: permission("status:read").query(({ ctx }) => retentionOverview(ctx.db, archiveStore())),
  watermarks: permission("status:read").query(({ ctx }) => currentWatermarks(ctx.db)),
  updateSettings: permission("settings:manage")
    .input(RetentionSettingsInput)
    .mutation(({ ctx, input }) => updateRetentionSettings(ctx.db, ctx.principal, input, ctx.meta)),
  updateSource: permission("settings:manage")
    .input(z.object({ id: z.uuid(), hotDays: HotDaysSchema, archiveDays: ArchiveDaysSchema }))
    .mutation(({ ctx, input }) => updateSourceRetention(ctx.db, ctx.principal, ctx.meta, input)),
  /** Queues a whole run now (the `retention` worker runs it; the history shows it). */
  runNow: permission("settings:manage").mutation(async ({ ctx }) => {
    const actor = actorOf(ctx.principal).actorName;
    const job = await enqueue("retention", { kind: "run", trigger: "manual", actor });
    await writeAudit(ctx.db, ctx.principal, ctx.meta, { action: "retention.run.request", result: "success", details: { jobId: job.id ?? null } });
    return { jobId: job.id ?? null };
  }),
  gdprPreview: permission("logs:gdpr")
    .input(GdprQueryInput)
    .query(({ ctx, input }) => gdprPreview(ctx.db, archiveStore(), ctx.principal, input.q)),
  /** Deletes for good: `confirm` must repeat the query, so a stray call cannot erase a wrong one. */
  gdprDelete: permission("logs:gdpr")
    .input(GdprQueryInput.extend({ confirm: z.string() }))
    .mutation(({ ctx, input }) => {
      if (input.confirm.trim() !== input.q) throw new AppError("INVALID_INPUT", { userMessage: "Type the query again to confirm the deletion" });
      return gdprDelete(ctx.db, archiveStore(), ctx.principal, ctx.meta, input.q);
    }),
});
