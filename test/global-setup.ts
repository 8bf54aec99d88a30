/**
 * Integration-test global setup: a throw-away database (migrated) on the PostgreSQL that
 * DATABASE_URL points at, a unique Redis key prefix, and a random session secret. The values
 * reach the test files through `inject()` (test/setup-env.ts copies them into process.env).
 * Teardown drops the database (and any scratch databases made from it) and the Redis keys.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { runMigrations } from "../db/migrate";
import { deleteKeysByPrefix } from "../server/lib/redis";

declare module "vitest" {
  export interface ProvidedContext {
    /** The run's migrated database. */
    databaseUrl: string;
    /** The same server's maintenance database (`postgres`), for creating scratch databases. */
    adminDatabaseUrl: string;
    /** Scratch databases are named `${databaseName}_...` so teardown finds them. */
    databaseName: string;
    redisUrl: string;
    redisPrefix: string;
    secret: string;
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function withRedis<T>(url: string, fn: (r: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

export default async function setup(project: TestProject) {
  const baseUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  const suffix = `${Date.now()}_${randomBytes(4).toString("hex")}`;
  const databaseName = `lookout_it_${suffix}`;
  const redisPrefix = `lookout-it-${randomBytes(6).toString("hex")}`;
  const adminUrl = withDatabase(baseUrl, "postgres");
  const databaseUrl = withDatabase(baseUrl, databaseName);

  try {
    await withRedis(redisUrl, (r) => r.ping());
  } catch (e) {
    throw new Error(`integration tests need Redis at ${redisUrl} (set REDIS_URL): ${(e as Error).message}`, { cause: e });
  }
  try {
    await admin(adminUrl, (c) => c.query(`create database ${pg.escapeIdentifier(databaseName)}`));
  } catch (e) {
    throw new Error(`integration tests need PostgreSQL at ${new URL(adminUrl).host} (set DATABASE_URL): ${(e as Error).message}`, { cause: e });
  }
  try {
    await runMigrations(databaseUrl);
  } catch (e) {
    await admin(adminUrl, (c) => c.query(`drop database if exists ${pg.escapeIdentifier(databaseName)} with (force)`)).catch(() => {});
    throw e;
  }

  project.provide("databaseUrl", databaseUrl);
  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("databaseName", databaseName);
  project.provide("redisUrl", redisUrl);
  project.provide("redisPrefix", redisPrefix);
  project.provide("secret", randomBytes(32).toString("base64url"));

  return async () => {
    try {
      await admin(adminUrl, async (c) => {
        const dbs = await c.query<{ datname: string }>("select datname from pg_database where starts_with(datname, $1)", [databaseName]);
        for (const { datname } of dbs.rows) await c.query(`drop database if exists ${pg.escapeIdentifier(datname)} with (force)`);
      });
    } finally {
      await withRedis(redisUrl, (r) => deleteKeysByPrefix(r, redisPrefix));
    }
  };
}
