"use client";

import { useMemo, useState } from "react";
import { Button } from "@/components/ui/Button";
import { cn } from "@/components/ui/cn";
import type { HighlightSpec, LogHit } from "@/server/logs/search/contract";
import { HighlightedText } from "./HighlightedText";
import { hitDocument, hitFields, valueText } from "./hit-fields";
import { FieldActions } from "./FieldActions";
import { useCopy } from "./useCopy";

/** An expanded row: every field as a table (filter for / out, toggle column) or the JSON document. */
export function HitDetails({
  hit,
  specs,
  columns,
  onFilter,
  onToggleColumn,
  onSurrounding,
}: {
  hit: LogHit;
  specs: readonly HighlightSpec[];
  columns: readonly string[];
  onFilter: (field: string, value: string, negate: boolean) => void;
  onToggleColumn: (field: string) => void;
  onSurrounding?: () => void;
}) {
  const [tab, setTab] = useState<"table" | "json">("table");
  const fields = useMemo(() => hitFields(hit), [hit]);
  const json = useMemo(() => JSON.stringify(hitDocument(hit), null, 2), [hit]);
  const { copy, copied, failed } = useCopy();

  return (
    <div className="border-t border-slate-200 bg-slate-50/70 px-3 py-2 dark:border-slate-800 dark:bg-slate-900/60" data-testid="hit-details">
      <div className="mb-2 flex items-center gap-2">
        <div role="tablist" aria-label="Event view" className="inline-flex rounded border border-slate-300 text-xs dark:border-slate-700">
          {(["table", "json"] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              onClick={() => setTab(t)}
              className={cn(
                "px-2.5 py-1 font-medium first:rounded-l last:rounded-r",
                tab === t ? "bg-blue-600 text-white" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
              )}
            >
              {t === "table" ? "Table" : "JSON"}
            </button>
          ))}
        </div>
        {onSurrounding && (
          <Button size="sm" onClick={onSurrounding}>
            Surrounding documents
          </Button>
        )}
        <span className="ml-auto font-mono text-[11px] text-slate-400" title="Event id">
          {hit.id}
        </span>
      </div>
      {tab === "table" ? (
        <table className="w-full table-fixed text-xs" aria-label="Event fields">
          <colgroup>
            <col className="w-28" />
            <col className="w-56" />
            <col />
          </colgroup>
          <tbody>
            {fields.map(([path, value]) => {
              const text = valueText(value);
              return (
                <tr key={path} className="group border-b border-slate-200/70 align-top last:border-0 dark:border-slate-800/70" data-testid="hit-field">
                  <td className="py-0.5 pr-2">
                    <FieldActions
                      field={path}
                      value={text}
                      filterable={path !== "@timestamp"}
                      isColumn={columns.includes(path)}
                      onFilter={onFilter}
                      onToggleColumn={onToggleColumn}
                    />
                  </td>
                  <th scope="row" className="truncate py-0.5 pr-2 text-left font-mono font-medium text-slate-600 dark:text-slate-400" title={path}>
                    {path}
                  </th>
                  <td className="py-0.5 font-mono break-words whitespace-pre-wrap text-slate-900 dark:text-slate-100">
                    <HighlightedText text={text} field={path === "@timestamp" ? "@timestamp" : path} specs={path === "@timestamp" ? [] : specs} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <div className="relative">
          <Button size="sm" className="absolute top-1 right-1" onClick={() => copy(json)}>
            {copied ? "Copied" : failed ? "Copy failed" : "Copy"}
          </Button>
          <pre className="max-h-96 overflow-auto rounded border border-slate-200 bg-white p-2 font-mono text-xs dark:border-slate-800 dark:bg-slate-950" data-testid="hit-json">
            {json}
          </pre>
        </div>
      )}
    </div>
  );
}
