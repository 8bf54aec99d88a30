/** The hit count line: "1 hit", "1,234 hits", "10,000+ hits" (a lower bound). Pure. */
export function formatHitCount(total: number, relation: "eq" | "gte" = "eq"): string {
  const n = Math.max(0, Math.round(total));
  const text = n.toLocaleString("en-US");
  if (relation === "gte") return `${text}+ hits`;
  return n === 1 ? "1 hit" : `${text} hits`;
}

/**
 * What to show: the histogram's total counts every match in the range, so it wins when present;
 * the search's total may be a lower bound ("gte") past the tracking limit.
 */
export function chooseHitCount(search: { total: number; totalRelation: "eq" | "gte" } | undefined, histogramTotal: number | undefined): { total: number; relation: "eq" | "gte" } | null {
  if (histogramTotal !== undefined) return { total: histogramTotal, relation: "eq" };
  if (search) return { total: search.total, relation: search.totalRelation };
  return null;
}
