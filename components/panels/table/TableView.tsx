"use client";

import { useMemo, useState } from "react";
import { LevelBadge } from "@/components/discover/LevelBadge";
import { applyMappings, displayText, displayValue, resolveFieldConfig } from "@/components/panels/common/field-display";
import { NoData } from "@/components/panels/common/PanelParts";
import { formatPanelTime } from "@/components/panels/common/time-format";
import type { PanelViewProps } from "@/components/panels/types";
import { cn } from "@/components/ui/cn";
import type { FieldDefaults, VisualPanel } from "@/server/dashboards/model";
import { buildTable, findColumn, nextSort, sortRows, type CellValue, type TableColumn } from "./table-data";

type TablePanel = Extract<VisualPanel, { type: "table" }>;

/** Rows drawn at most (sorting still covers all of them). */
const MAX_ROWS = 1000;

/** Thresholds colour a cell only when the user set steps beyond the base. */
const coloursByThresholds = (fc: FieldDefaults) => (fc.thresholds?.steps.length ?? 0) > 1;

function Cell({ column, value, fc, timezone }: { column: TableColumn; value: CellValue | undefined; fc: FieldDefaults; timezone: "browser" | "utc" }) {
  if (value === null || value === undefined) return <td className="px-2 py-1" />;
  if (column.kind === "time") return <td className="px-2 py-1 whitespace-nowrap tabular-nums">{formatPanelTime(Number(value), timezone, Number(value) % 1000 !== 0)}</td>;
  if (column.kind === "level") {
    return (
      <td className="px-2 py-1">
        <LevelBadge level={String(value)} />
      </td>
    );
  }
  if (column.kind === "value" && typeof value === "number") {
    const d = displayValue(value, fc);
    const mapped = applyMappings(value, fc.mappings);
    const color = mapped?.color ?? (coloursByThresholds(fc) ? d.color : undefined);
    return (
      <td className="px-2 py-1 text-right whitespace-nowrap tabular-nums" style={{ color }}>
        {displayText(d)}
      </td>
    );
  }
  const mapped = applyMappings(String(value), fc.mappings);
  return (
    <td className={cn("px-2 py-1", column.kind === "text" ? "max-w-[60ch] truncate" : "whitespace-nowrap")} style={{ color: mapped?.color }} title={String(value)}>
      {mapped?.text ?? String(value)}
    </td>
  );
}

/** Table: instant results as rows per series (labels + value), time series as rows per time, or log events. */
export function TableView({ panel, data, timezone }: PanelViewProps<TablePanel>) {
  const table = useMemo(() => buildTable(data, panel.options.format), [data, panel.options.format]);
  const initial = findColumn(table.columns, panel.options.sortBy?.field);
  const [sort, setSort] = useState<{ key: string; desc: boolean } | null>(null);
  const [touched, setTouched] = useState(false);
  const active = touched ? sort : initial ? { key: initial.key, desc: panel.options.sortBy?.desc ?? false } : null;
  const sortKey = active?.key;
  const sortDesc = active?.desc ?? false;
  const rows = useMemo(() => (sortKey ? sortRows(table.rows, sortKey, sortDesc) : table.rows), [table.rows, sortKey, sortDesc]);
  const configs = useMemo(
    () => new Map(table.columns.map((c) => [c.key, resolveFieldConfig(panel.fieldConfig, { name: c.title, refId: c.refId })])),
    [table.columns, panel.fieldConfig],
  );

  if (!data) return null;
  if (table.rows.length === 0) return <NoData />;
  return (
    <div className="h-full w-full overflow-auto" data-testid="table-panel">
      <table className="w-full border-collapse text-left text-[13px] text-slate-800 dark:text-slate-200">
        {panel.options.showHeader && (
          <thead className="sticky top-0 z-10 bg-white dark:bg-slate-900">
            <tr>
              {table.columns.map((c) => {
                const sorted = active?.key === c.key ? (active.desc ? "descending" : "ascending") : "none";
                return (
                  <th key={c.key} scope="col" aria-sort={sorted} className={cn("border-b border-slate-200 px-2 py-1.5 text-xs font-semibold whitespace-nowrap text-slate-500 dark:border-slate-700 dark:text-slate-400", c.kind === "value" && "text-right")}>
                    <button
                      type="button"
                      className="inline-flex items-center gap-1 hover:text-slate-900 dark:hover:text-slate-100"
                      onClick={() => {
                        setTouched(true);
                        setSort(nextSort(active, c.key));
                      }}
                    >
                      {c.title}
                      <span aria-hidden className="w-2">
                        {sorted === "ascending" ? "↑" : sorted === "descending" ? "↓" : ""}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
        )}
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.slice(0, MAX_ROWS).map((r) => (
            <tr key={r.key} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
              {table.columns.map((c) => (
                <Cell key={c.key} column={c} value={r.cells[c.key]} fc={configs.get(c.key) ?? {}} timezone={timezone} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > MAX_ROWS && <p className="px-2 py-1 text-xs text-slate-500">Showing {MAX_ROWS} of {rows.length} rows.</p>}
    </div>
  );
}
