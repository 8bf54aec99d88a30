/** What the "Test pipeline" panel shows for one explained line (pure). */
import type { LogEvent } from "@/server/logs/event";
import type { DocumentSnapshot, PipelineExplanation } from "@/server/logs/pipeline/explain";

const iso = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString());

function withoutNulls(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== null && v !== undefined));
}

/** A step's working document, readable: times as ISO strings, empty core properties left out. */
export function displayDocument(doc: DocumentSnapshot): Record<string, unknown> {
  const { ts, message, level, service, host, traceId, spanId, fields } = doc;
  return withoutNulls({ ts: iso(ts), message, level, service, host, traceId, spanId, fields });
}

/** The stored event, readable. */
export function displayEvent(e: LogEvent): Record<string, unknown> {
  const { ts, observedTs, source, level, service, host, message, traceId, spanId, attributes } = e;
  return withoutNulls({ ts: iso(ts), observedTs: iso(observedTs), source, level, service, host, message, traceId, spanId, attributes });
}

/** Leaf paths of a document (`fields.http.status`, core properties by name) with their JSON. */
function leaves(doc: DocumentSnapshot): Map<string, string> {
  const out = new Map<string, string>();
  // Objects are walked into; an empty object below the root is a leaf of its own ("{}").
  const walk = (prefix: string, v: unknown) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v) && (prefix === "" || Object.keys(v).length > 0)) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(prefix ? `${prefix}.${k}` : k, x);
    } else out.set(prefix, JSON.stringify(v));
  };
  for (const k of ["ts", "message", "level", "service", "host", "traceId", "spanId"] as const) {
    if (doc[k] !== null) out.set(k, JSON.stringify(doc[k]));
  }
  walk("", doc.fields);
  return out;
}

export type DocumentChanges = { added: string[]; changed: string[]; removed: string[] };

/** What a step changed: leaf paths added, changed and removed (fields without the `fields.` prefix). */
export function documentChanges(before: DocumentSnapshot, after: DocumentSnapshot): DocumentChanges {
  const a = leaves(before);
  const b = leaves(after);
  const out: DocumentChanges = { added: [], changed: [], removed: [] };
  for (const [k, v] of b) {
    if (!a.has(k)) out.added.push(k);
    else if (a.get(k) !== v) out.changed.push(k);
  }
  for (const k of a.keys()) if (!b.has(k)) out.removed.push(k);
  return out;
}

export type LineOutcome =
  | { kind: "stored"; label: string }
  | { kind: "dead-letter"; label: string; reason: string }
  | { kind: "dropped"; label: string; reason: string }
  | { kind: "invalid"; label: string; reason: string };

/** Where a step index points: -1 is the event as received, `stepCount` the final event. */
export function stepName(step: number, stepType: string | null, stepCount: number): string {
  if (step < 0) return "input";
  if (step >= stepCount) return "final event";
  return `step ${step + 1}${stepType ? ` (${stepType})` : ""}`;
}

/** The end of a line's run, in words. */
export function lineOutcome(e: PipelineExplanation): LineOutcome {
  if (e.kind === "invalid") return { kind: "invalid", label: "Invalid pipeline", reason: e.error };
  const r = e.result;
  if (r.kind === "event") return { kind: "stored", label: "Stored" };
  if (r.kind === "dropped") return { kind: "dropped", label: `Dropped at ${stepName(r.step, e.steps[r.step]?.type ?? null, e.steps.length)}`, reason: r.reason };
  return { kind: "dead-letter", label: `Dead letter at ${stepName(r.step, r.stepType, e.steps.length)}`, reason: r.error };
}
