import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { getDb } from "@/db/client";
import { getRedis } from "@/server/lib/redis";
import { aliveWorkers, beat, retire } from "@/server/queues/heartbeat";
import { enqueue, getQueue } from "@/server/queues/queues";
import { callerFor, createTestUser, expectTrpcError, uid } from "@/test/helpers";
import { systemStatus } from "./status";

async function retireAll() {
  const redis = getRedis();
  for (const w of await aliveWorkers(redis)) await retire(redis, w.id);
}

const heartbeat = (id: string) => ({ id, host: "test-host", pid: 4242, queues: ["maintenance"], startedAt: new Date().toISOString() });

describe("system status", () => {
  beforeEach(async () => {
    await retireAll();
    await getQueue("maintenance").obliterate({ force: true });
  });
  afterEach(async () => {
    await retireAll();
    await getQueue("maintenance").obliterate({ force: true });
  });

  it("reports PostgreSQL, Redis, the maintenance queue's counts and live workers", async () => {
    await enqueue("maintenance", { kind: "purge-expired-sessions" });
    await enqueue("maintenance", { kind: "purge-expired-sessions" });
    await getQueue("maintenance").add("later", { kind: "purge-expired-sessions" }, { delay: 3_600_000 });
    const id = `worker-${uid()}`;
    await beat(getRedis(), heartbeat(id));

    const s = await systemStatus(getDb(), getRedis());
    expect(s.postgres).toMatchObject({ ok: true, error: null, database: new URL(process.env.DATABASE_URL!).pathname.slice(1) });
    expect(s.postgres.version).toMatch(/^\d+/);
    expect(s.postgres.databaseSizeBytes).toBeGreaterThan(0);
    expect(s.redis).toMatchObject({ ok: true, error: null });
    expect(s.redis.version).toMatch(/^\d+\.\d+/);
    const q = s.queues.find((x) => x.name === "maintenance");
    expect(q).toMatchObject({ waiting: 2, delayed: 1, active: 0, failed: 0, paused: false });
    expect(s.workers.map((w) => w.id)).toEqual([id]);
    expect(s.workers[0]).toMatchObject({ host: "test-host", pid: 4242, queues: ["maintenance"] });
  });

  it("rejects an invalid job payload before it reaches the queue", async () => {
    await expect(enqueue("maintenance", { kind: "drop-tables" } as never)).rejects.toThrow();
    expect(await getQueue("maintenance").getWaitingCount()).toBe(0);
  });

  it("forgets a worker that retired", async () => {
    const id = `worker-${uid()}`;
    await beat(getRedis(), heartbeat(id));
    expect((await aliveWorkers(getRedis())).map((w) => w.id)).toEqual([id]);
    await retire(getRedis(), id);
    expect(await aliveWorkers(getRedis())).toEqual([]);
  });

  it("is served by status.get to those with status:read only", async () => {
    const viewer = await createTestUser("Viewer");
    const s = await callerFor(viewer.principal).status.get();
    expect(s.postgres.ok).toBe(true);
    const custom = { ...viewer.principal, permissions: new Set<never>() };
    await expectTrpcError(callerFor(custom).status.get(), "FORBIDDEN");
  });

  it("GET /api/health: 503 without a live worker, 200 once one beats", async () => {
    const before = await health();
    expect(before.status).toBe(503);
    expect(before.headers.get("cache-control")).toBe("no-store");
    expect(await before.json()).toEqual({ status: "unavailable", postgres: "ok", redis: "ok", workers: 0 });

    await beat(getRedis(), heartbeat(`worker-${uid()}`));
    const after = await health();
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ status: "ok", postgres: "ok", redis: "ok", workers: 1 });
  });
});
