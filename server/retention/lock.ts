import pg from "pg";
import type { Db } from "@/db/client";

/**
 * The retention lock: a session-level PostgreSQL advisory lock held on a dedicated connection for
 * as long as a retention run, a GDPR delete or a restore works, so none of them reads blocks the
 * other is rewriting (a run archiving hot blocks read before a delete rewrote them would bring
 * deleted events back). Whoever finds it taken decides: a run is skipped, a delete answers
 * CONFLICT, a restore job is retried.
 */
const RETENTION_LOCK_KEY = 0x4c4b5254; // "LKRT"

/** The pool behind a Db (drizzle keeps it as `$client`; db/client.ts always builds Db on a pg.Pool). */
function poolOf(db: Db): pg.Pool {
  const client = (db as Db & { $client?: unknown }).$client;
  if (!(client instanceof pg.Pool)) throw new Error("retention needs a database on a pg.Pool (one connection holds the retention lock)");
  return client;
}

/**
 * Runs `fn` holding the retention lock. `{ locked: false }` when someone else holds it: at once, or
 * after waiting up to `waitMs` for it (a restore waits for a run to finish rather than fail).
 */
export async function withRetentionLock<T>(db: Db, fn: () => Promise<T>, opts: { waitMs?: number } = {}): Promise<{ locked: true; value: T } | { locked: false }> {
  const client = await poolOf(db).connect();
  let locked = false;
  try {
    if (opts.waitMs) {
      try {
        await client.query(`set lock_timeout = ${Math.max(1, Math.round(opts.waitMs))}`);
        await client.query("select pg_advisory_lock($1)", [RETENTION_LOCK_KEY]);
        locked = true;
      } catch (err) {
        if ((err as { code?: string }).code !== "55P03") throw err; // lock_not_available: waited long enough
      } finally {
        await client.query("reset lock_timeout").catch(() => {});
      }
    } else {
      locked = (await client.query<{ ok: boolean }>("select pg_try_advisory_lock($1) as ok", [RETENTION_LOCK_KEY])).rows[0]?.ok === true;
    }
    if (!locked) return { locked: false };
    return { locked: true, value: await fn() };
  } finally {
    if (locked) await client.query("select pg_advisory_unlock($1)", [RETENTION_LOCK_KEY]).catch(() => {});
    client.release();
  }
}

/** Test hook: the lock's key, to hold it from a test's own connection. */
export const RETENTION_LOCK_KEY_FOR_TESTS = RETENTION_LOCK_KEY;
