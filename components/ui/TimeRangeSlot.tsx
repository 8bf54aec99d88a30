"use client";

import { Suspense } from "react";
import { TimeRangePicker } from "./TimeRangePicker";

/** The picker behind a Suspense boundary (it reads the URL's search params). */
export function TimeRangeSlot({ onRefresh }: { onRefresh?: () => void }) {
  return (
    <Suspense fallback={<div className="h-8 w-40 rounded border border-slate-200 dark:border-slate-800" aria-hidden />}>
      <TimeRangePicker onRefresh={onRefresh} />
    </Suspense>
  );
}
