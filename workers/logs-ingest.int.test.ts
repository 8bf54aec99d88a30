import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { count, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { logBlocks, logIngestBatches, logSources } from "@/db/schema";
import { decodeBlock } from "@/server/logs/store/block";
import { enqueue, getQueue } from "@/server/queues/queues";
import { uid } from "@/test/helpers";

const root = path.resolve(import.meta.dirname, "..");
const children: ChildProcess[] = [];

/** A real worker process for the logs-ingest queue, in its own process group (so kill -9 takes all of it). */
function startWorker(): ChildProcess {
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["workers/main.ts", "--queues=logs-ingest"], {
    cwd: root,
    env: { ...process.env, LOOKOUT_JOB_LOCK_MS: "2000", LOOKOUT_SYSLOG_PORT: "0", LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  children.push(child);
  return child;
}

function kill9(child: ChildProcess) {
  process.kill(-child.pid!, "SIGKILL");
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

afterAll(() => {
  for (const c of children) {
    try {
      process.kill(-c.pid!, "SIGKILL");
    } catch {}
  }
});

describe("logs-ingest worker", () => {
  it("after kill -9 mid-stream and a restart, every accepted event is stored exactly once", async () => {
    const db = getDb();
    const [src] = await db.insert(logSources).values({ name: `kill9-${uid()}` }).returning();
    const BATCHES = 40;
    const PER_BATCH = 500;
    const t0 = Date.now() - 60_000;
    const payloads = Array.from({ length: BATCHES }, (_, b) => ({
      batchId: randomUUID(),
      sourceId: src!.id,
      receivedAt: Date.now(),
      apiKeyId: null,
      events: Array.from({ length: PER_BATCH }, (_, i) => ({ ts: t0 + b * PER_BATCH + i, message: `event ${b}-${i}`, fields: { seq: b * PER_BATCH + i } })),
    }));
    for (const p of payloads) await enqueue("logs-ingest", p, { jobId: p.batchId });
    // The same batch delivered again as another job (e.g. re-enqueued after a crash) must not double either.
    await getQueue("logs-ingest").add("logs-ingest", payloads[3]!);

    const committed = async () => Number((await db.select({ n: count() }).from(logIngestBatches).where(eq(logIngestBatches.sourceId, src!.id)))[0]!.n);
    const first = startWorker();
    await waitFor("some batches committed", async () => (await committed()) >= 5, 60_000);
    kill9(first);
    const atKill = await committed();
    expect(atKill).toBeLessThan(BATCHES); // it really died mid-stream

    startWorker();
    const q = getQueue("logs-ingest");
    await waitFor(
      "all batches committed and the queue drained",
      async () => {
        const c = await q.getJobCounts("waiting", "active", "delayed", "prioritized");
        return (await committed()) === BATCHES && c.waiting + c.active + c.delayed + (c.prioritized ?? 0) === 0;
      },
      90_000,
    );

    const blocks = await db.select({ payload: logBlocks.payload }).from(logBlocks).where(eq(logBlocks.sourceId, src!.id));
    const seen = new Map<number, number>();
    for (const b of blocks) for (const e of decodeBlock(b.payload)) seen.set(e.attributes.seq as number, (seen.get(e.attributes.seq as number) ?? 0) + 1);
    expect(seen.size).toBe(BATCHES * PER_BATCH);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    const total = await db.execute<{ n: number }>(sql`select coalesce(sum(count), 0)::int as n from log_blocks where source_id = ${src!.id}`);
    expect(total.rows[0]!.n).toBe(BATCHES * PER_BATCH);
  }, 180_000);
});
