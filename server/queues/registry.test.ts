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

  it("schedules only payloads that its own schema accepts, and retries jobs", () => {
    for (const name of QUEUE_NAMES) {
      const q = QUEUES[name];
      expect(q.defaultJobOptions.attempts, name).toBeGreaterThan(1);
      for (const s of q.schedulers) expect(q.payload.safeParse(s.data).success, `${name}/${s.id}`).toBe(true);
    }
  });
});
