import { boolean, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";

/** Optional data-access filter applied to every query a role runs (used by Discover/Metrics). */
export type RoleDataFilter = { logQuery?: string; labelMatchers?: string[] };

export const roles = pgTable("roles", {
  id: id(),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  builtin: boolean("builtin").notNull().default(false),
  permissions: text("permissions").array().notNull().default([]),
  dataFilter: jsonb("data_filter").$type<RoleDataFilter>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
