"use client";

import { useEffect, useRef, useState } from "react";
import { useTRPCClient } from "@/components/providers/trpc";
import type { ArchiveDaySummary, HistogramBucket, LogHit } from "@/server/logs/search/contract";
import { addBuckets, scanOrder } from "./archive-merge";

export type ArchiveScanState = {
  status: "idle" | "running" | "done" | "cancelled" | "error";
  daysDone: number;
  bytesDone: number;
  hits: LogHit[];
  total: number;
  buckets: HistogramBucket[];
  error: string | null;
};

const IDLE: ArchiveScanState = { status: "idle", daysDone: 0, bytesDone: 0, hits: [], total: 0, buckets: [], error: null };

/**
 * Searches the archived `days` one call per day, newest first, while `enabled`; each answer is
 * added as it arrives (progress, hits, total, histogram). A new query/range restarts it; `cancel`
 * stops after the day being read (the request is aborted).
 */
export function useArchiveScan(o: { enabled: boolean; q: string; start: number; end: number; step: number | undefined; days: readonly ArchiveDaySummary[]; perDay: number }) {
  const client = useTRPCClient();
  const [state, setState] = useState<ArchiveScanState>(IDLE);
  const abort = useRef<AbortController | null>(null);
  const daysKey = o.days.map((d) => `${d.sourceId}/${d.day}`).join(",");
  const { enabled, q, start, end, step, perDay } = o;
  const daysRef = useRef(o.days);
  daysRef.current = o.days;

  useEffect(() => {
    if (!enabled || step === undefined || !daysKey) {
      setState(IDLE);
      return;
    }
    const ctl = new AbortController();
    abort.current = ctl;
    setState({ ...IDLE, status: "running" });
    void (async () => {
      for (const d of scanOrder(daysRef.current)) {
        if (ctl.signal.aborted) return;
        try {
          const res = await client.logs.archiveScan.query({ q, start, end, sourceId: d.sourceId, day: d.day, limit: perDay, step }, { signal: ctl.signal });
          setState((s) => ({
            ...s,
            daysDone: s.daysDone + 1,
            bytesDone: s.bytesDone + d.bytes,
            hits: res.hits.length ? [...s.hits, ...res.hits] : s.hits,
            total: s.total + res.total,
            buckets: addBuckets(s.buckets, res.histogram.buckets),
          }));
        } catch (err) {
          if (ctl.signal.aborted) return;
          setState((s) => ({ ...s, status: "error", error: (err as Error).message }));
          return;
        }
      }
      if (!ctl.signal.aborted) setState((s) => ({ ...s, status: "done" }));
    })();
    return () => ctl.abort();
  }, [client, enabled, q, start, end, step, perDay, daysKey]);

  function cancel() {
    abort.current?.abort();
    setState((s) => (s.status === "running" ? { ...s, status: "cancelled" } : s));
  }
  return { state, cancel };
}
