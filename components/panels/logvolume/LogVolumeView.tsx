"use client";

import { useMemo, useState, type MouseEvent } from "react";
import { EChart } from "@/components/charts/EChart";
import { nextHiddenSeries } from "@/components/charts/time-series-option";
import { useDarkMode } from "@/components/charts/useDarkMode";
import { NoDataText } from "@/components/panels/timeseries/NoDataText";
import { useMarksReady, useTimeAxisChart } from "@/components/panels/timeseries/useTimeAxisChart";
import type { PanelViewProps } from "@/components/panels/types";
import { cn } from "@/components/ui/cn";
import type { VisualPanel } from "@/server/dashboards/model";
import { buildLogVolumeOption, volumeSeries } from "./logvolume-option";

type LogVolumePanel = Extract<VisualPanel, { type: "logvolume" }>;

/** Log volume: counts per interval as bars stacked by level, a level legend, drag-to-zoom, alert annotations. */
export function LogVolumeView({ panel, data, height, timezone, onZoom, chartGroup, annotations }: PanelViewProps<LogVolumePanel>) {
  const dark = useDarkMode();
  // The bands need the mark components: drawn without them until they are registered.
  const marksReady = useMarksReady();
  const drawnAnnotations = marksReady ? annotations : undefined;
  const { handlers, afterSetOption } = useTimeAxisChart(onZoom, chartGroup);
  const series = useMemo(() => volumeSeries(data, panel.options.stackByLevel), [data, panel.options.stackByLevel]);
  const names = useMemo(() => series.map((s) => s.name), [series]);
  const [hiddenState, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const hidden = useMemo(() => new Set(names.filter((n) => hiddenState.has(n))), [names, hiddenState]);
  const stepMs = useMemo(() => {
    const r = data?.results.find((x) => x.kind === "series");
    return r?.kind === "series" && r.stepMs > 0 ? r.stepMs : (data?.intervalMs ?? 0);
  }, [data]);
  const start = data?.range.start ?? 0;
  const end = data?.range.end ?? 0;
  const option = useMemo(
    () => buildLogVolumeOption({ series, startMs: start, endMs: end, stepMs, useUTC: timezone === "utc", dark, hidden, annotations: drawnAnnotations }),
    [series, start, end, stepMs, timezone, dark, hidden, drawnAnnotations],
  );

  if (!data) return null;
  if (series.length === 0) return <NoDataText />;
  const onClick = (e: MouseEvent, name: string) => setHidden(nextHiddenSeries(names, hidden, name, e.ctrlKey || e.metaKey || e.shiftKey));
  return (
    <div className="flex h-full w-full min-h-0 flex-col gap-1" style={{ height }} data-testid="logvolume-panel">
      <EChart option={option} handlers={handlers} afterSetOption={afterSetOption} label={`Log volume: ${panel.title || "histogram"}`} className="min-h-0 flex-1" testId="logvolume-chart" />
      <ul aria-label="Legend" className="flex shrink-0 flex-wrap gap-x-3 text-xs">
        {[...series].reverse().map((s) => {
          const shown = !hidden.has(s.name);
          return (
            <li key={s.name}>
              <button
                type="button"
                aria-pressed={shown}
                onClick={(e) => onClick(e, s.name)}
                title="Click: show only this level · Ctrl/⌘/Shift-click: toggle it"
                className={cn("flex items-center gap-1.5 rounded px-1 hover:bg-slate-100 dark:hover:bg-slate-800", shown ? "text-slate-700 dark:text-slate-200" : "text-slate-400 line-through dark:text-slate-600")}
              >
                <span aria-hidden className="inline-block size-2 rounded-sm" style={{ background: shown ? s.color : "currentColor" }} />
                {s.name}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
