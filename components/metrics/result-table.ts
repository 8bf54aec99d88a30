/** Query results → table rows (pure): `{labels}` + value, or one column per label; sortable. */
import { formatSeriesName } from "./legend";
import { parseSampleValue, type PromLabels, type PromQueryData, type PromSamplePair } from "./prom-api-client";

export type TableMode = "series" | "columns";

export const SERIES_KEY = "__series__";
export const VALUE_KEY = "__value__";

export type TableColumn = { key: string; label: string; numeric: boolean };
export type TableRow = { key: string; cells: Record<string, string>; sort: Record<string, string | number> };
export type ResultTable = { columns: TableColumn[]; rows: TableRow[] };

function labelColumns(metrics: PromLabels[]): TableColumn[] {
  const names = new Set<string>();
  for (const m of metrics) for (const k of Object.keys(m)) names.add(k);
  const sorted = [...names].filter((n) => n !== "__name__").sort();
  return [...(names.has("__name__") ? [{ key: "__name__", label: "__name__", numeric: false }] : []), ...sorted.map((k) => ({ key: k, label: k, numeric: false }))];
}

function valueText(pairs: PromSamplePair[]): string {
  return pairs.map(([t, v]) => `${v} @${t}`).join("\n");
}

export function resultTable(data: PromQueryData, mode: TableMode = "series"): ResultTable {
  switch (data.resultType) {
    case "scalar":
      return {
        columns: [{ key: VALUE_KEY, label: "scalar", numeric: true }],
        rows: [{ key: "scalar", cells: { [VALUE_KEY]: data.result[1] }, sort: { [VALUE_KEY]: parseSampleValue(data.result[1]) } }],
      };
    case "string":
      return {
        columns: [{ key: VALUE_KEY, label: "string", numeric: false }],
        rows: [{ key: "string", cells: { [VALUE_KEY]: data.result[1] }, sort: { [VALUE_KEY]: data.result[1] } }],
      };
    case "vector":
    case "matrix": {
      const items =
        data.resultType === "vector"
          ? data.result.map((s) => ({ metric: s.metric, text: s.value[1], num: parseSampleValue(s.value[1]) }))
          : data.result.map((s) => {
              const last = s.values[s.values.length - 1];
              return { metric: s.metric, text: valueText(s.values), num: last ? parseSampleValue(last[1]) : NaN };
            });
      const valueCol: TableColumn = { key: VALUE_KEY, label: data.resultType === "vector" ? "value" : "values", numeric: true };
      const columns = mode === "columns" ? [...labelColumns(items.map((i) => i.metric)), valueCol] : [{ key: SERIES_KEY, label: "series", numeric: false }, valueCol];
      const rows = items.map((item, i) => {
        const name = formatSeriesName(item.metric);
        const cells: Record<string, string> = { [VALUE_KEY]: item.text };
        const sort: Record<string, string | number> = { [VALUE_KEY]: item.num };
        if (mode === "columns") {
          for (const c of columns) if (c.key !== VALUE_KEY) sort[c.key] = cells[c.key] = item.metric[c.key] ?? "";
        } else {
          sort[SERIES_KEY] = cells[SERIES_KEY] = name;
        }
        return { key: `${i}:${name}`, cells, sort };
      });
      return { columns, rows };
    }
  }
}

export type SortState = { key: string; dir: "asc" | "desc" } | null;

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Sorted copy: numbers numerically (NaN last either way), text in natural order; stable. */
export function sortRows(rows: readonly TableRow[], sort: SortState): TableRow[] {
  if (!sort) return [...rows];
  const sign = sort.dir === "asc" ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const x = a.row.sort[sort.key], y = b.row.sort[sort.key];
      let c: number;
      if (typeof x === "number" && typeof y === "number") {
        const xn = Number.isNaN(x), yn = Number.isNaN(y);
        if (xn || yn) return xn === yn ? a.i - b.i : xn ? 1 : -1;
        c = x === y ? 0 : x < y ? -1 : 1;
      } else {
        c = collator.compare(String(x ?? ""), String(y ?? ""));
      }
      return c !== 0 ? c * sign : a.i - b.i;
    })
    .map((e) => e.row);
}

/** Header click: ascending → descending → unsorted (numbers start descending, as Grafana does). */
export function nextSort(current: SortState, key: string, numeric: boolean): SortState {
  const first = numeric ? "desc" : "asc";
  if (!current || current.key !== key) return { key, dir: first };
  if (current.dir === first) return { key, dir: first === "asc" ? "desc" : "asc" };
  return null;
}
