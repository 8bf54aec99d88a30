"use client";

import dynamic from "next/dynamic";
import { useRef, useState, type RefObject } from "react";
import { useDismiss } from "@/components/ui/useDismiss";
import { Button } from "@/components/ui/Button";
import type { LogQueryEditorHandle, QuerySuggestions } from "./LogQueryEditor";
import { describeQueryDiagnostic, type QueryDiagnostic } from "./query-diagnostics";

const LogQueryEditor = dynamic(() => import("./LogQueryEditor"), {
  ssr: false,
  loading: () => <div className="h-8 w-full animate-pulse rounded border border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-900" aria-hidden />,
});

/** The query bar: recent queries, the editor, the Search button and the syntax error line. */
export function QueryBar({
  draft,
  onDraft,
  onRun,
  busy,
  suggestions,
  handleRef,
  history,
}: {
  draft: string;
  onDraft: (q: string) => void;
  onRun: () => void;
  busy: boolean;
  suggestions: RefObject<QuerySuggestions>;
  handleRef: RefObject<LogQueryEditorHandle | null>;
  history: string[];
}) {
  const [diagnostic, setDiagnostic] = useState<QueryDiagnostic | null>(null);
  return (
    <div>
      <div className="flex items-start gap-2">
        <HistoryMenu history={history} onPick={(q) => onDraft(q)} />
        <div className="min-w-0 flex-1">
          <LogQueryEditor value={draft} onChange={onDraft} onRun={onRun} suggestions={suggestions} handleRef={handleRef} onDiagnostic={setDiagnostic} />
        </div>
        <Button variant="primary" onClick={onRun} busy={busy} title="Search (Enter)">
          Search
        </Button>
      </div>
      {diagnostic && draft.trim() && (
        <p role="status" className="mt-1 pl-10 font-mono text-xs text-red-600 dark:text-red-400" data-testid="query-syntax-error">
          {describeQueryDiagnostic(diagnostic)}
        </p>
      )}
    </div>
  );
}

function HistoryMenu({ history, onPick }: { history: string[]; onPick: (q: string) => void }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useDismiss(open, ref, () => setOpen(false));
  return (
    <div ref={ref} className="relative">
      <Button aria-label="Recent queries" title="Recent queries" aria-expanded={open} aria-haspopup="menu" onClick={() => setOpen((o) => !o)} className="px-2">
        <svg viewBox="0 0 16 16" className="size-4" aria-hidden>
          <path d="M2.5 8a5.5 5.5 0 1 0 1.6-3.9M2.5 2.5v2.6h2.6M8 5v3l2 1.5" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </Button>
      {open && (
        <div role="menu" aria-label="Recent queries" className="absolute top-full left-0 z-40 mt-1 w-[32rem] max-w-[80vw] rounded-md border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900">
          {history.length === 0 && <p className="px-3 py-2 text-sm text-slate-500">No recent queries yet.</p>}
          {history.map((q) => (
            <button
              key={q}
              type="button"
              role="menuitem"
              onClick={() => {
                onPick(q);
                setOpen(false);
              }}
              className="block w-full truncate px-3 py-1 text-left font-mono text-xs text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
              title={q}
            >
              {q}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
