import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { getDb } from "@/db/client";
import { RETENTION_LOCK_KEY_FOR_TESTS, withRetentionLock } from "./lock";

describe("the retention lock", () => {
  const holder = new pg.Client({ connectionString: inject("databaseUrl") });
  afterAll(async () => {
    await holder.end().catch(() => {});
  });

  it("is refused at once, or after waiting, while held elsewhere; a waiter gets it once it is released", async () => {
    await holder.connect();
    await holder.query("select pg_advisory_lock($1)", [RETENTION_LOCK_KEY_FOR_TESTS]);
    expect(await withRetentionLock(getDb(), async () => "ran")).toEqual({ locked: false });
    expect(await withRetentionLock(getDb(), async () => "ran", { waitMs: 200 })).toEqual({ locked: false });

    const waiting = withRetentionLock(getDb(), async () => "ran", { waitMs: 10_000 });
    await new Promise((r) => setTimeout(r, 300));
    await holder.query("select pg_advisory_unlock($1)", [RETENTION_LOCK_KEY_FOR_TESTS]);
    expect(await waiting).toEqual({ locked: true, value: "ran" });
    // Released again: the next caller gets it at once.
    expect(await withRetentionLock(getDb(), async () => 1)).toEqual({ locked: true, value: 1 });
  });
});
