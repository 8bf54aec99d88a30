/**
 * Folder access, Grafana's model over our roles. Pure.
 *
 * - Admins (users:manage or roles:manage) always have edit access.
 * - A folder with no permission entries (and the General folder) follows the role permissions:
 *   dashboards:read to view, dashboards:write to edit.
 * - A folder with entries restricts access to the roles listed: `view` lets the role view (with
 *   dashboards:read), `edit` lets it edit (still with dashboards:write; view with dashboards:read).
 *   Service accounts have no role: they reach restricted folders only as admins.
 */
import type { Principal } from "@/server/auth/principal";

export type FolderLevel = "view" | "edit";
export type FolderAccess = "none" | FolderLevel;
export type FolderPermissionEntry = { roleId: string; level: FolderLevel };

export function isDashboardAdmin(principal: Principal): boolean {
  return principal.permissions.has("users:manage") || principal.permissions.has("roles:manage");
}

export function folderAccess(principal: Principal, entries: readonly FolderPermissionEntry[]): FolderAccess {
  if (isDashboardAdmin(principal)) return "edit";
  const canRead = principal.permissions.has("dashboards:read");
  const canWrite = principal.permissions.has("dashboards:write");
  if (entries.length === 0) return canWrite && canRead ? "edit" : canRead ? "view" : "none";
  if (principal.type !== "user") return "none";
  const entry = entries.find((e) => e.roleId === principal.roleId);
  if (!entry || !canRead) return "none";
  return entry.level === "edit" && canWrite ? "edit" : "view";
}

export const canView = (a: FolderAccess) => a !== "none";
export const canEdit = (a: FolderAccess) => a === "edit";
