"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/Button";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { PageHeader } from "@/components/ui/PageHeader";
import { TimeRangePicker } from "@/components/ui/TimeRangePicker";
import { useTimeRange } from "@/components/ui/useTimeRange";
import { QueryRow } from "./QueryRow";
import { decodeExplorerState, emptyQuery, encodeExplorerState, MAX_QUERIES, type ExplorerQuery } from "./url-state";

type Row = { id: number; draft: string; query: ExplorerQuery };

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * Explore → Metrics, Grafana Explore's shape: query rows (add, duplicate, remove), each with a
 * PromQL editor, a graph (range query) or table (instant query at the end of the range) and its
 * stats and errors. The run queries, their options and the time range live in the URL.
 */
export function MetricsExplorer() {
  const params = useSearchParams();
  const { setRange, resolved, refresh } = useTimeRange();
  const nextId = useRef(0);
  const [rows, setRows] = useState<Row[]>(() => decodeExplorerState(new URLSearchParams(params.toString())).map((q) => ({ id: nextId.current++, draft: q.expr, query: q })));
  // Bumped by every run: part of the query keys, so "Run" re-runs even an unchanged query.
  const [runId, setRunId] = useState(0);
  const [focusId, setFocusId] = useState<number | null>(null);

  const encoded = encodeExplorerState(rows.map((r) => r.query)).toString();
  useEffect(() => {
    const next = encodeExplorerState(decodeExplorerState(new URLSearchParams(encoded)), new URLSearchParams(window.location.search)).toString();
    if (next !== window.location.search.replace(/^\?/, "")) window.history.replaceState(null, "", `${window.location.pathname}?${next}`);
  }, [encoded]);

  // Back/forward to another explorer URL: take its queries.
  useEffect(() => {
    function onPop() {
      setRows(decodeExplorerState(new URLSearchParams(window.location.search)).map((q) => ({ id: nextId.current++, draft: q.expr, query: q })));
    }
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  const range = useMemo(() => (resolved.ok ? { startMs: resolved.start.getTime(), endMs: resolved.end.getTime() } : null), [resolved]);

  const run = useCallback(
    (only?: number) => {
      setRows((rs) => rs.map((r) => (only === undefined || r.id === only ? { ...r, query: { ...r.query, expr: r.draft.trim() } } : r)));
      setRunId((n) => n + 1);
      refresh();
    },
    [refresh],
  );

  const update = (id: number, patch: Partial<ExplorerQuery>) => setRows((rs) => rs.map((r) => (r.id === id ? { ...r, query: { ...r.query, ...patch } } : r)));
  const setDraft = (id: number, draft: string) => setRows((rs) => rs.map((r) => (r.id === id ? { ...r, draft } : r)));

  function duplicate(id: number) {
    setRows((rs) => {
      const i = rs.findIndex((r) => r.id === id);
      if (i < 0 || rs.length >= MAX_QUERIES) return rs;
      const copy = { ...rs[i]!, id: nextId.current++ };
      return [...rs.slice(0, i + 1), copy, ...rs.slice(i + 1)];
    });
  }

  function add() {
    const id = nextId.current++;
    setRows((rs) => (rs.length >= MAX_QUERIES ? rs : [...rs, { id, draft: "", query: emptyQuery() }]));
    setFocusId(id);
  }

  const remove = (id: number) => setRows((rs) => (rs.length <= 1 ? rs : rs.filter((r) => r.id !== id)));

  const zoom = useCallback((startMs: number, endMs: number) => setRange({ from: String(Math.round(startMs)), to: String(Math.round(endMs)) }), [setRange]);

  function zoomOut() {
    if (!range) return;
    const span = range.endMs - range.startMs;
    const end = range.endMs + span / 2;
    setRange({ from: String(Math.round(range.startMs - span / 2)), to: end >= Date.now() ? "now" : String(Math.round(end)) });
  }

  return (
    <div>
      <PageHeader
        title="Explore metrics"
        description="Query metrics with PromQL and browse series and labels."
        actions={
          <>
            <Button onClick={zoomOut} disabled={!range} title="Zoom out (double the time range)">
              Zoom out
            </Button>
            <TimeRangePicker onRefresh={() => run()} />
            <Button variant="primary" onClick={() => run()}>
              Run queries
            </Button>
          </>
        }
      />
      {!resolved.ok && <ErrorMessage className="mb-3">{resolved.message}</ErrorMessage>}
      <div className="space-y-3">
        {rows.map((row, i) => (
          <QueryRow
            key={row.id}
            letter={LETTERS[i] ?? String(i + 1)}
            draft={row.draft}
            query={row.query}
            range={range}
            runId={runId}
            canRemove={rows.length > 1}
            autoFocus={focusId === row.id || (i === 0 && !row.query.expr)}
            onDraft={(d) => setDraft(row.id, d)}
            onRun={() => run(row.id)}
            onChange={(patch) => update(row.id, patch)}
            onDuplicate={() => duplicate(row.id)}
            onRemove={() => remove(row.id)}
            onZoom={zoom}
          />
        ))}
      </div>
      <div className="mt-3">
        <Button onClick={add} disabled={rows.length >= MAX_QUERIES}>
          + Add query
        </Button>
      </div>
    </div>
  );
}
