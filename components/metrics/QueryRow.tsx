"use client";

import dynamic from "next/dynamic";
import { useId, useMemo, useRef, useState } from "react";
import { TimeSeriesChart } from "@/components/charts/TimeSeriesChart";
import { UNITS, isUnitId } from "@/components/charts/value-format";
import { Button } from "@/components/ui/Button";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { Input } from "@/components/ui/Input";
import { Select } from "@/components/ui/Select";
import { cn } from "@/components/ui/cn";
import { formatCount, formatMs } from "@/server/lib/units";
import { describeDiagnostics } from "./diagnostics";
import { MetricBrowser } from "./MetricBrowser";
import type { PromQLEditorHandle } from "./PromQLEditor";
import { PromApiError, type PromQueryData } from "./prom-api-client";
import { matrixToSeries, resultStats } from "./result-series";
import type { TableMode } from "./result-table";
import { ResultTableView } from "./ResultTableView";
import { alignToStep, chooseStep, formatDuration } from "./step";
import type { ExplorerQuery, ExplorerTab } from "./url-state";
import { useInstantQuery, useRangeQuery, type TimedResult } from "./usePromQueries";

const PromQLEditor = dynamic(() => import("./PromQLEditor"), {
  ssr: false,
  loading: () => <div className="h-8 w-full animate-pulse rounded border border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-900" aria-hidden />,
});

export type QueryRowProps = {
  letter: string;
  /** The text in the editor (not yet run). */
  draft: string;
  /** The query as last run (its `expr` is what the results show). */
  query: ExplorerQuery;
  range: { startMs: number; endMs: number } | null;
  /** Changes on every run, so an unchanged query runs again. */
  runId: number;
  canRemove: boolean;
  autoFocus?: boolean;
  onDraft: (expr: string) => void;
  onRun: () => void;
  onChange: (patch: Partial<ExplorerQuery>) => void;
  onDuplicate: () => void;
  onRemove: () => void;
  onZoom: (startMs: number, endMs: number) => void;
};

/** One query of the explorer: editor, options, graph/table tabs, stats, errors and the result. */
export function QueryRow(props: QueryRowProps) {
  const { letter, draft, query, range, canRemove } = props;
  const editorHandle = useRef<PromQLEditorHandle | null>(null);
  const [browserOpen, setBrowserOpen] = useState(false);
  const [tableMode, setTableMode] = useState<TableMode>("series");
  const [syntax, setSyntax] = useState<string | null>(null);
  const ids = { legend: useId(), step: useId(), unit: useId(), stacked: useId(), columns: useId(), tabs: useId() };

  const rangeMs = range ? range.endMs - range.startMs : 0;
  const step = useMemo(() => chooseStep(rangeMs, query.step), [rangeMs, query.step]);
  const aligned = range && step.ok ? alignToStep(range.startMs, range.endMs, step.stepMs) : null;

  const graph = useRangeQuery({
    expr: query.expr,
    startMs: aligned?.startMs ?? 0,
    endMs: aligned?.endMs ?? 0,
    stepMs: step.ok ? step.stepMs : 0,
    runId: props.runId,
    enabled: query.tab === "graph" && aligned !== null,
  });
  const table = useInstantQuery({ expr: query.expr, timeMs: range?.endMs ?? 0, runId: props.runId, enabled: query.tab === "table" && range !== null });
  const active = query.tab === "graph" ? graph : table;

  const series = useMemo(() => {
    const d = graph.data?.data;
    if (!d || d.resultType !== "matrix" || !step.ok) return [];
    return matrixToSeries(d.result, { legend: query.legend, stepMs: step.stepMs });
  }, [graph.data, query.legend, step]);

  function insert(text: string) {
    if (editorHandle.current) editorHandle.current.insert(text);
    else props.onDraft(draft + text);
  }

  return (
    <section aria-label={`Query ${letter}`} className="rounded-md border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900" data-testid="query-row">
      <div className="flex items-start gap-2">
        <span className="mt-1.5 w-5 shrink-0 text-center text-xs font-semibold text-slate-500" aria-hidden>
          {letter}
        </span>
        <div className="min-w-0 flex-1">
          <PromQLEditor
            value={draft}
            onChange={props.onDraft}
            onRun={props.onRun}
            label={`PromQL query ${letter}`}
            handleRef={editorHandle}
            autoFocus={props.autoFocus}
            onDiagnostics={(list) => setSyntax(describeDiagnostics(list))}
          />
          {syntax && draft.trim() && (
            <p role="status" className="mt-1 font-mono text-xs text-red-600 dark:text-red-400" data-testid="promql-syntax">
              {syntax}
            </p>
          )}
        </div>
        <Button onClick={() => setBrowserOpen(true)} title="Browse metric names, labels and values">
          Metrics browser
        </Button>
        <Button variant="primary" onClick={props.onRun} busy={active.isFetching} title="Run (Shift+Enter)">
          Run query
        </Button>
      </div>
      <MetricBrowser open={browserOpen} onClose={() => setBrowserOpen(false)} onInsert={insert} />

      <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-2 pl-7 text-xs">
        <div role="tablist" aria-label={`Result view of query ${letter}`} className="inline-flex rounded border border-slate-300 dark:border-slate-700">
          {(["graph", "table"] as ExplorerTab[]).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              id={`${ids.tabs}-${t}`}
              aria-selected={query.tab === t}
              aria-controls={`${ids.tabs}-panel`}
              tabIndex={query.tab === t ? 0 : -1}
              onClick={() => props.onChange({ tab: t })}
              onKeyDown={(e) => {
                if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
                const other: ExplorerTab = t === "graph" ? "table" : "graph";
                props.onChange({ tab: other });
                document.getElementById(`${ids.tabs}-${other}`)?.focus();
              }}
              className={cn(
                "px-2.5 py-1 font-medium capitalize first:rounded-l last:rounded-r",
                query.tab === t ? "bg-blue-600 text-white" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
              )}
            >
              {t}
            </button>
          ))}
        </div>
        {query.tab === "graph" ? (
          <>
            <label htmlFor={ids.legend} className="flex items-center gap-1.5">
              <span className="text-slate-600 dark:text-slate-300">Legend</span>
              <Input id={ids.legend} className="h-7 w-40 font-mono text-xs" placeholder="{{instance}}" value={query.legend} onChange={(e) => props.onChange({ legend: e.target.value })} />
            </label>
            <StepField id={ids.step} value={query.step} autoStepMs={step.ok && step.auto ? step.stepMs : null} onCommit={(s) => props.onChange({ step: s })} />
            <label htmlFor={ids.unit} className="flex items-center gap-1.5">
              <span className="text-slate-600 dark:text-slate-300">Unit</span>
              <Select id={ids.unit} className="h-7 w-40 text-xs" value={query.unit} onChange={(e) => isUnitId(e.target.value) && props.onChange({ unit: e.target.value })}>
                {UNITS.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.label}
                  </option>
                ))}
              </Select>
            </label>
            <label htmlFor={ids.stacked} className="flex items-center gap-1.5">
              <input id={ids.stacked} type="checkbox" className="size-3.5 accent-blue-600" checked={query.stacked} onChange={(e) => props.onChange({ stacked: e.target.checked })} />
              <span className="text-slate-600 dark:text-slate-300">Stacked</span>
            </label>
          </>
        ) : (
          <label htmlFor={ids.columns} className="flex items-center gap-1.5">
            <input id={ids.columns} type="checkbox" className="size-3.5 accent-blue-600" checked={tableMode === "columns"} onChange={(e) => setTableMode(e.target.checked ? "columns" : "series")} />
            <span className="text-slate-600 dark:text-slate-300">Labels as columns</span>
          </label>
        )}
        <div className="ml-auto flex items-center gap-1">
          <Button size="sm" variant="ghost" onClick={props.onDuplicate} aria-label={`Duplicate query ${letter}`} title="Duplicate this query">
            Duplicate
          </Button>
          <Button size="sm" variant="ghost" onClick={props.onRemove} disabled={!canRemove} aria-label={`Remove query ${letter}`} title="Remove this query">
            Remove
          </Button>
        </div>
      </div>

      <div id={`${ids.tabs}-panel`} role="tabpanel" aria-labelledby={`${ids.tabs}-${query.tab}`} className="mt-3 space-y-2">
        {!step.ok && <ErrorMessage>{step.message}</ErrorMessage>}
        {step.ok && step.raisedFrom !== undefined && query.tab === "graph" && (
          <p className="text-xs text-amber-700 dark:text-amber-400">
            Resolution {formatDuration(step.raisedFrom)} would exceed 11,000 points for this range; using {formatDuration(step.stepMs)}.
          </p>
        )}
        {active.error && <QueryError error={active.error} />}
        {active.data && <Warnings result={active.data} />}
        {active.data && !active.error && <Stats result={active.data} step={query.tab === "graph" && step.ok ? { ms: step.stepMs, auto: step.auto } : null} stale={active.isPlaceholderData} />}
        {!query.expr.trim() ? (
          <p className="py-6 text-center text-sm text-slate-500 dark:text-slate-400">Enter a query and press Shift+Enter or “Run query”.</p>
        ) : query.tab === "graph" ? (
          graph.data && !graph.error && range ? (
            series.length === 0 ? (
              <NoData />
            ) : (
              <TimeSeriesChart
                series={series}
                startMs={range.startMs}
                endMs={range.endMs}
                unit={query.unit}
                stacked={query.stacked}
                onZoom={props.onZoom}
                label={`Graph of query ${letter}: ${query.expr}`}
              />
            )
          ) : graph.isFetching ? (
            <Loading />
          ) : null
        ) : table.data && !table.error ? (
          isEmpty(table.data.data) ? (
            <NoData />
          ) : (
            <ResultTableView data={table.data.data} mode={tableMode} />
          )
        ) : table.isFetching ? (
          <Loading />
        ) : null}
      </div>
    </section>
  );
}

function isEmpty(d: PromQueryData): boolean {
  return (d.resultType === "vector" || d.resultType === "matrix") && d.result.length === 0;
}

function NoData() {
  return <p className="rounded border border-dashed border-slate-300 py-6 text-center text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">No data for this query in the selected time range.</p>;
}

function Loading() {
  return <div className="h-[300px] animate-pulse rounded bg-slate-100 dark:bg-slate-800/60" aria-label="Loading" role="status" />;
}

function StepField({ id, value, autoStepMs, onCommit }: { id: string; value: string; autoStepMs: number | null; onCommit: (v: string) => void }) {
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setText(value);
  }
  return (
    <label htmlFor={id} className="flex items-center gap-1.5" title="Query resolution (step). Empty: automatic, range ÷ 1100 rounded, at least 15s.">
      <span className="text-slate-600 dark:text-slate-300">Resolution</span>
      <Input
        id={id}
        className="h-7 w-28 font-mono text-xs"
        placeholder={autoStepMs ? `auto (${formatDuration(autoStepMs)})` : "auto"}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => text.trim() !== value && onCommit(text.trim())}
        onKeyDown={(e) => {
          if (e.key === "Enter") onCommit(text.trim());
        }}
      />
    </label>
  );
}

function QueryError({ error }: { error: Error }) {
  if (error instanceof PromApiError) {
    if (error.status === 401) {
      const next = typeof window === "undefined" ? "/explore/metrics" : window.location.pathname + window.location.search;
      return (
        <ErrorMessage title="Your session has ended">
          <a className="underline" href={`/login?next=${encodeURIComponent(next)}`}>
            Sign in again
          </a>{" "}
          to run queries.
        </ErrorMessage>
      );
    }
    return (
      <ErrorMessage title={`Query failed (${error.errorType})`}>
        <span className="font-mono text-xs" data-testid="query-error">
          {error.error}
        </span>
      </ErrorMessage>
    );
  }
  return <ErrorMessage title="Query failed">{error.message}</ErrorMessage>;
}

function Warnings({ result }: { result: TimedResult }) {
  const notes = [...result.warnings.map((w) => ({ kind: "Warning", text: w })), ...result.infos.map((i) => ({ kind: "Info", text: i }))];
  if (notes.length === 0) return null;
  return (
    <ul className="space-y-1 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200">
      {notes.map((n, i) => (
        <li key={i}>
          <span className="font-medium">{n.kind}:</span> {n.text}
        </li>
      ))}
    </ul>
  );
}

function Stats({ result, step, stale }: { result: TimedResult; step: { ms: number; auto: boolean } | null; stale: boolean }) {
  const s = resultStats(result.data);
  const parts =
    s.resultType === "scalar" || s.resultType === "string"
      ? [`${s.resultType} result`]
      : [`${formatCount(s.series)} series`, `${formatCount(s.points)} ${s.points === 1 ? "point" : "points"}`];
  parts.push(`${formatMs(result.tookMs)}`);
  if (step) parts.push(`step ${formatDuration(step.ms)}${step.auto ? " (auto)" : ""}`);
  return (
    <p className={cn("text-xs text-slate-500 dark:text-slate-400", stale && "opacity-60")} data-testid="query-stats">
      {parts.join(" · ")}
    </p>
  );
}
