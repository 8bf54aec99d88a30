"use client";

import { useMemo, useState, type MouseEvent } from "react";
import { EChart } from "@/components/charts/EChart";
import { nextHiddenSeries } from "@/components/charts/time-series-option";
import { useDarkMode } from "@/components/charts/useDarkMode";
import { REDUCER_LABELS, reduceSeries } from "@/components/panels/common/reduce";
import type { PanelViewProps } from "@/components/panels/types";
import { cn } from "@/components/ui/cn";
import type { Reducer, VisualPanel } from "@/server/dashboards/model";
import { displaySeries } from "./display-series";
import { NoDataText } from "./NoDataText";
import { buildTimeseriesPanelOption, legendItems, sortLegend, type LegendItem, type LegendSort } from "./timeseries-option";
import { useMarksReady, useTimeAxisChart } from "./useTimeAxisChart";

type TimeseriesPanel = Extract<VisualPanel, { type: "timeseries" }>;

const LEGEND_LIMIT = 200;

/**
 * Time series panel: ECharts lines/areas/bars/points with a Grafana-style legend (list or table
 * with calculations; click shows only that series, Ctrl/⌘/Shift-click toggles it), drag-to-zoom,
 * the dashboard's shared crosshair and its alert annotations (bands over the periods).
 */
export function TimeseriesView({ panel, data, width, height, timezone, onZoom, chartGroup, annotations }: PanelViewProps<TimeseriesPanel>) {
  const dark = useDarkMode();
  const ready = useMarksReady();
  const { handlers, afterSetOption, pointerValue } = useTimeAxisChart(onZoom, chartGroup);
  const series = useMemo(() => displaySeries(data, panel.fieldConfig), [data, panel.fieldConfig]);
  const names = useMemo(() => series.map((s) => s.name), [series]);
  const [hiddenState, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  // Names no longer in the result are forgotten.
  const hidden = useMemo(() => new Set(names.filter((n) => hiddenState.has(n))), [names, hiddenState]);
  const legend = panel.options.legend;
  const start = data?.range.start ?? 0;
  const end = data?.range.end ?? 0;

  const option = useMemo(
    () =>
      buildTimeseriesPanelOption({
        series,
        options: panel.options,
        defaults: panel.fieldConfig.defaults,
        startMs: start,
        endMs: end,
        useUTC: timezone === "utc",
        dark,
        hidden,
        width,
        pointerValue,
        annotations,
      }),
    [series, panel.options, panel.fieldConfig.defaults, start, end, timezone, dark, hidden, width, pointerValue, annotations],
  );
  const items = useMemo(() => (legend.displayMode === "hidden" ? [] : legendItems(series.slice(0, LEGEND_LIMIT), legend.calcs, reduceSeries)), [series, legend.displayMode, legend.calcs]);

  if (!data) return null;
  if (series.length === 0) return <NoDataText text={panel.fieldConfig.defaults.noValue || "No data"} />;

  const onLegendClick = (e: MouseEvent, name: string) => setHidden(nextHiddenSeries(names, hidden, name, e.ctrlKey || e.metaKey || e.shiftKey));
  const right = legend.placement === "right" && legend.displayMode !== "hidden";
  const legendBox =
    legend.displayMode === "hidden" ? null : legend.displayMode === "table" ? (
      <LegendTable items={items} calcs={legend.calcs} hidden={hidden} onClick={onLegendClick} more={series.length - items.length} />
    ) : (
      <LegendList items={items} hidden={hidden} onClick={onLegendClick} more={series.length - items.length} vertical={right} />
    );

  return (
    <div className={cn("flex h-full w-full min-h-0 gap-2", right ? "flex-row" : "flex-col")} style={{ height }} data-testid="timeseries-panel">
      {ready ? (
        <EChart option={option} handlers={handlers} afterSetOption={afterSetOption} label={`Time series: ${panel.title || "graph"}`} className="min-h-0 min-w-0 flex-1" testId="timeseries-chart" />
      ) : (
        <div className="min-h-0 flex-1" aria-hidden />
      )}
      {legendBox && <div className={cn("shrink-0 overflow-auto", right ? "max-w-[40%]" : "max-h-[40%]")}>{legendBox}</div>}
    </div>
  );
}

type LegendProps = { items: LegendItem[]; hidden: ReadonlySet<string>; onClick: (e: MouseEvent, name: string) => void; more: number };

const swatch = (color: string, shown: boolean) => <span aria-hidden className="inline-block h-1 w-3 shrink-0 rounded-sm" style={{ background: shown ? color : "currentColor" }} />;
const TITLE = "Click: show only this series · Ctrl/⌘/Shift-click: toggle it";

function LegendList({ items, hidden, onClick, more, vertical }: LegendProps & { vertical: boolean }) {
  return (
    <ul aria-label="Legend" className={cn("flex gap-x-3 gap-y-0.5 text-xs", vertical ? "flex-col" : "flex-wrap")}>
      {items.map((it) => {
        const shown = !hidden.has(it.name);
        return (
          <li key={it.name} className="min-w-0">
            <button
              type="button"
              aria-pressed={shown}
              title={`${it.name}\n${TITLE}`}
              onClick={(e) => onClick(e, it.name)}
              className={cn(
                "flex max-w-[36rem] items-center gap-1.5 rounded px-1 py-0.5 text-left hover:bg-slate-100 dark:hover:bg-slate-800",
                shown ? "text-slate-700 dark:text-slate-200" : "text-slate-400 line-through dark:text-slate-600",
              )}
            >
              {swatch(it.color, shown)}
              <span className="truncate">{it.name}</span>
              {it.calcs.map((c) => (
                <span key={c.reducer} className="shrink-0 text-slate-500 tabular-nums dark:text-slate-400">
                  {REDUCER_LABELS[c.reducer]}: {c.text}
                </span>
              ))}
            </button>
          </li>
        );
      })}
      {more > 0 && <li className="text-slate-500">… {more} more series</li>}
    </ul>
  );
}

function LegendTable({ items, calcs, hidden, onClick, more }: LegendProps & { calcs: readonly Reducer[] }) {
  const [sort, setSort] = useState<LegendSort>(null);
  const rows = sortLegend(items, sort);
  const toggleSort = (reducer: Reducer) => setSort((s) => (s?.reducer !== reducer ? { reducer, desc: true } : s.desc ? { reducer, desc: false } : null));
  return (
    <table aria-label="Legend" className="w-full text-xs">
      <thead>
        <tr className="text-left text-slate-500 dark:text-slate-400">
          <th className="w-full px-1 font-medium">Name</th>
          {calcs.map((c) => (
            <th key={c} className="whitespace-nowrap px-1 text-right font-medium" aria-sort={sort?.reducer === c ? (sort.desc ? "descending" : "ascending") : "none"}>
              <button type="button" onClick={() => toggleSort(c)} className="hover:underline">
                {REDUCER_LABELS[c]}
                {sort?.reducer === c ? (sort.desc ? " ↓" : " ↑") : ""}
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((it) => {
          const shown = !hidden.has(it.name);
          return (
            <tr key={it.name} className={cn("hover:bg-slate-50 dark:hover:bg-slate-800/60", !shown && "text-slate-400 dark:text-slate-600")}>
              <td className="max-w-0 px-1">
                <button type="button" aria-pressed={shown} title={`${it.name}\n${TITLE}`} onClick={(e) => onClick(e, it.name)} className={cn("flex w-full items-center gap-1.5 text-left", !shown && "line-through")}>
                  {swatch(it.color, shown)}
                  <span className="truncate">{it.name}</span>
                </button>
              </td>
              {it.calcs.map((c) => (
                <td key={c.reducer} className="whitespace-nowrap px-1 text-right tabular-nums">
                  {c.text}
                </td>
              ))}
            </tr>
          );
        })}
        {more > 0 && (
          <tr>
            <td colSpan={calcs.length + 1} className="px-1 text-slate-500">
              … {more} more series
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
