/**
 * Field statistics of the loaded hits, as Kibana's sidebar computes them from its sample: every
 * field present, in how many hits, and its most common values with their share. Pure.
 */
import type { LogHit } from "@/server/logs/search/contract";
import { hitFields, isBuiltinField, valueText } from "./hit-fields";

export type ValueType = "string" | "number" | "boolean" | "object" | "null";
export type TopValue = { value: string; count: number; /** 0–100, share of the sample. */ percent: number };
export type FieldStat = {
  path: string;
  builtin: boolean;
  /** Hits (of the sample) that have the field. */
  count: number;
  types: ValueType[];
  distinct: number;
  top: TopValue[];
};

const typeOf = (v: unknown): ValueType =>
  v === null ? "null" : typeof v === "number" ? "number" : typeof v === "boolean" ? "boolean" : typeof v === "string" ? "string" : "object";

export function computeFieldStats(hits: readonly LogHit[], opts: { top?: number } = {}): FieldStat[] {
  const topN = opts.top ?? 5;
  type Acc = { path: string; order: number; count: number; types: Set<ValueType>; values: Map<string, number> };
  const acc = new Map<string, Acc>();
  let order = 0;
  for (const hit of hits) {
    for (const [path, value] of hitFields(hit)) {
      let a = acc.get(path);
      if (!a) {
        a = { path, order: order++, count: 0, types: new Set(), values: new Map() };
        acc.set(path, a);
      }
      a.count++;
      a.types.add(typeOf(value));
      const text = valueText(value);
      a.values.set(text, (a.values.get(text) ?? 0) + 1);
    }
  }
  const total = hits.length;
  const stats = [...acc.values()].map((a) => ({
    path: a.path,
    builtin: isBuiltinField(a.path),
    count: a.count,
    types: [...a.types].sort(),
    distinct: a.values.size,
    top: [...a.values.entries()]
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, topN)
      .map(([value, count]) => ({ value, count, percent: total ? (count / total) * 100 : 0 })),
    order: a.order,
  }));
  // Built-ins in their fixed order (they come first in every hit), then attributes by name.
  stats.sort((x, y) => (x.builtin !== y.builtin ? (x.builtin ? -1 : 1) : x.builtin ? x.order - y.order : x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return stats.map(({ order: _order, ...s }) => s);
}

/** "42.5%" / "100%" / "<0.1%". */
export function formatPercent(p: number): string {
  if (p > 0 && p < 0.1) return "<0.1%";
  const r = Math.round(p * 10) / 10;
  return `${Number.isInteger(r) ? r.toFixed(0) : r.toFixed(1)}%`;
}

/** Case-insensitive substring filter on field names (the sidebar's search box). */
export function filterFields<T extends { path: string }>(fields: readonly T[], search: string): T[] {
  const s = search.trim().toLowerCase();
  return s ? fields.filter((f) => f.path.toLowerCase().includes(s)) : [...fields];
}
