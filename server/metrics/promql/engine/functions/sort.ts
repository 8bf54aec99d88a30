/** sort, sort_desc, sort_by_label, sort_by_label_desc: reorder instant-query results only. */
import { compareLabels } from "../labels";
import type { StepSeries } from "../types";

function byValue(desc: boolean) {
  return (a: StepSeries, b: StepSeries): number => {
    const x = a.values[0];
    const y = b.values[0];
    const xn = Number.isNaN(x);
    const yn = Number.isNaN(y);
    if (xn || yn) return xn === yn ? 0 : xn ? 1 : -1;
    return desc ? y - x : x - y;
  };
}

export function sortByValue(series: StepSeries[], desc: boolean): StepSeries[] {
  if (series.length === 0 || series[0].values.length !== 1) return series;
  return series.slice().sort(byValue(desc));
}

/** Natural order: digit runs compare as numbers, other runs as strings. */
export function naturalCompare(a: string, b: string): number {
  const ca = a.match(/\d+|\D+/g) ?? [];
  const cb = b.match(/\d+|\D+/g) ?? [];
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const x = ca[i];
    const y = cb[i];
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const tx = x.replace(/^0+(?=\d)/, "");
      const ty = y.replace(/^0+(?=\d)/, "");
      if (tx.length !== ty.length) return tx.length - ty.length;
      if (tx !== ty) return tx < ty ? -1 : 1;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return ca.length - cb.length;
}

export function sortByLabels(series: StepSeries[], names: string[], desc: boolean): StepSeries[] {
  if (series.length === 0 || series[0].values.length !== 1) return series;
  const cmp = (a: StepSeries, b: StepSeries): number => {
    for (const n of names) {
      const x = a.labels[n] ?? "";
      const y = b.labels[n] ?? "";
      if (x === y) continue;
      return naturalCompare(x, y) < 0 ? -1 : 1;
    }
    return compareLabels(a.labels, b.labels);
  };
  return series.slice().sort(desc ? (a, b) => cmp(b, a) : cmp);
}
