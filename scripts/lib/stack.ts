import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { createDb, createPool, type Db } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { deleteKeysByPrefix } from "@/server/lib/redis";
import { spawnApp, waitHealthy, type AppProcesses } from "./app";
import { adminUrlOf, dropDatabase, ensureDatabase } from "./services";

/**
 * A whole Lookout (production web server + workers) on a throw-away database and Redis key
 * prefix, for the end-to-end suite and the benchmarks. `seed` runs after the migrations.
 * `stop()` stops the processes, drops the database and deletes the Redis keys.
 */
export type ThrowawayStack = { url: string; databaseUrl: string; redisPrefix: string; db: Db; app: AppProcesses; stop: () => Promise<void> };

export async function startThrowawayStack(opts: {
  root: string;
  port: number;
  label: string;
  seed: (db: Db) => Promise<void>;
  env?: Record<string, string>;
}): Promise<ThrowawayStack> {
  const baseUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  const suffix = `${Date.now()}_${randomBytes(3).toString("hex")}`;
  const database = `lookout_${opts.label}_${suffix}`;
  const prefix = `lookout-${opts.label}-${suffix}`;
  const adminUrl = adminUrlOf(baseUrl);
  const u = new URL(baseUrl);
  u.pathname = `/${database}`;
  const databaseUrl = u.toString();

  await ensureDatabase(adminUrl, database);
  await runMigrations(databaseUrl);
  const pool = createPool(databaseUrl, 4);
  const db = createDb(pool);
  await opts.seed(db);

  const app = spawnApp({
    root: opts.root,
    port: opts.port,
    quiet: true,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      LOOKOUT_REDIS_PREFIX: prefix,
      LOOKOUT_SECRET: randomBytes(32).toString("base64url"),
      LOOKOUT_BASE_URL: `http://127.0.0.1:${opts.port}`,
      LOG_LEVEL: "warn",
      // No demo workload unless the caller asks for it (its traffic would disturb tests and figures).
      LOOKOUT_DEMO: "0",
      ...opts.env,
    },
  });
  // One clean-up, however many ask (a signal to the whole process group both stops us and ends
  // the app, whose exit asks again): every caller waits for the database drop and the key purge.
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await app.stop();
      await pool.end().catch(() => {});
      await dropDatabase(adminUrl, database).catch((e) => console.error(`[${opts.label}] drop database failed: ${(e as Error).message}`));
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      await deleteKeysByPrefix(redis, prefix).catch(() => {});
      redis.disconnect();
    })());
  try {
    await waitHealthy(`http://127.0.0.1:${opts.port}`, 90_000, app.exited);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: `http://127.0.0.1:${opts.port}`, databaseUrl, redisPrefix: prefix, db, app, stop };
}
