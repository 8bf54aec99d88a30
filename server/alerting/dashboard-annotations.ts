/**
 * Alert annotations for dashboards: the periods during which the alerts of the rules the caller
 * can see were pending, firing, without data or in error over a time range (`alerts.annotations`).
 *
 * Read: the state history of [start − lookback, end] (one range scan, newest kept when there are
 * more than HISTORY_ROW_CAP rows) and the current state of the instances not normal now (for the
 * periods still going on, including those begun long before the range), then `alertPeriods`.
 */
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import type { Principal } from "@/server/auth/principal";
import { AppError } from "@/server/lib/errors";
import { alertPeriods, type AlertPeriod } from "./alert-periods";
import { labelsMatch, MatcherError, parseMatchers, type Matcher } from "./matchers";
import { parseInput, visibleRules } from "./rules-service";
import * as store from "./store";

/** How far before the range transitions are read, to find when a period going on at its start began. */
export const ANNOTATIONS_LOOKBACK_MS = 24 * 3_600_000;
/** At most this many history rows are read (the newest); more marks the answer truncated. */
export const HISTORY_ROW_CAP = 20_000;

export const AlertAnnotationsInput = z
  .object({
    /** Epoch ms. */
    start: z.number().int().min(0),
    end: z.number().int().min(0),
    /** Only these rules (of those the caller can see). */
    ruleUids: z.array(z.string().min(1).max(40)).max(500).optional(),
    /** Alertmanager matcher lists (`severity="critical"`, `{team="ops",env=~"prod.*"}`); all must match. */
    matchers: z.array(z.string().max(2_000)).max(20).optional(),
    /** At most this many periods (the latest starting). */
    limit: z.number().int().min(1).max(5_000).default(1_000),
  })
  .refine((i) => i.start <= i.end, { message: "start must not be after end", path: ["end"] });
export type AlertAnnotationsInput = z.input<typeof AlertAnnotationsInput>;

export interface AlertAnnotations {
  periods: AlertPeriod[];
  /** Some periods were left out (over `limit`, or more history than is read at once). */
  truncated: boolean;
}

/** The matchers of the input's matcher lists; a list that does not parse is INVALID_INPUT. */
export function annotationMatchers(lists: readonly string[]): Matcher[] {
  const out: Matcher[] = [];
  for (const text of lists) {
    try {
      out.push(...parseMatchers(text));
    } catch (e) {
      if (e instanceof MatcherError) throw new AppError("INVALID_INPUT", { userMessage: `Invalid matcher ${JSON.stringify(text)}: ${e.message}`, cause: e });
      throw e;
    }
  }
  return out;
}

/** Alert periods overlapping [start, end] of the rules the caller can see (folder access). */
export async function alertAnnotations(db: DbOrTx, principal: Principal, rawInput: AlertAnnotationsInput): Promise<AlertAnnotations> {
  const input = parseInput(AlertAnnotationsInput, rawInput);
  const matchers = annotationMatchers(input.matchers ?? []);
  const rules = await visibleRules(db, principal);
  const ruleUids = input.ruleUids ? [...new Set(input.ruleUids)].filter((u) => rules.has(u)) : [...rules.keys()];
  if (ruleUids.length === 0) return { periods: [], truncated: false };

  const [history, current] = await Promise.all([
    store.transitionRows(db, { ruleUids, from: Math.max(0, input.start - ANNOTATIONS_LOOKBACK_MS), to: input.end, limit: HISTORY_ROW_CAP }),
    store.instanceRows(db, { ruleUids, states: ["pending", "firing", "nodata", "error"] }),
  ]);
  const keep = (x: { labels: Record<string, string> }) => matchers.length === 0 || labelsMatch(matchers, x.labels);
  const periods = alertPeriods(history.filter(keep), { start: input.start, end: input.end }, {
    current: current.filter(keep),
    ruleTitles: new Map(ruleUids.map((u) => [u, rules.get(u)!.title])),
  });
  const truncated = history.length >= HISTORY_ROW_CAP || periods.length > input.limit;
  return { periods: periods.length > input.limit ? periods.slice(periods.length - input.limit) : periods, truncated };
}
