import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { roles } from "./rbac";
import { createdAt, id, updatedAt } from "./_columns";

/**
 * Dashboard folders (one level, as Grafana's classic folders). `numeric_id` is the integer id the
 * Grafana HTTP API hands out (`id`, `folderId`); everything else uses `uid`.
 */
export const folders = pgTable(
  "folders",
  {
    id: id(),
    numericId: integer("numeric_id").generatedAlwaysAsIdentity().notNull().unique(),
    uid: text("uid").notNull().unique(),
    title: text("title").notNull(),
    provisioned: boolean("provisioned").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("folders_title_lower_idx").on(sql`lower(${t.title})`)],
);

/**
 * Who may see and change a folder's dashboards, by role. A folder with no rows follows the role
 * permissions (dashboards:read / dashboards:write); with rows, only the roles listed (and admins).
 */
export const folderPermissions = pgTable(
  "folder_permissions",
  {
    folderId: uuid("folder_id")
      .notNull()
      .references(() => folders.id, { onDelete: "cascade" }),
    roleId: uuid("role_id")
      .notNull()
      .references(() => roles.id, { onDelete: "cascade" }),
    level: text("level").$type<"view" | "edit">().notNull(),
  },
  (t) => [primaryKey({ columns: [t.folderId, t.roleId] }), check("folder_permissions_level_check", sql`${t.level} in ('view', 'edit')`), index("folder_permissions_role_idx").on(t.roleId)],
);

/**
 * Dashboards: `data` is the model's `Dashboard` (server/dashboards/model.ts), validated on write
 * and read; `title` and `tags` are copies of it for search. `folder_id` null is the General folder.
 * `provisioned_from`: the file (or `builtin`) that provisions it; such a dashboard is read-only.
 * `created_by` / `updated_by`: the user's or service account's id (null: provisioning).
 */
export const dashboards = pgTable(
  "dashboards",
  {
    id: id(),
    numericId: integer("numeric_id").generatedAlwaysAsIdentity().notNull().unique(),
    uid: text("uid").notNull().unique(),
    folderId: uuid("folder_id").references(() => folders.id, { onDelete: "restrict" }),
    title: text("title").notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    version: integer("version").notNull().default(1),
    provisionedFrom: text("provisioned_from"),
    createdBy: text("created_by"),
    updatedBy: text("updated_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("dashboards_uid_check", sql`${t.uid} ~ '^[A-Za-z0-9_-]{1,40}$'`),
    index("dashboards_title_lower_idx").on(sql`lower(${t.title})`),
    // One title per folder (General included), case-insensitively, as Grafana.
    uniqueIndex("dashboards_folder_title_idx").on(sql`coalesce(${t.folderId}, '00000000-0000-0000-0000-000000000000'::uuid)`, sql`lower(${t.title})`),
    index("dashboards_folder_idx").on(t.folderId),
    index("dashboards_provisioned_idx").on(t.provisionedFrom),
  ],
);

/** Every saved version of a dashboard (the current one included), for history, diff and restore. */
export const dashboardVersions = pgTable(
  "dashboard_versions",
  {
    dashboardId: uuid("dashboard_id")
      .notNull()
      .references(() => dashboards.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    message: text("message").notNull().default(""),
    /** The user's or service account's id (null: provisioning). */
    createdBy: text("created_by"),
    /** Who, as shown in the history (email, service account name, `provisioning`). */
    createdByName: text("created_by_name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.dashboardId, t.version] })],
);

/** Stars are per user. */
export const dashboardStars = pgTable(
  "dashboard_stars",
  {
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    dashboardId: uuid("dashboard_id")
      .notNull()
      .references(() => dashboards.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.dashboardId] }), index("dashboard_stars_dashboard_idx").on(t.dashboardId)],
);
