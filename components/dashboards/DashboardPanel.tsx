"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { PanelView } from "@/components/panels/registry";
import { useTRPC } from "@/components/providers/trpc";
import type { AlertPeriod } from "@/server/alerting/alert-periods";
import type { Target, VisualPanel } from "@/server/dashboards/model";
import type { PanelData } from "@/server/dashboards/panel-data";
import { panelTimeRange } from "./panel-time";
import { PANEL_HEADER_PX, PanelFrame, type PanelMenuItem } from "./PanelFrame";

/** What every panel of a dashboard shares: range, variables, zoom, crosshair group. */
export interface PanelContext {
  range: { start: number; end: number };
  timezone: "browser" | "utc";
  chartGroup?: string;
  onZoom?: (start: number, end: number) => void;
  /** Interpolates a panel's title (variables, scoped repeat values). */
  interpolateText: (text: string, scopedVars: Record<string, string>) => string;
  /** Interpolates and filters (hidden) targets; `intervalMs` fills `$__interval`. */
  prepareTargets: (targets: Target[], scopedVars: Record<string, string>, range: { start: number; end: number }, intervalMs: number) => Target[];
  /** The step for a panel of this width over this range (Grafana's `$__interval`). */
  intervalFor: (panel: VisualPanel, rangeMs: number, widthPx: number) => number;
  /** Alert periods the time-axis panels draw (undefined: none, or hidden). */
  annotations?: readonly AlertPeriod[];
}

/** Fetches a panel's data through `panels.query` (React Query: de-duplicated, cancelled on change). */
export function usePanelData(panel: VisualPanel, scopedVars: Record<string, string>, ctx: PanelContext, widthPx: number) {
  const trpc = useTRPC();
  const time = panelTimeRange(ctx.range, panel);
  const intervalMs = ctx.intervalFor(panel, time.end - time.start, widthPx);
  const targets = useMemo(
    () => ctx.prepareTargets(panel.targets, scopedVars, time, intervalMs),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- time is derived from the primitives below
    [ctx, panel.targets, scopedVars, time.start, time.end, intervalMs],
  );
  const enabled = panel.type !== "text" && targets.length > 0;
  const q = useQuery({
    ...trpc.panels.query.queryOptions({ targets, start: time.start, end: time.end, intervalMs }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
  const data: PanelData | undefined = enabled ? q.data : { results: [], range: { start: time.start, end: time.end }, intervalMs };
  return { data, time, loading: enabled && q.isFetching, error: q.error?.message };
}

export function DashboardPanel({
  panel,
  scopedVars,
  ctx,
  width,
  height,
  editing,
  menu,
}: {
  panel: VisualPanel;
  scopedVars: Record<string, string>;
  ctx: PanelContext;
  width: number;
  height: number;
  editing: boolean;
  menu: PanelMenuItem[];
}) {
  const { data, time, loading, error } = usePanelData(panel, scopedVars, ctx, width);
  const resultError = data?.results.find((r) => r.kind === "error");
  const title = ctx.interpolateText(panel.title, scopedVars);
  return (
    <PanelFrame
      title={title}
      description={panel.description}
      timeInfo={time.info}
      loading={loading}
      state={error || resultError ? "error" : data === undefined ? "loading" : "ready"}
      error={error ?? (resultError?.kind === "error" ? resultError.message : undefined)}
      menu={menu}
      editing={editing}
      testId={`panel-${panel.id}`}
    >
      <PanelView
        panel={panel}
        data={data}
        width={Math.max(0, width - 16)}
        height={Math.max(0, height - PANEL_HEADER_PX - 8)}
        timezone={ctx.timezone}
        onZoom={ctx.onZoom}
        chartGroup={ctx.chartGroup}
        annotations={ctx.annotations}
      />
    </PanelFrame>
  );
}
