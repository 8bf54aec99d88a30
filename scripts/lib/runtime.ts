import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";

/** Files the launcher keeps in the data dir: the session secret and the running servers' URLs. */
export function dataDir(): string {
  return path.resolve(process.env.LOOKOUT_DATA_DIR || ".data");
}

/** LOOKOUT_SECRET, or one generated on first start and kept in the data dir (mode 600). */
export function ensureSecret(dir: string): string {
  if (process.env.LOOKOUT_SECRET) return process.env.LOOKOUT_SECRET;
  const file = path.join(dir, "secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

export type Runtime = { pid: number; databaseUrl: string; redisUrl: string; url: string };

const runtimeFile = (dir: string) => path.join(dir, "runtime.json");

export function writeRuntime(dir: string, r: Runtime): void {
  writeFileSync(runtimeFile(dir), JSON.stringify(r, null, 2) + "\n", { mode: 0o600 });
}

export function clearRuntime(dir: string): void {
  rmSync(runtimeFile(dir), { force: true });
}

/** The running console's servers, when one is running from this data dir. */
export function readRuntime(dir: string): Runtime | null {
  try {
    const r = JSON.parse(readFileSync(runtimeFile(dir), "utf8")) as Runtime;
    process.kill(r.pid, 0);
    return r;
  } catch {
    return null;
  }
}
