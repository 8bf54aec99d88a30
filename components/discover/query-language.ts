/**
 * The log query language as the Discover page uses it in the browser: the parser (inline syntax
 * errors), highlight ranges (matched terms in hits) and the completion context of the cursor.
 * One place that knows where these live in server/logs/query (all browser-safe, no I/O).
 */
export { parseQuery } from "@/server/logs/query/parse";
export { highlightRanges } from "@/server/logs/query/highlight";
export { completionContext } from "@/server/logs/query/complete";
export { QueryError, type Span, type FieldInfo } from "@/server/logs/query/ast";
