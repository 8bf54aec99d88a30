/**
 * Hot path of every HTTP API call: authenticate an API key (hash + indexed lookup + scope check)
 * and answer. Measures authenticateApiKey() alone and the whole whoami route handler, in-process,
 * against a throw-away database. Prints ops/s and latency percentiles.
 *
 *   npm run bench            (DATABASE_URL / REDIS_URL default to the local servers)
 */
import { randomBytes } from "node:crypto";

process.env.DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
process.env.LOOKOUT_SECRET ??= randomBytes(32).toString("base64url");
process.env.LOG_LEVEL = "warn";
const baseUrl = process.env.DATABASE_URL;
const database = `lookout_bench_${Date.now()}`;
const u = new URL(baseUrl);
u.pathname = `/${database}`;
process.env.DATABASE_URL = u.toString();

const { adminUrlOf, dropDatabase, ensureDatabase } = await import("@/scripts/lib/services");
const { runMigrations } = await import("@/db/migrate");
const { closeDb, getDb } = await import("@/db/client");
const { closeRedis } = await import("@/server/lib/redis");
const { createApiKey, createServiceAccount, authenticateApiKey } = await import("@/server/auth/api-keys");
const { GET: whoami } = await import("@/app/api/v1/whoami/route");

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(3);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`;
}

async function measure(name: string, n: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 200; i++) await fn(); // warm-up
  const samples: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    samples.push(performance.now() - s);
  }
  const total = (performance.now() - t0) / 1000;
  console.log(`${name.padEnd(28)} ${(n / total).toFixed(0).padStart(7)} ops/s  (${percentiles(samples)}, sequential, n=${n})`);
}

const admin = adminUrlOf(baseUrl);
await ensureDatabase(admin, database);
try {
  await runMigrations(process.env.DATABASE_URL);
  const db = getDb();
  const sa = await createServiceAccount(db, null, null, { name: "bench" });
  const { key } = await createApiKey(db, null, null, { serviceAccountId: sa.id, name: "bench", scopes: ["query"] });
  const req = () => new Request("http://localhost/api/v1/whoami", { headers: { authorization: `Bearer ${key}` } });
  await measure("authenticateApiKey", 5000, () => authenticateApiKey(db, key));
  await measure("GET /api/v1/whoami (handler)", 5000, async () => {
    const res = await whoami(req());
    if (res.status !== 200) throw new Error(`whoami answered ${res.status}`);
    await res.text();
  });
} finally {
  await closeDb();
  await closeRedis();
  await dropDatabase(admin, database);
}
