import { boolean, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./_columns";

export const serviceAccounts = pgTable("service_accounts", {
  id: id(),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  disabled: boolean("disabled").notNull().default(false),
  createdBy: text("created_by"),
  createdAt: createdAt(),
});

/** API keys: only the SHA-256 of the key is stored; `prefix` is shown so people can tell keys apart. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    serviceAccountId: uuid("service_account_id")
      .notNull()
      .references(() => serviceAccounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    scopes: text("scopes").array().notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_keys_service_account_idx").on(t.serviceAccountId)],
);
