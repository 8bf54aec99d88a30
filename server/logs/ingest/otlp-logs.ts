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
 * Format detection, AnyValue, attributes and ids are shared with OTLP metrics (./otlp-common.ts).
 */
import type { DecodedItem, IncomingEvent, LogLevel } from "@/server/logs/event";
import { LOG_LEVELS } from "@/server/logs/event";
import { decodeBody, type BodyLimits, type BodyMeta } from "./decode-body";
import { asMessage, isPlainObject, setField, type JsonObject } from "./fields";
import { errorItem, okItem } from "./items";
import {
  anyValueToJs,
  attempt,
  idToHex,
  keyValuesToObject,
  listOf,
  otlpFormat,
  OtlpValueError,
  parseOtlpJson,
  parseOtlpProtobuf,
  type Attempt,
  type OtlpFormat,
} from "./otlp-common";
import {
  ExportLogsServiceRequestType,
  ExportLogsServiceResponseType,
  type OtlpKeyValue,
  type OtlpLogRecord,
  type OtlpLogsRequest,
  type OtlpResourceLogs,
  type OtlpScopeLogs,
} from "./otlp-schema";
import { nanosToMillis } from "./timestamp";

export { anyValueToJs, encodeOtlpStatus, otlpFormat, type OtlpFormat } from "./otlp-common";

/** What a record inherits from its resource and scope. */
type Context = { service?: string; host?: string; fields: JsonObject };

/** Decodes an OTLP/HTTP logs body (after its Content-Encoding) into one item per LogRecord. */
export function decodeOtlpLogs(body: Buffer, meta: BodyMeta, opts: BodyLimits): DecodedItem[] {
  const raw = decodeBody(body, meta.contentEncoding, opts.maxBytes);
  const format = otlpFormat(meta.contentType, raw);
  return itemsFromRequest(format === "json" ? parseJsonRequest(raw) : parseProtobufRequest(raw));
}

// ---- reading the request ----

function parseJsonRequest(raw: Buffer): OtlpLogsRequest {
  return parseOtlpJson(raw, "ExportLogsServiceRequest", "resourceLogs") as OtlpLogsRequest;
}

function parseProtobufRequest(raw: Buffer): OtlpLogsRequest {
  return parseOtlpProtobuf(ExportLogsServiceRequestType, raw, "ExportLogsServiceRequest") as OtlpLogsRequest;
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

/** One LogRecord with its resource and scope context to an event. Throws OtlpValueError. */
function eventFromRecord(record: unknown, resource: Context, scope: JsonObject): IncomingEvent {
  if (!isPlainObject(record)) throw new OtlpValueError("expected a LogRecord object");
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
    if (ms === undefined) throw new OtlpValueError(`${name} must be unix epoch nanoseconds, got ${JSON.stringify(value)}`);
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
