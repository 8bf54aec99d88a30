"use client";

import { useRef, useState } from "react";
import { useDismiss } from "@/components/ui/useDismiss";
import { Button } from "@/components/ui/Button";
import type { LogHit } from "@/server/logs/search/contract";
import { exportHref, hitsToCsv } from "./export";
import { useCopy } from "./useCopy";

const item = "block w-full px-3 py-1.5 text-left text-sm text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800";

/** Export: a streamed download of every match (CSV / NDJSON, current columns) or the loaded rows as CSV to the clipboard. */
export function ExportMenu({ query, range, columns, hits }: { query: string; range: { startMs: number; endMs: number } | null; columns: readonly string[]; hits: readonly LogHit[] }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const { copy, copied } = useCopy();
  useDismiss(open, ref, () => setOpen(false));

  const href = (format: "csv" | "ndjson") => (range ? exportHref({ query, startMs: range.startMs, endMs: range.endMs, format, columns }) : undefined);
  return (
    <div ref={ref} className="relative">
      <Button onClick={() => setOpen((o) => !o)} aria-haspopup="menu" aria-expanded={open} disabled={!range}>
        {copied ? "Copied" : "Export"}
      </Button>
      {open && (
        <div role="menu" aria-label="Export" className="absolute top-full right-0 z-40 mt-1 w-64 rounded-md border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900">
          <a role="menuitem" className={item} href={href("csv")} download onClick={() => setOpen(false)}>
            Download CSV
          </a>
          <a role="menuitem" className={item} href={href("ndjson")} download onClick={() => setOpen(false)}>
            Download NDJSON
          </a>
          <button
            type="button"
            role="menuitem"
            className={item}
            disabled={hits.length === 0}
            onClick={() => {
              void copy(hitsToCsv(hits, columns));
              setOpen(false);
            }}
          >
            Copy {hits.length.toLocaleString("en-US")} loaded rows as CSV
          </button>
          <p className="border-t border-slate-100 px-3 pt-1.5 text-[11px] text-slate-500 dark:border-slate-800">Downloads hold every match in the range (up to the server’s limit), with the table’s columns.</p>
        </div>
      )}
    </div>
  );
}
