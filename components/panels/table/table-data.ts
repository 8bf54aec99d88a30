/**
 * Panel results → table rows (Grafana's table panel with its usual transformations). Pure.
 *
 * - `series` format: a row per label set (series of several queries with the same labels merge
 *   into one row, Grafana's "Merge"), label columns (`__name__` first) and a value column per
 *   query ("Value", or "Value #A", "Value #B" with several); range results give their last value.
 * - `timeseries` format: a Time column and a column per series, a row per timestamp.
 * - Log results (when there is no series result): Time, Level, Service, Message per event.
 */
import type { PanelData, TimeSeriesResult } from "@/server/dashboards/panel-data";
import { reduceSeries } from "@/components/panels/common/reduce";

export type CellValue = string | number | null;

export interface TableColumn {
  /** Key of the column in each row. */
  key: string;
  /** Header text; also the name field overrides match (`byName`). */
  title: string;
  kind: "time" | "label" | "value" | "level" | "text";
  /** The query of a value column (`byQuery` overrides). */
  refId?: string;
}

export interface TableRow {
  key: string;
  cells: Record<string, CellValue>;
}

export interface TableData {
  columns: TableColumn[];
  rows: TableRow[];
}

const labelKey = (labels: Record<string, string>): string =>
  JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );

function seriesTable(results: TimeSeriesResult[]): TableData {
  const labelNames: string[] = [];
  const seen = new Set<string>();
  const rows = new Map<string, TableRow>();
  const multi = results.length > 1;
  const columns: TableColumn[] = [];
  for (const r of results) {
    const valueKey = multi ? `Value #${r.refId}` : "Value";
    columns.push({ key: `value:${valueKey}`, title: valueKey, kind: "value", refId: r.refId });
    for (const s of r.series) {
      for (const k of Object.keys(s.labels)) {
        if (!seen.has(k)) {
          seen.add(k);
          labelNames.push(k);
        }
      }
      const key = labelKey(s.labels);
      let row = rows.get(key);
      if (!row) {
        row = { key, cells: Object.fromEntries(Object.entries(s.labels).map(([k, v]) => [`label:${k}`, v])) };
        rows.set(key, row);
      }
      row.cells[`value:${valueKey}`] = reduceSeries(s.points, "lastNotNull");
    }
  }
  const names = labelNames.includes("__name__") ? ["__name__", ...labelNames.filter((n) => n !== "__name__")] : labelNames;
  return {
    columns: [...names.map((n): TableColumn => ({ key: `label:${n}`, title: n, kind: "label" })), ...columns],
    rows: [...rows.values()],
  };
}

function timeseriesTable(results: TimeSeriesResult[]): TableData {
  const columns: TableColumn[] = [{ key: "time", title: "Time", kind: "time" }];
  const byTime = new Map<number, TableRow>();
  const titles = new Map<string, number>();
  for (const r of results) {
    r.series.forEach((s, i) => {
      const base = s.name || r.refId;
      const n = titles.get(base) ?? 0;
      titles.set(base, n + 1);
      const key = `series:${r.refId}:${i}`;
      columns.push({ key, title: n ? `${base} (${n + 1})` : base, kind: "value", refId: r.refId });
      for (const [t, v] of s.points) {
        let row = byTime.get(t);
        if (!row) {
          row = { key: String(t), cells: { time: t } };
          byTime.set(t, row);
        }
        row.cells[key] = v;
      }
    });
  }
  const rows = [...byTime.values()].sort((a, b) => (a.cells.time as number) - (b.cells.time as number));
  return { columns, rows };
}

function logsTable(data: PanelData): TableData {
  const rows: TableRow[] = [];
  for (const r of data.results) {
    if (r.kind !== "logs") continue;
    for (const h of r.hits) rows.push({ key: `${r.refId}:${h.id}`, cells: { time: h.ts, level: h.level, service: h.service, message: h.message } });
  }
  return {
    columns: [
      { key: "time", title: "Time", kind: "time" },
      { key: "level", title: "Level", kind: "level" },
      { key: "service", title: "Service", kind: "text" },
      { key: "message", title: "Message", kind: "text" },
    ],
    rows,
  };
}

export function buildTable(data: PanelData | undefined, format: "series" | "timeseries"): TableData {
  const series = (data?.results ?? []).filter((r): r is TimeSeriesResult => r.kind === "series");
  if (series.length === 0) {
    if (data?.results.some((r) => r.kind === "logs")) return logsTable(data);
    return { columns: [], rows: [] };
  }
  return format === "timeseries" ? timeseriesTable(series) : seriesTable(series);
}

/** Numbers before text, text compared naturally ("web-2" < "web-10"); empty cells last either way. */
export function compareCells(a: CellValue | undefined, b: CellValue | undefined): number {
  const ea = a === null || a === undefined || (typeof a === "number" && Number.isNaN(a));
  const eb = b === null || b === undefined || (typeof b === "number" && Number.isNaN(b));
  if (ea || eb) return ea === eb ? 0 : ea ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/** Rows sorted by a column (stable); empty cells stay at the end in both directions. */
export function sortRows(rows: readonly TableRow[], columnKey: string, desc: boolean): TableRow[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort((x, y) => {
      const a = x.row.cells[columnKey];
      const b = y.row.cells[columnKey];
      const emptyA = a === null || a === undefined;
      const emptyB = b === null || b === undefined;
      if (emptyA || emptyB) return emptyA === emptyB ? x.i - y.i : emptyA ? 1 : -1;
      const c = compareCells(a, b);
      return (desc ? -c : c) || x.i - y.i;
    })
    .map((x) => x.row);
}

/** The column `sortBy.field` names (by header text or key). */
export function findColumn(columns: readonly TableColumn[], field: string | undefined): TableColumn | undefined {
  if (!field) return undefined;
  return columns.find((c) => c.title === field) ?? columns.find((c) => c.key === field);
}

/** Header click cycle: ascending → descending → unsorted. */
export function nextSort(current: { key: string; desc: boolean } | null, key: string): { key: string; desc: boolean } | null {
  if (!current || current.key !== key) return { key, desc: false };
  return current.desc ? null : { key, desc: true };
}
