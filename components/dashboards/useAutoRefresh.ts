"use client";

import { useEffect, useRef } from "react";
import { parseDurationMs } from "@/server/metrics/duration";

/** Lowest auto-refresh interval honoured, whatever the URL says (Grafana's min_refresh_interval). */
export const MIN_REFRESH_MS = 5_000;

/** The refresh interval in ms, or null when off or not a duration. */
export function refreshIntervalMs(refresh: string): number | null {
  if (!refresh) return null;
  const ms = parseDurationMs(refresh);
  return ms === undefined ? null : Math.max(MIN_REFRESH_MS, ms);
}

/** Calls `tick` every `refresh` while the page is visible (a hidden tab does not poll). */
export function useAutoRefresh(refresh: string, tick: () => void): void {
  const tickRef = useRef(tick);
  useEffect(() => {
    tickRef.current = tick;
  });
  useEffect(() => {
    const ms = refreshIntervalMs(refresh);
    if (ms === null) return;
    const id = setInterval(() => {
      if (document.visibilityState === "visible") tickRef.current();
    }, ms);
    return () => clearInterval(id);
  }, [refresh]);
}
