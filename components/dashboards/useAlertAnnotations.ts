"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import type { Dashboard } from "@/server/dashboards/model";
import { alertAnnotationsStatus, annotationFetchRange, isForbiddenError } from "./alert-annotations";

/**
 * The dashboard's alert periods over its range (one `alerts.annotations` query per range, shared
 * by every panel). Skipped while hidden or when the viewer may not read alerts: the page tells
 * (`canReadAlerts`), and a FORBIDDEN answer is remembered so it is not asked again (each denial
 * is audited).
 */
export function useAlertAnnotations(opts: { range: { start: number; end: number } | null; dashboard: Dashboard; shown: boolean; canReadAlerts?: boolean }) {
  const trpc = useTRPC();
  const [denied, setDenied] = useState(opts.canReadAlerts === false);
  const range = opts.range;
  const fetchRange = useMemo(() => (range ? annotationFetchRange(range, opts.dashboard) : null), [range, opts.dashboard]);
  const matchers = opts.dashboard.annotations.alerts.matchers;
  const q = useQuery({
    ...trpc.alerts.annotations.queryOptions({ start: fetchRange?.start ?? 0, end: fetchRange?.end ?? 0, ...(matchers?.length ? { matchers } : {}) }),
    enabled: opts.shown && !denied && fetchRange !== null,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
    refetchOnWindowFocus: false,
    retry: false,
  });
  const forbidden = denied || isForbiddenError(q.error);
  // Remembered across ranges (React's "adjust state while rendering").
  if (forbidden && !denied) setDenied(true);
  return alertAnnotationsStatus({ enabled: opts.shown, forbidden, data: opts.shown ? q.data : undefined, error: opts.shown ? q.error : null });
}
