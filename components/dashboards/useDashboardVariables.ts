"use client";

import { useQueries, useQueryClient, type QueryState } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { ALL_VALUE, type Dashboard, type Target, type VisualPanel } from "@/server/dashboards/model";
import {
  builtinVariables,
  interpolate,
  interpolateTargets,
  panelIntervalMs,
  repeatValuesOf,
  resolveVariables,
  urlCorrections,
  variablesFromUrl,
  variablesToUrl,
  variableValues,
  type FetchedOptions,
  type VariableOption,
  type VariableState,
  type VariableValues,
} from "@/server/dashboards/variables";
import type { RepeatValues } from "./layout";
import type { VariableView } from "./VariablesBar";

/**
 * The dashboard's template variables, for DashboardScreen: options (query variables through
 * `panels.variableOptions`, chained in dependency order), selections from the URL (`var-name`),
 * and the interpolation the panels use. The logic is in server/dashboards/variables.ts; this hook
 * wires it to React Query and the URL and keeps every returned value's identity stable while its
 * content is unchanged (they are dependencies of the panel queries).
 */

type Range = { start: number; end: number };

/** What the options query's cache knows for one input. */
export function fetchedFromState(state: Pick<QueryState<{ options: VariableOption[] }, { message: string }>, "data" | "error" | "status" | "fetchStatus"> | undefined): FetchedOptions {
  if (!state) return { loading: true };
  if (state.status === "error") return { loading: state.fetchStatus === "fetching", error: state.error?.message ?? "Cannot load the options", options: state.data?.options };
  if (state.status === "pending") return { loading: true };
  return { loading: false, options: state.data?.options ?? [] };
}

/**
 * The bar's view of each variable: All first when included; while options load, the selection
 * itself stands in as the options so the picker still shows it.
 */
export function variableViews(states: readonly VariableState[]): VariableView[] {
  return states.map((s) => {
    const v = s.variable;
    let options = s.options;
    if (options.length === 0 && (s.loading || s.error)) options = s.selected.filter((x) => x !== ALL_VALUE).map((x) => ({ text: x, value: x }));
    if ((v.type === "query" || v.type === "custom") && v.includeAll) options = [{ text: "All", value: ALL_VALUE }, ...options];
    return { variable: v, options, selected: s.selected, loading: s.loading, error: s.error };
  });
}

/** Entries a target preparer keeps (one per panel and repeat, roughly). */
const PREPARED_CACHE_SIZE = 500;

/**
 * `prepareTargets` over fixed values: the same inputs (by content) give the same array back, so a
 * panel's query inputs keep their identity across renders.
 */
export function createTargetPreparer(values: VariableValues, dashboard: string) {
  const cache = new Map<string, Target[]>();
  return (targets: Target[], scopedVars: Record<string, string>, range: Range, intervalMs: number): Target[] => {
    const key = JSON.stringify([targets, scopedVars, range.start, range.end, intervalMs]);
    const hit = cache.get(key);
    if (hit) return hit;
    const out = interpolateTargets(targets, values, { scoped: scopedVars, range, intervalMs, dashboard });
    if (cache.size >= PREPARED_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, out);
    return out;
  };
}

/**
 * What the hook re-renders on: a query's status or data changing (not staleness and the like);
 * the walk then reads the new state from the cache.
 */
function querySignature(results: { status: string; fetchStatus: string; dataUpdatedAt: number; errorUpdatedAt: number }[]): string {
  return results.map((r) => `${r.status}:${r.fetchStatus}:${r.dataUpdatedAt}:${r.errorUpdatedAt}`).join("|");
}

/** A value whose identity changes only when its JSON does. */
function useJsonStable<T>(value: T): T {
  const key = JSON.stringify(value);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- identity follows content
  return useMemo(() => value, [key]);
}

export interface DashboardVariables {
  /** For VariablesBar, in the dashboard's order. */
  views: VariableView[];
  /** Selects values (writes `var-name` to the URL). */
  setValues: (name: string, value: string | string[]) => void;
  /** For expandRepeats: name → selected values, All expanded. */
  repeatValues: RepeatValues;
  /** Name → current value, for anything else that interpolates (panel editor preview). */
  values: VariableValues;
  interpolateText: (text: string, scopedVars: Record<string, string>) => string;
  prepareTargets: (targets: Target[], scopedVars: Record<string, string>, range: Range, intervalMs: number) => Target[];
  intervalFor: (panel: VisualPanel, rangeMs: number, widthPx: number) => number;
}

export function useDashboardVariables(
  dashboard: Pick<Dashboard, "variables" | "title">,
  range: Range | null,
  params: { forEach(cb: (value: string, key: string) => void): void },
  setParams: (edit: (p: URLSearchParams) => void) => void,
): DashboardVariables {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Refresh "load": the range when the dashboard opened.
  const [loadRange] = useState(range);
  const urlKey = variablesToUrl(variablesFromUrl(params)).toString();
  const urlValues = useMemo(() => variablesFromUrl(urlKey), [urlKey]);

  // Resolved on every render from what the query cache holds; useQueries below fetches the
  // inputs this walk asks for and re-renders when they arrive, and the walk then goes one level
  // deeper down the chain.
  const states = resolveVariables(dashboard.variables, {
    urlValues,
    range,
    loadRange,
    dashboard: dashboard.title,
    fetched: (input) => fetchedFromState(queryClient.getQueryState(trpc.panels.variableOptions.queryKey(input))),
  });
  const inputs = [...new Map(states.flatMap((s) => (s.input ? [[JSON.stringify(s.input), s.input] as const] : []))).values()];
  useQueries({
    queries: inputs.map((input) => ({ ...trpc.panels.variableOptions.queryOptions(input), staleTime: 60_000, refetchOnWindowFocus: false })),
    combine: querySignature,
  });

  const stable = useJsonStable(states);
  const values = useMemo(() => variableValues(stable), [stable]);
  const views = useMemo(() => variableViews(stable), [stable]);
  const repeatValues = useJsonStable(useMemo(() => repeatValuesOf(stable), [stable]));

  // The URL says what is shown: values that vanished from the options are replaced there too.
  useEffect(() => {
    const fix = urlCorrections(stable, urlValues);
    if (Object.keys(fix).length > 0) setParams((p) => void variablesToUrl(fix, p));
  }, [stable, urlValues, setParams]);

  const setValues = useCallback((name: string, value: string | string[]) => setParams((p) => void variablesToUrl({ [name]: Array.isArray(value) ? value : [value] }, p)), [setParams]);

  const title = dashboard.title;
  const start = range?.start;
  const end = range?.end;
  const interpolateText = useCallback(
    (text: string, scopedVars: Record<string, string>) =>
      interpolate(text, values, { format: "text", scoped: scopedVars, builtins: builtinVariables({ range: start !== undefined && end !== undefined ? { start, end } : null, dashboard: title }) }),
    [values, title, start, end],
  );
  const prepareTargets = useMemo(() => createTargetPreparer(values, title), [values, title]);

  return useMemo(
    () => ({ views, setValues, repeatValues, values, interpolateText, prepareTargets, intervalFor: panelIntervalMs }),
    [views, setValues, repeatValues, values, interpolateText, prepareTargets],
  );
}
