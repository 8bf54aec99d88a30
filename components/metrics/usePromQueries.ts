"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { promApi, PromApiError, type PromMetadata, type PromQueryData, type PromResult } from "./prom-api-client";

export type TimedResult = PromResult<PromQueryData> & { tookMs: number };

const noRetry = (count: number, err: unknown) => err instanceof PromApiError && err.errorType === "network" && count < 1;

/** A range query (graph tab). Disabled while `expr` is empty or the range is invalid. */
export function useRangeQuery(p: { expr: string; startMs: number; endMs: number; stepMs: number; runId: number; enabled: boolean }) {
  return useQuery<TimedResult, Error>({
    queryKey: ["prom", "query_range", p.expr, p.startMs, p.endMs, p.stepMs, p.runId],
    queryFn: async ({ signal }) => {
      const t0 = performance.now();
      const r = await promApi.queryRange({ query: p.expr, start: p.startMs, end: p.endMs, stepSeconds: p.stepMs / 1000 }, signal);
      return { ...r, tookMs: performance.now() - t0 };
    },
    enabled: p.enabled && p.expr.trim() !== "",
    retry: noRetry,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
}

/** An instant query at `timeMs` (table tab). */
export function useInstantQuery(p: { expr: string; timeMs: number; runId: number; enabled: boolean }) {
  return useQuery<TimedResult, Error>({
    queryKey: ["prom", "query", p.expr, p.timeMs, p.runId],
    queryFn: async ({ signal }) => {
      const t0 = performance.now();
      const r = await promApi.query({ query: p.expr, time: p.timeMs }, signal);
      return { ...r, tookMs: performance.now() - t0 };
    },
    enabled: p.enabled && p.expr.trim() !== "",
    retry: noRetry,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
}

/** Every metric name (`/api/v1/label/__name__/values`). */
export function useMetricNames(enabled: boolean) {
  return useQuery<string[], Error>({
    queryKey: ["prom", "metric-names"],
    queryFn: ({ signal }) => promApi.labelValues("__name__", {}, signal).then((r) => r.data),
    enabled,
    staleTime: 60_000,
    retry: noRetry,
  });
}

/** HELP/TYPE/UNIT of every metric (`/api/v1/metadata`). */
export function useMetricMetadata(enabled: boolean) {
  return useQuery<PromMetadata, Error>({
    queryKey: ["prom", "metadata"],
    queryFn: ({ signal }) => promApi.metadata({}, signal).then((r) => r.data),
    enabled,
    staleTime: 60_000,
    retry: noRetry,
  });
}

/** Label names of one metric's series. */
export function useLabelNames(metric: string | null) {
  return useQuery<string[], Error>({
    queryKey: ["prom", "labels", metric],
    queryFn: ({ signal }) => promApi.labels({ match: [metric!] }, signal).then((r) => r.data.filter((n) => n !== "__name__")),
    enabled: metric !== null,
    staleTime: 60_000,
    retry: noRetry,
  });
}

/** Values of `label` among one metric's series. */
export function useLabelValues(metric: string | null, label: string | null) {
  return useQuery<string[], Error>({
    queryKey: ["prom", "label-values", metric, label],
    queryFn: ({ signal }) => promApi.labelValues(label!, { match: [metric!] }, signal).then((r) => r.data),
    enabled: metric !== null && label !== null,
    staleTime: 60_000,
    retry: noRetry,
  });
}
