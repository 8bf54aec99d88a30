/**
 * A query's syntax error as an editor diagnostic: the parser's QueryError span, widened to at
 * least one character so the underline is visible (an error at the end marks the last
 * character), and the message with its 1-based position. Pure; the parser is passed in.
 */
import { QueryError, type Span } from "@/server/logs/query/ast";

export type QueryDiagnostic = { from: number; to: number; message: string; position: number };

export function queryDiagnostic(text: string, parse: (text: string) => unknown): QueryDiagnostic | null {
  try {
    parse(text);
    return null;
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    return spanDiagnostic(text, err.span, err.message);
  }
}

export function spanDiagnostic(text: string, span: Span, message: string): QueryDiagnostic {
  const len = text.length;
  let from = Math.max(0, Math.min(span.start, len));
  let to = Math.max(from, Math.min(span.end, len));
  if (to === from) {
    if (from < len) to = from + 1;
    else if (len > 0) from = len - 1;
  }
  return { from, to, message, position: Math.min(span.start, len) + 1 };
}

/** "Syntax error at character 12: unexpected ')'". */
export const describeQueryDiagnostic = (d: QueryDiagnostic): string => `Syntax error at character ${d.position}: ${d.message}`;

/** The span of a query error the server reported (tRPC error data `querySpan`), if any. */
export function serverErrorSpan(err: unknown): Span | null {
  const span = (err as { data?: { querySpan?: unknown } } | null)?.data?.querySpan as Partial<Span> | undefined;
  return span && Number.isInteger(span.start) && Number.isInteger(span.end) ? { start: span.start!, end: span.end! } : null;
}
