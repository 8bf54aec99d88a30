import { randomUUID } from "node:crypto";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { session, verification } from "@/db/schema";
import { findSilence, insertSilence } from "@/server/alerting/store";
import { createRedis } from "@/server/lib/redis";
import { bullPrefix, enqueue, getQueue } from "@/server/queues/queues";
import { createTestUser } from "@/test/helpers";
import { processMaintenance } from "./maintenance";
import { PROCESSORS } from "./processors";

const job = (data: unknown) => ({ id: "test", name: "test", data }) as Job;
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000);

async function addSessions(userId: string) {
  const expired = randomUUID();
  const live = randomUUID();
  await getDb()
    .insert(session)
    .values([
      { id: expired, token: randomUUID(), userId, expiresAt: hoursFromNow(-1) },
      { id: live, token: randomUUID(), userId, expiresAt: hoursFromNow(24) },
    ]);
  const oldToken = randomUUID();
  const freshToken = randomUUID();
  await getDb()
    .insert(verification)
    .values([
      { id: oldToken, identifier: "reset", value: "x", expiresAt: hoursFromNow(-2) },
      { id: freshToken, identifier: "reset", value: "y", expiresAt: hoursFromNow(2) },
    ]);
  return { expired, live, oldToken, freshToken };
}

async function sessionIds(ids: string[]) {
  return (await getDb().select({ id: session.id }).from(session).where(inArray(session.id, ids))).map((r) => r.id);
}

describe("maintenance worker", () => {
  let userId: string;
  beforeAll(async () => {
    userId = (await createTestUser("Viewer")).id;
  });

  it("purges expired sessions and verification tokens, keeping live ones", async () => {
    const s = await addSessions(userId);
    const result = (await processMaintenance(job({ kind: "purge-expired-sessions" }))) as { sessions: number; verifications: number };
    expect(result.sessions).toBeGreaterThanOrEqual(1);
    expect(result.verifications).toBeGreaterThanOrEqual(1);
    expect(await sessionIds([s.expired, s.live])).toEqual([s.live]);
    const tokens = await getDb().select({ id: verification.id }).from(verification).where(inArray(verification.id, [s.oldToken, s.freshToken]));
    expect(tokens.map((t) => t.id)).toEqual([s.freshToken]);

    // Idempotent: running again finds nothing of ours to purge.
    await processMaintenance(job({ kind: "purge-expired-sessions" }));
    expect(await sessionIds([s.live])).toEqual([s.live]);
  });

  it("prunes alerting data: silences expired more than 5 days ago go, recent ones stay", async () => {
    const day = 86_400_000;
    const matchers = [{ name: "alertname", value: `M${randomUUID()}`, isRegex: false, isEqual: true }];
    const old = await insertSilence(getDb(), { matchers, startsAt: hoursFromNow(-24 * 9), endsAt: new Date(Date.now() - 6 * day), createdBy: "t", actorId: null, comment: "" });
    const recent = await insertSilence(getDb(), { matchers, startsAt: hoursFromNow(-24 * 9), endsAt: new Date(Date.now() - 4 * day), createdBy: "t", actorId: null, comment: "" });
    const result = (await processMaintenance(job({ kind: "alerting-retention" }))) as Record<string, number>;
    expect(result).toEqual({ history: expect.any(Number), notifications: expect.any(Number), silences: expect.any(Number), externalAlerts: expect.any(Number) });
    expect(result.silences).toBeGreaterThanOrEqual(1);
    expect(await findSilence(getDb(), old.id)).toBeNull();
    expect(await findSilence(getDb(), recent.id)).not.toBeNull();
  });

  it("fails an invalid payload without retries", async () => {
    await expect(processMaintenance(job({ kind: "vacuum-everything" }))).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(processMaintenance(job(null))).rejects.toBeInstanceOf(UnrecoverableError);
  });

  describe("through BullMQ", () => {
    let worker: Worker | null = null;
    afterAll(async () => {
      await worker?.close();
      await getQueue("maintenance").obliterate({ force: true });
    });

    it("runs a queued purge job with the registered processor", async () => {
      const s = await addSessions(userId);
      const done = new Promise<unknown>((resolve, reject) => {
        worker = new Worker("maintenance", PROCESSORS.maintenance.process, { connection: createRedis(), prefix: bullPrefix(), concurrency: 1 });
        worker.on("completed", (_job, value) => resolve(value));
        worker.on("failed", (_job, err) => reject(err));
      });
      await enqueue("maintenance", { kind: "purge-expired-sessions" });
      expect(await done).toMatchObject({ sessions: expect.any(Number), verifications: expect.any(Number) });
      expect(await sessionIds([s.expired, s.live])).toEqual([s.live]);
      const [gone] = await getDb().select().from(verification).where(eq(verification.id, s.oldToken));
      expect(gone).toBeUndefined();
    });
  });
});
