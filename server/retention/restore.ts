import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { logArchives } from "@/db/schema";
import { archiveRow, insertHotBlocks, readArchivedBlocks } from "@/server/archive/log-archives";
import type { ObjectStore } from "@/server/archive/object-store";
import { writeAudit, type AuditActor } from "@/server/auth/audit";
import { AppError } from "@/server/lib/errors";
import { findSourceById } from "@/server/logs/sources";
import { DEFAULT_RESTORE_HOURS } from "./model";

/**
 * Loads an archived day of a source back into the hot tier for a while (searched at full speed):
 * its blocks go into the day's leaf with their ids (a block already there is kept), and the
 * day's restored_until is set. When it passes, the retention run merges the leaf into the
 * archive by block id (nothing new: no new generation) and drops it again.
 */
export type RestoreInput = { sourceId: string; day: string; hours?: number; actor: AuditActor | string | null; now?: number };
export type RestoreResult = { sourceId: string; day: string; blocks: number; inserted: number; events: number; restoredUntil: string };

/** As the retention queue's payload allows (30 days). */
export const MAX_RESTORE_HOURS = 24 * 30;

function auditActor(actor: RestoreInput["actor"]): AuditActor {
  if (actor && typeof actor === "object") return actor;
  return { actorType: "system", actorId: null, actorName: actor ?? "retention" };
}

export async function restoreDay(db: Db, store: ObjectStore, input: RestoreInput): Promise<RestoreResult> {
  const hours = input.hours ?? DEFAULT_RESTORE_HOURS;
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_RESTORE_HOURS) throw new AppError("INVALID_INPUT", { userMessage: `A restore lasts 1 to ${MAX_RESTORE_HOURS} hours` });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.day) || Number.isNaN(Date.parse(`${input.day}T00:00:00Z`))) throw new AppError("INVALID_INPUT", { userMessage: `"${input.day}" is not a day (YYYY-MM-DD)` });
  const now = input.now ?? Date.now();
  const source = await findSourceById(db, input.sourceId);
  if (!source) throw new AppError("NOT_FOUND", { userMessage: "No such log source" });
  const row = await archiveRow(db, input.sourceId, input.day);
  if (!row) throw new AppError("NOT_FOUND", { userMessage: `${source.name} has no archived events on ${input.day}` });
  const blocks = await readArchivedBlocks(store, row);
  // Outside the transaction: creating a partition locks its parent.
  await db.execute(sql`select lookout_ensure_log_partition(${input.day}::date, ${input.sourceId}::uuid)`);
  const restoredUntil = new Date(now + hours * 3_600_000);
  const inserted = await db.transaction(async (tx) => {
    const n = await insertHotBlocks(tx, input.sourceId, input.day, blocks);
    await tx.update(logArchives).set({ restoredUntil }).where(eq(logArchives.id, row.id));
    await writeAudit(tx, auditActor(input.actor), null, {
      action: "retention.restore",
      result: "success",
      target: { type: "log_source", id: source.id, name: source.name },
      details: { day: input.day, hours, blocks: blocks.length, inserted: n, events: row.events, restoredUntil: restoredUntil.toISOString() },
    });
    return n;
  });
  return { sourceId: input.sourceId, day: input.day, blocks: blocks.length, inserted, events: row.events, restoredUntil: restoredUntil.toISOString() };
}
