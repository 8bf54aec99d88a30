/**
 * The result table's columns (after the time column, which is always first). The default shows
 * level, service and the message; like Kibana, the first field added as a column replaces the
 * message summary, later ones are appended. Pure.
 */
export const DEFAULT_COLUMNS: readonly string[] = ["level", "service", "message"];
export const MAX_COLUMNS = 50;

export const isDefaultColumns = (cols: readonly string[]): boolean => cols.length === DEFAULT_COLUMNS.length && cols.every((c, i) => c === DEFAULT_COLUMNS[i]);

export function addColumn(cols: readonly string[], field: string): string[] {
  if (cols.includes(field)) return [...cols];
  if (isDefaultColumns(cols)) return DEFAULT_COLUMNS.map((c) => (c === "message" ? field : c));
  return [...cols, field].slice(0, MAX_COLUMNS);
}

/** Without `field`; removing the last one goes back to the default. */
export function removeColumn(cols: readonly string[], field: string): string[] {
  const next = cols.filter((c) => c !== field);
  return next.length > 0 ? next : [...DEFAULT_COLUMNS];
}

/** Moves `field` one place left (-1) or right (+1). */
export function moveColumn(cols: readonly string[], field: string, delta: -1 | 1): string[] {
  const i = cols.indexOf(field);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= cols.length) return [...cols];
  const next = [...cols];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

/** CSS grid columns of the table: expander, time, then the fields (level narrow, the rest share the width). */
export function gridTemplate(cols: readonly string[]): string {
  const widths = cols.map((c) => (c === "level" ? "4.75rem" : c === "service" || c === "host" || c === "source" ? "minmax(7rem,11rem)" : c === "message" ? "minmax(16rem,4fr)" : "minmax(7rem,1fr)"));
  return ["1.75rem", "12.5rem", ...widths].join(" ");
}
