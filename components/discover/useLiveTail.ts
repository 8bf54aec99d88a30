"use client";

import { useEffect, useRef, useState } from "react";
import type { LogHit } from "@/server/logs/search/contract";

export type LiveStatus = "off" | "connecting" | "live" | "reconnecting";

/** Arrivals are handed over at most this often, so a burst renders once. */
const FLUSH_MS = 250;

/**
 * Live tail over Server-Sent Events (`/api/v1/logs/tail?q=`, same-origin session cookie): each
 * `hit` event is one LogHit. EventSource reconnects by itself; `status` says how it is going.
 */
export function useLiveTail(query: string, enabled: boolean, onHits: (hits: LogHit[]) => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("off");
  const onHitsRef = useRef(onHits);
  useEffect(() => {
    onHitsRef.current = onHits;
  });

  useEffect(() => {
    if (!enabled) {
      setStatus("off");
      return;
    }
    setStatus("connecting");
    const source = new EventSource(`/api/v1/logs/tail?${new URLSearchParams({ q: query }).toString()}`);
    let buffer: LogHit[] = [];
    const timer = setInterval(() => {
      if (buffer.length === 0) return;
      const batch = buffer;
      buffer = [];
      onHitsRef.current(batch);
    }, FLUSH_MS);
    source.onopen = () => setStatus("live");
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? "off" : "reconnecting");
    source.addEventListener("hit", (e) => {
      try {
        buffer.push(JSON.parse((e as MessageEvent<string>).data) as LogHit);
      } catch {
        // A malformed event is skipped; the stream goes on.
      }
    });
    return () => {
      clearInterval(timer);
      source.close();
    };
  }, [query, enabled]);

  return status;
}
