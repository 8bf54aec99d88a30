import path from "node:path";
import { env } from "@/env";
import { dataDir, readRuntime } from "./runtime";
import { startEmbeddedPostgres } from "./services";

/** A database URL for a one-off command, and how to let go of it afterwards. */
export type Connection = { url: string; via: "DATABASE_URL" | "running console" | "embedded"; close: () => Promise<void> };

/**
 * Where a CLI command finds PostgreSQL: DATABASE_URL when set; else the console running from the
 * data dir (its runtime.json); else the data dir's embedded PostgreSQL, started now and stopped by
 * `close()`. `log` receives progress lines (the CLI sends them to stderr).
 */
export async function connectDatabase(log: (s: string) => void): Promise<Connection> {
  const fromEnv = env().DATABASE_URL;
  if (fromEnv) return { url: fromEnv, via: "DATABASE_URL", close: async () => {} };
  const dir = dataDir();
  const running = readRuntime(dir);
  if (running) return { url: running.databaseUrl, via: "running console", close: async () => {} };
  const pgDir = path.join(dir, "pg");
  log(`starting the embedded PostgreSQL in ${pgDir} for this command`);
  const server = await startEmbeddedPostgres(pgDir, "lookout", log);
  return { url: server.url, via: "embedded", close: () => server.stop() };
}
