/**
 * Options of a query variable (`panels.variableOptions`): PromQL variable queries in Grafana's
 * Prometheus syntax (label_names, label_values, metrics, query_result, a bare expression) over
 * the caller's data-access-filtered storage limited to [start, end], or the top values of a log
 * field (narrowed by `logQuery`, the role's log filter applied); then the regex and the sort.
 */
import { z } from "zod";
import type { Db } from "@/db/client";
import type { Principal } from "@/server/auth/principal";
import { AppError, isAppError } from "@/server/lib/errors";
import { TermsInput } from "@/server/logs/search/contract";
import { searchTerms } from "@/server/logs/search/service";
import type { Queryable } from "@/server/metrics/model";
import { getEngine } from "@/server/metrics/prom-api/api";
import { queryableFor } from "@/server/metrics/prom-api/http";
import { parseSeriesSelector } from "@/server/metrics/prom-api/params";
import { PromApiError } from "@/server/metrics/prom-api/response";
import type { Engine } from "@/server/metrics/promql/engine/engine";
import { PromQLExecError } from "@/server/metrics/promql/engine/types";
import { PromQLParseError } from "@/server/metrics/promql/parse";
import { filterOptions, parseVariableQuery, parseVariableRegex, queryResultLine, sortOptions, VariableQueryError, type VariableOption } from "./variable-options-parse";

export type { VariableOption } from "./variable-options-parse";

/** Most options one variable offers (a larger answer is cut, after filtering and sorting). */
export const MAX_VARIABLE_OPTIONS = 10_000;
/** Values of a log field asked from the terms aggregation (its own maximum). */
const LOG_FIELD_VALUES = 100;

export const VariableOptionsInputSchema = z
  .object({
    datasource: z.enum(["promql", "logs"]).default("promql"),
    /** PromQL: a variable query (`label_values(up, job)`, …); logs: the field whose values are the options. */
    query: z.string().trim().min(1, "the query is empty").max(5_000),
    /** Logs: the log query that narrows the events. */
    logQuery: z.string().max(5_000).optional(),
    regex: z.string().max(1_000).optional(),
    sort: z.enum(["none", "alpha-asc", "alpha-desc", "num-asc", "num-desc"]).default("alpha-asc"),
    start: z.number().int().min(0),
    end: z.number().int().min(0),
  })
  .refine((i) => i.end >= i.start, { message: "end must not be before start", path: ["end"] });
export type VariableOptionsInput = z.input<typeof VariableOptionsInputSchema>;

export interface VariableOptionsDeps {
  db: Db;
  queryable?: (db: Db, principal: Principal) => Queryable;
  engine?: Engine;
}

export async function variableOptions(deps: VariableOptionsDeps, principal: Principal, rawInput: VariableOptionsInput): Promise<{ options: VariableOption[] }> {
  const input = VariableOptionsInputSchema.parse(rawInput);
  const needed = input.datasource === "promql" ? "metrics:read" : "logs:read";
  if (!principal.permissions.has(needed)) throw new AppError("FORBIDDEN", { userMessage: `Missing permission ${needed}` });
  try {
    // Check the regex before any query runs.
    if (input.regex?.trim()) parseVariableRegex(input.regex);
    const values = input.datasource === "promql" ? await promValues(deps, principal, input.query, input.start, input.end) : await logValues(deps, principal, input);
    const options = sortOptions(filterOptions(values, input.regex), input.sort);
    return { options: options.slice(0, MAX_VARIABLE_OPTIONS) };
  } catch (err) {
    if (isAppError(err)) throw err;
    if (err instanceof VariableQueryError || err instanceof PromQLExecError || err instanceof PromQLParseError || err instanceof PromApiError) {
      throw new AppError("INVALID_INPUT", { userMessage: err.message, cause: err });
    }
    throw err;
  }
}

async function promValues(deps: VariableOptionsDeps, principal: Principal, query: string, start: number, end: number): Promise<string[]> {
  const q = (deps.queryable ?? queryableFor)(deps.db, principal);
  const parsed = parseVariableQuery(query);
  switch (parsed.kind) {
    case "label_names":
      return q.labelNames(parsed.selector ? [parseSeriesSelector(parsed.selector)] : [], start, end);
    case "label_values":
      return q.labelValues(parsed.label, parsed.selector ? [parseSeriesSelector(parsed.selector)] : [], start, end);
    case "metrics": {
      const re = metricsRegex(parsed.regex);
      return (await q.labelValues("__name__", [], start, end)).filter((n) => re.test(n));
    }
    case "query_result": {
      const r = await (deps.engine ?? getEngine()).instantQuery(q, parsed.expr, end);
      switch (r.resultType) {
        case "vector":
          return r.result.map((s) => queryResultLine(s.labels, s.v, s.t));
        case "matrix":
          return r.result.flatMap((s) => Array.from(s.timestamps, (t, i) => queryResultLine(s.labels, s.values[i]!, t)));
        case "scalar":
          return [queryResultLine({}, r.result.v, r.result.t)];
        case "string":
          return [r.result.v];
      }
    }
  }
}

function metricsRegex(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (err) {
    throw new VariableQueryError(`metrics: invalid regex ${text}: ${(err as Error).message}`);
  }
}

async function logValues(deps: VariableOptionsDeps, principal: Principal, input: z.output<typeof VariableOptionsInputSchema>): Promise<string[]> {
  const r = await searchTerms(deps.db, principal, TermsInput.parse({ field: input.query, q: input.logQuery ?? "", start: input.start, end: input.end, size: LOG_FIELD_VALUES }));
  return r.buckets.map((b) => b.value);
}
