/**
 * What every OTLP/HTTP signal decoder shares (logs here, metrics in server/metrics/otlp): picking
 * the format, reading a JSON or protobuf request into the OTLP/JSON object shape, and the common
 * messages (AnyValue, KeyValue lists, resource attributes, trace/span ids).
 *
 * The OTLP JSON mapping: lowerCamelCase names (snake_case proto names are read too), 64-bit
 * integers as strings or numbers, trace and span ids in hex (base64 tolerated), enums as numbers,
 * bytes as base64. Protobuf requests are decoded with `toObject(…, { longs: String })`, which gives
 * the same shape (bytes stay Uint8Array).
 *
 * Malformed values inside a request throw `OtlpValueError`: the caller decides what that rejects
 * (a log record, a metric data point) while the rest of the request is kept. A request that cannot
 * be read at all throws AppError INVALID_INPUT.
 */
import type protobuf from "protobufjs";
import { AppError } from "@/server/lib/errors";
import { mediaType } from "./decode-body";
import { isPlainObject, setField, type JsonObject } from "./fields";
import { RpcStatusType, type OtlpAnyValue } from "./otlp-schema";

export type OtlpFormat = "json" | "protobuf";

/** A value inside an OTLP request that cannot be read; rejects the item it belongs to. */
export class OtlpValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OtlpValueError";
  }
}

const MAX_VALUE_DEPTH = 32;

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

/**
 * An OTLP/JSON request body to an object with lowerCamelCase keys. `what` names the message for
 * errors (`ExportLogsServiceRequest`); `topField` the array it must carry (`resourceLogs`).
 */
export function parseOtlpJson(raw: Buffer, what: string, topField: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch (err) {
    throw otlpInvalid(`Request body is not valid JSON (OTLP/JSON ${what})`, err);
  }
  if (!isPlainObject(parsed)) throw otlpInvalid(`OTLP/JSON body must be an object with a ${topField} array`);
  return camelizeKeys(parsed) as JsonObject;
}

/** An OTLP protobuf request body to the OTLP/JSON object shape (int64 as decimal strings). */
export function parseOtlpProtobuf(type: protobuf.Type, raw: Buffer, what: string): JsonObject {
  try {
    return type.toObject(type.decode(raw), { longs: String }) as JsonObject;
  } catch (err) {
    throw otlpInvalid(`Request body is not a valid OTLP ${what} (protobuf): ${(err as Error).message}`, err);
  }
}

/** OTLP/JSON receivers accept proto field names too: `time_unix_nano` → `timeUnixNano`. Only object keys change. */
export function camelizeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelizeKeys);
  if (!isPlainObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, child] of Object.entries(v)) setField(out, k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), camelizeKeys(child));
  return out;
}

/** A repeated field: absent → [], an array → itself; anything else fails the body (AppError). */
export function listOf<T>(v: unknown, name: string, objectsOnly = true): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw otlpInvalid(`OTLP body: "${name}" must be an array`);
  if (objectsOnly && !v.every(isPlainObject)) throw otlpInvalid(`OTLP body: every "${name}" entry must be an object`);
  return v as T[];
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; error: string };

/** Runs `fn`, turning an OtlpValueError into `{ ok: false }` (other errors propagate). */
export function attempt<T>(fn: () => T): Attempt<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof OtlpValueError) return { ok: false, error: err.message };
    throw err;
  }
}

/** Trace (16 bytes) / span (8 bytes) ids: bytes (protobuf) or hex (OTLP/JSON; base64 tolerated) → lowercase hex. */
export function idToHex(v: unknown, size: 8 | 16, name: string): string | undefined {
  if (v === undefined || v === null || v === "" || (v instanceof Uint8Array && v.length === 0)) return undefined;
  let hex: string | undefined;
  if (v instanceof Uint8Array) hex = v.length === size ? Buffer.from(v).toString("hex") : undefined;
  else if (typeof v === "string") hex = hexFromString(v, size);
  if (hex === undefined) {
    const shown = v instanceof Uint8Array ? `${v.length} bytes` : JSON.stringify(v);
    throw new OtlpValueError(`${name} must be ${size} bytes (${size * 2} hex digits), got ${shown}`);
  }
  return /^0+$/.test(hex) ? undefined : hex;
}

function hexFromString(s: string, size: number): string | undefined {
  if (s.length === size * 2 && /^[0-9a-fA-F]+$/.test(s)) return s.toLowerCase();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) return undefined;
  const bytes = Buffer.from(s, "base64");
  return bytes.length === size ? bytes.toString("hex") : undefined;
}

/** A KeyValue list (attributes) to an object (later keys win); throws OtlpValueError on malformed entries. */
export function keyValuesToObject(list: unknown, depth = 0): JsonObject {
  const out: JsonObject = {};
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw new OtlpValueError("attributes must be an array of {key, value}");
  for (const kv of list as unknown[]) {
    if (!isPlainObject(kv) || typeof kv.key !== "string") throw new OtlpValueError("each attribute must be {key: string, value: AnyValue}");
    setField(out, kv.key, anyValueToJs(kv.value, depth + 1));
  }
  return out;
}

/** The attributes of a Resource (or InstrumentationScope) message; `{}` when absent. */
export function resourceAttributes(resource: unknown): JsonObject {
  if (resource === undefined || resource === null) return {};
  if (!isPlainObject(resource)) throw new OtlpValueError("resource must be an object");
  return keyValuesToObject(resource.attributes);
}

/**
 * AnyValue to plain JSON: strings, booleans, numbers (int64 beyond 2^53 stays a decimal string;
 * NaN/Infinity stay strings), arrays, objects (kvlist), bytes as base64; an empty AnyValue → null.
 */
export function anyValueToJs(v: unknown, depth = 0): unknown {
  if (depth > MAX_VALUE_DEPTH) throw new OtlpValueError(`values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  if (v === undefined || v === null) return null;
  if (!isPlainObject(v)) throw new OtlpValueError("AnyValue must be an object");
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
  if (typeof v !== type) throw new OtlpValueError(`${name} must be a ${type}`);
  return v as T;
}

function intValue(v: unknown): number | string {
  const s = typeof v === "number" && Number.isInteger(v) ? String(v) : typeof v === "string" ? v.trim() : "";
  if (!/^-?\d{1,20}$/.test(s)) throw new OtlpValueError(`intValue must be an integer, got ${JSON.stringify(v)}`);
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : s;
}

function doubleValue(v: unknown): number | string {
  if (typeof v === "number") return v;
  if (v === "NaN" || v === "Infinity" || v === "-Infinity") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  throw new OtlpValueError(`doubleValue must be a number, got ${JSON.stringify(v)}`);
}

function bytesValue(v: unknown): string {
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (typeof v === "string") return v;
  throw new OtlpValueError("bytesValue must be base64 text");
}

function listOfValues(container: unknown): unknown[] {
  if (!isPlainObject(container)) throw new OtlpValueError("arrayValue/kvlistValue must be an object");
  const values = container.values;
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values)) throw new OtlpValueError("arrayValue/kvlistValue values must be an array");
  return values;
}

/**
 * An OTLP error body (google.rpc.Status) in the request's format, for 4xx/5xx answers.
 * `code` is a gRPC status code: 3 INVALID_ARGUMENT (default), 8 RESOURCE_EXHAUSTED, 14 UNAVAILABLE.
 */
export function encodeOtlpStatus(message: string, format: OtlpFormat, code = 3): { contentType: string; body: Buffer } {
  if (format === "json") return { contentType: "application/json", body: Buffer.from(JSON.stringify({ code, message })) };
  return { contentType: "application/x-protobuf", body: Buffer.from(RpcStatusType.encode(RpcStatusType.fromObject({ code, message })).finish()) };
}

export function otlpInvalid(userMessage: string, cause?: unknown): AppError {
  return new AppError("INVALID_INPUT", { userMessage, cause });
}
