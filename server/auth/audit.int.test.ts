import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog } from "@/db/schema";
import { callerFor, createTestUser, uid } from "@/test/helpers";
import { listAudit, listAuditActions, writeAudit } from "./audit";

const T0 = Date.parse("2021-03-01T00:00:00Z");
const hour = 3_600_000;

describe("audit log", () => {
  const actorId = `actor-${uid()}`;
  const actorName = `Audit Tester ${uid()}`;
  let ids: number[] = [];

  beforeAll(async () => {
    // 12 records an hour apart: alternating actions, every third one denied.
    const rows = Array.from({ length: 12 }, (_, i) => ({
      ts: new Date(T0 + i * hour),
      actorType: "user" as const,
      actorId,
      actorName,
      action: i % 2 === 0 ? "dashboard.update" : "dashboard.delete",
      result: i % 3 === 0 ? ("denied" as const) : ("success" as const),
      details: { i },
    }));
    const inserted = await getDb().insert(auditLog).values(rows).returning({ id: auditLog.id });
    ids = inserted.map((r) => r.id);
  });

  it("filters by actor id or (part of) the actor's name, case-insensitively", async () => {
    const byId = await listAudit(getDb(), { actor: actorId, limit: 100 });
    expect(byId.items.map((r) => r.id).sort((a, b) => a - b)).toEqual(ids);
    const byName = await listAudit(getDb(), { actor: actorName.slice(6).toUpperCase(), limit: 100 });
    expect(byName.items).toHaveLength(12);
    expect((await listAudit(getDb(), { actor: `nobody-${uid()}`, limit: 100 })).items).toHaveLength(0);
  });

  it("filters by action prefix, treating % and _ literally", async () => {
    const deletes = await listAudit(getDb(), { actor: actorId, action: "dashboard.del", limit: 100 });
    expect(deletes.items).toHaveLength(6);
    expect(deletes.items.every((r) => r.action === "dashboard.delete")).toBe(true);
    expect((await listAudit(getDb(), { actor: actorId, action: "dashboard", limit: 100 })).items).toHaveLength(12);
    expect((await listAudit(getDb(), { actor: actorId, action: "%", limit: 100 })).items).toHaveLength(0);
    expect((await listAudit(getDb(), { actor: actorId, action: "dashboard_update", limit: 100 })).items).toHaveLength(0);
    expect((await listAudit(getDb(), { actor: actorId, action: "update", limit: 100 })).items).toHaveLength(0);
  });

  it("filters by result and by time range (inclusive)", async () => {
    const denied = await listAudit(getDb(), { actor: actorId, result: "denied", limit: 100 });
    expect(denied.items.map((r) => (r.details as { i: number }).i).sort((a, b) => a - b)).toEqual([0, 3, 6, 9]);
    const range = await listAudit(getDb(), { actor: actorId, from: new Date(T0 + 2 * hour), to: new Date(T0 + 5 * hour), limit: 100 });
    expect(range.items.map((r) => (r.details as { i: number }).i)).toEqual([5, 4, 3, 2]);
    const both = await listAudit(getDb(), { actor: actorId, result: "denied", from: new Date(T0 + 4 * hour), limit: 100 });
    expect(both.items.map((r) => (r.details as { i: number }).i)).toEqual([9, 6]);
  });

  it("pages newest first with a keyset cursor: no duplicates, no gaps", async () => {
    const seen: number[] = [];
    let cursor: number | undefined;
    let pages = 0;
    for (;;) {
      const page = await listAudit(getDb(), { actor: actorId, limit: 5, cursor });
      pages++;
      seen.push(...page.items.map((r) => r.id));
      if (page.nextCursor === null) break;
      expect(page.items).toHaveLength(5);
      expect(page.nextCursor).toBe(page.items[4]!.id);
      cursor = page.nextCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].sort((a, b) => b - a));
    // A record written while paging does not shift later pages.
    const first = await listAudit(getDb(), { actor: actorId, limit: 5 });
    await writeAudit(getDb(), { actorType: "user", actorId, actorName }, null, { action: "dashboard.update", result: "success" });
    const second = await listAudit(getDb(), { actor: actorId, limit: 5, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.id)).toEqual(seen.slice(5, 10));
  });

  it("is served by audit.list with the same filters, and lists the actions seen", async () => {
    const auditor = await createTestUser("Auditor");
    const page = await callerFor(auditor.principal).audit.list({ actor: actorId, action: "dashboard.delete", result: "success", limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.items.every((r) => r.action === "dashboard.delete" && r.result === "success")).toBe(true);
    expect(page.nextCursor).not.toBeNull();
    expect(await listAuditActions(getDb())).toEqual(expect.arrayContaining(["dashboard.delete", "dashboard.update"]));
  });

  it("is append-only: UPDATE, DELETE and TRUNCATE are refused by the database", async () => {
    const id = ids[0]!;
    await expect(getDb().execute(sql`update audit_log set result = 'success' where id = ${id}`)).rejects.toThrow();
    await expect(getDb().execute(sql`delete from audit_log where id = ${id}`)).rejects.toThrow();
    await expect(getDb().execute(sql`truncate audit_log`)).rejects.toThrow();
    const [row] = (await getDb().execute<{ result: string }>(sql`select result from audit_log where id = ${id}`)).rows;
    expect(row).toEqual({ result: "denied" });
    // The refusal is the trigger's, not some other failure.
    const err = await getDb()
      .execute(sql`delete from audit_log where id = ${id}`)
      .then(
        () => null,
        (e: { cause?: { message?: string }; message?: string }) => e.cause?.message ?? e.message,
      );
    expect(err).toMatch(/append-only/);
  });
});
