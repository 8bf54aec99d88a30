"use client";

import { useDeferredValue, useId, useMemo, useState } from "react";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { Input } from "@/components/ui/Input";
import { cn } from "@/components/ui/cn";
import { metricSelector } from "./legend";
import { useLabelNames, useLabelValues, useMetricMetadata, useMetricNames } from "./usePromQueries";

const SHOWN = 500;

/**
 * The metric browser: search metric names, read a metric's HELP/TYPE/UNIT, pick a label and a
 * value; "Insert" hands a selector (`name` or `name{label="value"}`) to the editor.
 */
export function MetricBrowser({ open, onClose, onInsert }: { open: boolean; onClose: () => void; onInsert: (text: string) => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Metrics browser" description="Search metric names; pick a label value to insert a selector." size="lg">
      <BrowserBody
        onInsert={(text) => {
          onInsert(text);
          onClose();
        }}
      />
    </Dialog>
  );
}

function BrowserBody({ onInsert }: { onInsert: (text: string) => void }) {
  const searchId = useId();
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search);
  const [metric, setMetric] = useState<string | null>(null);
  const [label, setLabel] = useState<string | null>(null);
  const names = useMetricNames(true);
  const metadata = useMetricMetadata(true);

  const matches = useMemo(() => {
    const all = names.data ?? [];
    const words = deferred.trim().toLowerCase().split(/\s+/).filter(Boolean);
    return words.length === 0 ? all : all.filter((n) => words.every((w) => n.toLowerCase().includes(w)));
  }, [names.data, deferred]);

  const meta = metric ? metadata.data?.[metric]?.[0] : undefined;

  return (
    <div className="grid gap-3 md:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <div className="min-w-0">
        <label htmlFor={searchId} className="mb-1 block text-xs font-medium text-slate-600 dark:text-slate-300">
          Search metrics
        </label>
        <Input id={searchId} data-autofocus value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. http requests" autoComplete="off" />
        {names.error && <ErrorMessage className="mt-2">{names.error.message}</ErrorMessage>}
        <p className="mt-2 text-xs text-slate-500 dark:text-slate-400" aria-live="polite">
          {names.isPending ? "Loading metric names…" : `${matches.length} of ${names.data?.length ?? 0} metrics`}
        </p>
        <ul aria-label="Metric names" className="mt-1 max-h-80 overflow-y-auto rounded border border-slate-200 dark:border-slate-800">
          {matches.slice(0, SHOWN).map((name) => {
            const type = metadata.data?.[name]?.[0]?.type;
            return (
              <li key={name}>
                <button
                  type="button"
                  aria-pressed={metric === name}
                  onClick={() => {
                    setMetric(name);
                    setLabel(null);
                  }}
                  onDoubleClick={() => onInsert(metricSelector(name))}
                  className={cn(
                    "flex w-full items-center justify-between gap-2 px-2 py-1 text-left font-mono text-xs hover:bg-slate-100 dark:hover:bg-slate-800",
                    metric === name && "bg-blue-50 text-blue-800 dark:bg-blue-950 dark:text-blue-200",
                  )}
                >
                  <span className="truncate">{name}</span>
                  {type && type !== "unknown" && <span className="shrink-0 font-sans text-[10px] text-slate-500 uppercase">{type}</span>}
                </button>
              </li>
            );
          })}
          {matches.length > SHOWN && <li className="px-2 py-1 text-xs text-slate-500">… {matches.length - SHOWN} more: refine the search</li>}
        </ul>
      </div>
      <div className="min-w-0" aria-live="polite">
        {metric ? (
          <section aria-label={`Metric ${metric}`} className="space-y-2">
            <div className="flex items-start justify-between gap-2">
              <h3 className="font-mono text-sm font-semibold break-all">{metric}</h3>
              <Button size="sm" variant="primary" onClick={() => onInsert(metricSelector(metric))}>
                Insert metric
              </Button>
            </div>
            <div className="flex flex-wrap gap-1.5">
              {meta?.type && <Badge tone="blue">{meta.type}</Badge>}
              {meta?.unit && <Badge>{meta.unit}</Badge>}
            </div>
            <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="metric-help">
              {metadata.isPending ? "Loading metadata…" : meta?.help || "No HELP text for this metric."}
            </p>
            <LabelPicker metric={metric} label={label} onLabel={setLabel} onInsert={onInsert} />
          </section>
        ) : (
          <p className="text-sm text-slate-500 dark:text-slate-400">Pick a metric to see its description and labels.</p>
        )}
      </div>
    </div>
  );
}

function LabelPicker({ metric, label, onLabel, onInsert }: { metric: string; label: string | null; onLabel: (l: string | null) => void; onInsert: (text: string) => void }) {
  const labels = useLabelNames(metric);
  const values = useLabelValues(metric, label);
  return (
    <div className="space-y-2">
      <h4 className="text-[11px] font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">Labels</h4>
      {labels.error && <ErrorMessage>{labels.error.message}</ErrorMessage>}
      {labels.isPending ? (
        <p className="text-xs text-slate-500">Loading labels…</p>
      ) : labels.data && labels.data.length === 0 ? (
        <p className="text-xs text-slate-500">No labels besides the name.</p>
      ) : (
        <ul aria-label="Label names" className="flex flex-wrap gap-1">
          {labels.data?.map((l) => (
            <li key={l}>
              <button
                type="button"
                aria-pressed={label === l}
                onClick={() => onLabel(label === l ? null : l)}
                className={cn(
                  "rounded border px-1.5 py-0.5 font-mono text-xs",
                  label === l
                    ? "border-blue-500 bg-blue-50 text-blue-800 dark:bg-blue-950 dark:text-blue-200"
                    : "border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800",
                )}
              >
                {l}
              </button>
            </li>
          ))}
        </ul>
      )}
      {label && (
        <div>
          <h4 className="mb-1 text-[11px] font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">Values of {label}</h4>
          {values.error && <ErrorMessage>{values.error.message}</ErrorMessage>}
          <ul aria-label={`Values of ${label}`} className="max-h-48 overflow-y-auto rounded border border-slate-200 dark:border-slate-800">
            {values.isPending && <li className="px-2 py-1 text-xs text-slate-500">Loading values…</li>}
            {values.data?.map((v) => (
              <li key={v}>
                <button
                  type="button"
                  title={`Insert ${metricSelector(metric, { label, value: v })}`}
                  onClick={() => onInsert(metricSelector(metric, { label, value: v }))}
                  className="block w-full truncate px-2 py-1 text-left font-mono text-xs hover:bg-slate-100 dark:hover:bg-slate-800"
                >
                  {v || <em className="text-slate-500">(empty)</em>}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
