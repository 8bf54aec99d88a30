"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { DEFAULT_RANGE, tryResolveRange, type RangeValidation, type TimeRange } from "@/server/lib/time";

/**
 * The page's time range, kept in the URL (`?from=now-1h&to=now`, defaults when absent).
 * `resolved` turns it into dates once per change (and per `refresh()`), so query keys stay stable.
 */
export function useTimeRange(): {
  range: TimeRange;
  setRange: (r: TimeRange) => void;
  resolved: RangeValidation;
  refresh: () => void;
} {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const from = params.get("from") || DEFAULT_RANGE.from;
  const to = params.get("to") || DEFAULT_RANGE.to;
  const range = useMemo(() => ({ from, to }), [from, to]);
  const [tick, setTick] = useState(0);

  // eslint-disable-next-line react-hooks/exhaustive-deps -- `tick` re-reads the clock on refresh()
  const resolved = useMemo(() => tryResolveRange(range, new Date()), [range, tick]);

  const setRange = useCallback(
    (r: TimeRange) => {
      const next = new URLSearchParams(params.toString());
      next.set("from", r.from);
      next.set("to", r.to);
      router.replace(`${pathname}?${next.toString()}`, { scroll: false });
      setTick((t) => t + 1);
    },
    [params, pathname, router],
  );
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { range, setRange, resolved, refresh };
}
