import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import { QUEUES } from "@/server/queues/registry";
import { incomingEventProblem, parseLogsIngestPayload } from "./logs-ingest";

const base = { batchId: "b1", sourceId: "7f0c6c1e-2c1b-4b8e-9c62-0d8f5b9c1a11", receivedAt: 1, apiKeyId: null };

describe("parseLogsIngestPayload", () => {
  it("accepts what the queue schema accepts, without copying the events", () => {
    const events = [{ message: "a", fields: { x: { y: 1 } } }, { ts: 5, message: "b", level: "info", host: "h", fields: {} }];
    const data = { ...base, events };
    expect(QUEUES["logs-ingest"].payload.safeParse(data).success).toBe(true);
    const p = parseLogsIngestPayload(data);
    expect(p.events[0]).toBe(events[0]);
    expect(p.batchId).toBe("b1");
  });

  it.each([
    [{ fields: {} }, "message is not a string"],
    [{ message: "a" }, "fields is not an object"],
    [{ message: "a", fields: [] }, "fields is not an object"],
    [{ message: "a", fields: {}, ts: "1" }, "ts is not a number"],
    [{ message: "a", fields: {}, level: 3 }, "level is not a string"],
    [null, "not an object"],
  ])("refuses a malformed event %j as the queue schema does", (event, problem) => {
    expect(incomingEventProblem(event)).toBe(problem);
    expect(QUEUES["logs-ingest"].payload.safeParse({ ...base, events: [event] }).success).toBe(false);
    expect(() => parseLogsIngestPayload({ ...base, events: [{ message: "ok", fields: {} }, event] })).toThrow(UnrecoverableError);
  });

  it("refuses a malformed envelope", () => {
    expect(() => parseLogsIngestPayload({ ...base, sourceId: "nope", events: [] })).toThrow(/invalid payload/);
  });
});
