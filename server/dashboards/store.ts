/**
 * Dashboards storage: every SQL statement of folders, folder permissions, dashboards, their
 * versions and stars. No access checks here (service.ts decides who may do what).
 */
import { and, asc, desc, eq, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { dashboards, dashboardStars, dashboardVersions, folderPermissions, folders, roles } from "@/db/schema";
import { escapeLike } from "@/server/auth/audit";
import { pgArray } from "@/server/lib/sql-array";
import type { FolderLevel, FolderPermissionEntry } from "./access";

export type FolderRow = typeof folders.$inferSelect;
export type DashboardRow = typeof dashboards.$inferSelect;
export type VersionRow = typeof dashboardVersions.$inferSelect;
export type FolderWithPermissions = FolderRow & { permissions: FolderPermissionEntry[] };
/** A dashboard row with its folder (null: General). */
export type DashboardWithFolder = DashboardRow & { folder: FolderRow | null };

// ---------------------------------------------------------------------------------------------
// Folders
// ---------------------------------------------------------------------------------------------

/** Every folder with its permission entries, by title. */
export async function listFolderRows(db: DbOrTx): Promise<FolderWithPermissions[]> {
  const rows = await db.select().from(folders).orderBy(asc(sql`lower(${folders.title})`));
  const perms = await db.select().from(folderPermissions);
  const byFolder = new Map<string, FolderPermissionEntry[]>();
  for (const p of perms) {
    const list = byFolder.get(p.folderId) ?? [];
    list.push({ roleId: p.roleId, level: p.level });
    byFolder.set(p.folderId, list);
  }
  return rows.map((f) => ({ ...f, permissions: byFolder.get(f.id) ?? [] }));
}

export async function findFolder(db: DbOrTx, by: { uid: string } | { id: string } | { numericId: number }, opts: { forUpdate?: boolean } = {}): Promise<FolderWithPermissions | null> {
  const where = "uid" in by ? eq(folders.uid, by.uid) : "id" in by ? eq(folders.id, by.id) : eq(folders.numericId, by.numericId);
  const q = db.select().from(folders).where(where);
  const [row] = opts.forUpdate ? await q.for("update") : await q;
  if (!row) return null;
  return { ...row, permissions: await folderPermissionRows(db, row.id) };
}

export async function findFolderByTitle(db: DbOrTx, title: string): Promise<FolderRow | null> {
  const [row] = await db.select().from(folders).where(eq(sql`lower(${folders.title})`, title.toLowerCase()));
  return row ?? null;
}

export async function folderPermissionRows(db: DbOrTx, folderId: string): Promise<FolderPermissionEntry[]> {
  const rows = await db.select({ roleId: folderPermissions.roleId, level: folderPermissions.level }).from(folderPermissions).where(eq(folderPermissions.folderId, folderId));
  return rows;
}

export async function insertFolder(db: DbOrTx, values: { uid: string; title: string; provisioned?: boolean }): Promise<FolderRow> {
  const [row] = await db.insert(folders).values({ uid: values.uid, title: values.title, provisioned: values.provisioned ?? false }).returning();
  return row!;
}

export async function updateFolderTitle(db: DbOrTx, id: string, title: string): Promise<FolderRow> {
  const [row] = await db.update(folders).set({ title }).where(eq(folders.id, id)).returning();
  return row!;
}

export async function deleteFolderRow(db: DbOrTx, id: string): Promise<void> {
  await db.delete(folders).where(eq(folders.id, id));
}

export async function countDashboardsInFolder(db: DbOrTx, folderId: string): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(dashboards).where(eq(dashboards.folderId, folderId));
  return r?.n ?? 0;
}

/** Which of these role ids exist. */
export async function existingRoleIds(db: DbOrTx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: roles.id }).from(roles).where(inArray(roles.id, [...ids]));
  return new Set(rows.map((r) => r.id));
}

export async function replaceFolderPermissions(db: DbOrTx, folderId: string, entries: readonly { roleId: string; level: FolderLevel }[]): Promise<void> {
  await db.delete(folderPermissions).where(eq(folderPermissions.folderId, folderId));
  if (entries.length) await db.insert(folderPermissions).values(entries.map((e) => ({ folderId, roleId: e.roleId, level: e.level })));
}

// ---------------------------------------------------------------------------------------------
// Dashboards
// ---------------------------------------------------------------------------------------------

export async function findDashboard(db: DbOrTx, by: { uid: string } | { id: string }, opts: { forUpdate?: boolean } = {}): Promise<DashboardWithFolder | null> {
  const where = "uid" in by ? eq(dashboards.uid, by.uid) : eq(dashboards.id, by.id);
  const q = db.select().from(dashboards).where(where);
  const [row] = opts.forUpdate ? await q.for("update") : await q;
  if (!row) return null;
  const folder = row.folderId ? ((await db.select().from(folders).where(eq(folders.id, row.folderId)))[0] ?? null) : null;
  return { ...row, folder };
}

/** The dashboard of this title (case-insensitive) in a folder (null: General), other than `exceptId`. */
export async function findDashboardByTitle(db: DbOrTx, folderId: string | null, title: string, exceptId?: string): Promise<DashboardRow | null> {
  const conds: SQL[] = [eq(sql`lower(${dashboards.title})`, title.toLowerCase()), folderId ? eq(dashboards.folderId, folderId) : isNull(dashboards.folderId)];
  if (exceptId) conds.push(ne(dashboards.id, exceptId));
  const [row] = await db.select().from(dashboards).where(and(...conds)).for("update");
  return row ?? null;
}

export type DashboardValues = {
  uid: string;
  folderId: string | null;
  title: string;
  tags: string[];
  data: Record<string, unknown>;
  provisionedFrom: string | null;
  actorId: string | null;
};

export async function insertDashboard(db: DbOrTx, v: DashboardValues): Promise<DashboardRow> {
  const [row] = await db
    .insert(dashboards)
    .values({ uid: v.uid, folderId: v.folderId, title: v.title, tags: v.tags, data: v.data, version: 1, provisionedFrom: v.provisionedFrom, createdBy: v.actorId, updatedBy: v.actorId })
    .returning();
  return row!;
}

/** Writes a new version of an existing dashboard (version = `version`). */
export async function updateDashboardRow(db: DbOrTx, id: string, v: Omit<DashboardValues, "uid"> & { version: number }): Promise<DashboardRow> {
  const [row] = await db
    .update(dashboards)
    .set({ folderId: v.folderId, title: v.title, tags: v.tags, data: v.data, version: v.version, provisionedFrom: v.provisionedFrom, updatedBy: v.actorId })
    .where(eq(dashboards.id, id))
    .returning();
  return row!;
}

export async function deleteDashboardRow(db: DbOrTx, id: string): Promise<void> {
  await db.delete(dashboards).where(eq(dashboards.id, id));
}

export async function insertVersion(db: DbOrTx, v: { dashboardId: string; version: number; data: Record<string, unknown>; message: string; createdBy: string | null; createdByName: string }): Promise<void> {
  await db.insert(dashboardVersions).values(v);
}

/** Versions newest first, without their data. */
export async function listVersionRows(db: DbOrTx, dashboardId: string): Promise<Omit<VersionRow, "data" | "dashboardId">[]> {
  return db
    .select({ version: dashboardVersions.version, message: dashboardVersions.message, createdBy: dashboardVersions.createdBy, createdByName: dashboardVersions.createdByName, createdAt: dashboardVersions.createdAt })
    .from(dashboardVersions)
    .where(eq(dashboardVersions.dashboardId, dashboardId))
    .orderBy(desc(dashboardVersions.version));
}

export async function findVersion(db: DbOrTx, dashboardId: string, version: number): Promise<VersionRow | null> {
  const [row] = await db.select().from(dashboardVersions).where(and(eq(dashboardVersions.dashboardId, dashboardId), eq(dashboardVersions.version, version)));
  return row ?? null;
}

/** Who saved the current version (as shown in the history). */
export async function latestVersionAuthor(db: DbOrTx, dashboardId: string): Promise<string | null> {
  const [row] = await db
    .select({ name: dashboardVersions.createdByName })
    .from(dashboardVersions)
    .where(eq(dashboardVersions.dashboardId, dashboardId))
    .orderBy(desc(dashboardVersions.version))
    .limit(1);
  return row?.name ?? null;
}

export type DashboardSearch = {
  /** Case-insensitive substring of the title. */
  query?: string;
  /** Every tag listed must be present. */
  tags?: string[];
  /** Folders whose dashboards may be returned; `null` in the list stands for General. */
  folderIds: (string | null)[];
  /** Only the dashboards this user starred. */
  starredBy?: string;
  uids?: string[];
  limit?: number;
};

export type DashboardHitRow = Pick<DashboardRow, "id" | "numericId" | "uid" | "title" | "tags" | "folderId" | "provisionedFrom">;

/** Dashboards matching the search, by title (grouping by folder is the caller's). */
export async function searchDashboardRows(db: DbOrTx, s: DashboardSearch): Promise<DashboardHitRow[]> {
  const ids = s.folderIds.filter((f): f is string => f !== null);
  const folderConds: SQL[] = [];
  if (s.folderIds.includes(null)) folderConds.push(isNull(dashboards.folderId));
  if (ids.length) folderConds.push(inArray(dashboards.folderId, ids));
  if (folderConds.length === 0) return [];
  const conds: SQL[] = [or(...folderConds)!];
  if (s.query?.trim()) conds.push(sql`lower(${dashboards.title}) like ${`%${escapeLike(s.query.trim().toLowerCase())}%`}`);
  if (s.tags?.length) conds.push(sql`${dashboards.tags} @> ${pgArray(s.tags)}::text[]`);
  if (s.uids) conds.push(s.uids.length ? inArray(dashboards.uid, s.uids) : sql`false`);
  if (s.starredBy) {
    conds.push(sql`exists (select 1 from ${dashboardStars} where ${dashboardStars.dashboardId} = ${dashboards.id} and ${dashboardStars.userId} = ${s.starredBy})`);
  }
  const q = db
    .select({ id: dashboards.id, numericId: dashboards.numericId, uid: dashboards.uid, title: dashboards.title, tags: dashboards.tags, folderId: dashboards.folderId, provisionedFrom: dashboards.provisionedFrom })
    .from(dashboards)
    .where(and(...conds))
    .orderBy(asc(sql`lower(${dashboards.title})`), asc(dashboards.uid));
  return s.limit ? q.limit(s.limit) : q;
}

/** Provisioned dashboards (for the provisioner's bookkeeping). */
export async function provisionedDashboardRows(db: DbOrTx): Promise<Pick<DashboardRow, "id" | "uid" | "title" | "provisionedFrom">[]> {
  return db
    .select({ id: dashboards.id, uid: dashboards.uid, title: dashboards.title, provisionedFrom: dashboards.provisionedFrom })
    .from(dashboards)
    .where(sql`${dashboards.provisionedFrom} is not null`);
}

// ---------------------------------------------------------------------------------------------
// Stars
// ---------------------------------------------------------------------------------------------

export async function starredDashboardIds(db: DbOrTx, userId: string): Promise<Set<string>> {
  const rows = await db.select({ id: dashboardStars.dashboardId }).from(dashboardStars).where(eq(dashboardStars.userId, userId));
  return new Set(rows.map((r) => r.id));
}

export async function setStar(db: DbOrTx, userId: string, dashboardId: string, starred: boolean): Promise<boolean> {
  if (starred) {
    const rows = await db.insert(dashboardStars).values({ userId, dashboardId }).onConflictDoNothing().returning();
    return rows.length > 0;
  }
  const rows = await db
    .delete(dashboardStars)
    .where(and(eq(dashboardStars.userId, userId), eq(dashboardStars.dashboardId, dashboardId)))
    .returning();
  return rows.length > 0;
}
