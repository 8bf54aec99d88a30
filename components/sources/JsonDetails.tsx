import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

/** A collapsible, pretty-printed JSON value. */
export function JsonDetails({ summary, value, open, className, testId }: { summary: ReactNode; value: unknown; open?: boolean; className?: string; testId?: string }) {
  return (
    <details open={open} className={cn("group", className)} data-testid={testId}>
      <summary className="cursor-pointer list-none text-xs font-medium text-slate-600 select-none hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100 [&::-webkit-details-marker]:hidden">
        <span aria-hidden className="mr-1 inline-block w-3 transition-transform group-open:rotate-90">
          ▸
        </span>
        {summary}
      </summary>
      <pre className="mt-1 max-h-96 overflow-auto rounded border border-slate-200 bg-slate-50 p-2 font-mono text-[11px] leading-relaxed break-all whitespace-pre-wrap text-slate-800 dark:border-slate-800 dark:bg-slate-950 dark:text-slate-200">
        {JSON.stringify(value, null, 2)}
      </pre>
    </details>
  );
}
