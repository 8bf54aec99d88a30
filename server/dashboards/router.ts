import { z } from "zod";
import { router } from "@/server/trpc/init";
import { permission } from "@/server/trpc/procedures";
import { DashboardSchema } from "./model";
import {
  createFolder,
  deleteDashboard,
  deleteFolder,
  diffVersions,
  DashboardUidSchema,
  FolderPermissionsInput,
  FolderTitleSchema,
  getDashboard,
  getFolderPermissions,
  importDashboard,
  ImportDashboardInput,
  listDashboards,
  ListDashboardsInput,
  listFolders,
  listVersions,
  renameFolder,
  restoreVersion,
  saveDashboard,
  setFolderPermissions,
  starDashboard,
} from "./service";

const ByUid = z.object({ uid: z.string().min(1).max(40) });
const Version = z.number().int().min(0);

/** Dashboards: thin over service.ts (which checks folder access on top of these permissions). */
export const dashboardsRouter = router({
  list: permission("dashboards:read")
    .input(ListDashboardsInput.optional())
    .query(({ ctx, input }) => listDashboards(ctx.db, ctx.principal, input ?? {})),
  byUid: permission("dashboards:read")
    .input(ByUid)
    .query(({ ctx, input }) => getDashboard(ctx.db, ctx.principal, input.uid)),
  save: permission("dashboards:write")
    .input(
      z.object({
        uid: DashboardUidSchema.optional(),
        folderUid: z.string().min(1).max(40).nullable(),
        // Field errors for the editor (the service validates again for every other caller).
        dashboard: DashboardSchema,
        version: Version,
        message: z.string().max(500).optional(),
        overwrite: z.boolean().default(false),
      }),
    )
    .mutation(({ ctx, input }) => saveDashboard(ctx.db, ctx.principal, ctx.meta, input)),
  delete: permission("dashboards:write")
    .input(ByUid)
    .mutation(({ ctx, input }) => deleteDashboard(ctx.db, ctx.principal, ctx.meta, input.uid)),
  star: permission("dashboards:read")
    .input(ByUid.extend({ starred: z.boolean() }))
    .mutation(({ ctx, input }) => starDashboard(ctx.db, ctx.principal, ctx.meta, input)),
  versions: permission("dashboards:read")
    .input(ByUid)
    .query(({ ctx, input }) => listVersions(ctx.db, ctx.principal, input.uid)),
  diff: permission("dashboards:read")
    .input(ByUid.extend({ from: Version, to: Version }))
    .query(({ ctx, input }) => diffVersions(ctx.db, ctx.principal, input)),
  restore: permission("dashboards:write")
    .input(ByUid.extend({ version: Version }))
    .mutation(({ ctx, input }) => restoreVersion(ctx.db, ctx.principal, ctx.meta, input)),
  import: permission("dashboards:write")
    .input(ImportDashboardInput)
    .mutation(({ ctx, input }) => importDashboard(ctx.db, ctx.principal, ctx.meta, input)),
});

export const foldersRouter = router({
  list: permission("dashboards:read").query(({ ctx }) => listFolders(ctx.db, ctx.principal)),
  create: permission("dashboards:write")
    .input(z.object({ title: FolderTitleSchema, uid: DashboardUidSchema.optional() }))
    .mutation(({ ctx, input }) => createFolder(ctx.db, ctx.principal, ctx.meta, input)),
  rename: permission("dashboards:write")
    .input(ByUid.extend({ title: FolderTitleSchema }))
    .mutation(({ ctx, input }) => renameFolder(ctx.db, ctx.principal, ctx.meta, input)),
  delete: permission("dashboards:write")
    .input(ByUid)
    .mutation(({ ctx, input }) => deleteFolder(ctx.db, ctx.principal, ctx.meta, input.uid)),
  permissions: permission("dashboards:read")
    .input(ByUid)
    .query(({ ctx, input }) => getFolderPermissions(ctx.db, ctx.principal, input.uid)),
  setPermissions: permission("dashboards:write")
    .input(FolderPermissionsInput)
    .mutation(({ ctx, input }) => setFolderPermissions(ctx.db, ctx.principal, ctx.meta, input)),
});
