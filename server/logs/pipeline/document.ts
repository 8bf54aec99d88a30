/**
 * The working document a pipeline transforms, field paths into it, and the final mapping to the
 * stored `LogEvent`.
 *
 * The document mirrors `IncomingEvent`: the core properties (message, level, service, host,
 * traceId, spanId) plus a `fields` tree (a deep copy of the event's fields; the input is never
 * mutated). A field path is dot-separated (`http.status`); a one-segment path naming a core
 * property addresses it (`level`, `host`), any other path addresses `fields`. Reading a core name
 * that is unset falls back to the field of that name; reading `a.b` falls back to a literal
 * `"a.b"` key (decoders keep dotted keys as they came).
 */
import { normaliseLevel, type IncomingEvent, type LogEvent } from "../event";
import { compileDateFormat } from "./date-format";
import { isPlainObject } from "@/server/logs/ingest/fields";

export const CORE_PROPERTIES = ["message", "level", "service", "host", "traceId", "spanId"] as const;
export type CoreProperty = (typeof CORE_PROPERTIES)[number];
const CORE_SET: ReadonlySet<string> = new Set(CORE_PROPERTIES);

export type PipelineDocument = {
  /** Event time (epoch ms): from the decoder or a `date` step; undefined until known. */
  ts: number | undefined;
  message: string;
  level?: string;
  service?: string;
  host?: string;
  traceId?: string;
  spanId?: string;
  fields: Record<string, unknown>;
};

export type PipelineContext = {
  /** The log source's name (stored on every event). */
  source: string;
  /** When the event was received (epoch ms); the event time when nothing better is known. */
  observedTs: number;
  /** Largest allowed UTF-8 size of any string value (default DEFAULT_MAX_FIELD_BYTES). */
  maxFieldBytes?: number;
};

export const DEFAULT_MAX_FIELD_BYTES = 256 * 1024;

/** A compiled field path. */
export type FieldPath = { text: string; core: CoreProperty | null; segments: readonly string[] };

type Obj = Record<string, unknown>;

export class FieldConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FieldConflictError";
  }
}

export { isPlainObject };

export function compileFieldPath(text: string): FieldPath {
  return fieldPathOf(text.split("."));
}

/** A path from segments as given (a segment may contain dots: a JSON key `"a.b"` stays one key). */
export function fieldPathOf(segments: readonly string[]): FieldPath {
  const text = segments.join(".");
  const core = segments.length === 1 && CORE_SET.has(text) ? (text as CoreProperty) : null;
  return { text, core, segments };
}

/** Deep copy of JSON-like data (plain objects and arrays; other values are shared). */
export function cloneData<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneData) as T;
  if (isPlainObject(v)) {
    const out: Obj = {};
    for (const k in v) out[k] = cloneData(v[k]);
    return out as T;
  }
  return v;
}

export function createDocument(event: IncomingEvent): PipelineDocument {
  const doc: PipelineDocument = { ts: event.ts, message: event.message, fields: cloneData(event.fields ?? {}) };
  if (event.level !== undefined) doc.level = event.level;
  if (event.service !== undefined) doc.service = event.service;
  if (event.host !== undefined) doc.host = event.host;
  if (event.traceId !== undefined) doc.traceId = event.traceId;
  if (event.spanId !== undefined) doc.spanId = event.spanId;
  return doc;
}

function getIn(root: Obj, segments: readonly string[], text: string): unknown {
  let node: unknown = root;
  for (let i = 0; i < segments.length; i++) {
    if (!isPlainObject(node)) {
      node = undefined;
      break;
    }
    node = node[segments[i]!];
  }
  if (node === undefined && segments.length > 1) return root[text];
  return node;
}

export function getField(doc: PipelineDocument, path: FieldPath): unknown {
  if (path.core !== null) {
    const v = doc[path.core];
    return v !== undefined ? v : doc.fields[path.core];
  }
  return getIn(doc.fields, path.segments, path.text);
}

function describe(v: unknown): string {
  return Array.isArray(v) ? "an array" : v === null ? "null" : `a ${typeof v}`;
}

function toCoreString(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v) ?? String(v);
}

/**
 * Sets a field. Core properties take strings (other primitives are converted; an object set on a
 * core name other than `message` goes to `fields` instead, e.g. `host: {name: …}` from JSON).
 * Throws FieldConflictError when an intermediate segment holds a non-object value.
 */
export function setField(doc: PipelineDocument, path: FieldPath, value: unknown): void {
  if (path.core !== null && (path.core === "message" || !isPlainObject(value))) {
    if (path.core === "message") doc.message = value === undefined || value === null ? "" : toCoreString(value);
    else if (value === undefined || value === null) delete doc[path.core];
    else doc[path.core] = toCoreString(value);
    return;
  }
  const segs = path.segments;
  let node = doc.fields;
  for (let i = 0; i < segs.length - 1; i++) {
    const next = node[segs[i]!];
    if (next === undefined) node = node[segs[i]!] = {};
    else if (isPlainObject(next)) node = next;
    else throw new FieldConflictError(`cannot set ${path.text}: ${segs.slice(0, i + 1).join(".")} is ${describe(next)}`);
  }
  node[segs[segs.length - 1]!] = value;
}

/** Removes a field (and parents left empty by it). Removing `message` leaves it empty. */
export function removeField(doc: PipelineDocument, path: FieldPath): void {
  if (path.core !== null) {
    if (path.core === "message") doc.message = "";
    else delete doc[path.core];
    delete doc.fields[path.core];
    return;
  }
  if (path.segments.length > 1 && path.text in doc.fields) {
    delete doc.fields[path.text];
    return;
  }
  removeIn(doc.fields, path.segments, 0);
}

function removeIn(node: Obj, segs: readonly string[], i: number): void {
  const key = segs[i]!;
  if (i === segs.length - 1) {
    delete node[key];
    return;
  }
  const next = node[key];
  if (!isPlainObject(next)) return;
  removeIn(next, segs, i + 1);
  if (Object.keys(next).length === 0) delete node[key];
}

/** Adds a tag to `fields.tags` (an array, created when missing), once. */
export function addTag(doc: PipelineDocument, tag: string): void {
  const tags = doc.fields.tags;
  if (Array.isArray(tags)) {
    if (!tags.includes(tag)) tags.push(tag);
  } else if (tags === undefined) doc.fields.tags = [tag];
  else doc.fields.tags = [tags, tag];
}

/* ---------------------------------------------------------------- size guard */

function byteLength(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

// (module-level helpers, not closures: this runs for every event)
function oversizeString(name: string, s: string, limit: number): string | null {
  if (s.length <= limit / 3) return null; // a string this short cannot exceed the limit
  const n = byteLength(s);
  return n > limit ? `oversize field ${name}: ${n} bytes > ${limit}` : null;
}

/**
 * Walks `v` for a string over `limit`; returns the offending value's path segments (innermost
 * first, names are only built on a hit: this runs for every field of every event) or null.
 */
function oversizeIn(v: unknown, limit: number): (string | number)[] | null {
  if (typeof v === "string") return v.length > limit / 3 && byteLength(v) > limit ? [] : null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = oversizeIn(v[i], limit);
      if (r) return (r.push(i), r);
    }
  } else if (isPlainObject(v)) {
    for (const k in v) {
      const r = oversizeIn(v[k], limit);
      if (r) return (r.push(k), r);
    }
  }
  return null;
}

function pathName(reversed: (string | number)[]): string {
  let name = "";
  for (let i = reversed.length - 1; i >= 0; i--) {
    const s = reversed[i]!;
    name = typeof s === "number" ? `${name}[${s}]` : name === "" ? s : `${name}.${s}`;
  }
  return name;
}

/** The first string value over `limit` UTF-8 bytes, as "oversize field X: N bytes > limit", or null. */
export function findOversize(message: string, core: Partial<Record<CoreProperty, string | null | undefined>>, fields: Obj, limit: number): string | null {
  const m = oversizeString("message", message, limit);
  if (m) return m;
  for (const k of CORE_PROPERTIES) {
    const v = core[k];
    if (k !== "message" && typeof v === "string") {
      const r = oversizeString(k, v, limit);
      if (r) return r;
    }
  }
  const at = oversizeIn(fields, limit);
  if (!at) return null;
  const name = pathName(at);
  return oversizeString(name, getPlain(fields, at), limit);
}

/** The value at reversed path `at` under `root` (a path oversizeIn returned). */
function getPlain(root: unknown, at: (string | number)[]): string {
  let v = root;
  for (let i = at.length - 1; i >= 0; i--) v = (v as Record<string | number, unknown>)[at[i]!];
  return v as string;
}

/* ---------------------------------------------------------------- final mapping */

const P = (text: string) => compileFieldPath(text);
const SERVICE_FIELDS = [P("service"), P("service.name")];
const HOST_FIELDS = [P("host"), P("host.name"), P("hostname"), P("host.hostname")];
const LEVEL_FIELDS = [P("level"), P("severity"), P("log.level")];
const TRACE_FIELDS = [P("traceId"), P("trace_id"), P("trace.id")];
const SPAN_FIELDS = [P("spanId"), P("span_id"), P("span.id")];
const TIME_FIELDS = [P("@timestamp"), P("timestamp"), P("time")];

/** Takes the first string-like value among `paths` (core first), removing the field it came from. */
function take(doc: PipelineDocument, core: CoreProperty, paths: FieldPath[], accept: (v: string) => boolean = () => true): string | null {
  const own = doc[core];
  if (typeof own === "string" && own !== "" && accept(own)) return own;
  for (const p of paths) {
    const v = p.core !== null ? doc.fields[p.core] : getIn(doc.fields, p.segments, p.text);
    if ((typeof v === "string" && v !== "") || typeof v === "number") {
      const s = String(v);
      if (!accept(s)) continue;
      if (p.core !== null) delete doc.fields[p.core];
      else removeField(doc, p);
      return s;
    }
  }
  return null;
}

const parseIso8601 = compileDateFormat("ISO8601");

/** Epoch ms from an ISO 8601 string (UTC unless it has an offset) or an epoch number (s, ms, µs or ns by magnitude). */
export function parseLooseTimestamp(v: unknown): number | null {
  if (typeof v === "number" || (typeof v === "string" && /^\d+(\.\d+)?$/.test(v))) {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) return null;
    if (n < 1e11) return Math.floor(n * 1000);
    if (n < 1e14) return Math.floor(n);
    if (n < 1e17) return Math.floor(n / 1e3);
    return Math.floor(n / 1e6);
  }
  return typeof v === "string" ? parseIso8601(v, 0) : null;
}

/**
 * Maps the document to the stored event: well-known fields become top-level (service,
 * host, level, trace and span ids, and the event time when no decoder or date step set it),
 * everything else stays in `attributes`. Consumes the document.
 */
export function finaliseDocument(doc: PipelineDocument, ctx: PipelineContext): LogEvent {
  let ts = doc.ts;
  if (ts === undefined) {
    for (const p of TIME_FIELDS) {
      const v = getIn(doc.fields, p.segments, p.text);
      const parsed = parseLooseTimestamp(v);
      if (parsed !== null) {
        ts = parsed;
        removeField(doc, p);
        break;
      }
    }
  }
  const service = take(doc, "service", SERVICE_FIELDS);
  const host = take(doc, "host", HOST_FIELDS);
  const levelRaw = take(doc, "level", LEVEL_FIELDS, (s) => normaliseLevel(s) !== null);
  const traceId = take(doc, "traceId", TRACE_FIELDS);
  const spanId = take(doc, "spanId", SPAN_FIELDS);
  // a core level that did not normalise is kept as an attribute rather than lost
  if (levelRaw === null && typeof doc.level === "string" && doc.level !== "" && doc.fields.level === undefined) doc.fields.level = doc.level;
  return {
    ts: ts ?? ctx.observedTs,
    observedTs: ctx.observedTs,
    source: ctx.source,
    service,
    host,
    level: levelRaw === null ? null : normaliseLevel(levelRaw),
    message: doc.message,
    traceId,
    spanId,
    attributes: doc.fields,
  };
}
