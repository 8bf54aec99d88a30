"use client";

import { dateText, relativeText } from "./format";

/** A date in a table: relative ("5 minutes ago") or absolute, with the other form as a tooltip. */
export function Timestamp({ value, relative, fallback }: { value: Date | string | null | undefined; relative?: boolean; fallback?: string }) {
  if (!value) return <span className="text-slate-400 dark:text-slate-500">{fallback ?? (relative ? "never" : "—")}</span>;
  const d = typeof value === "string" ? new Date(value) : value;
  return (
    <time dateTime={d.toISOString()} title={relative ? dateText(d) : relativeText(d)} className="whitespace-nowrap tabular-nums">
      {relative ? relativeText(d) : dateText(d)}
    </time>
  );
}
