/**
 * Evaluating a rule group at one instant: every rule that is not paused is evaluated
 * (evaluate.ts), its instances move on (state.ts) from the stored ones, and the new instances,
 * the transitions (state history) and the evaluation record are written together.
 *
 * Once per instant, whatever the number of workers. The whole group evaluation runs in one
 * transaction holding a PostgreSQL advisory lock on the group (pg_advisory_xact_lock on a hash of
 * its id): a second worker on the same group waits for the first (up to `lockTimeoutMs`, then
 * GroupBusyError, which the queue retries). A rule whose last evaluation is at or after the
 * instant is left alone, so a duplicate job for an instant already evaluated — a late job, a
 * stalled job delivered again, a second worker — changes nothing. A transaction that fails
 * commits nothing, so its retry evaluates the instant afresh.
 *
 * The instant is the scheduled one (scheduler.ts), not the time the job ran: a late run
 * evaluates the right instant, and `for` durations count in evaluation instants.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { RenderTemplate } from "./annotations";
import { evaluateRule } from "./evaluate";
import type { AlertRule, AlertState, EvalResult, StateTransition } from "./model";
import { ruleGroupsForEvaluation } from "./rules-service";
import { alignToGrid, gridOffset } from "./scheduler";
import { nextStates } from "./state";
import * as store from "./store";

/** The first key of the group locks (pg_advisory_xact_lock(int, int)): "alerting". */
const LOCK_NAMESPACE = 0x616c7274;

export interface EvalServiceDeps {
  db: Db;
  /** The rule template engine (labels and annotations). */
  render: RenderTemplate;
  /** Evaluates one rule at one instant (default: evaluate.ts evaluateRule over `db`). */
  evaluate?: (rule: AlertRule & { uid: string }, at: number) => Promise<EvalResult>;
  /** Longest one rule's query may take (default: the group's interval). */
  evalTimeoutMs?: number;
  /** How long to wait for another worker evaluating the same group (default: the interval, 5–60 s). */
  lockTimeoutMs?: number;
  /** Monotonic clock for durations (default performance.now). */
  clock?: () => number;
}

export type RuleOutcome =
  | { uid: string; status: "evaluated"; health: "ok" | "error" | "nodata"; durationMs: number; transitions: StateTransition[] }
  | { uid: string; status: "paused" }
  /** Already evaluated at this instant or later. */
  | { uid: string; status: "done" };

export interface GroupEvaluation {
  groupId: string;
  at: number;
  /** `missing`: the group no longer exists. */
  status: "evaluated" | "missing";
  rules: RuleOutcome[];
  /** Whether an alert started or stopped notifying (firing, no data, error): the dispatcher should look. */
  changed: boolean;
}

/** Another worker held the group for longer than the lock timeout. Retry later. */
export class GroupBusyError extends Error {
  constructor(groupId: string) {
    super(`rule group ${groupId} is being evaluated by another worker`);
    this.name = "GroupBusyError";
  }
}

/** States that notify (an alert in them is sent as firing). */
export const NOTIFYING_STATES: ReadonlySet<AlertState> = new Set(["firing", "nodata", "error"]);

const isLockTimeout = (e: unknown) => {
  const err = e as { code?: string; cause?: { code?: string } } | null;
  return err?.code === "55P03" || err?.cause?.code === "55P03";
};

/**
 * Evaluates the group's rules at `at` (epoch ms), once per instant (see the module comment).
 * With `align`, `at` is a scheduled time put on the group's grid first (scheduler.ts).
 */
export async function evaluateGroup(deps: EvalServiceDeps, groupId: string, scheduledAt: number, opts: { align?: boolean } = {}): Promise<GroupEvaluation> {
  const clock = deps.clock ?? (() => performance.now());
  const [found] = await ruleGroupsForEvaluation(deps.db, { ids: [groupId] });
  if (!found) return { groupId, at: scheduledAt, status: "missing", rules: [], changed: false };
  const at = opts.align ? alignToGrid(scheduledAt, found.intervalMs, gridOffset(groupId, found.intervalMs)) : scheduledAt;
  const lockTimeout = deps.lockTimeoutMs ?? Math.min(60_000, Math.max(5_000, found.intervalMs));
  try {
    return await deps.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('lock_timeout', ${`${Math.max(1, Math.round(lockTimeout))}ms`}, true)`);
      await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}::int, hashtext(${`alert-group:${groupId}`}))`);
      await tx.execute(sql`select set_config('lock_timeout', '0', true)`);
      // Read again under the lock: the group may have changed or gone while we waited.
      const [group] = await ruleGroupsForEvaluation(tx, { ids: [groupId] });
      if (!group) return { groupId, at, status: "missing" as const, rules: [], changed: false };
      const evaluated = await store.evaluationRows(
        tx,
        group.rules.map((r) => r.uid),
      );
      const evaluate = deps.evaluate ?? ((rule, t) => evaluateRule({ db: deps.db, timeoutMs: deps.evalTimeoutMs ?? group.intervalMs }, rule, t));
      const outcomes: RuleOutcome[] = [];
      let changed = false;
      for (const rule of group.rules) {
        if (rule.paused) {
          outcomes.push({ uid: rule.uid, status: "paused" });
          continue;
        }
        const last = evaluated.get(rule.uid);
        if (last && last.lastEvalAt.getTime() >= at) {
          outcomes.push({ uid: rule.uid, status: "done" });
          continue;
        }
        const started = clock();
        const result = await evaluate(rule, at);
        const previous = await store.loadInstances(tx, rule.uid);
        const { instances, transitions } = nextStates(rule, previous, result, { render: deps.render, now: at });
        const durationMs = clock() - started;
        const health = !result.ok ? "error" : result.series.length === 0 ? "nodata" : "ok";
        await store.writeEvaluation(tx, rule.uid, {
          instances,
          transitions,
          evaluation: { lastEvalAt: at, durationMs, health, error: result.ok ? null : result.error, nextEvalAt: at + group.intervalMs },
        });
        if (transitions.some((t) => NOTIFYING_STATES.has(t.from) || NOTIFYING_STATES.has(t.to))) changed = true;
        outcomes.push({ uid: rule.uid, status: "evaluated", health, durationMs, transitions });
      }
      return { groupId, at, status: "evaluated" as const, rules: outcomes, changed };
    });
  } catch (e) {
    if (isLockTimeout(e)) throw new GroupBusyError(groupId);
    throw e;
  }
}
