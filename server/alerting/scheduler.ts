/**
 * When rule groups are evaluated: one job scheduler per group (`alert-group:<group id>`, every
 * `interval`), kept in step with the stored groups by `reconcileAlertSchedulers`, and the instant
 * each scheduled run evaluates.
 *
 * The grid. Each group is evaluated at the instants `offset + k × interval` (epoch ms), where the
 * offset is a hash of the group id in (0, interval] — as Prometheus spreads its groups over the
 * interval instead of evaluating them all at once. BullMQ's `every` schedulers with an `offset`
 * produce exactly these instants: the first run at the next grid point after the upsert, then
 * every `interval` (runs missed while no worker listened are skipped, not caught up).
 *
 * The instant of a run. A scheduler's job is named `repeat:<scheduler id>:<scheduled ms>` by
 * BullMQ 6 (JobScheduler.getSchedulerNextJobId; checked against node_modules/bullmq 6.7: the job's
 * `opts.prevMillis` is not kept on jobs the Lua side creates, and `timestamp` is when the job was
 * created, not when it is due). `scheduledInstant` reads the scheduled time from the id (falling
 * back to `timestamp + delay`), and `alignToGrid` puts it on the group's grid, so a job that runs
 * late still evaluates the instant it was scheduled for.
 *
 * No bullmq import here: the queue side is behind `AlertSchedulerPort`.
 */
import type { DbOrTx } from "@/db/client";
import { ruleGroupsForEvaluation } from "./rules-service";

export const ALERT_SCHEDULER_PREFIX = "alert-group:";

export function schedulerIdOf(groupId: string): string {
  return `${ALERT_SCHEDULER_PREFIX}${groupId}`;
}

export function groupIdOfScheduler(id: string): string | null {
  return id.startsWith(ALERT_SCHEDULER_PREFIX) ? id.slice(ALERT_SCHEDULER_PREFIX.length) : null;
}

/** FNV-1a 32 of a string (UTF-16 code units): a stable spread of groups over their interval. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The group's offset on its grid, in (0, interval]: never 0, because BullMQ treats an offset of 0
 * as "none" and would start the grid at the moment of the upsert.
 */
export function gridOffset(groupId: string, intervalMs: number): number {
  const interval = Math.max(1, Math.floor(intervalMs));
  return (hash32(groupId) % interval) + 1;
}

/** The grid instant at or before `t`: `t − ((t − offset) mod interval)`. */
export function alignToGrid(t: number, intervalMs: number, offset: number): number {
  const interval = Math.max(1, Math.floor(intervalMs));
  const r = (((t - offset) % interval) + interval) % interval;
  return t - r;
}

/** What `scheduledInstant` needs of a BullMQ job. */
export interface ScheduledJobInfo {
  id?: string | null;
  timestamp: number;
  opts?: { delay?: number; prevMillis?: number };
}

/**
 * When a scheduler's job was due (epoch ms): the `<ms>` of its id `repeat:<scheduler id>:<ms>`,
 * else `opts.prevMillis`, else `timestamp + delay` (when it was created plus how long it waited).
 */
export function scheduledInstant(job: ScheduledJobInfo): number {
  const m = job.id ? /:(\d{10,})$/.exec(job.id) : null;
  if (m && job.id!.startsWith("repeat:")) return Number(m[1]);
  if (typeof job.opts?.prevMillis === "number" && job.opts.prevMillis > 0) return job.opts.prevMillis;
  return job.timestamp + (job.opts?.delay ?? 0);
}

/** The job schedulers of the alert-eval queue, as the reconciler needs them. */
export interface AlertSchedulerPort {
  /** Every scheduler of the queue (others than alert groups' too). */
  list(): Promise<{ id: string; every: number | null; offset: number | null }[]>;
  upsert(id: string, schedule: { every: number; offset: number }, data: { kind: "evaluate"; groupId: string }): Promise<void>;
  remove(id: string): Promise<void>;
}

export interface ReconcileResult {
  groups: number;
  upserted: number;
  removed: number;
}

/**
 * Makes the schedulers match the stored rule groups: one per group at its interval and offset
 * (created or changed when the interval changed), none for deleted groups. Idempotent; safe to run
 * from several workers at once (upserts of the same scheduler converge).
 */
export async function reconcileAlertSchedulers(db: DbOrTx, port: AlertSchedulerPort): Promise<ReconcileResult> {
  const groups = await ruleGroupsForEvaluation(db);
  const desired = new Map(groups.map((g) => [schedulerIdOf(g.id), { groupId: g.id, every: g.intervalMs, offset: gridOffset(g.id, g.intervalMs) }]));
  const existing = (await port.list()).filter((s) => groupIdOfScheduler(s.id) !== null);
  const current = new Map(existing.map((s) => [s.id, s]));
  let upserted = 0;
  let removed = 0;
  for (const [id, d] of desired) {
    const s = current.get(id);
    if (s && s.every === d.every && s.offset === d.offset) continue;
    await port.upsert(id, { every: d.every, offset: d.offset }, { kind: "evaluate", groupId: d.groupId });
    upserted++;
  }
  for (const s of existing) {
    if (desired.has(s.id)) continue;
    await port.remove(s.id);
    removed++;
  }
  return { groups: groups.length, upserted, removed };
}
