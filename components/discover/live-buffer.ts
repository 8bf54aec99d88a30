/**
 * Live tail's rows: new events go on top (newest first), duplicates (same id) are dropped and
 * at most `cap` rows are kept. While the user has scrolled down ("paused"), arrivals wait in a
 * pending list so the rows under the reader do not move. Pure.
 */
import type { LogHit } from "@/server/logs/search/contract";

export const LIVE_CAP = 2000;

export type LiveState = { rows: LogHit[]; pending: LogHit[]; paused: boolean; received: number };

export const emptyLive = (rows: LogHit[] = []): LiveState => ({ rows: rows.slice(0, LIVE_CAP), pending: [], paused: false, received: 0 });

/** `incoming` (arrival order, oldest first) placed newest first on top of `rows`, deduplicated, capped. */
export function prependHits(rows: readonly LogHit[], incoming: readonly LogHit[], cap = LIVE_CAP): LogHit[] {
  const seen = new Set<string>();
  const out: LogHit[] = [];
  const fresh = [...incoming].sort((a, b) => b.ts - a.ts);
  for (const h of [...fresh, ...rows]) {
    if (seen.has(h.id)) continue;
    seen.add(h.id);
    out.push(h);
    if (out.length >= cap) break;
  }
  return out;
}

export function receive(state: LiveState, incoming: readonly LogHit[], cap = LIVE_CAP): LiveState {
  if (incoming.length === 0) return state;
  const received = state.received + incoming.length;
  if (state.paused) return { ...state, pending: [...state.pending, ...incoming].slice(-cap), received };
  return { ...state, rows: prependHits(state.rows, incoming, cap), received };
}

/** Pause (the user scrolled away from the top) or resume (back at the top: pending rows go in). */
export function setPaused(state: LiveState, paused: boolean, cap = LIVE_CAP): LiveState {
  if (paused === state.paused) return state;
  if (paused) return { ...state, paused: true };
  return { ...state, paused: false, pending: [], rows: prependHits(state.rows, state.pending, cap) };
}
