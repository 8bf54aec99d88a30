/**
 * A rule's state history as timelines: for each instance (label set), the states it was in over
 * a time range, from its transitions and its current state. Pure.
 */
import type { AlertState, LabelSet } from "@/server/alerting/model";
import { sortedLabels } from "./state";

export interface Segment {
  state: AlertState;
  from: number;
  to: number;
}

export interface InstanceTimeline {
  fingerprint: string;
  labels: LabelSet;
  segments: Segment[];
}

type Transition = { fingerprint: string; labels: LabelSet; from: AlertState; to: AlertState; at: number };
type Current = { fingerprint: string; labels: LabelSet; state: AlertState };

const SEVERITY: Record<AlertState, number> = { firing: 4, error: 3, nodata: 2, pending: 1, normal: 0 };

/**
 * One timeline per instance seen in `transitions` (within the range) or in `current`: before its
 * first transition in the range it was in that transition's `from` state (an instance without
 * transitions has been in its current state all along); the last state lasts to the range's end.
 * Instances in a worse state now come first, then by labels.
 */
export function timelines(transitions: readonly Transition[], current: readonly Current[], range: { from: number; to: number }): InstanceTimeline[] {
  const by = new Map<string, { labels: LabelSet; list: Transition[] }>();
  for (const t of transitions) {
    if (t.at < range.from || t.at > range.to) continue;
    const e = by.get(t.fingerprint) ?? { labels: t.labels, list: [] };
    e.list.push(t);
    by.set(t.fingerprint, e);
  }
  for (const c of current) if (!by.has(c.fingerprint)) by.set(c.fingerprint, { labels: c.labels, list: [] });
  const now = new Map(current.map((c) => [c.fingerprint, c.state]));
  const out: InstanceTimeline[] = [];
  for (const [fingerprint, { labels, list }] of by) {
    list.sort((a, b) => a.at - b.at);
    const segments: Segment[] = [];
    let state: AlertState = list[0]?.from ?? now.get(fingerprint) ?? "normal";
    let start = range.from;
    for (const t of list) {
      if (t.at > start) segments.push({ state, from: start, to: t.at });
      state = t.to;
      start = t.at;
    }
    if (range.to > start) segments.push({ state, from: start, to: range.to });
    out.push({ fingerprint, labels, segments: merge(segments) });
  }
  const last = (t: InstanceTimeline) => t.segments[t.segments.length - 1]?.state ?? "normal";
  const key = (t: InstanceTimeline) =>
    sortedLabels(t.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
  return out.sort((a, b) => SEVERITY[last(b)] - SEVERITY[last(a)] || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Adjacent segments in the same state as one. */
function merge(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const prev = out[out.length - 1];
    if (prev && prev.state === s.state && prev.to === s.from) prev.to = s.to;
    else out.push({ ...s });
  }
  return out;
}

/** A segment's position in the range, in percent of its width. */
export function segmentBox(s: Segment, range: { from: number; to: number }): { left: number; width: number } {
  const span = Math.max(1, range.to - range.from);
  const left = ((Math.max(s.from, range.from) - range.from) / span) * 100;
  const right = ((Math.min(s.to, range.to) - range.from) / span) * 100;
  return { left, width: Math.max(0, right - left) };
}
