/**
 * Native NDJSON (`POST /api/v1/logs`): one JSON object per line.
 *
 * Well-known keys: `@timestamp` | `timestamp` | `ts` | `time` (RFC 3339, or epoch s/ms/µs/ns by
 * magnitude), `message` | `msg`, `level`, `service`, `host`, `trace_id` | `traceId`,
 * `span_id` | `spanId`; everything else goes to `fields` as is (nested JSON kept). A key whose value
 * cannot be read (an unparseable timestamp, an object as `host`) also stays in `fields`.
 *
 * Per line: blank → skipped; not JSON → a plain-text message; JSON but not an object (`[1,2]`, `42`)
 * → error item; longer than `maxLineBytes` → error item. Item `index` is the 0-based line number;
 * error texts quote the 1-based line number, as editors show it.
 */
import type { DecodedItem, IncomingEvent } from "@/server/logs/event";
import { formatBytes } from "@/server/lib/units";
import { decodeBody, type BodyLimits, type BodyMeta } from "./decode-body";
import { asMessage, asNonEmptyText, isPlainObject, takeFirst, type JsonObject } from "./fields";
import { errorItem, okItem } from "./items";
import { DEFAULT_MAX_LINE_BYTES, splitLines } from "./lines";
import { parseTimestamp } from "./timestamp";

export type NdjsonOptions = BodyLimits & { maxLineBytes?: number };

const TIMESTAMP_KEYS = ["@timestamp", "timestamp", "ts", "time"] as const;
const MESSAGE_KEYS = ["message", "msg"] as const;
/** What JSON.parse could accept: objects, arrays, strings, numbers, true/false/null. */
const JSON_START = /^(?:[{["\-0-9]|true$|false$|null$)/;

/** Decodes an NDJSON body (after its Content-Encoding) into one item per non-blank line. */
export function decodeNdjson(body: Buffer, meta: BodyMeta, opts: NdjsonOptions): DecodedItem[] {
  const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const lines = splitLines(decodeBody(body, meta.contentEncoding, opts.maxBytes), maxLineBytes);
  return lines.map((line) =>
    "tooLong" in line
      ? errorItem(line.index, `line ${line.index + 1}: ${line.tooLong} bytes, longer than the ${formatBytes(maxLineBytes)} line limit`)
      : decodeNdjsonLine(line.text, line.index),
  );
}

/** One NDJSON line (0-based line number `index`) to an item. */
export function decodeNdjsonLine(text: string, index: number): DecodedItem {
  const trimmed = text.trim();
  const parsed = JSON_START.test(trimmed) ? tryParseJson(trimmed) : NOT_JSON;
  if (parsed === NOT_JSON) return okItem(index, { message: text, fields: {} });
  if (!isPlainObject(parsed)) {
    return errorItem(index, `line ${index + 1}: expected a JSON object, got ${jsonKind(parsed)}`);
  }
  return okItem(index, eventFromNdjsonObject(parsed));
}

/** Maps the well-known keys of one NDJSON object; the rest becomes `fields`. */
export function eventFromNdjsonObject(obj: JsonObject): IncomingEvent {
  const ts = takeFirst(obj, TIMESTAMP_KEYS, parseTimestamp);
  const message = takeFirst(ts.rest, MESSAGE_KEYS, asMessage);
  const level = takeFirst(message.rest, ["level"], asNonEmptyText);
  const service = takeFirst(level.rest, ["service"], asNonEmptyText);
  const host = takeFirst(service.rest, ["host"], asNonEmptyText);
  const traceId = takeFirst(host.rest, ["trace_id", "traceId"], asNonEmptyText);
  const spanId = takeFirst(traceId.rest, ["span_id", "spanId"], asNonEmptyText);
  return {
    ts: ts.value,
    message: message.value ?? "",
    level: level.value,
    service: service.value,
    host: host.value,
    traceId: traceId.value,
    spanId: spanId.value,
    fields: spanId.rest,
  };
}

const NOT_JSON = Symbol("not JSON");

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/** "an array", "a number", … for error texts. */
export function jsonKind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  const t = typeof v;
  return t === "object" ? "an object" : `a ${t}`;
}
