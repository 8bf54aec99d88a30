/**
 * The log query language's syntax tree (Lucene/KQL-like). Pure types, safe to import in the
 * browser: the console parses as you type for inline errors and autocompletion, and the server
 * parses again before compiling (server/logs/query/compile.ts).
 *
 * Positions are UTF-16 offsets into the query text: [start, end).
 */
export type Span = { start: number; end: number };

/** A value as the user wrote it, after unescaping; `wildcard` when it holds an unescaped `*` or `?`. */
export type QueryValue = { text: string; wildcard: boolean };

export type QueryNode =
  | { type: "all"; span: Span }
  | { type: "and"; children: QueryNode[]; span: Span }
  | { type: "or"; children: QueryNode[]; span: Span }
  | { type: "not"; child: QueryNode; span: Span }
  /** A bare word (field null: message and string attributes) or `field:word`. */
  | { type: "term"; field: string | null; fieldSpan: Span | null; value: QueryValue; span: Span }
  /** `"a phrase"` or `field:"a phrase"`: the words in this order. */
  | { type: "phrase"; field: string | null; fieldSpan: Span | null; text: string; span: Span }
  /** `status>=500`, `status:>=500`, `status:[500 TO 599]`, `status:{500 TO *}` (null bound = open). */
  | {
      type: "range";
      field: string;
      fieldSpan: Span;
      lower: { value: string; inclusive: boolean } | null;
      upper: { value: string; inclusive: boolean } | null;
      span: Span;
    }
  /** `_exists_:field` (and `field:*`). */
  | { type: "exists"; field: string; fieldSpan: Span; span: Span };

/** A user error in a query (bad syntax, unknown field, type mismatch): HTTP 400 / tRPC BAD_REQUEST. */
export class QueryError extends Error {
  readonly span: Span;
  constructor(message: string, span: Span) {
    super(message);
    this.name = "QueryError";
    this.span = span;
  }
}

/** Fields every event has (besides attribute paths). `@timestamp` is filtered by the time range, not the query. */
export const BUILTIN_FIELDS = ["message", "level", "service", "host", "source", "trace_id", "span_id"] as const;
export type BuiltinField = (typeof BUILTIN_FIELDS)[number];

/** Value types a field has been seen with (attribute fields may have several). */
export type FieldType = "string" | "number" | "boolean";
export type FieldInfo = { path: string; types: FieldType[] };

/** An attribute path without its optional `attributes.` prefix: both spellings name the same field. */
export function stripAttributesPrefix(path: string): string {
  return path.startsWith("attributes.") && path.length > 11 ? path.slice(11) : path;
}
