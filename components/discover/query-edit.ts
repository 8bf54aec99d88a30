/**
 * Editing the query text from the UI (the +/− filter buttons, completion of values): quoting
 * values so they stay one literal term, and adding a clause without changing what the existing
 * query means. Pure.
 */

const RESERVED = new Set(["AND", "OR", "NOT", "TO"]);
/** Characters that end a bare term or carry meaning in the query language. */
const SPECIAL = /[\s:()[\]{}"\\*?<>=!^~/+&|,']/;

/** True when `value` must be quoted to be read back as exactly this text. */
export function needsQuotes(value: string): boolean {
  return value === "" || SPECIAL.test(value) || RESERVED.has(value.toUpperCase()) || value.startsWith("-");
}

/** `value` as a query literal: bare when safe, else `"…"` with `\` and `"` escaped. */
export function quoteValue(value: string): string {
  if (!needsQuotes(value)) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `field:value` or `NOT field:value`. */
export function filterClause(field: string, value: string, negate = false): string {
  const clause = `${field}:${quoteValue(value)}`;
  return negate ? `NOT ${clause}` : clause;
}

/** True when the query has a top-level-looking OR, so ANDing a clause needs parentheses around it. */
function hasOr(query: string): boolean {
  // Ignore quoted text; a conservative check (parentheses around an AND-only query are harmless).
  return /(^|[\s)])OR([\s(]|$)/.test(query.replace(/"(?:[^"\\]|\\.)*"/g, '""'));
}

/**
 * The query with `clause` ANDed on. An exact opposite (`NOT x` for `x`, or `x` for `NOT x`) is
 * replaced instead of contradicted, and a clause already present is not added twice.
 */
export function addClause(query: string, clause: string): string {
  const q = query.trim();
  if (!q) return clause;
  const opposite = clause.startsWith("NOT ") ? clause.slice(4) : `NOT ${clause}`;
  if (hasOr(q)) return `(${q}) AND ${clause}`;
  const parts = q.split(/\s+AND\s+/);
  if (parts.includes(clause)) return q;
  const oppositeAt = parts.indexOf(opposite);
  if (oppositeAt >= 0) {
    parts[oppositeAt] = clause;
    return parts.join(" AND ");
  }
  return `${q} AND ${clause}`;
}
