/**
 * A log hit seen as fields, the way the query language names them: the built-in fields
 * (`level`, `service`, `trace_id`, …) and attribute paths (`http.status`, nested objects joined
 * with dots). Pure.
 */
import { attributeAt } from "@/server/logs/attribute-path";
import type { LogHit } from "@/server/logs/search/contract";

export type FieldValue = string | number | boolean | null | unknown[] | Record<string, unknown>;

/** Built-in fields in display order, with how each is read from a hit. */
const BUILTINS: ReadonlyArray<readonly [string, (h: LogHit) => FieldValue]> = [
  ["@timestamp", (h) => h.timestamp],
  ["level", (h) => h.level],
  ["service", (h) => h.service],
  ["host", (h) => h.host],
  ["source", (h) => h.source],
  ["message", (h) => h.message],
  ["trace_id", (h) => h.traceId],
  ["span_id", (h) => h.spanId],
];
const BUILTIN_GETTERS = new Map(BUILTINS);

export const isBuiltinField = (path: string): boolean => BUILTIN_GETTERS.has(path);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Attribute leaves as `[path, value]`, nested objects flattened with dots (arrays are values). */
export function flattenAttributes(attributes: Record<string, unknown>, prefix = ""): Array<[string, FieldValue]> {
  const out: Array<[string, FieldValue]> = [];
  for (const [key, value] of Object.entries(attributes)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value) && Object.keys(value).length > 0) out.push(...flattenAttributes(value, path));
    else out.push([path, (value ?? null) as FieldValue]);
  }
  return out;
}

/** Every field of the hit: built-ins first (nulls left out), then attributes sorted by path. */
export function hitFields(hit: LogHit): Array<[string, FieldValue]> {
  const out: Array<[string, FieldValue]> = [];
  for (const [name, get] of BUILTINS) {
    const v = get(hit);
    if (v !== null && v !== undefined) out.push([name, v]);
  }
  const attrs = flattenAttributes(hit.attributes ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  out.push(...attrs);
  return out;
}

/** The value of one field (undefined when the hit does not have it). A literal dotted key wins over a nested path. */
export function fieldValue(hit: LogHit, path: string): FieldValue | undefined {
  const builtin = BUILTIN_GETTERS.get(path);
  if (builtin) {
    const v = builtin(hit);
    return v === null ? undefined : v;
  }
  // The same lookup as queries: exact key, then the dots, longest key first (`{"a": {"b.c": 1}}`).
  return attributeAt(hit.attributes ?? {}, path) as FieldValue | undefined;
}

/** A value as one line of text (objects and arrays as JSON; null as "null"). */
export function valueText(v: FieldValue | undefined): string {
  if (v === undefined) return "";
  if (v === null) return "null";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

/** The hit as the JSON document shown in the row details (the API's shape, without `ts`). */
export function hitDocument(hit: LogHit): Record<string, unknown> {
  return {
    id: hit.id,
    "@timestamp": hit.timestamp,
    source: hit.source,
    service: hit.service,
    host: hit.host,
    level: hit.level,
    message: hit.message,
    trace_id: hit.traceId,
    span_id: hit.spanId,
    attributes: hit.attributes,
  };
}
