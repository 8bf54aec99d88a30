import { describe, expect, it } from "vitest";
import { healthSummary } from "./status";

const up = { ok: true } as { ok: boolean };
const down = { ok: false } as { ok: boolean };
const worker = { id: "w1", host: "h", pid: 1, queues: ["maintenance"], startedAt: "", lastSeen: "" };
type Input = Parameters<typeof healthSummary>[0];
const input = (pgOk: boolean, redisOk: boolean, workers: number) =>
  ({ postgres: pgOk ? up : down, redis: redisOk ? up : down, workers: Array.from({ length: workers }, () => worker) }) as unknown as Input;

describe("healthSummary", () => {
  it("is ok when both stores answer and a worker is alive", () => {
    expect(healthSummary(input(true, true, 2))).toEqual({ status: "ok", postgres: "ok", redis: "ok", workers: 2 });
  });

  it("is unavailable without workers", () => {
    expect(healthSummary(input(true, true, 0))).toEqual({ status: "unavailable", postgres: "ok", redis: "ok", workers: 0 });
  });

  it("is unavailable and names the store that is down", () => {
    expect(healthSummary(input(false, true, 1))).toMatchObject({ status: "unavailable", postgres: "down", redis: "ok" });
    expect(healthSummary(input(true, false, 1))).toMatchObject({ status: "unavailable", postgres: "ok", redis: "down" });
  });
});
