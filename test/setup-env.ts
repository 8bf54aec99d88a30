/**
 * Runs in each integration test file before the file's own imports: points the environment at
 * the run's database, Redis prefix and secret (env.ts caches its first read, so this must come
 * first), and closes the shared connections when the file is done.
 */
import { afterAll, inject } from "vitest";

Object.assign(process.env, {
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  DATABASE_URL: inject("databaseUrl"),
  REDIS_URL: inject("redisUrl"),
  LOOKOUT_REDIS_PREFIX: inject("redisPrefix"),
  LOOKOUT_SECRET: inject("secret"),
  LOOKOUT_BASE_URL: "http://localhost:3000",
});

afterAll(async () => {
  // Imported here, not at the top: importing them must not happen before the env is set.
  const [{ closeQueues }, { closeRedis }, { closeDb }] = await Promise.all([
    import("@/server/queues/queues"),
    import("@/server/lib/redis"),
    import("@/db/client"),
  ]);
  await closeQueues();
  await closeRedis();
  await closeDb();
});
