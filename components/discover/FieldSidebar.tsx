"use client";

import { useId, useMemo, useState } from "react";
import { Input } from "@/components/ui/Input";
import { cn } from "@/components/ui/cn";
import { filterFields, formatPercent, type FieldStat } from "./field-stats";
import { FieldActions } from "./FieldActions";

const TYPE_GLYPH: Record<string, string> = { string: "t", number: "#", boolean: "b", object: "{}", null: "∅" };

/**
 * Kibana's field list: the fields of the loaded hits (a sample), filterable by name; a field
 * expands to its top-5 values with shares and +/− filter buttons; each can be a column.
 */
export function FieldSidebar({
  stats,
  sampleSize,
  columns,
  onFilter,
  onToggleColumn,
}: {
  stats: readonly FieldStat[];
  sampleSize: number;
  columns: readonly string[];
  onFilter: (field: string, value: string, negate: boolean) => void;
  onToggleColumn: (field: string) => void;
}) {
  const [search, setSearch] = useState("");
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const searchId = useId();
  const shown = useMemo(() => filterFields(stats, search), [stats, search]);
  const selected = shown.filter((s) => columns.includes(s.path));
  const available = shown.filter((s) => !columns.includes(s.path));

  function toggle(path: string) {
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });
  }

  const list = (title: string, items: FieldStat[]) =>
    items.length > 0 && (
      <section aria-label={title} className="mb-3">
        <h3 className="mb-1 px-1 text-[11px] font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">
          {title} <span className="font-normal">({items.length})</span>
        </h3>
        <ul>
          {items.map((f) => (
            <FieldItem key={f.path} stat={f} open={open.has(f.path)} isColumn={columns.includes(f.path)} sampleSize={sampleSize} onToggle={() => toggle(f.path)} onFilter={onFilter} onToggleColumn={onToggleColumn} />
          ))}
        </ul>
      </section>
    );

  return (
    <nav aria-label="Fields" className="flex h-full min-h-0 flex-col" data-testid="field-sidebar">
      <label htmlFor={searchId} className="sr-only">
        Search field names
      </label>
      <Input id={searchId} type="search" placeholder="Search field names" value={search} onChange={(e) => setSearch(e.target.value)} className="mb-2 h-7 text-xs" />
      <div className="min-h-0 flex-1 overflow-y-auto pr-1">
        {stats.length === 0 ? (
          <p className="px-1 text-xs text-slate-500">Fields appear here once there are hits.</p>
        ) : shown.length === 0 ? (
          <p className="px-1 text-xs text-slate-500">No field matches “{search}”.</p>
        ) : (
          <>
            {list("Selected fields", selected)}
            {list("Available fields", available)}
          </>
        )}
      </div>
      {sampleSize > 0 && <p className="mt-1 border-t border-slate-200 pt-1 text-[11px] text-slate-500 dark:border-slate-800">From the {sampleSize.toLocaleString("en-US")} loaded hits.</p>}
    </nav>
  );
}

function FieldItem({
  stat,
  open,
  isColumn,
  sampleSize,
  onToggle,
  onFilter,
  onToggleColumn,
}: {
  stat: FieldStat;
  open: boolean;
  isColumn: boolean;
  sampleSize: number;
  onToggle: () => void;
  onFilter: (field: string, value: string, negate: boolean) => void;
  onToggleColumn: (field: string) => void;
}) {
  const type = stat.types.find((t) => t !== "null") ?? "null";
  const filterable = stat.path !== "@timestamp";
  return (
    <li className="rounded text-xs" data-testid="sidebar-field" data-field={stat.path}>
      <div className={cn("group flex items-center gap-1 rounded px-1 hover:bg-slate-100 dark:hover:bg-slate-800", open && "bg-slate-100 dark:bg-slate-800")}>
        <button type="button" aria-expanded={open} onClick={onToggle} className="flex min-w-0 flex-1 items-center gap-1.5 py-1 text-left" title={`${stat.path} · in ${stat.count} of ${sampleSize} hits`}>
          <span aria-hidden className="inline-flex h-4 min-w-4 items-center justify-center rounded bg-slate-200 px-0.5 font-mono text-[10px] text-slate-600 dark:bg-slate-700 dark:text-slate-300">
            {TYPE_GLYPH[type] ?? "?"}
          </span>
          <span className="truncate font-mono text-slate-800 dark:text-slate-200">{stat.path}</span>
        </button>
        <FieldActions field={stat.path} value={null} isColumn={isColumn} onFilter={onFilter} onToggleColumn={onToggleColumn} className={cn(!isColumn && "opacity-0 group-focus-within:opacity-100 group-hover:opacity-100")} />
      </div>
      {open && (
        <div className="mb-1 ml-2 border-l border-slate-200 py-1 pl-2 dark:border-slate-700">
          <p className="mb-1 text-[11px] text-slate-500">
            Top {stat.top.length} of {stat.distinct.toLocaleString("en-US")} values · in {formatPercent((stat.count / Math.max(1, sampleSize)) * 100)} of hits
          </p>
          <ul aria-label={`Top values of ${stat.path}`}>
            {stat.top.map((v) => (
              <li key={v.value} className="group/value mb-1" data-testid="field-top-value">
                <div className="flex items-center gap-1">
                  <span className="min-w-0 flex-1 truncate font-mono text-slate-700 dark:text-slate-300" title={v.value}>
                    {v.value === "" ? <em className="text-slate-400">empty</em> : v.value}
                  </span>
                  <span className="shrink-0 text-slate-500 tabular-nums">{formatPercent(v.percent)}</span>
                  {filterable && <FieldActions field={stat.path} value={v.value} isColumn={isColumn} onFilter={onFilter} />}
                </div>
                <div className="mt-0.5 h-1 rounded bg-slate-200 dark:bg-slate-700" aria-hidden>
                  <div className="h-1 rounded bg-blue-500" style={{ width: `${Math.min(100, v.percent)}%` }} />
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </li>
  );
}
