import { and, desc, eq, gte, ilike, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditLog } from "@/db/schema";
import { actorOf, type Principal, type RequestMeta } from "./principal";

export type AuditActor = { actorType: "user" | "service_account" | "anonymous" | "system"; actorId: string | null; actorName: string };

export type AuditEntry = {
  action: string;
  result: "success" | "denied" | "failure";
  target?: { type: string; id?: string | null; name?: string | null };
  details?: Record<string, unknown>;
};

/**
 * Writes one audit record. Call it with the transaction that makes the change, so the record and
 * the change commit (or roll back) together.
 */
export async function writeAudit(
  db: DbOrTx,
  actor: Principal | null | AuditActor,
  meta: Pick<RequestMeta, "ip"> | null,
  entry: AuditEntry,
): Promise<void> {
  const who = actor && "actorType" in actor ? actor : actorOf(actor as Principal | null);
  await db.insert(auditLog).values({
    actorType: who.actorType,
    actorId: who.actorId,
    actorName: who.actorName,
    action: entry.action,
    result: entry.result,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    targetName: entry.target?.name ?? null,
    ip: meta?.ip ?? null,
    details: entry.details ?? null,
  });
}

export type AuditQuery = {
  actor?: string;
  action?: string;
  result?: "success" | "denied" | "failure";
  from?: Date;
  to?: Date;
  /** Keyset cursor: the id of the last row of the previous page. */
  cursor?: number;
  limit: number;
};

/** Newest first, keyset-paginated (no OFFSET). */
export async function listAudit(db: DbOrTx, q: AuditQuery) {
  const where: SQL[] = [];
  if (q.actor) {
    const pattern = `%${escapeLike(q.actor)}%`;
    where.push(or(eq(auditLog.actorId, q.actor), ilike(auditLog.actorName, pattern))!);
  }
  if (q.action) where.push(ilike(auditLog.action, `${escapeLike(q.action)}%`));
  if (q.result) where.push(eq(auditLog.result, q.result));
  if (q.from) where.push(gte(auditLog.ts, q.from));
  if (q.to) where.push(lte(auditLog.ts, q.to));
  if (q.cursor !== undefined) where.push(lt(auditLog.id, q.cursor));
  const rows = await db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  const hasMore = rows.length > q.limit;
  const items = hasMore ? rows.slice(0, q.limit) : rows;
  return { items, nextCursor: hasMore ? items[items.length - 1]!.id : null };
}

/** Distinct action names seen, for the filter dropdown. */
export async function listAuditActions(db: DbOrTx): Promise<string[]> {
  const rows = await db.execute<{ action: string }>(sql`select distinct action from audit_log order by action limit 500`);
  return rows.rows.map((r) => r.action);
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
