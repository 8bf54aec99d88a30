import type { ReactNode } from "react";
import { cn } from "./cn";

/** A success / info line announced politely to screen readers (role="status"). */
export function Notice({ children, onDismiss, className }: { children: ReactNode; onDismiss?: () => void; className?: string }) {
  return (
    <div
      role="status"
      className={cn(
        "flex items-start gap-2 rounded border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200",
        className,
      )}
    >
      <div className="min-w-0 flex-1">{children}</div>
      {onDismiss && (
        <button type="button" onClick={onDismiss} className="shrink-0 rounded px-1 text-xs hover:bg-emerald-100 dark:hover:bg-emerald-900" aria-label="Dismiss">
          ✕
        </button>
      )}
    </div>
  );
}
