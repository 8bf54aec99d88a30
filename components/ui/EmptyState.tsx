import type { ReactNode } from "react";
import { cn } from "./cn";

export function EmptyState({ title, children, action, icon, className }: { title: string; children?: ReactNode; action?: ReactNode; icon?: ReactNode; className?: string }) {
  return (
    <div
      className={cn(
        "flex flex-col items-center justify-center rounded-md border border-dashed border-slate-300 px-6 py-12 text-center dark:border-slate-700",
        className,
      )}
    >
      {icon && <div className="mb-3 text-slate-400 dark:text-slate-500">{icon}</div>}
      <h2 className="text-sm font-semibold text-slate-800 dark:text-slate-200">{title}</h2>
      {children && <div className="mt-1 max-w-lg text-sm text-slate-500 dark:text-slate-400">{children}</div>}
      {action && <div className="mt-4">{action}</div>}
    </div>
  );
}
