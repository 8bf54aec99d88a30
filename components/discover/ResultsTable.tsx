"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { format } from "date-fns";
import { useEffect, useMemo, useState, type RefObject, type UIEvent } from "react";
import { cn } from "@/components/ui/cn";
import type { HighlightSpec, LogHit } from "@/server/logs/search/contract";
import { gridTemplate } from "./columns";
import { HighlightedText } from "./HighlightedText";
import { HitDetails } from "./HitDetails";
import { fieldValue, valueText } from "./hit-fields";
import { LevelBadge } from "./LevelBadge";

/** Rows from the end at which the next page is requested. */
const LOAD_AHEAD = 40;

export type ResultsTableProps = {
  hits: readonly LogHit[];
  columns: readonly string[];
  specs: readonly HighlightSpec[];
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  onFilter: (field: string, value: string, negate: boolean) => void;
  onToggleColumn: (field: string) => void;
  onMoveColumn: (field: string, delta: -1 | 1) => void;
  onSurrounding?: (hit: LogHit) => void;
  scrollRef: RefObject<HTMLDivElement | null>;
  onScroll?: (e: UIEvent<HTMLDivElement>) => void;
};

/**
 * The hits, newest first, in a virtualised grid: only the rows in view are in the DOM, rows
 * measure their own height (expanded rows show every field), and the next page is requested
 * as the end comes into view.
 */
export function ResultsTable(props: ResultsTableProps) {
  const { hits, columns, specs, hasMore, loadingMore, onLoadMore, scrollRef } = props;
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const template = useMemo(() => gridTemplate(columns), [columns]);

  const virtualizer = useVirtualizer({
    count: hits.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 29,
    overscan: 12,
    getItemKey: (i) => hits[i]?.id ?? "__more",
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1]!.index : -1;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= hits.length - LOAD_AHEAD) onLoadMore();
  }, [lastIndex, hits.length, hasMore, loadingMore, onLoadMore]);

  function toggle(id: string) {
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  return (
    <div
      ref={scrollRef}
      onScroll={props.onScroll}
      className="relative h-full overflow-auto rounded-md border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
      data-testid="results-scroll"
    >
      <div role="table" aria-label="Log events" aria-rowcount={hits.length} className="min-w-[48rem]">
        <div role="rowgroup" className="sticky top-0 z-10 border-b border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900">
          <div role="row" className="grid text-xs font-semibold text-slate-600 dark:text-slate-300" style={{ gridTemplateColumns: template }}>
            <span role="columnheader" aria-label="Expand" />
            <span role="columnheader" className="px-2 py-1.5">
              Time ↓
            </span>
            {columns.map((c, i) => (
              <span role="columnheader" key={c} className="group flex min-w-0 items-center gap-1 px-2 py-1.5">
                <span className="truncate" title={c}>
                  {c}
                </span>
                <span className="ml-auto hidden shrink-0 gap-0.5 group-focus-within:flex group-hover:flex">
                  {i > 0 && <HeaderButton label={`Move ${c} left`} onClick={() => props.onMoveColumn(c, -1)} glyph="‹" />}
                  {i < columns.length - 1 && <HeaderButton label={`Move ${c} right`} onClick={() => props.onMoveColumn(c, 1)} glyph="›" />}
                  <HeaderButton label={`Remove column ${c}`} onClick={() => props.onToggleColumn(c)} glyph="×" />
                </span>
              </span>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="relative" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const hit = hits[item.index];
            if (!hit) {
              return (
                <div key={item.key} ref={virtualizer.measureElement} data-index={item.index} role="row" className="absolute inset-x-0 px-3 py-2 text-xs text-slate-500" style={{ transform: `translateY(${item.start}px)` }}>
                  <span role="cell">{loadingMore ? "Loading more…" : "Scroll for more"}</span>
                </div>
              );
            }
            const open = expanded.has(hit.id);
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                role="row"
                aria-expanded={open}
                data-testid="hit-row"
                className={cn("absolute inset-x-0 border-b border-slate-100 dark:border-slate-800/70", open && "bg-blue-50/40 dark:bg-blue-950/20")}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <div
                  className="grid cursor-pointer items-start text-xs hover:bg-slate-50 dark:hover:bg-slate-800/50"
                  style={{ gridTemplateColumns: template }}
                  onClick={(e) => {
                    if ((e.target as HTMLElement).closest("button,a") || window.getSelection()?.toString()) return;
                    toggle(hit.id);
                  }}
                >
                  <span role="cell" className="flex justify-center pt-1">
                    <button
                      type="button"
                      aria-label={open ? "Collapse event" : "Expand event"}
                      aria-expanded={open}
                      onClick={() => toggle(hit.id)}
                      className="rounded p-0.5 text-slate-500 hover:bg-slate-200 dark:hover:bg-slate-700"
                    >
                      <svg viewBox="0 0 16 16" className={cn("size-3.5 transition-transform", open && "rotate-90")} aria-hidden>
                        <path d="M6 4l4 4-4 4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
                      </svg>
                    </button>
                  </span>
                  <span role="cell" className="px-2 py-1.5 font-mono whitespace-nowrap text-slate-600 tabular-nums dark:text-slate-400" title={hit.timestamp}>
                    {format(new Date(hit.ts), "MMM dd, HH:mm:ss.SSS")}
                  </span>
                  {columns.map((c) => (
                    <Cell key={c} hit={hit} field={c} specs={specs} />
                  ))}
                </div>
                {open && (
                  <div role="cell">
                    <HitDetails
                      hit={hit}
                      specs={specs}
                      columns={columns}
                      onFilter={props.onFilter}
                      onToggleColumn={props.onToggleColumn}
                      onSurrounding={props.onSurrounding ? () => props.onSurrounding!(hit) : undefined}
                    />
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function Cell({ hit, field, specs }: { hit: LogHit; field: string; specs: readonly HighlightSpec[] }) {
  if (field === "level") {
    return (
      <span role="cell" className="px-2 py-1">
        <LevelBadge level={hit.level} />
      </span>
    );
  }
  const value = fieldValue(hit, field);
  const text = valueText(value);
  return (
    <span role="cell" className={cn("min-w-0 truncate px-2 py-1.5", field === "message" ? "font-mono text-slate-900 dark:text-slate-100" : "text-slate-700 dark:text-slate-300")} title={text}>
      {value === undefined ? <span className="text-slate-400">—</span> : <HighlightedText text={text} field={field} specs={specs} />}
    </span>
  );
}

function HeaderButton({ label, onClick, glyph }: { label: string; onClick: () => void; glyph: string }) {
  return (
    <button type="button" aria-label={label} title={label} onClick={onClick} className="rounded px-1 leading-4 font-normal text-slate-500 hover:bg-slate-200 hover:text-slate-900 dark:hover:bg-slate-700 dark:hover:text-white">
      {glyph}
    </button>
  );
}
