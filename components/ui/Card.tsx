import type { HTMLAttributes, ReactNode } from "react";
import { cn } from "./cn";

export function Card({ className, ...rest }: HTMLAttributes<HTMLDivElement>) {
  return <div className={cn("rounded-md border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900", className)} {...rest} />;
}

export function CardHeader({ title, actions, children, level = 2 }: { title: ReactNode; actions?: ReactNode; children?: ReactNode; level?: 2 | 3 }) {
  const H = level === 2 ? "h2" : "h3";
  return (
    <div className="flex items-start justify-between gap-3 border-b border-slate-200 px-4 py-2.5 dark:border-slate-800">
      <div className="min-w-0">
        <H className="text-sm font-semibold">{title}</H>
        {children && <div className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{children}</div>}
      </div>
      {actions && <div className="flex shrink-0 items-center gap-2">{actions}</div>}
    </div>
  );
}

export function CardBody({ className, ...rest }: HTMLAttributes<HTMLDivElement>) {
  return <div className={cn("px-4 py-3", className)} {...rest} />;
}
