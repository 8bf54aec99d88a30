import { randomUUID } from "node:crypto";
import { UnrecoverableError, type Job } from "bullmq";
import { describe, expect, it } from "vitest";
import { processRetention } from "./retention";

const job = (data: unknown) => ({ id: "1", data }) as unknown as Job;

// Runs themselves are tested on scratch databases (server/retention); a run here would age the shared one.
describe("retention worker", () => {
  it("refuses an invalid payload and a restore of a day that is not archived without retrying", async () => {
    await expect(processRetention(job({ kind: "purge" }))).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(processRetention(job({ kind: "restore", sourceId: randomUUID(), day: "2031-01-01", hours: 0 }))).rejects.toBeInstanceOf(UnrecoverableError);
    const err = await processRetention(job({ kind: "restore", sourceId: randomUUID(), day: "2031-01-01", hours: 2, actor: "vitest" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect((err as Error).message).toBe("No such log source");
  });
});
