import { describe, expect, it } from "vitest";
import { QUEUE_NAMES, QUEUES, isQueueName } from "./registry";

describe("queue registry", () => {
  it("names queues in kebab case and knows them", () => {
    expect(QUEUE_NAMES).toContain("maintenance");
    for (const n of QUEUE_NAMES) expect(n).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(isQueueName("maintenance")).toBe(true);
    expect(isQueueName("constructor")).toBe(false);
    expect(isQueueName("nope")).toBe(false);
  });

  it("validates maintenance payloads", () => {
    expect(QUEUES.maintenance.payload.safeParse({ kind: "purge-expired-sessions" }).success).toBe(true);
    expect(QUEUES.maintenance.payload.safeParse({ kind: "drop-everything" }).success).toBe(false);
    expect(QUEUES.maintenance.payload.safeParse({}).success).toBe(false);
  });

  it("validates scrape payloads", () => {
    const jobId = "6f1c3c1e-7a0e-4e57-9d0e-3f3b8f0e2a11";
    expect(QUEUES.scrape.payload.safeParse({ kind: "scrape", jobId, url: "http://a:1/metrics" }).success).toBe(true);
    expect(QUEUES.scrape.payload.safeParse({ kind: "scrape", jobId: "x", url: "http://a:1/metrics" }).success).toBe(false);
    expect(QUEUES.scrape.payload.safeParse({ kind: "reconcile" }).success).toBe(true);
    expect(QUEUES.scrape.payload.safeParse({ kind: "stale", batchId: "b", seriesIds: [1, 2], atMs: 1 }).success).toBe(true);
    expect(QUEUES.scrape.payload.safeParse({ kind: "stale", batchId: "b", seriesIds: [0], atMs: 1 }).success).toBe(false);
  });

  it("validates alert-eval and notify payloads", () => {
    const groupId = "6f1c3c1e-7a0e-4e57-9d0e-3f3b8f0e2a11";
    expect(QUEUES["alert-eval"].payload.safeParse({ kind: "evaluate", groupId }).success).toBe(true);
    expect(QUEUES["alert-eval"].payload.safeParse({ kind: "evaluate", groupId, at: 1_796_650_272_337 }).success).toBe(true);
    expect(QUEUES["alert-eval"].payload.safeParse({ kind: "evaluate", groupId: "g" }).success).toBe(false);
    expect(QUEUES["alert-eval"].payload.safeParse({ kind: "reconcile" }).success).toBe(true);
    expect(QUEUES.notify.payload.safeParse({ kind: "deliver", notificationId: 12 }).success).toBe(true);
    expect(QUEUES.notify.payload.safeParse({ kind: "deliver", notificationId: 0 }).success).toBe(false);
    expect(QUEUES.notify.payload.safeParse({ kind: "dispatch" }).success).toBe(false);
    expect(QUEUES["alert-dispatch"].payload.safeParse({ kind: "dispatch" }).success).toBe(true);
    expect(QUEUES.maintenance.payload.safeParse({ kind: "alerting-retention" }).success).toBe(true);
    // Notifications retry with exponential backoff.
    expect(QUEUES.notify.defaultJobOptions).toMatchObject({ attempts: 8, backoff: { type: "exponential", delay: 1_000 } });
  });

  it("schedules only payloads that its own schema accepts, and retries jobs", () => {
    for (const name of QUEUE_NAMES) {
      const q = QUEUES[name];
      expect(q.defaultJobOptions.attempts, name).toBeGreaterThan(1);
      for (const s of q.schedulers) expect(q.payload.safeParse(s.data).success, `${name}/${s.id}`).toBe(true);
    }
  });
});
