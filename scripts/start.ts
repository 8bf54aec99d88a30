/**
 * `npm start`: the launcher. Checks the provisioning file (LOOKOUT_CONFIG) when set, ensures
 * PostgreSQL and Redis (embedded / local when DATABASE_URL / REDIS_URL are unset), runs
 * migrations, seeds on first run, builds if needed, then runs the workers (which apply the
 * provisioning file before taking jobs, and run the demo workload: LOOKOUT_DEMO, on unless 0) and
 * the web server until Ctrl-C, and stops everything cleanly.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runMigrations } from "@/db/migrate";
import { createDb, createPool } from "@/db/client";
import { loadProvisioningFile } from "@/server/provisioning/parse";
import { seedFoundation } from "@/server/setup/seed";
import { spawnApp, waitHealthy } from "./lib/app";
import { buildIsStale, runNextBuild } from "./lib/build";
import { clearRuntime, dataDir, ensureSecret, writeRuntime } from "./lib/runtime";
import { REDIS_MISSING, hasRedisServer, startEmbeddedPostgres, startLocalRedis, type RunningPostgres, type RunningRedis } from "./lib/services";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
const say = (s: string) => console.log(`[lookout] ${s}`);

/** LOOKOUT_CONFIG as an absolute path (relative to where `npm start` was typed, which npm keeps in INIT_CWD). */
function provisioningFile(): string | undefined {
  const file = process.env.LOOKOUT_CONFIG;
  return file ? path.resolve(process.env.INIT_CWD || process.cwd(), file) : undefined;
}

async function main() {
  const t0 = performance.now();
  const dir = dataDir();
  const port = Number(process.env.PORT || 3000);
  const demoOn = process.env.LOOKOUT_DEMO !== "0";
  let pgServer: RunningPostgres | null = null;
  let redisServer: RunningRedis | null = null;
  let app: ReturnType<typeof spawnApp> | null = null;
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    await app?.stop();
    await redisServer?.stop();
    await pgServer?.stop().catch(() => {});
    clearRuntime(dir);
    say("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  try {
    if (!process.env.REDIS_URL && !hasRedisServer()) {
      console.error(`[lookout] ${REDIS_MISSING}`);
      process.exit(1);
    }
    // A broken provisioning file stops the start here, before anything runs (the workers apply it).
    const configFile = provisioningFile();
    if (configFile) {
      const plan = await loadProvisioningFile(configFile);
      say(`provisioning file ${configFile}: ${plan.scrapeConfigs.length} scrape job(s), ${plan.sources.length} source(s); applied by the workers at start`);
      for (const notice of plan.notices) say(`provisioning file: ${notice}`);
    }
    const secret = ensureSecret(dir);
    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      pgServer = await startEmbeddedPostgres(path.join(dir, "pg"), "lookout", say);
      databaseUrl = pgServer.url;
      say(`embedded PostgreSQL running (data in ${path.join(dir, "pg")})`);
    }
    let redisUrl = process.env.REDIS_URL;
    if (!redisUrl) {
      redisServer = await startLocalRedis(path.join(dir, "redis"), say);
      redisUrl = redisServer.url;
      say(`local redis-server running (append-only file in ${path.join(dir, "redis")})`);
    }

    await runMigrations(databaseUrl);
    say("database migrated");
    const pool = createPool(databaseUrl, 2);
    const seeded = await seedFoundation(createDb(pool), {
      adminEmail: process.env.LOOKOUT_ADMIN_EMAIL || "admin@lookout.local",
      adminPassword: process.env.LOOKOUT_ADMIN_PASSWORD || undefined,
    });
    await pool.end();
    if (seeded.createdAdmin) {
      // Printed as soon as it exists, so a later failure (e.g. the build) cannot lose it.
      say(`first admin created: ${seeded.createdAdmin.email} / ${seeded.createdAdmin.password}`);
      if (seeded.createdAdmin.generated) say("(password generated now and shown only once; set LOOKOUT_ADMIN_PASSWORD to choose it)");
    }

    if (!dev && buildIsStale(root)) {
      say("building the web app (first start or sources changed)…");
      runNextBuild(root);
    }

    const url = process.env.LOOKOUT_BASE_URL || `http://localhost:${port}`;
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: dev ? "development" : "production",
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      LOOKOUT_SECRET: secret,
      LOOKOUT_DATA_DIR: dir,
      PORT: String(port),
      // The demo workload runs under `npm start` unless LOOKOUT_DEMO=0 (the workers' own default is off).
      LOOKOUT_DEMO: demoOn ? "1" : "0",
      ...(configFile ? { LOOKOUT_CONFIG: configFile } : {}),
    };
    app = spawnApp({ root, port, env: childEnv, dev });
    writeRuntime(dir, { pid: process.pid, databaseUrl, redisUrl, url });
    void app.exited.then((why) => {
      console.error(`[lookout] ${why}; shutting down`);
      void stopAll(1);
    });
    await waitHealthy(`http://127.0.0.1:${port}`, dev ? 180_000 : 90_000, app.exited);

    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    console.log("");
    say(`ready in ${seconds} s: ${url}`);
    if (seeded.createdAdmin) say(`sign in as ${seeded.createdAdmin.email} with the password printed above`);
    else say("sign in with an existing account (the first admin's password was printed on its first start)");
    if (demoOn) say("demo shop running: logs in the sources demo-nginx and demo-app, metrics from the scrape job demo (LOOKOUT_DEMO=0 turns it off)");
    say("Ctrl-C stops everything");
  } catch (e) {
    console.error(`[lookout] start failed: ${(e as Error).message}`);
    await stopAll(1);
  }
}

void main();
