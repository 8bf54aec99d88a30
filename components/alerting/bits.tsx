"use client";

/** Small pieces every alerting page uses: state badges, label chips, link styles. */
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/Badge";
import { cn } from "@/components/ui/cn";
import type { AlertState } from "@/server/alerting/model";
import { sortedLabels, stateLabel, stateTone } from "./state";

export const linkClass = "text-blue-700 underline-offset-2 hover:underline dark:text-blue-400";

/** A link styled as the primary button (Next `Link` with this class). */
export const primaryLinkClass =
  "inline-flex h-8 items-center rounded border border-blue-600 bg-blue-600 px-3 text-sm font-medium text-white hover:border-blue-700 hover:bg-blue-700 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-500 dark:hover:bg-blue-500";
/** A link styled as the secondary button. */
export const secondaryLinkClass =
  "inline-flex h-8 items-center rounded border border-slate-300 bg-white px-3 text-sm font-medium text-slate-800 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700";
export const smallLinkClass =
  "inline-flex h-7 items-center rounded border border-slate-300 bg-white px-2.5 text-xs font-medium text-slate-800 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700";

export function StateBadge({ state, className }: { state: AlertState; className?: string }) {
  return (
    <Badge tone={stateTone(state)} className={className}>
      <span data-testid="alert-state">{stateLabel(state)}</span>
    </Badge>
  );
}

/** `key=value` chips, alertname first; `hide` leaves some names out. */
export function LabelChips({ labels, hide = [], className }: { labels: Record<string, string>; hide?: readonly string[]; className?: string }) {
  const list = sortedLabels(labels).filter(([k]) => !hide.includes(k));
  if (list.length === 0) return <span className="text-xs text-slate-400 dark:text-slate-500">no labels</span>;
  return (
    <ul className={cn("flex flex-wrap gap-1", className)} aria-label="Labels">
      {list.map(([k, v]) => (
        <li key={k} className="rounded bg-slate-100 px-1.5 py-px font-mono text-[11px] text-slate-700 dark:bg-slate-800 dark:text-slate-300">
          {k}={v}
        </li>
      ))}
    </ul>
  );
}

/** A definition list of name → value rows. */
export function Facts({ items }: { items: [ReactNode, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      {items.map(([k, v], i) => (
        <div key={i} className="contents">
          <dt className="text-slate-500 dark:text-slate-400">{k}</dt>
          <dd className="min-w-0 break-words">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Loading({ what }: { what: string }) {
  return <p className="text-sm text-slate-500 dark:text-slate-400">Loading {what}…</p>;
}
