/**
 * The explorer's state in the URL, so a view can be shared and reloaded. One group of keys per
 * query row, as Prometheus's own UI does (`g0.expr`, `g0.tab`, …); the time range stays in
 * `from`/`to` (useTimeRange) and other parameters are kept as they are. Pure.
 *
 *   ?from=now-1h&to=now&g0.expr=rate(x[5m])&g0.tab=graph&g0.legend={{instance}}&g0.step=30s
 *    &g0.stacked=1&g0.unit=bytes&g1.expr=up&g1.tab=table
 */
import { isUnitId, type UnitId } from "@/components/charts/value-format";

export type ExplorerTab = "graph" | "table";

export type ExplorerQuery = {
  expr: string;
  tab: ExplorerTab;
  /** Grafana legend format (`{{instance}}`); "" = the series name. */
  legend: string;
  /** Manual resolution (`30s`); "" = automatic. */
  step: string;
  stacked: boolean;
  unit: UnitId;
};

export const MAX_QUERIES = 10;

export function emptyQuery(expr = ""): ExplorerQuery {
  return { expr, tab: "graph", legend: "", step: "", stacked: false, unit: "short" };
}

const GROUP_KEY = /^g(\d+)\.(expr|tab|legend|step|stacked|unit)$/;

/** Reads the rows from the URL; at least one row (empty) is always returned. */
export function decodeExplorerState(params: URLSearchParams): ExplorerQuery[] {
  const groups = new Map<number, Partial<Record<string, string>>>();
  for (const [key, value] of params) {
    const m = GROUP_KEY.exec(key);
    if (!m) continue;
    const n = Number(m[1]);
    if (!Number.isSafeInteger(n)) continue;
    const g = groups.get(n) ?? {};
    g[m[2]!] = value;
    groups.set(n, g);
  }
  const rows = [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .slice(0, MAX_QUERIES)
    .map(([, g]) => ({
      expr: g.expr ?? "",
      tab: g.tab === "table" ? "table" : "graph",
      legend: g.legend ?? "",
      step: (g.step ?? "").trim(),
      stacked: g.stacked === "1" || g.stacked === "true",
      unit: g.unit && isUnitId(g.unit) ? g.unit : "short",
    }) satisfies ExplorerQuery);
  return rows.length > 0 ? rows : [emptyQuery()];
}

/**
 * Writes the rows into a copy of `base` (its `g*` keys replaced, everything else kept).
 * Defaults are left out so URLs stay short.
 */
export function encodeExplorerState(queries: readonly ExplorerQuery[], base: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of base) if (!GROUP_KEY.test(key)) out.append(key, value);
  queries.slice(0, MAX_QUERIES).forEach((q, i) => {
    out.set(`g${i}.expr`, q.expr);
    out.set(`g${i}.tab`, q.tab);
    if (q.legend) out.set(`g${i}.legend`, q.legend);
    if (q.step.trim()) out.set(`g${i}.step`, q.step.trim());
    if (q.stacked) out.set(`g${i}.stacked`, "1");
    if (q.unit !== "short") out.set(`g${i}.unit`, q.unit);
  });
  return out;
}

/** A link to the explorer for `expr` (used by other pages: "Open in Explore"). */
export function explorerHref(expr: string, range?: { from: string; to: string }): string {
  const p = new URLSearchParams();
  if (range) {
    p.set("from", range.from);
    p.set("to", range.to);
  }
  return `/explore/metrics?${encodeExplorerState([emptyQuery(expr)], p).toString()}`;
}
