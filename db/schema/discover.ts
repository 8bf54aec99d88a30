import { boolean, index, pgTable, text } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { createdAt, id, updatedAt } from "./_columns";

/** A Discover search someone saved: query, columns and time range; shared with every logs:read user unless private. */
export const savedSearches = pgTable(
  "saved_searches",
  {
    id: id(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    query: text("query").notNull(),
    columns: text("columns").array().notNull().default([]),
    timeFrom: text("time_from").notNull().default("now-15m"),
    timeTo: text("time_to").notNull().default("now"),
    shared: boolean("shared").notNull().default(true),
    ownerId: text("owner_id").references(() => user.id, { onDelete: "set null" }),
    ownerName: text("owner_name").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("saved_searches_owner_idx").on(t.ownerId), index("saved_searches_name_idx").on(t.name)],
);
