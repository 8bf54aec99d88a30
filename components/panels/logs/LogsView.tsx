"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { hitDocument } from "@/components/discover/hit-fields";
import { LevelBadge } from "@/components/discover/LevelBadge";
import { LEVEL_COLORS, levelKey } from "@/components/discover/levels";
import { NoData } from "@/components/panels/common/PanelParts";
import { formatPanelTime } from "@/components/panels/common/time-format";
import type { PanelViewProps } from "@/components/panels/types";
import { cn } from "@/components/ui/cn";
import type { LogsOptions, VisualPanel } from "@/server/dashboards/model";
import type { LogHit } from "@/server/logs/search/contract";
import { discoverLink, lineFields, logLines } from "./log-rows";

type LogsPanel = Extract<VisualPanel, { type: "logs" }>;

function LogLine({ hit, options, timezone }: { hit: LogHit; options: LogsOptions; timezone: "browser" | "utc" }) {
  const [open, setOpen] = useState(false);
  const fields = lineFields(hit, options.fields);
  return (
    <li className="border-l-2" style={{ borderLeftColor: LEVEL_COLORS[levelKey(hit.level)] }} data-testid="log-line">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className={cn("flex w-full gap-2 px-1.5 py-0.5 text-left font-mono text-xs hover:bg-slate-50 dark:hover:bg-slate-800/50", options.wrapLines ? "items-start" : "items-center")}
      >
        {options.showTime && <span className="shrink-0 text-slate-500 tabular-nums dark:text-slate-400">{formatPanelTime(hit.ts, timezone, true)}</span>}
        {options.showLevel && (
          <span className="w-12 shrink-0">
            <LevelBadge level={hit.level} />
          </span>
        )}
        {fields.map((f) => (
          <span key={f.field} className="max-w-[16rem] shrink-0 truncate text-slate-500 dark:text-slate-400" title={`${f.field}=${f.text}`}>
            {options.fields.length > 1 || !["service", "host", "source"].includes(f.field) ? <span className="opacity-70">{f.field}=</span> : null}
            {f.text}
          </span>
        ))}
        <span className={cn("min-w-0 flex-1 text-slate-800 dark:text-slate-200", options.wrapLines ? "break-words whitespace-pre-wrap" : "truncate")}>{hit.message}</span>
      </button>
      {open && (
        <pre className="mx-1.5 mb-1 max-h-72 overflow-auto rounded bg-slate-50 p-2 text-[11px] text-slate-700 dark:bg-slate-950 dark:text-slate-300" data-testid="log-line-details">
          {JSON.stringify(hitDocument(hit), null, 2)}
        </pre>
      )}
    </li>
  );
}

/** Logs: the newest (or oldest) lines of the panel's log queries; a click shows the whole event. */
export function LogsView({ panel, data, timezone }: PanelViewProps<LogsPanel>) {
  const lines = useMemo(() => logLines(data, panel.options.order), [data, panel.options.order]);
  const href = useMemo(() => discoverLink(panel.targets, data, panel.options.fields), [panel.targets, data, panel.options.fields]);
  if (!data) return null;
  const total = data.results.reduce((n, r) => n + (r.kind === "logs" ? r.total : 0), 0);
  return (
    <div className="flex h-full w-full flex-col" data-testid="logs-panel">
      <div className="flex shrink-0 items-center gap-2 pb-1 text-xs text-slate-500 dark:text-slate-400">
        <span>
          {lines.length < total ? `${lines.length} of ${total.toLocaleString("en-US")} lines` : `${lines.length} ${lines.length === 1 ? "line" : "lines"}`}
        </span>
        <span className="flex-1" />
        <Link href={href} className="text-blue-600 hover:underline dark:text-blue-400">
          Open in Discover
        </Link>
      </div>
      {lines.length === 0 ? (
        <NoData />
      ) : (
        <ul className="min-h-0 flex-1 divide-y divide-slate-100 overflow-auto dark:divide-slate-800">
          {lines.map((h) => (
            <LogLine key={h.id} hit={h} options={panel.options} timezone={timezone} />
          ))}
        </ul>
      )}
    </div>
  );
}
