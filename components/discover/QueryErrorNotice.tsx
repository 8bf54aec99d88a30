import type { Span } from "@/server/logs/query/ast";
import { queryDiagnostic, serverErrorSpan, spanDiagnostic } from "./query-diagnostics";
import { parseQuery } from "./query-language";

/**
 * A query the server refused (BAD_REQUEST: unknown field, bad range, type mismatch, syntax): its
 * message, and the query with the offending part marked when the position is known (from the
 * server's error data, else from parsing it here).
 */
export function QueryErrorNotice({ error, query }: { error: { message: string }; query: string }) {
  const span: Span | null = serverErrorSpan(error) ?? (() => {
    const d = queryDiagnostic(query, parseQuery);
    return d ? { start: d.from, end: d.to } : null;
  })();
  const d = span ? spanDiagnostic(query, span, error.message) : null;
  return (
    <div role="alert" data-testid="query-error" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200">
      <p>
        {error.message}
        {d && !/\bat \d+$/.test(error.message) && <span className="text-red-600 dark:text-red-300"> (at character {d.position})</span>}
      </p>
      {d && query && (
        <p className="mt-1 font-mono text-xs break-all whitespace-pre-wrap">
          {query.slice(0, d.from)}
          <mark className="rounded-sm bg-red-200 text-inherit underline decoration-red-600 decoration-wavy dark:bg-red-800/60">{query.slice(d.from, d.to)}</mark>
          {query.slice(d.to)}
        </p>
      )}
    </div>
  );
}
