import type { ReactNode } from "react";
import { cn } from "./cn";

/** An error box (role="alert"): the user-facing message of a failed request or action. */
export function ErrorMessage({ title, children, onDismiss, className }: { title?: string; children: ReactNode; onDismiss?: () => void; className?: string }) {
  return (
    <div
      role="alert"
      data-testid="error-message"
      className={cn(
        "flex items-start gap-2 rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200",
        className,
      )}
    >
      <div className="min-w-0 flex-1 break-words whitespace-pre-line">
        {title && <p className="font-medium">{title}</p>}
        {children}
      </div>
      {onDismiss && (
        <button type="button" onClick={onDismiss} className="shrink-0 rounded px-1 text-xs hover:bg-red-100 dark:hover:bg-red-900" aria-label="Dismiss error">
          ✕
        </button>
      )}
    </div>
  );
}
