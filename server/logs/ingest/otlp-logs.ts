/**
 * OTLP/HTTP logs (`POST /v1/logs`), as the OpenTelemetry Collector and SDK exporters send them:
 * `application/x-protobuf` (ExportLogsServiceRequest) or `application/json` (the OTLP JSON mapping:
 * lowerCamelCase names — snake_case is read too —, 64-bit integers as strings or numbers, trace and
 * span ids in hex, enums as numbers). Without a recognisable Content-Type, a body that parses as a
 * JSON object is JSON, anything else protobuf.
 *
 * Mapping per LogRecord:
 * - ts: `timeUnixNano`, else `observedTimeUnixNano` (0 = unset), to epoch ms
 * - level: `severityNumber` 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn, 17–20 error, 21–24 fatal;
 *   else `severityText` as sent
 * - message: the body; a non-string body is JSON-stringified (kvlist → object, array → array)
 * - service / host: resource attributes `service.name` / `host.name`
 * - traceId / spanId: lowercase hex (all-zero or empty ids = none)
 * - fields: record attributes (keys as sent, values as JSON), the other resource attributes as
 *   `resource.<key>`, the scope as `scope.name`, `scope.version`, `scope.<attribute>`, and
 *   `event.name` when set.
 * A record that cannot be read (bad id, bad time, malformed attribute) is an error item; its
 * neighbours are kept. Item `index` counts records across the whole request, in body order.
 */
import type { DecodedItem, IncomingEvent, LogLevel } from "@/server/logs/event";
import { LOG_LEVELS } from "@/server/logs/event";
import { AppError } from "@/server/lib/errors";
import { decodeBody, mediaType, type BodyLimits, type BodyMeta } from "./decode-body";
import { asMessage, isPlainObject, setField, type JsonObject } from "./fields";
import { errorItem, okItem } from "./items";
import {
  ExportLogsServiceRequestType,
  ExportLogsServiceResponseType,
  RpcStatusType,
  type OtlpAnyValue,
  type OtlpKeyValue,
  type OtlpLogRecord,
  type OtlpLogsRequest,
  type OtlpResourceLogs,
  type OtlpScopeLogs,
} from "./otlp-schema";
import { nanosToMillis } from "./timestamp";

export type OtlpFormat = "json" | "protobuf";

/** What a record inherits from its resource and scope. */
type Context = { service?: string; host?: string; fields: JsonObject };

/** A record, resource or scope that cannot be read; becomes an error item. */
class RecordError extends Error {}

const MAX_VALUE_DEPTH = 32;

/** Decodes an OTLP/HTTP logs body (after its Content-Encoding) into one item per LogRecord. */
export function decodeOtlpLogs(body: Buffer, meta: BodyMeta, opts: BodyLimits): DecodedItem[] {
  const raw = decodeBody(body, meta.contentEncoding, opts.maxBytes);
  const format = otlpFormat(meta.contentType, raw);
  return itemsFromRequest(format === "json" ? parseJsonRequest(raw) : parseProtobufRequest(raw));
}

/**
 * The format of a request (and of its response): from the Content-Type, else sniffed from the body
 * (JSON when it starts with `{`).
 */
export function otlpFormat(contentType: string | null | undefined, body?: Buffer): OtlpFormat {
  const type = mediaType(contentType);
  if (type.endsWith("json")) return "json";
  if (type.includes("protobuf")) return "protobuf";
  const head = body?.toString("utf8", 0, Math.min(body.length, 64)).trimStart() ?? "";
  return head.startsWith("{") ? "json" : "protobuf";
}

// ---- reading the request ----

function parseJsonRequest(raw: Buffer): OtlpLogsRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch (err) {
    throw invalid("Request body is not valid JSON (OTLP/JSON ExportLogsServiceRequest)", err);
  }
  if (!isPlainObject(parsed)) throw invalid("OTLP/JSON body must be an object with a resourceLogs array");
  return camelizeKeys(parsed) as OtlpLogsRequest;
}

function parseProtobufRequest(raw: Buffer): OtlpLogsRequest {
  try {
    return ExportLogsServiceRequestType.toObject(ExportLogsServiceRequestType.decode(raw), { longs: String }) as OtlpLogsRequest;
  } catch (err) {
    throw invalid(`Request body is not a valid OTLP ExportLogsServiceRequest (protobuf): ${(err as Error).message}`, err);
  }
}

/** OTLP/JSON receivers accept proto field names too: `time_unix_nano` → `timeUnixNano`. Only object keys change. */
function camelizeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelizeKeys);
  if (!isPlainObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, child] of Object.entries(v)) setField(out, k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), camelizeKeys(child));
  return out;
}

function itemsFromRequest(request: OtlpLogsRequest): DecodedItem[] {
  const items: DecodedItem[] = [];
  for (const rl of listOf<OtlpResourceLogs>(request.resourceLogs, "resourceLogs")) {
    const resource = attempt(() => resourceContext(rl.resource));
    for (const sl of listOf<OtlpScopeLogs>(rl.scopeLogs, "scopeLogs")) {
      const scope = attempt(() => scopeFields(sl.scope));
      for (const record of listOf<unknown>(sl.logRecords, "logRecords", false)) {
        items.push(itemFromRecord(items.length, record, resource, scope));
      }
    }
  }
  return items;
}

/** A repeated field: absent → [], an array → itself; anything else fails the body. */
function listOf<T>(v: unknown, name: string, objectsOnly = true): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid(`OTLP body: "${name}" must be an array`);
  if (objectsOnly && !v.every(isPlainObject)) throw invalid(`OTLP body: every "${name}" entry must be an object`);
  return v as T[];
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: string };

function attempt<T>(fn: () => T): Attempt<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof RecordError) return { ok: false, error: err.message };
    throw err;
  }
}

function itemFromRecord(index: number, record: unknown, resource: Attempt<Context>, scope: Attempt<JsonObject>): DecodedItem {
  if (!resource.ok) return errorItem(index, `log record ${index}: resource: ${resource.error}`);
  if (!scope.ok) return errorItem(index, `log record ${index}: scope: ${scope.error}`);
  const event = attempt(() => eventFromRecord(record, resource.value, scope.value));
  return event.ok ? okItem(index, event.value) : errorItem(index, `log record ${index}: ${event.error}`);
}

// ---- mapping ----

function resourceContext(resource: { attributes?: OtlpKeyValue[] } | undefined): Context {
  const attrs = keyValuesToObject(resource?.attributes);
  const ctx: Context = { fields: {} };
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "service.name" && typeof value === "string" && value !== "") ctx.service = value;
    else if (key === "host.name" && typeof value === "string" && value !== "") ctx.host = value;
    else setField(ctx.fields, `resource.${key}`, value);
  }
  return ctx;
}

function scopeFields(scope: OtlpScopeLogs["scope"]): JsonObject {
  const fields: JsonObject = {};
  if (!scope) return fields;
  for (const [key, value] of Object.entries(keyValuesToObject(scope.attributes))) setField(fields, `scope.${key}`, value);
  if (typeof scope.name === "string" && scope.name !== "") setField(fields, "scope.name", scope.name);
  if (typeof scope.version === "string" && scope.version !== "") setField(fields, "scope.version", scope.version);
  return fields;
}

/** One LogRecord with its resource and scope context to an event. Throws RecordError. */
function eventFromRecord(record: unknown, resource: Context, scope: JsonObject): IncomingEvent {
  if (!isPlainObject(record)) throw new RecordError("expected a LogRecord object");
  const r = record as OtlpLogRecord;
  const fields: JsonObject = { ...resource.fields };
  for (const [k, v] of Object.entries(scope)) setField(fields, k, v);
  for (const [k, v] of Object.entries(keyValuesToObject(r.attributes))) setField(fields, k, v);
  if (typeof r.eventName === "string" && r.eventName !== "" && !Object.hasOwn(fields, "event.name")) {
    setField(fields, "event.name", r.eventName);
  }
  return {
    ts: recordTime(r),
    message: r.body === undefined || r.body === null ? "" : (asMessage(anyValueToJs(r.body, 0)) ?? ""),
    level: recordLevel(r),
    service: resource.service,
    host: resource.host,
    traceId: idToHex(r.traceId, 16, "traceId"),
    spanId: idToHex(r.spanId, 8, "spanId"),
    fields,
  };
}

function recordTime(r: OtlpLogRecord): number | undefined {
  for (const [name, value] of [["timeUnixNano", r.timeUnixNano], ["observedTimeUnixNano", r.observedTimeUnixNano]] as const) {
    if (value === undefined || value === null || value === "" || value === 0 || value === "0") continue;
    const ms = typeof value === "string" || typeof value === "number" ? nanosToMillis(String(value)) : undefined;
    if (ms === undefined) throw new RecordError(`${name} must be unix epoch nanoseconds, got ${JSON.stringify(value)}`);
    return ms;
  }
  return undefined;
}

function recordLevel(r: OtlpLogRecord): string | undefined {
  const fromNumber = severityToLevel(r.severityNumber);
  if (fromNumber) return fromNumber;
  return typeof r.severityText === "string" && r.severityText !== "" ? r.severityText : undefined;
}

/**
 * OTLP SeverityNumber (1–24, or its enum name such as `SEVERITY_NUMBER_WARN2`) to a level;
 * undefined for 0 / unspecified / out of range.
 */
export function severityToLevel(severity: unknown): LogLevel | undefined {
  if (typeof severity === "string") {
    const m = /^SEVERITY_NUMBER_(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)[234]?$/.exec(severity);
    if (m) return m[1].toLowerCase() as LogLevel;
  }
  const n = typeof severity === "string" && /^\d+$/.test(severity) ? Number(severity) : severity;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 24) return undefined;
  return LOG_LEVELS[Math.floor((n - 1) / 4)];
}

/** Trace (16 bytes) / span (8 bytes) ids: bytes (protobuf) or hex (OTLP/JSON; base64 tolerated) → lowercase hex. */
function idToHex(v: unknown, size: 8 | 16, name: string): string | undefined {
  if (v === undefined || v === null || v === "" || (v instanceof Uint8Array && v.length === 0)) return undefined;
  let hex: string | undefined;
  if (v instanceof Uint8Array) hex = v.length === size ? Buffer.from(v).toString("hex") : undefined;
  else if (typeof v === "string") hex = hexFromString(v, size);
  if (hex === undefined) {
    const shown = v instanceof Uint8Array ? `${v.length} bytes` : JSON.stringify(v);
    throw new RecordError(`${name} must be ${size} bytes (${size * 2} hex digits), got ${shown}`);
  }
  return /^0+$/.test(hex) ? undefined : hex;
}

function hexFromString(s: string, size: number): string | undefined {
  if (s.length === size * 2 && /^[0-9a-fA-F]+$/.test(s)) return s.toLowerCase();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) return undefined;
  const bytes = Buffer.from(s, "base64");
  return bytes.length === size ? bytes.toString("hex") : undefined;
}

/** A KeyValue list to an object (later keys win); throws RecordError on malformed entries. */
function keyValuesToObject(list: unknown, depth = 0): JsonObject {
  const out: JsonObject = {};
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw new RecordError("attributes must be an array of {key, value}");
  for (const kv of list as unknown[]) {
    if (!isPlainObject(kv) || typeof kv.key !== "string") throw new RecordError("each attribute must be {key: string, value: AnyValue}");
    setField(out, kv.key, anyValueToJs(kv.value, depth + 1));
  }
  return out;
}

/**
 * AnyValue to plain JSON: strings, booleans, numbers (int64 beyond 2^53 stays a decimal string;
 * NaN/Infinity stay strings), arrays, objects (kvlist), bytes as base64; an empty AnyValue → null.
 */
export function anyValueToJs(v: unknown, depth = 0): unknown {
  if (depth > MAX_VALUE_DEPTH) throw new RecordError(`values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  if (v === undefined || v === null) return null;
  if (!isPlainObject(v)) throw new RecordError("AnyValue must be an object");
  const a = v as OtlpAnyValue;
  if (a.stringValue !== undefined) return expect(a.stringValue, "string", "stringValue");
  if (a.boolValue !== undefined) return expect(a.boolValue, "boolean", "boolValue");
  if (a.intValue !== undefined) return intValue(a.intValue);
  if (a.doubleValue !== undefined) return doubleValue(a.doubleValue);
  if (a.arrayValue !== undefined) return listOfValues(a.arrayValue).map((x) => anyValueToJs(x, depth + 1));
  if (a.kvlistValue !== undefined) return keyValuesToObject(listOfValues(a.kvlistValue), depth + 1);
  if (a.bytesValue !== undefined) return bytesValue(a.bytesValue);
  return null;
}

function expect<T>(v: unknown, type: "string" | "boolean", name: string): T {
  if (typeof v !== type) throw new RecordError(`${name} must be a ${type}`);
  return v as T;
}

function intValue(v: unknown): number | string {
  const s = typeof v === "number" && Number.isInteger(v) ? String(v) : typeof v === "string" ? v.trim() : "";
  if (!/^-?\d{1,20}$/.test(s)) throw new RecordError(`intValue must be an integer, got ${JSON.stringify(v)}`);
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : s;
}

function doubleValue(v: unknown): number | string {
  if (typeof v === "number") return v;
  if (v === "NaN" || v === "Infinity" || v === "-Infinity") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  throw new RecordError(`doubleValue must be a number, got ${JSON.stringify(v)}`);
}

function bytesValue(v: unknown): string {
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (typeof v === "string") return v;
  throw new RecordError("bytesValue must be base64 text");
}

function listOfValues(container: unknown): unknown[] {
  if (!isPlainObject(container)) throw new RecordError("arrayValue/kvlistValue must be an object");
  const values = container.values;
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values)) throw new RecordError("arrayValue/kvlistValue values must be an array");
  return values;
}

// ---- responses ----

/** ExportLogsServiceResponse as an object (`{}` when everything was accepted). */
export type OtlpLogsResponse = { partialSuccess?: { rejectedLogRecords: number; errorMessage: string } };

/** The OTLP partial-success response: how many records were rejected, and why. */
export function otlpPartialSuccess(rejected: number, message: string): OtlpLogsResponse {
  return { partialSuccess: { rejectedLogRecords: rejected, errorMessage: message } };
}

/**
 * The response for decoded items: `{}` when all were accepted (OTLP: partial_success unset), else
 * a partial success counting the error items, with the first few errors as the message.
 */
export function otlpLogsResponse(items: readonly DecodedItem[], maxErrors = 5): OtlpLogsResponse {
  const errors = items.flatMap((i) => (i.ok ? [] : [i.error]));
  if (errors.length === 0) return {};
  const more = errors.length > maxErrors ? ` (and ${errors.length - maxErrors} more)` : "";
  return otlpPartialSuccess(errors.length, errors.slice(0, maxErrors).join("; ") + more);
}

/** Encodes a response in the request's format: OTLP/JSON or protobuf ExportLogsServiceResponse. */
export function encodeOtlpLogsResponse(response: OtlpLogsResponse, format: OtlpFormat): { contentType: string; body: Buffer } {
  if (format === "json") return { contentType: "application/json", body: Buffer.from(JSON.stringify(response)) };
  const message = ExportLogsServiceResponseType.fromObject(response);
  return { contentType: "application/x-protobuf", body: Buffer.from(ExportLogsServiceResponseType.encode(message).finish()) };
}

/**
 * An OTLP error body (google.rpc.Status) in the request's format, for 4xx/5xx answers.
 * `code` is a gRPC status code: 3 INVALID_ARGUMENT (default), 8 RESOURCE_EXHAUSTED, 14 UNAVAILABLE.
 */
export function encodeOtlpStatus(message: string, format: OtlpFormat, code = 3): { contentType: string; body: Buffer } {
  if (format === "json") return { contentType: "application/json", body: Buffer.from(JSON.stringify({ code, message })) };
  return { contentType: "application/x-protobuf", body: Buffer.from(RpcStatusType.encode(RpcStatusType.fromObject({ code, message })).finish()) };
}

function invalid(userMessage: string, cause?: unknown): AppError {
  return new AppError("INVALID_INPUT", { userMessage, cause });
}
