import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { requireEnv } from "@/env";
import * as schema from "./schema";

export type Db = NodePgDatabase<typeof schema>;
/** A transaction handle: the same query API as Db. Domain functions accept either. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export function createPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 });
  // An idle client erroring (server restart) must not crash the process.
  pool.on("error", () => {});
  return pool;
}

export function createDb(pool: pg.Pool): Db {
  return drizzle(pool, { schema });
}

type Holder = { pool: pg.Pool; db: Db };
const globalForDb = globalThis as unknown as { __lookoutDb?: Holder };

function holder(): Holder {
  if (!globalForDb.__lookoutDb) {
    const pool = createPool(requireEnv("DATABASE_URL"));
    globalForDb.__lookoutDb = { pool, db: createDb(pool) };
  }
  return globalForDb.__lookoutDb;
}

/** The process-wide database (lazily connected from DATABASE_URL). */
export function getDb(): Db {
  return holder().db;
}

export function getPool(): pg.Pool {
  return holder().pool;
}

export async function closeDb(): Promise<void> {
  const h = globalForDb.__lookoutDb;
  globalForDb.__lookoutDb = undefined;
  if (h) await h.pool.end();
}
