import type { AlertSchedulerPort } from "@/server/alerting/scheduler";
import type { SchedulerPort } from "@/server/metrics/scrape/service";
import type { Queue } from "bullmq";
import { getQueue } from "./queues";

/** The scrape queue's job schedulers behind the domain's `SchedulerPort`. */
export function scrapeSchedulers(): SchedulerPort {
  const queue = getQueue("scrape");
  return {
    async list() {
      const out: { id: string; every: number | null }[] = [];
      const page = 500;
      for (let start = 0; ; start += page) {
        const batch = await queue.getJobSchedulers(start, start + page - 1, true);
        for (const s of batch) out.push({ id: s.key, every: s.every ?? null });
        if (batch.length < page) break;
      }
      return out;
    },
    async upsert(id, everyMs, data) {
      await queue.upsertJobScheduler(id, { every: everyMs }, { name: "scrape", data });
    },
    async remove(id) {
      await queue.removeJobScheduler(id);
    },
  };
}

/** The alert-eval queue's job schedulers behind the alerting domain's `AlertSchedulerPort`. */
export function alertEvalSchedulers(queue: Queue = getQueue("alert-eval")): AlertSchedulerPort {
  return {
    async list() {
      const out: { id: string; every: number | null; offset: number | null }[] = [];
      const page = 500;
      for (let start = 0; ; start += page) {
        const batch = await queue.getJobSchedulers(start, start + page - 1, true);
        for (const s of batch) out.push({ id: s.key, every: s.every ?? null, offset: s.offset ?? null });
        if (batch.length < page) break;
      }
      return out;
    },
    async upsert(id, schedule, data) {
      await queue.upsertJobScheduler(id, { every: schedule.every, offset: schedule.offset }, { name: "evaluate", data });
    },
    async remove(id) {
      await queue.removeJobScheduler(id);
    },
  };
}

/** When a queue's job scheduler next fires (epoch ms), or null when it is not registered. */
export async function nextScheduledRun(name: Parameters<typeof getQueue>[0], schedulerId: string): Promise<number | null> {
  const s = await getQueue(name).getJobScheduler(schedulerId);
  return s?.next ?? null;
}
