import { and, asc, eq, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { savedSearches } from "@/db/schema";
import { writeAudit } from "@/server/auth/audit";
import type { Principal, RequestMeta } from "@/server/auth/principal";
import { AppError } from "@/server/lib/errors";
import type { SavedSearch, SavedSearchInput } from "./contract";
import type { z } from "zod";

type Row = typeof savedSearches.$inferSelect;

/** Who may change a saved search: its owner, or an admin (settings:manage). */
function canEdit(principal: Principal, row: Pick<Row, "ownerId">): boolean {
  return (principal.type === "user" && row.ownerId === principal.id) || principal.permissions.has("settings:manage");
}

/** Shared searches and the caller's own private ones. */
function visibleTo(principal: Principal) {
  return principal.type === "user" ? or(eq(savedSearches.shared, true), eq(savedSearches.ownerId, principal.id)) : eq(savedSearches.shared, true);
}

function toSaved(principal: Principal, r: Row): SavedSearch {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    query: r.query,
    columns: r.columns,
    timeFrom: r.timeFrom,
    timeTo: r.timeTo,
    shared: r.shared,
    ownerId: r.ownerId,
    ownerName: r.ownerName,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    canEdit: canEdit(principal, r),
  };
}

export async function listSavedSearches(db: Db, principal: Principal): Promise<SavedSearch[]> {
  const rows = await db.select().from(savedSearches).where(visibleTo(principal)).orderBy(asc(savedSearches.name));
  return rows.map((r) => toSaved(principal, r));
}

export async function getSavedSearch(db: Db, principal: Principal, id: string): Promise<SavedSearch> {
  const [row] = await db.select().from(savedSearches).where(and(eq(savedSearches.id, id), visibleTo(principal)));
  if (!row) throw new AppError("NOT_FOUND", { userMessage: "No such saved search" });
  return toSaved(principal, row);
}

/** Creates (no id) or updates (id, owner or admin only) a saved search; audited. */
export async function saveSearch(
  db: Db,
  principal: Principal,
  meta: RequestMeta,
  input: z.output<typeof SavedSearchInput> & { id?: string },
): Promise<SavedSearch> {
  const values = {
    name: input.name,
    description: input.description,
    query: input.query,
    columns: input.columns,
    timeFrom: input.timeFrom,
    timeTo: input.timeTo,
    shared: input.shared,
  };
  return db.transaction(async (tx) => {
    let row: Row | undefined;
    if (input.id) {
      const [existing] = await tx.select().from(savedSearches).where(and(eq(savedSearches.id, input.id), visibleTo(principal))).for("update");
      if (!existing) throw new AppError("NOT_FOUND", { userMessage: "No such saved search" });
      if (!canEdit(principal, existing)) throw new AppError("FORBIDDEN", { userMessage: `Only ${existing.ownerName} or an admin can change "${existing.name}"` });
      [row] = await tx.update(savedSearches).set(values).where(eq(savedSearches.id, input.id)).returning();
    } else {
      [row] = await tx
        .insert(savedSearches)
        .values({ ...values, ownerId: principal.type === "user" ? principal.id : null, ownerName: principal.name })
        .returning();
    }
    await writeAudit(tx, principal, meta, {
      action: input.id ? "saved_search.update" : "saved_search.create",
      result: "success",
      target: { type: "saved_search", id: row!.id, name: row!.name },
    });
    return toSaved(principal, row!);
  });
}

export async function deleteSavedSearch(db: Db, principal: Principal, meta: RequestMeta, id: string): Promise<{ ok: true }> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(savedSearches).where(and(eq(savedSearches.id, id), visibleTo(principal))).for("update");
    if (!existing) throw new AppError("NOT_FOUND", { userMessage: "No such saved search" });
    if (!canEdit(principal, existing)) throw new AppError("FORBIDDEN", { userMessage: `Only ${existing.ownerName} or an admin can delete "${existing.name}"` });
    await tx.delete(savedSearches).where(eq(savedSearches.id, id));
    await writeAudit(tx, principal, meta, { action: "saved_search.delete", result: "success", target: { type: "saved_search", id, name: existing.name } });
    return { ok: true as const };
  });
}
