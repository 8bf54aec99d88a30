"use client";

import { useId, useRef, useState, type FormEvent } from "react";
import { useDismiss } from "./useDismiss";
import {
  CALENDAR_RANGES,
  describeRange,
  formatTime,
  fromDatetimeLocal,
  QUICK_RANGES,
  toDatetimeLocal,
  tryResolveRange,
  type TimeRange,
} from "@/server/lib/time";
import { Button } from "./Button";
import { cn } from "./cn";
import { TextField } from "./Field";
import { useTimeRange } from "./useTimeRange";

/**
 * Grafana-style time-range picker bound to the URL (`from`/`to`). The button shows the range;
 * the popover offers quick ranges and an absolute from/to form. `onRefresh` adds a refresh button.
 */
export function TimeRangePicker({ onRefresh }: { onRefresh?: () => void }) {
  const { range, setRange, resolved } = useTimeRange();
  const [open, setOpen] = useState(false);
  const wrapRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popoverId = useId();
  const description = describeRange(range);

  useDismiss(open, wrapRef, () => setOpen(false), () => buttonRef.current?.focus());

  function choose(r: TimeRange) {
    setRange(r);
    setOpen(false);
  }

  return (
    <div ref={wrapRef} className="relative flex items-center gap-1">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? popoverId : undefined}
        aria-label={`Time range: ${description}`}
        title={resolved.ok ? `${formatTime(resolved.start)} to ${formatTime(resolved.end)}` : resolved.message}
        onClick={() => setOpen((o) => !o)}
        className={cn(
          "inline-flex h-8 items-center gap-2 rounded border bg-white px-2.5 text-sm font-medium text-slate-800 hover:bg-slate-50",
          "dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700",
          resolved.ok ? "border-slate-300 dark:border-slate-700" : "border-red-500",
        )}
      >
        <svg viewBox="0 0 16 16" className="size-4 text-slate-500 dark:text-slate-400" aria-hidden>
          <circle cx="8" cy="8" r="6.25" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </svg>
        <span>{description}</span>
        <svg viewBox="0 0 16 16" className="size-3 text-slate-500" aria-hidden>
          <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </svg>
      </button>
      {onRefresh && (
        <Button onClick={onRefresh} aria-label="Refresh" title="Refresh (re-read the clock for relative ranges)" className="px-2">
          <svg viewBox="0 0 16 16" className="size-4" aria-hidden>
            <path d="M13 8a5 5 0 1 1-1.5-3.6M13 3v3h-3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </Button>
      )}
      {open && (
        <div
          id={popoverId}
          role="dialog"
          aria-label="Time range"
          className="absolute top-full right-0 z-40 mt-1 flex w-[min(36rem,calc(100vw-2rem))] flex-col-reverse overflow-hidden rounded-md border border-slate-200 bg-white shadow-lg sm:flex-row dark:border-slate-700 dark:bg-slate-900"
        >
          <AbsoluteForm range={range} onApply={choose} />
          <div className="border-slate-200 sm:w-52 sm:border-l dark:border-slate-800">
            <RangeList title="Quick ranges" items={QUICK_RANGES} current={range} onChoose={choose} />
            <RangeList title="Calendar" items={CALENDAR_RANGES} current={range} onChoose={choose} />
          </div>
        </div>
      )}
    </div>
  );
}

function RangeList({
  title,
  items,
  current,
  onChoose,
}: {
  title: string;
  items: readonly (TimeRange & { label: string })[];
  current: TimeRange;
  onChoose: (r: TimeRange) => void;
}) {
  const headingId = useId();
  return (
    <div className="py-1.5">
      <h3 id={headingId} className="px-3 pb-1 text-[11px] font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">
        {title}
      </h3>
      <ul aria-labelledby={headingId}>
        {items.map((r) => {
          const active = r.from === current.from && r.to === current.to;
          return (
            <li key={r.label}>
              <button
                type="button"
                aria-current={active || undefined}
                onClick={() => onChoose({ from: r.from, to: r.to })}
                className={cn(
                  "block w-full px-3 py-1 text-left text-sm hover:bg-slate-100 dark:hover:bg-slate-800",
                  active ? "bg-blue-50 font-medium text-blue-700 dark:bg-blue-950 dark:text-blue-300" : "text-slate-700 dark:text-slate-300",
                )}
              >
                {r.label}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function AbsoluteForm({ range, onApply }: { range: TimeRange; onApply: (r: TimeRange) => void }) {
  const fromId = useId();
  const toId = useId();
  const [initial] = useState(() => {
    const r = tryResolveRange(range, new Date());
    const end = r.ok ? r.end : new Date();
    const start = r.ok ? r.start : new Date(end.getTime() - 3_600_000);
    return { from: toDatetimeLocal(start), to: toDatetimeLocal(end) };
  });
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [error, setError] = useState<{ field: "from" | "to" | "range"; message: string } | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    let f: string, t: string;
    try {
      f = fromDatetimeLocal(from);
    } catch (err) {
      return setError({ field: "from", message: (err as Error).message });
    }
    try {
      t = fromDatetimeLocal(to);
    } catch (err) {
      return setError({ field: "to", message: (err as Error).message });
    }
    const check = tryResolveRange({ from: f, to: t }, new Date());
    if (!check.ok) return setError({ field: check.field, message: check.message });
    setError(null);
    onApply({ from: f, to: t });
  }

  return (
    <form onSubmit={submit} noValidate className="flex-1 space-y-3 p-3">
      <h3 className="text-[11px] font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">Absolute time range</h3>
      {/* A "range" error (from after to) is shown below both fields and marks both invalid. */}
      <TextField
        id={fromId}
        label="From"
        error={error?.field === "from" ? error.message : null}
        invalid={error?.field === "from" || error?.field === "range"}
        type="datetime-local"
        step={60}
        value={from}
        onChange={(e) => setFrom(e.target.value)}
      />
      <TextField
        id={toId}
        label="To"
        error={error?.field === "to" ? error.message : null}
        invalid={error?.field === "to" || error?.field === "range"}
        type="datetime-local"
        step={60}
        value={to}
        onChange={(e) => setTo(e.target.value)}
      />
      {error?.field === "range" && (
        <p role="alert" className="text-xs text-red-600 dark:text-red-400">
          {error.message}
        </p>
      )}
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Local time. Current range: <code className="font-mono">{range.from}</code> to <code className="font-mono">{range.to}</code>
      </p>
      <Button type="submit" variant="primary" size="sm">
        Apply
      </Button>
    </form>
  );
}
