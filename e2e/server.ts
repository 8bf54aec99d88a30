/**
 * Playwright's web server: a throw-away database and Redis prefix, migrations, the seeded admin,
 * then the production web server + workers. On SIGTERM it stops them and drops the database.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { createDb, createPool } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { seedFoundation } from "@/server/setup/seed";
import { spawnApp, waitHealthy } from "@/scripts/lib/app";
import { adminUrlOf, dropDatabase, ensureDatabase } from "@/scripts/lib/services";
import { E2E_ADMIN } from "./fixtures/accounts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.E2E_PORT || 3100);
const baseUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const suffix = `${Date.now()}_${randomBytes(3).toString("hex")}`;
const database = `lookout_e2e_${suffix}`;
const prefix = `lookout-e2e-${suffix}`;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function clearRedisPrefix(): Promise<void> {
  const r = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== "0");
  } finally {
    r.disconnect();
  }
}

async function main() {
  const adminUrl = adminUrlOf(baseUrl);
  await ensureDatabase(adminUrl, database);
  const url = withDatabase(baseUrl, database);
  await runMigrations(url);
  const pool = createPool(url, 2);
  await seedFoundation(createDb(pool), { adminEmail: E2E_ADMIN.email, adminPassword: E2E_ADMIN.password });
  await pool.end();

  const app = spawnApp({
    root,
    port,
    quiet: true,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: url,
      REDIS_URL: redisUrl,
      LOOKOUT_REDIS_PREFIX: prefix,
      LOOKOUT_SECRET: randomBytes(32).toString("base64url"),
      LOOKOUT_BASE_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: "warn",
    },
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await app.stop();
    await dropDatabase(adminUrl, database).catch((e) => console.error(`[e2e] drop database failed: ${(e as Error).message}`));
    await clearRedisPrefix().catch(() => {});
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
  void app.exited.then((why) => {
    console.error(`[e2e] ${why}`);
    void stop(1);
  });
  await waitHealthy(`http://127.0.0.1:${port}`, 90_000, app.exited);
  console.log(`[e2e] ready on http://127.0.0.1:${port} (database ${database})`);
}

main().catch((e) => {
  console.error(`[e2e] server failed: ${(e as Error).message}`);
  process.exit(1);
});
