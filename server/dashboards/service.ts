/**
 * Dashboards and folders: the domain. Every function checks folder access (access.ts) on top of
 * the dashboards:read / dashboards:write the caller (router, HTTP handler) already required, and
 * audits every change in the transaction that makes it.
 *
 * Saving is optimistic: the caller names the version it edited; a newer stored version is a
 * CONFLICT unless `overwrite`. Every save writes a `dashboard_versions` row, so the history has
 * every version (the current one included) for diff and restore.
 */
import { randomBytes } from "node:crypto";
import { createTwoFilesPatch } from "diff";
import { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { migrateDashboard } from "./migrate";
import { writeAudit, type AuditActor } from "@/server/auth/audit";
import { actorOf, type Principal, type RequestMeta } from "@/server/auth/principal";
import { AppError, isUniqueViolation } from "@/server/lib/errors";
import { logger } from "@/server/lib/logger";
import { canonicalJson } from "@/server/lib/canonical-json";
import { canEdit, canView, folderAccess, isDashboardAdmin, type FolderAccess, type FolderLevel } from "./access";
import { convertDashboardJson, type ConvertedDashboard, type UnsupportedPanel } from "./grafana-import";
import { DASHBOARD_SCHEMA_VERSION, DashboardSchema, type Dashboard } from "./model";
import * as store from "./store";
import { countGroupsInFolder as countRuleGroupsInFolder } from "@/server/alerting/store";

// ---------------------------------------------------------------------------------------------
// Ids, slugs, errors
// ---------------------------------------------------------------------------------------------

export const DASHBOARD_UID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
export const DashboardUidSchema = z.string().regex(DASHBOARD_UID_PATTERN, "a uid is 1 to 40 letters, digits, - or _");

const UID_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A new Grafana-style short uid (14 characters, about 83 bits). */
export function generateUid(): string {
  const bytes = randomBytes(14);
  let out = "";
  for (const b of bytes) out += UID_ALPHABET[b % UID_ALPHABET.length];
  return out;
}

/** Grafana-style URL slug of a title: lower case, runs of other characters as one `-`. */
export function slugify(title: string): string {
  return (
    title
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "dashboard"
  );
}

export const dashboardUrl = (uid: string) => `/dashboards/d/${uid}`;
export const folderUrl = (uid: string) => `/dashboards?folder=${encodeURIComponent(uid)}`;

export type DashboardConflictKind = "version-mismatch" | "name-exists" | "uid-exists";

/** A CONFLICT with the kind Grafana's HTTP API names (`status` in its 412 answers). */
export class DashboardConflictError extends AppError {
  constructor(
    readonly kind: DashboardConflictKind,
    userMessage: string,
  ) {
    super("CONFLICT", { userMessage });
  }
}

/** Saving or deleting a provisioned dashboard. */
export class ProvisionedDashboardError extends AppError {
  constructor(title: string, source: string | null) {
    super("FORBIDDEN", {
      userMessage: `Dashboard "${title}" is provisioned${source && source !== "builtin" ? ` from ${source}` : " (built in)"}; change the file or save a copy`,
    });
  }
}

const notFound = (uid: string) => new AppError("NOT_FOUND", { userMessage: `Dashboard ${uid} not found` });
const folderNotFound = (uid: string) => new AppError("NOT_FOUND", { userMessage: `Folder ${uid} not found` });
const folderName = (f: { title: string } | null) => (f ? `"${f.title}"` : "General");

function invalidDashboard(error: z.ZodError): AppError {
  const first = error.issues[0];
  return new AppError("INVALID_INPUT", { userMessage: `Invalid dashboard: ${first?.path.join(".") || "(root)"}: ${first?.message ?? "invalid"}` });
}

function parseDashboard(raw: unknown): Dashboard {
  const r = DashboardSchema.safeParse(raw);
  if (!r.success) throw invalidDashboard(r.error);
  return r.data;
}

/**
 * A stored document as the current model. Stored documents were validated when written; one that
 * no longer parses (a model change without a migration) is handed out as stored and logged.
 */
function readStored(data: Record<string, unknown>, uid: string): Dashboard {
  try {
    return migrateDashboard(data);
  } catch (e) {
    logger.warn({ uid, err: (e as Error).message }, "stored dashboard does not match the current model");
    return data as unknown as Dashboard;
  }
}

/**
 * A dashboard JSON from outside (import, the HTTP API, provisioning): ours when it says
 * `schemaVersion: 1` (validated, with our error messages; omitted fields take their defaults),
 * anything else through convertDashboardJson (Grafana's). Throws INVALID_INPUT with the reason.
 */
export function dashboardFromJson(json: unknown): ConvertedDashboard {
  if (json && typeof json === "object" && !Array.isArray(json) && (json as { schemaVersion?: unknown }).schemaVersion === DASHBOARD_SCHEMA_VERSION) {
    const raw = json as Record<string, unknown>;
    return { format: "lookout", dashboard: parseDashboard(raw), uid: typeof raw.uid === "string" ? raw.uid : undefined, unsupported: [], warnings: [] };
  }
  return convertDashboardJson(json);
}

function who(principal: Principal): { id: string; name: string } {
  const a = actorOf(principal);
  return { id: a.actorId ?? "", name: a.actorName };
}

// ---------------------------------------------------------------------------------------------
// Access
// ---------------------------------------------------------------------------------------------

/**
 * Runs a change; a FORBIDDEN from the folder checks is audited as a permission denial (outside
 * the change's transaction, which rolls back). A provisioned dashboard is not a permission matter.
 */
async function auditingDenials<T>(db: Db, principal: Principal, meta: RequestMeta | null, action: string, target: { type: string; id?: string | null; name?: string | null }, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError && e.code === "FORBIDDEN" && !(e instanceof ProvisionedDashboardError)) {
      await writeAudit(db, principal, meta, { action: "permission.denied", result: "denied", target, details: { action, reason: e.userMessage } });
    }
    throw e;
  }
}

function accessTo(principal: Principal, folder: store.FolderWithPermissions | null): FolderAccess {
  return folderAccess(principal, folder?.permissions ?? []);
}

async function dashboardFolder(db: DbOrTx, row: store.DashboardWithFolder): Promise<store.FolderWithPermissions | null> {
  if (!row.folder) return null;
  return { ...row.folder, permissions: await store.folderPermissionRows(db, row.folder.id) };
}

/** The dashboard and the caller's access to it; NOT_FOUND when it does not exist or is hidden. */
async function visibleDashboard(db: DbOrTx, principal: Principal, uid: string, opts: { forUpdate?: boolean } = {}) {
  const row = await store.findDashboard(db, { uid }, opts);
  if (!row) throw notFound(uid);
  const folder = await dashboardFolder(db, row);
  const access = accessTo(principal, folder);
  if (!canView(access)) throw notFound(uid);
  return { row, folder, access };
}

/** A folder by uid (null: General) the caller can see; NOT_FOUND otherwise. */
async function visibleFolder(db: DbOrTx, principal: Principal, uid: string | null, opts: { forUpdate?: boolean } = {}) {
  if (uid === null) return { folder: null, access: accessTo(principal, null) };
  const folder = await store.findFolder(db, { uid }, opts);
  if (!folder) throw folderNotFound(uid);
  const access = accessTo(principal, folder);
  if (!canView(access)) throw folderNotFound(uid);
  return { folder, access };
}

function assertEdit(access: FolderAccess, folder: { title: string } | null): void {
  if (!canEdit(access)) throw new AppError("FORBIDDEN", { userMessage: `You cannot change dashboards in the folder ${folderName(folder)}` });
}

/** Folders the caller can see (null: General), with the access to each. */
async function visibleFolders(db: DbOrTx, principal: Principal) {
  const all = await store.listFolderRows(db);
  const visible = new Map<string | null, { folder: store.FolderWithPermissions | null; access: FolderAccess }>();
  const general = accessTo(principal, null);
  if (canView(general)) visible.set(null, { folder: null, access: general });
  for (const f of all) {
    const access = accessTo(principal, f);
    if (canView(access)) visible.set(f.id, { folder: f, access });
  }
  return visible;
}

// ---------------------------------------------------------------------------------------------
// Dashboards: save
// ---------------------------------------------------------------------------------------------

export const SaveDashboardInput = z.object({
  uid: DashboardUidSchema.optional(),
  folderUid: z.string().min(1).max(40).nullable(),
  dashboard: z.unknown(),
  /** The version the caller edited (0 for a new dashboard). */
  version: z.number().int().min(0),
  message: z.string().max(500).optional(),
  overwrite: z.boolean().default(false),
});
export type SaveDashboardInput = z.input<typeof SaveDashboardInput>;

export interface SavedDashboard {
  uid: string;
  version: number;
  /** The Grafana API's integer id. */
  numericId: number;
  title: string;
  folderUid: string | null;
  created: boolean;
}

type SaveOptions = { auditAction?: string; auditDetails?: Record<string, unknown> };

/**
 * Creates or updates a dashboard (by uid). CONFLICT when the stored version is not `version`, or
 * another dashboard of the folder has the title, unless `overwrite` (which replaces that other
 * dashboard: a new dashboard without a uid takes its place, one with a uid deletes it).
 */
export function saveDashboard(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: SaveDashboardInput, opts: SaveOptions = {}): Promise<SavedDashboard> {
  return auditingDenials(db, principal, meta, "dashboard.save", { type: "dashboard", id: rawInput.uid ?? null }, () => saveDashboardUnaudited(db, principal, meta, rawInput, opts));
}

async function saveDashboardUnaudited(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: SaveDashboardInput, opts: SaveOptions = {}): Promise<SavedDashboard> {
  const input = SaveDashboardInput.parse(rawInput);
  const dashboard = parseDashboard(input.dashboard);
  const me = who(principal);
  try {
    return await db.transaction(async (tx) => {
      const target = await visibleFolder(tx, principal, input.folderUid);
      assertEdit(target.access, target.folder);
      const targetFolderId = target.folder?.id ?? null;

      let existing = input.uid ? await store.findDashboard(tx, { uid: input.uid }, { forUpdate: true }) : null;
      if (existing) {
        const folder = await dashboardFolder(tx, existing);
        const access = accessTo(principal, folder);
        if (!canView(access)) throw new AppError("FORBIDDEN", { userMessage: `You cannot change dashboard ${existing.uid}` });
        assertEdit(access, folder);
        if (existing.provisionedFrom) throw new ProvisionedDashboardError(existing.title, existing.provisionedFrom);
        if (existing.version !== input.version && !input.overwrite) {
          throw new DashboardConflictError("version-mismatch", `The dashboard was changed by someone else (version ${existing.version}); reload or overwrite`);
        }
      }

      const clash = await store.findDashboardByTitle(tx, targetFolderId, dashboard.title, existing?.id);
      if (clash) {
        if (!input.overwrite) {
          throw new DashboardConflictError("name-exists", `A dashboard named "${clash.title}" already exists in the folder ${folderName(target.folder)}; rename it or overwrite`);
        }
        if (clash.provisionedFrom) throw new ProvisionedDashboardError(clash.title, clash.provisionedFrom);
        if (!existing && !input.uid) {
          // A new dashboard replaces the one of the same title: it continues its history.
          existing = { ...clash, folder: target.folder };
        } else {
          await store.deleteDashboardRow(tx, clash.id);
          await writeAudit(tx, principal, meta, {
            action: "dashboard.delete",
            result: "success",
            target: { type: "dashboard", id: clash.uid, name: clash.title },
            details: { replacedBy: input.uid },
          });
        }
      }

      const values = { folderId: targetFolderId, title: dashboard.title, tags: dashboard.tags, data: dashboard as unknown as Record<string, unknown>, provisionedFrom: null, actorId: me.id || null };
      const row = existing
        ? await store.updateDashboardRow(tx, existing.id, { ...values, version: existing.version + 1 })
        : await store.insertDashboard(tx, { ...values, uid: input.uid ?? generateUid() });
      await store.insertVersion(tx, { dashboardId: row.id, version: row.version, data: row.data, message: input.message ?? "", createdBy: me.id || null, createdByName: me.name });
      await writeAudit(tx, principal, meta, {
        action: opts.auditAction ?? (existing ? "dashboard.update" : "dashboard.create"),
        result: "success",
        target: { type: "dashboard", id: row.uid, name: row.title },
        details: { version: row.version, folder: target.folder?.uid ?? null, message: input.message || undefined, overwrite: input.overwrite || undefined, ...opts.auditDetails },
      });
      return { uid: row.uid, version: row.version, numericId: row.numericId, title: row.title, folderUid: target.folder?.uid ?? null, created: !existing };
    });
  } catch (e) {
    if (!(e instanceof AppError) && isUniqueViolation(e)) {
      // Two saves raced: the other one took the uid or the title first.
      throw new DashboardConflictError("name-exists", `A dashboard with this uid or title was saved meanwhile; reload or overwrite`);
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Dashboards: read
// ---------------------------------------------------------------------------------------------

export interface DashboardDetails {
  uid: string;
  numericId: number;
  version: number;
  title: string;
  folderUid: string | null;
  folderTitle: string | null;
  folderNumericId: number | null;
  dashboard: Dashboard;
  canEdit: boolean;
  provisioned: boolean;
  provisionedFrom: string | null;
  starred: boolean;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string | null;
}

export async function getDashboard(db: Db, principal: Principal, uid: string): Promise<DashboardDetails> {
  const { row, folder, access } = await visibleDashboard(db, principal, uid);
  const starred = principal.type === "user" ? (await store.starredDashboardIds(db, principal.id)).has(row.id) : false;
  return {
    uid: row.uid,
    numericId: row.numericId,
    version: row.version,
    title: row.title,
    folderUid: folder?.uid ?? null,
    folderTitle: folder?.title ?? null,
    folderNumericId: folder?.numericId ?? null,
    dashboard: readStored(row.data, row.uid),
    canEdit: canEdit(access),
    provisioned: row.provisionedFrom !== null,
    provisionedFrom: row.provisionedFrom,
    starred,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    updatedBy: await store.latestVersionAuthor(db, row.id),
  };
}

export const ListDashboardsInput = z.object({
  query: z.string().max(200).optional(),
  starred: z.boolean().optional(),
  tag: z.union([z.string().max(50), z.array(z.string().max(50)).max(20)]).optional(),
  folderUid: z.string().max(40).nullable().optional(),
  uids: z.array(z.string().max(40)).max(1000).optional(),
  limit: z.number().int().min(1).max(5000).optional(),
});
export type ListDashboardsInput = z.input<typeof ListDashboardsInput>;

export interface DashboardListItem {
  uid: string;
  numericId: number;
  title: string;
  folderUid: string | null;
  folderTitle: string | null;
  folderNumericId: number | null;
  tags: string[];
  starred: boolean;
  provisioned: boolean;
}

/** Dashboards the caller can see, General first, then by folder title, then by title. */
export async function listDashboards(db: Db, principal: Principal, rawInput: ListDashboardsInput = {}): Promise<DashboardListItem[]> {
  const input = ListDashboardsInput.parse(rawInput);
  const visible = await visibleFolders(db, principal);
  let folderIds = [...visible.keys()];
  if (input.folderUid !== undefined) {
    folderIds = folderIds.filter((id) => (input.folderUid === null ? id === null : visible.get(id)?.folder?.uid === input.folderUid));
  }
  if (input.starred && principal.type !== "user") return [];
  const rows = await store.searchDashboardRows(db, {
    query: input.query,
    tags: input.tag === undefined ? undefined : Array.isArray(input.tag) ? input.tag : [input.tag],
    folderIds,
    starredBy: input.starred && principal.type === "user" ? principal.id : undefined,
    uids: input.uids,
  });
  const stars = principal.type === "user" ? await store.starredDashboardIds(db, principal.id) : new Set<string>();
  const items = rows.map((r) => {
    const folder = visible.get(r.folderId)?.folder ?? null;
    return {
      uid: r.uid,
      numericId: r.numericId,
      title: r.title,
      folderUid: folder?.uid ?? null,
      folderTitle: folder?.title ?? null,
      folderNumericId: folder?.numericId ?? null,
      tags: r.tags,
      starred: stars.has(r.id),
      provisioned: r.provisionedFrom !== null,
    };
  });
  const folderKey = (i: DashboardListItem) => (i.folderTitle === null ? "" : `\u0001${i.folderTitle.toLowerCase()}`);
  items.sort((a, b) => folderKey(a).localeCompare(folderKey(b)) || a.title.toLowerCase().localeCompare(b.title.toLowerCase()) || a.uid.localeCompare(b.uid));
  return input.limit ? items.slice(0, input.limit) : items;
}

// ---------------------------------------------------------------------------------------------
// Dashboards: delete, star
// ---------------------------------------------------------------------------------------------

export function deleteDashboard(db: Db, principal: Principal, meta: RequestMeta | null, uid: string): Promise<{ uid: string; title: string; numericId: number }> {
  return auditingDenials(db, principal, meta, "dashboard.delete", { type: "dashboard", id: uid }, () => deleteDashboardUnaudited(db, principal, meta, uid));
}

async function deleteDashboardUnaudited(db: Db, principal: Principal, meta: RequestMeta | null, uid: string): Promise<{ uid: string; title: string; numericId: number }> {
  return db.transaction(async (tx) => {
    const { row, folder, access } = await visibleDashboard(tx, principal, uid, { forUpdate: true });
    assertEdit(access, folder);
    if (row.provisionedFrom) throw new ProvisionedDashboardError(row.title, row.provisionedFrom);
    await store.deleteDashboardRow(tx, row.id);
    await writeAudit(tx, principal, meta, { action: "dashboard.delete", result: "success", target: { type: "dashboard", id: row.uid, name: row.title }, details: { version: row.version } });
    return { uid: row.uid, title: row.title, numericId: row.numericId };
  });
}

/** Stars or unstars a dashboard for the calling user. */
export async function starDashboard(db: Db, principal: Principal, meta: RequestMeta | null, input: { uid: string; starred: boolean }): Promise<{ uid: string; starred: boolean }> {
  if (principal.type !== "user") throw new AppError("INVALID_INPUT", { userMessage: "Only users can star dashboards" });
  return db.transaction(async (tx) => {
    const { row } = await visibleDashboard(tx, principal, input.uid);
    const changed = await store.setStar(tx, principal.id, row.id, input.starred);
    if (changed) {
      await writeAudit(tx, principal, meta, { action: input.starred ? "dashboard.star" : "dashboard.unstar", result: "success", target: { type: "dashboard", id: row.uid, name: row.title } });
    }
    return { uid: row.uid, starred: input.starred };
  });
}

// ---------------------------------------------------------------------------------------------
// Versions: history, diff, restore
// ---------------------------------------------------------------------------------------------

export interface DashboardVersionItem {
  version: number;
  createdAt: Date;
  createdBy: string | null;
  message: string;
}

export async function listVersions(db: Db, principal: Principal, uid: string): Promise<DashboardVersionItem[]> {
  const { row } = await visibleDashboard(db, principal, uid);
  const rows = await store.listVersionRows(db, row.id);
  return rows.map((v) => ({ version: v.version, createdAt: v.createdAt, createdBy: v.createdByName, message: v.message }));
}

const pretty = (data: unknown) => `${JSON.stringify(data, null, 2)}\n`;

/** A unified diff of two versions' pretty-printed JSON. */
export async function diffVersions(db: Db, principal: Principal, input: { uid: string; from: number; to: number }): Promise<{ diff: string }> {
  const { row } = await visibleDashboard(db, principal, input.uid);
  const [a, b] = await Promise.all([store.findVersion(db, row.id, input.from), store.findVersion(db, row.id, input.to)]);
  if (!a) throw new AppError("NOT_FOUND", { userMessage: `Dashboard ${input.uid} has no version ${input.from}` });
  if (!b) throw new AppError("NOT_FOUND", { userMessage: `Dashboard ${input.uid} has no version ${input.to}` });
  return { diff: createTwoFilesPatch(`version ${input.from}`, `version ${input.to}`, pretty(a.data), pretty(b.data), undefined, undefined, { context: 3 }) };
}

/** Saves version N's document as a new version ("Restored from version N"). */
export function restoreVersion(db: Db, principal: Principal, meta: RequestMeta | null, input: { uid: string; version: number }): Promise<SavedDashboard> {
  return auditingDenials(db, principal, meta, "dashboard.restore", { type: "dashboard", id: input.uid }, () => restoreVersionUnaudited(db, principal, meta, input));
}

async function restoreVersionUnaudited(db: Db, principal: Principal, meta: RequestMeta | null, input: { uid: string; version: number }): Promise<SavedDashboard> {
  const { row, folder, access } = await visibleDashboard(db, principal, input.uid);
  assertEdit(access, folder);
  if (row.provisionedFrom) throw new ProvisionedDashboardError(row.title, row.provisionedFrom);
  const old = await store.findVersion(db, row.id, input.version);
  if (!old) throw new AppError("NOT_FOUND", { userMessage: `Dashboard ${input.uid} has no version ${input.version}` });
  return saveDashboard(
    db,
    principal,
    meta,
    { uid: row.uid, folderUid: folder?.uid ?? null, dashboard: old.data, version: row.version, message: `Restored from version ${input.version}`, overwrite: false },
    { auditAction: "dashboard.restore", auditDetails: { restoredFrom: input.version } },
  );
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

export const ImportDashboardInput = z.object({
  json: z.unknown(),
  folderUid: z.string().min(1).max(40).nullable().optional(),
  asCopy: z.boolean().default(false),
  overwrite: z.boolean().default(false),
});
export type ImportDashboardInput = z.input<typeof ImportDashboardInput>;

export interface ImportResult {
  uid: string;
  version: number;
  title: string;
  format: "lookout" | "grafana";
  unsupported: UnsupportedPanel[];
  warnings: string[];
}

/**
 * Imports a dashboard JSON (ours or Grafana's, converted). Its uid is kept unless `asCopy`; an
 * existing dashboard of that uid is a CONFLICT unless `overwrite`. `asCopy` gives a new uid and
 * appends " (copy)" to the title when the folder already has it.
 */
export async function importDashboard(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: ImportDashboardInput): Promise<ImportResult> {
  const input = ImportDashboardInput.parse(rawInput);
  const converted = dashboardFromJson(input.json);
  const warnings = [...converted.warnings];
  let dashboard = converted.dashboard;
  let uid = input.asCopy ? undefined : converted.uid;
  if (uid !== undefined && !DASHBOARD_UID_PATTERN.test(uid)) {
    warnings.push(`The uid "${uid.slice(0, 60)}" is not valid here (1 to 40 letters, digits, - or _); the dashboard got a new one`);
    uid = undefined;
  }
  const folderUid = input.folderUid ?? null;
  const { folder } = await visibleFolder(db, principal, folderUid);
  if (input.asCopy) {
    const base = dashboard.title;
    for (let n = 1; await store.findDashboardByTitle(db, folder?.id ?? null, dashboard.title); n++) {
      const title = `${base} (copy${n > 1 ? ` ${n}` : ""})`.slice(-200);
      dashboard = { ...dashboard, title };
      if (n > 100) break;
    }
  }
  let version = 0;
  if (uid) {
    const existing = await store.findDashboard(db, { uid });
    if (existing) {
      if (!input.overwrite) {
        throw new DashboardConflictError("uid-exists", `A dashboard with uid ${uid} already exists ("${existing.title}"); import it as a copy, or overwrite it`);
      }
      version = existing.version;
    }
  }
  const saved = await saveDashboard(
    db,
    principal,
    meta,
    { uid, folderUid, dashboard, version, message: converted.format === "grafana" ? "Imported from Grafana JSON" : "Imported", overwrite: input.overwrite },
    { auditAction: "dashboard.import", auditDetails: { format: converted.format, unsupported: converted.unsupported.length || undefined } },
  );
  return { uid: saved.uid, version: saved.version, title: saved.title, format: converted.format, unsupported: converted.unsupported, warnings };
}

// ---------------------------------------------------------------------------------------------
// Folders
// ---------------------------------------------------------------------------------------------

export const FolderTitleSchema = z.string().trim().min(1, "a title is required").max(200);

export interface FolderItem {
  uid: string;
  numericId: number;
  title: string;
  canEdit: boolean;
  provisioned: boolean;
  /** Whether permission entries restrict the folder to some roles. */
  restricted: boolean;
  createdAt: Date;
  updatedAt: Date;
}

function toFolderItem(f: store.FolderWithPermissions, access: FolderAccess): FolderItem {
  return { uid: f.uid, numericId: f.numericId, title: f.title, canEdit: canEdit(access), provisioned: f.provisioned, restricted: f.permissions.length > 0, createdAt: f.createdAt, updatedAt: f.updatedAt };
}

/** Folders the caller can see, by title. */
export async function listFolders(db: Db, principal: Principal): Promise<FolderItem[]> {
  const visible = await visibleFolders(db, principal);
  return [...visible.values()].flatMap((v) => (v.folder ? [toFolderItem(v.folder, v.access)] : []));
}

export async function getFolder(db: Db, principal: Principal, uid: string): Promise<FolderItem> {
  const { folder, access } = await visibleFolder(db, principal, uid);
  return toFolderItem(folder!, access);
}

function folderTitleTaken(title: string): AppError {
  return new AppError("CONFLICT", { userMessage: `A folder named "${title}" already exists` });
}

export function createFolder(db: Db, principal: Principal, meta: RequestMeta | null, input: { title: string; uid?: string }): Promise<FolderItem> {
  return auditingDenials(db, principal, meta, "folder.create", { type: "folder", name: input.title }, () => createFolderUnaudited(db, principal, meta, input));
}

async function createFolderUnaudited(db: Db, principal: Principal, meta: RequestMeta | null, input: { title: string; uid?: string }): Promise<FolderItem> {
  const title = FolderTitleSchema.parse(input.title);
  if (input.uid !== undefined && !DASHBOARD_UID_PATTERN.test(input.uid)) throw new AppError("INVALID_INPUT", { userMessage: "A folder uid is 1 to 40 letters, digits, - or _" });
  if (!principal.permissions.has("dashboards:write") && !isDashboardAdmin(principal)) throw new AppError("FORBIDDEN", { userMessage: "Missing permission dashboards:write" });
  try {
    return await db.transaction(async (tx) => {
      if (await store.findFolderByTitle(tx, title)) throw folderTitleTaken(title);
      if (input.uid && (await store.findFolder(tx, { uid: input.uid }))) throw new AppError("CONFLICT", { userMessage: `A folder with uid ${input.uid} already exists` });
      const row = await store.insertFolder(tx, { uid: input.uid ?? generateUid(), title });
      await writeAudit(tx, principal, meta, { action: "folder.create", result: "success", target: { type: "folder", id: row.uid, name: row.title } });
      const f = { ...row, permissions: [] };
      return toFolderItem(f, accessTo(principal, f));
    });
  } catch (e) {
    if (!(e instanceof AppError) && isUniqueViolation(e)) throw folderTitleTaken(title);
    throw e;
  }
}

export function renameFolder(db: Db, principal: Principal, meta: RequestMeta | null, input: { uid: string; title: string }): Promise<FolderItem> {
  return auditingDenials(db, principal, meta, "folder.rename", { type: "folder", id: input.uid }, () => renameFolderUnaudited(db, principal, meta, input));
}

async function renameFolderUnaudited(db: Db, principal: Principal, meta: RequestMeta | null, input: { uid: string; title: string }): Promise<FolderItem> {
  const title = FolderTitleSchema.parse(input.title);
  try {
    return await db.transaction(async (tx) => {
      const { folder, access } = await visibleFolder(tx, principal, input.uid, { forUpdate: true });
      if (!canEdit(access)) throw new AppError("FORBIDDEN", { userMessage: `You cannot change the folder "${folder!.title}"` });
      if (folder!.provisioned) throw new AppError("FORBIDDEN", { userMessage: `Folder "${folder!.title}" is provisioned (the provisioning file names it); change the file` });
      const other = await store.findFolderByTitle(tx, title);
      if (other && other.id !== folder!.id) throw folderTitleTaken(title);
      const row = await store.updateFolderTitle(tx, folder!.id, title);
      await writeAudit(tx, principal, meta, { action: "folder.rename", result: "success", target: { type: "folder", id: row.uid, name: row.title }, details: { from: folder!.title } });
      return toFolderItem({ ...row, permissions: folder!.permissions }, access);
    });
  } catch (e) {
    if (!(e instanceof AppError) && isUniqueViolation(e)) throw folderTitleTaken(title);
    throw e;
  }
}

/** Deletes an empty folder. */
export function deleteFolder(db: Db, principal: Principal, meta: RequestMeta | null, uid: string): Promise<{ uid: string; title: string; numericId: number }> {
  return auditingDenials(db, principal, meta, "folder.delete", { type: "folder", id: uid }, () => deleteFolderUnaudited(db, principal, meta, uid));
}

async function deleteFolderUnaudited(db: Db, principal: Principal, meta: RequestMeta | null, uid: string): Promise<{ uid: string; title: string; numericId: number }> {
  return db.transaction(async (tx) => {
    const { folder, access } = await visibleFolder(tx, principal, uid, { forUpdate: true });
    if (!canEdit(access)) throw new AppError("FORBIDDEN", { userMessage: `You cannot delete the folder "${folder!.title}"` });
    const n = await store.countDashboardsInFolder(tx, folder!.id);
    if (n > 0) throw new AppError("CONFLICT", { userMessage: `Folder "${folder!.title}" is not empty (${n} dashboard${n === 1 ? "" : "s"}); move or delete them first` });
    const groups = await countRuleGroupsInFolder(tx, folder!.uid);
    if (groups > 0) throw new AppError("CONFLICT", { userMessage: `Folder "${folder!.title}" holds ${groups} alert rule group${groups === 1 ? "" : "s"}; move or delete them first` });
    await store.deleteFolderRow(tx, folder!.id);
    await writeAudit(tx, principal, meta, { action: "folder.delete", result: "success", target: { type: "folder", id: folder!.uid, name: folder!.title } });
    return { uid: folder!.uid, title: folder!.title, numericId: folder!.numericId };
  });
}

export async function getFolderPermissions(db: Db, principal: Principal, uid: string): Promise<{ roleId: string; level: FolderLevel }[]> {
  const { folder } = await visibleFolder(db, principal, uid);
  return folder!.permissions.map((p) => ({ roleId: p.roleId, level: p.level }));
}

export const FolderPermissionsInput = z.object({
  uid: z.string().min(1).max(40),
  entries: z.array(z.object({ roleId: z.uuid(), level: z.enum(["view", "edit"]) })).max(200),
});

/**
 * Replaces a folder's permission entries (an empty list: the folder follows the role
 * permissions again). Needs edit access; refused when the caller (not an admin) would lose it.
 */
export function setFolderPermissions(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: z.input<typeof FolderPermissionsInput>): Promise<{ roleId: string; level: FolderLevel }[]> {
  return auditingDenials(db, principal, meta, "folder.permissions", { type: "folder", id: rawInput.uid }, () => setFolderPermissionsUnaudited(db, principal, meta, rawInput));
}

async function setFolderPermissionsUnaudited(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: z.input<typeof FolderPermissionsInput>): Promise<{ roleId: string; level: FolderLevel }[]> {
  const input = FolderPermissionsInput.parse(rawInput);
  const seen = new Set<string>();
  for (const e of input.entries) {
    if (seen.has(e.roleId)) throw new AppError("INVALID_INPUT", { userMessage: `Role ${e.roleId} is listed twice` });
    seen.add(e.roleId);
  }
  return db.transaction(async (tx) => {
    const { folder, access } = await visibleFolder(tx, principal, input.uid, { forUpdate: true });
    if (!canEdit(access)) throw new AppError("FORBIDDEN", { userMessage: `You cannot change the permissions of the folder "${folder!.title}"` });
    if (input.entries.length) {
      const found = await store.existingRoleIds(tx, [...seen]);
      if (found.size !== seen.size) throw new AppError("INVALID_INPUT", { userMessage: "Unknown role in the permissions" });
    }
    if (!canEdit(folderAccess(principal, input.entries))) {
      const role = principal.type === "user" ? ` (${principal.roleName})` : "";
      throw new AppError("INVALID_INPUT", { userMessage: `With these permissions you would lose edit access to "${folder!.title}"; give your role${role} edit` });
    }
    await store.replaceFolderPermissions(tx, folder!.id, input.entries);
    await writeAudit(tx, principal, meta, {
      action: "folder.permissions",
      result: "success",
      target: { type: "folder", id: folder!.uid, name: folder!.title },
      details: { before: folder!.permissions, after: input.entries },
    });
    return input.entries;
  });
}

// ---------------------------------------------------------------------------------------------
// Provisioning
// ---------------------------------------------------------------------------------------------

export const PROVISIONING_ACTOR: AuditActor = { actorType: "system", actorId: null, actorName: "provisioning" };

export interface ProvisionDashboardEntry {
  uid: string;
  /** The dashboard: our model, or a Grafana dashboard JSON (converted). */
  json: unknown;
  /** Created (as a provisioned folder) when missing; unset: General. */
  folderTitle?: string | null;
  /** A file path, or `builtin`. */
  source: string;
}

export interface ProvisionDashboardsResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
  problems: { source: string; uid: string; message: string }[];
}

/**
 * Upserts provisioned dashboards (read-only in the UI and the API): idempotent, a new version
 * only when the document, folder or source changed. Provisioned dashboards of the sources this
 * call owns (`ownsSource`; by default the sources of `entries`) whose uid is not listed are
 * removed. One entry's problem (invalid document, a title taken in its folder by another
 * dashboard) is reported and skips that entry only. Audited as the system actor `provisioning`.
 */
export async function provisionDashboards(db: DbOrTx, entries: readonly ProvisionDashboardEntry[], opts: { ownsSource?: (source: string) => boolean } = {}): Promise<ProvisionDashboardsResult> {
  const result: ProvisionDashboardsResult = { created: [], updated: [], unchanged: [], removed: [], problems: [] };
  const sources = new Set(entries.map((e) => e.source));
  const owns = opts.ownsSource ?? ((s: string) => sources.has(s));
  const listed = new Set<string>();
  return db.transaction(async (outer) => {
    for (const entry of entries) {
      const problem = (message: string) => result.problems.push({ source: entry.source, uid: entry.uid, message });
      if (!DASHBOARD_UID_PATTERN.test(entry.uid)) {
        problem(`uid "${entry.uid.slice(0, 60)}" is not valid (1 to 40 letters, digits, - or _)`);
        continue;
      }
      if (listed.has(entry.uid)) {
        problem(`uid ${entry.uid} is provisioned twice; the first one is kept`);
        continue;
      }
      listed.add(entry.uid);
      let dashboard: Dashboard;
      try {
        dashboard = dashboardFromJson(entry.json).dashboard;
      } catch (e) {
        problem(e instanceof AppError ? e.userMessage : (e as Error).message);
        continue;
      }
      try {
        // A savepoint per entry: one failing entry leaves the others applied.
        const outcome = await outer.transaction((tx) => provisionOne(tx, entry, dashboard));
        if (typeof outcome === "string") result[outcome].push(entry.uid);
        else problem(outcome.problem);
      } catch (e) {
        if (isUniqueViolation(e)) problem(`a dashboard titled "${dashboard.title}" was saved meanwhile in the same folder`);
        else throw e;
      }
    }
    for (const row of await store.provisionedDashboardRows(outer)) {
      if (!row.provisionedFrom || !owns(row.provisionedFrom) || listed.has(row.uid)) continue;
      await store.deleteDashboardRow(outer, row.id);
      await writeAudit(outer, PROVISIONING_ACTOR, null, {
        action: "dashboard.delete",
        result: "success",
        target: { type: "dashboard", id: row.uid, name: row.title },
        details: { source: row.provisionedFrom, reason: "no longer provisioned" },
      });
      result.removed.push(row.uid);
    }
    return result;
  });
}

async function provisionOne(tx: DbOrTx, entry: ProvisionDashboardEntry, dashboard: Dashboard): Promise<"created" | "updated" | "unchanged" | { problem: string }> {
  let folder: store.FolderRow | null = null;
  const folderTitle = entry.folderTitle?.trim() || null;
  if (folderTitle && folderTitle.toLowerCase() !== "general") {
    folder = await store.findFolderByTitle(tx, folderTitle);
    if (!folder) {
      folder = await store.insertFolder(tx, { uid: generateUid(), title: folderTitle.slice(0, 200), provisioned: true });
      await writeAudit(tx, PROVISIONING_ACTOR, null, { action: "folder.create", result: "success", target: { type: "folder", id: folder.uid, name: folder.title }, details: { source: entry.source } });
    }
  }
  const folderId = folder?.id ?? null;
  const data = dashboard as unknown as Record<string, unknown>;
  const existing = await store.findDashboard(tx, { uid: entry.uid }, { forUpdate: true });
  if (existing && existing.folderId === folderId && existing.provisionedFrom === entry.source && canonicalJson(existing.data) === canonicalJson(data)) return "unchanged";
  const clash = await store.findDashboardByTitle(tx, folderId, dashboard.title, existing?.id);
  if (clash) {
    const what = clash.provisionedFrom ? `provisioned from ${clash.provisionedFrom}` : "made in the console";
    return { problem: `the folder ${folderName(folder)} already has a dashboard titled "${clash.title}" (uid ${clash.uid}, ${what}); rename one of them` };
  }
  const values = { folderId, title: dashboard.title, tags: dashboard.tags, data, provisionedFrom: entry.source, actorId: null };
  const row = existing ? await store.updateDashboardRow(tx, existing.id, { ...values, version: existing.version + 1 }) : await store.insertDashboard(tx, { ...values, uid: entry.uid });
  await store.insertVersion(tx, { dashboardId: row.id, version: row.version, data, message: `Provisioned from ${entry.source}`, createdBy: null, createdByName: PROVISIONING_ACTOR.actorName });
  await writeAudit(tx, PROVISIONING_ACTOR, null, {
    action: existing ? "dashboard.update" : "dashboard.create",
    result: "success",
    target: { type: "dashboard", id: row.uid, name: row.title },
    details: { version: row.version, source: entry.source, tookOver: (existing && !existing.provisionedFrom) || undefined },
  });
  return existing ? "updated" : "created";
}
