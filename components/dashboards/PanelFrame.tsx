"use client";

import { useRef, useState, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { useDismiss } from "@/components/ui/useDismiss";

export interface PanelMenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
}

/** Pixel height of the title bar (subtracted from the panel's height for its body). */
export const PANEL_HEADER_PX = 28;

/**
 * A panel's chrome: title bar (the drag handle in edit mode) with description, time-override
 * badge, loading bar, error marker and a menu; the body below.
 */
export function PanelFrame({
  title,
  description,
  timeInfo,
  loading,
  state,
  error,
  menu,
  editing,
  transparent,
  children,
  testId,
}: {
  title: string;
  description?: string;
  timeInfo?: string;
  loading?: boolean;
  /** `data-state` for tests and the benchmark: loading until the first answer, then ready or error. */
  state?: "loading" | "ready" | "error";
  error?: string;
  menu: PanelMenuItem[];
  editing: boolean;
  transparent?: boolean;
  children: ReactNode;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useDismiss(open, wrap, () => setOpen(false), () => button.current?.focus());

  return (
    <section
      aria-label={title || "Panel"}
      aria-busy={loading || undefined}
      data-testid={testId}
      data-state={state}
      className={cn(
        "group relative flex h-full flex-col overflow-hidden rounded border",
        transparent ? "border-transparent" : "border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900",
      )}
    >
      <header
        className={cn("panel-drag-handle flex shrink-0 items-center gap-1.5 px-2 text-sm", editing && "cursor-move")}
        style={{ height: PANEL_HEADER_PX }}
      >
        <h3 className="min-w-0 truncate font-medium text-slate-800 dark:text-slate-100" title={title}>
          {title}
        </h3>
        {description && (
          <span className="panel-no-drag cursor-help text-xs text-slate-400" title={description} aria-label={`Description: ${description}`}>
            ⓘ
          </span>
        )}
        {error && (
          <span className="panel-no-drag rounded bg-red-100 px-1 text-xs font-semibold text-red-700 dark:bg-red-950 dark:text-red-300" title={error} role="img" aria-label={`Error: ${error}`}>
            !
          </span>
        )}
        <span className="flex-1" />
        {timeInfo && <span className="text-xs text-blue-600 dark:text-blue-400">{timeInfo}</span>}
        <div ref={wrap} className="panel-no-drag relative">
          <button
            ref={button}
            type="button"
            aria-label={`Menu of panel ${title || "(untitled)"}`}
            aria-haspopup="menu"
            aria-expanded={open}
            onClick={() => setOpen((o) => !o)}
            className="rounded px-1 text-slate-400 opacity-60 group-hover:opacity-100 hover:bg-slate-100 hover:text-slate-700 focus-visible:opacity-100 dark:hover:bg-slate-800 dark:hover:text-slate-200"
          >
            ⋮
          </button>
          {open && (
            <ul role="menu" className="absolute right-0 z-30 mt-1 min-w-36 rounded border border-slate-200 bg-white py-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-800">
              {menu.map((m) => (
                <li key={m.label} role="none">
                  <button
                    type="button"
                    role="menuitem"
                    onClick={() => {
                      setOpen(false);
                      m.onSelect();
                    }}
                    className={cn(
                      "block w-full px-3 py-1.5 text-left hover:bg-slate-100 dark:hover:bg-slate-700",
                      m.danger ? "text-red-600 dark:text-red-400" : "text-slate-700 dark:text-slate-200",
                    )}
                  >
                    {m.label}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      </header>
      {loading && <div className="absolute inset-x-0 top-0 h-0.5 animate-pulse bg-blue-500" aria-hidden />}
      <div className="panel-no-drag min-h-0 flex-1 px-2 pb-2">{children}</div>
    </section>
  );
}
