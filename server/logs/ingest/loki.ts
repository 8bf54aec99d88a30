/**
 * Loki push API (`POST /loki/api/v1/push`), as Promtail, Grafana Alloy, Fluent Bit's loki output,
 * Vector's loki sink and the OTel Collector's loki exporter send it.
 *
 * - JSON (`application/json`, optionally gzip): `{"streams":[{"stream":{labels},"values":[["<unix ns>",
 *   "line", {structured metadata}?]]}]}`; the legacy `{"labels":"{…}","entries":[{"ts":RFC3339,"line"}]}`
 *   stream shape is read too.
 * - protobuf (`application/x-protobuf`): a snappy-compressed (block format) `logproto.PushRequest`.
 *   Without a recognisable Content-Type, a body that parses as JSON is JSON, anything else protobuf
 *   (Loki itself defaults to protobuf).
 *
 * Labels and structured metadata → `fields` (a label wins over metadata of the same name; all are
 * kept, even those also read into columns). Service from `service_name` | `service` | `job`, host
 * from `host` | `hostname` | `instance`, level from `level` | `detected_level` | `severity`,
 * trace/span ids from `trace_id` | `traceID` | `traceId`, `span_id` | `spanID` | `spanId`.
 *
 * Item `index` counts entries across streams, in body order. A stream whose labels cannot be read
 * fails each of its entries; a stream without a readable entry list is one error item.
 */
import type { DecodedItem, IncomingEvent } from "@/server/logs/event";
import { AppError } from "@/server/lib/errors";
import { decodeBody, mediaType, uncompressSnappyBlock, type BodyLimits, type BodyMeta } from "./decode-body";
import { isPlainObject, setField, type JsonObject } from "./fields";
import { errorItem, okItem } from "./items";
import { PushRequestType, type PushRequestObject } from "./loki-schema";
import { jsonKind } from "./ndjson";
import { LabelParseError, parseLabelString } from "./prom-labels";
import { nanosToMillis, parseRfc3339 } from "./timestamp";

type Labels = Record<string, string>;
/** A value read from the body, or why it could not be. */
type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
/** One entry. `ts` undefined: the entry carried no time. */
export type LokiEntry = { ts: number | undefined; line: string; metadata: Labels };
/** A stream as both wire formats describe it. */
type LokiStream = { labels: Parsed<Labels>; entries: Parsed<Parsed<LokiEntry>[]> };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

const SERVICE_KEYS = ["service_name", "service", "job"];
const HOST_KEYS = ["host", "hostname", "instance"];
const LEVEL_KEYS = ["level", "detected_level", "severity"];
const TRACE_KEYS = ["trace_id", "traceID", "traceId"];
const SPAN_KEYS = ["span_id", "spanID", "spanId"];

/** Decodes a Loki push body (JSON or snappy protobuf) into one item per log entry. */
export function decodeLokiPush(body: Buffer, meta: BodyMeta, opts: BodyLimits): DecodedItem[] {
  const raw = decodeBody(body, meta.contentEncoding, opts.maxBytes);
  return itemsFromStreams(readStreams(raw, mediaType(meta.contentType), opts.maxBytes));
}

function readStreams(raw: Buffer, type: string, maxBytes: number): LokiStream[] {
  if (type.endsWith("json")) return streamsFromJson(parseJsonBody(raw));
  if (type.includes("protobuf")) return streamsFromProtobuf(raw, maxBytes);
  const sniffed = raw.toString("utf8", 0, Math.min(raw.length, 64)).trimStart().startsWith("{") ? tryParseJson(raw) : NOT_JSON;
  return sniffed === NOT_JSON ? streamsFromProtobuf(raw, maxBytes) : streamsFromJson(sniffed);
}

function itemsFromStreams(streams: LokiStream[]): DecodedItem[] {
  const items: DecodedItem[] = [];
  for (const [s, stream] of streams.entries()) {
    if (!stream.entries.ok) {
      items.push(errorItem(items.length, `stream ${s}: ${stream.entries.error}`));
      continue;
    }
    for (const [e, entry] of stream.entries.value.entries()) {
      items.push(itemFromEntry(items.length, `stream ${s}, entry ${e}`, stream.labels, entry));
    }
  }
  return items;
}

function itemFromEntry(index: number, where: string, labels: Parsed<Labels>, entry: Parsed<LokiEntry>): DecodedItem {
  if (!labels.ok) return errorItem(index, `${where}: ${labels.error}`);
  if (!entry.ok) return errorItem(index, `${where}: ${entry.error}`);
  return okItem(index, eventFromEntry(labels.value, entry.value));
}

/** One entry with its stream's labels to an event (see the module comment for the mapping). */
export function eventFromEntry(labels: Labels, entry: LokiEntry): IncomingEvent {
  const fields: Labels = {};
  for (const [k, v] of Object.entries(labels)) setField(fields, k, v);
  for (const [k, v] of Object.entries(entry.metadata)) if (!Object.hasOwn(fields, k)) setField(fields, k, v);
  const first = (keys: string[]) => keys.map((k) => (Object.hasOwn(fields, k) ? fields[k] : "")).find((v) => v !== "");
  return {
    ts: entry.ts,
    message: entry.line,
    level: first(LEVEL_KEYS),
    service: first(SERVICE_KEYS),
    host: first(HOST_KEYS),
    traceId: first(TRACE_KEYS),
    spanId: first(SPAN_KEYS),
    fields,
  };
}

// ---- JSON ----

const NOT_JSON = Symbol("not JSON");

function tryParseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function parseJsonBody(raw: Buffer): unknown {
  const parsed = tryParseJson(raw);
  if (parsed === NOT_JSON) throw invalid("Request body is not valid JSON (Loki push: {\"streams\":[…]})");
  return parsed;
}

function streamsFromJson(body: unknown): LokiStream[] {
  if (!isPlainObject(body) || !Array.isArray(body.streams)) {
    throw invalid('Loki push body must be a JSON object with a "streams" array');
  }
  return body.streams.map(streamFromJson);
}

function streamFromJson(stream: unknown): LokiStream {
  if (!isPlainObject(stream)) return { labels: ok({}), entries: fail(`expected a stream object, got ${jsonKind(stream)}`) };
  if (typeof stream.labels === "string" && stream.stream === undefined) return legacyStreamFromJson(stream);
  const labels = labelsFromJson(stream.stream ?? {}, "stream");
  if (!Array.isArray(stream.values)) return { labels, entries: fail('"values" must be an array of [timestamp, line] pairs') };
  return { labels, entries: ok(stream.values.map(entryFromJsonValue)) };
}

function labelsFromJson(value: unknown, what: string): Parsed<Labels> {
  if (!isPlainObject(value)) return fail(`"${what}" must be an object of string labels, got ${jsonKind(value)}`);
  const labels: Labels = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") return fail(`${what} label "${k}" must be a string, got ${jsonKind(v)}`);
    setField(labels, k, v);
  }
  return ok(labels);
}

/** `["<unix ns>", "line"]` or `["<unix ns>", "line", {"trace_id": "…"}]`. */
function entryFromJsonValue(value: unknown): Parsed<LokiEntry> {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) {
    return fail("each value must be [timestamp, line] or [timestamp, line, structured metadata]");
  }
  const [rawTs, line, rawMeta] = value as unknown[];
  const ts = typeof rawTs === "string" || (typeof rawTs === "number" && Number.isInteger(rawTs)) ? nanosToMillis(String(rawTs)) : undefined;
  if (ts === undefined) return fail(`invalid timestamp ${JSON.stringify(rawTs)}: expected unix epoch nanoseconds as a string`);
  if (typeof line !== "string") return fail(`log line must be a string, got ${jsonKind(line)}`);
  const metadata = rawMeta === undefined || rawMeta === null ? ok<Labels>({}) : labelsFromJson(rawMeta, "structured metadata");
  return metadata.ok ? ok({ ts, line, metadata: metadata.value }) : fail(metadata.error);
}

/** Loki's older push JSON: `{"labels":"{job=\"x\"}","entries":[{"ts":"2018-12-18T08:28:06.801064-04:00","line":"…"}]}`. */
function legacyStreamFromJson(stream: JsonObject): LokiStream {
  const labels = labelsFromString(String(stream.labels));
  if (!Array.isArray(stream.entries)) return { labels, entries: fail('"entries" must be an array') };
  return { labels, entries: ok(stream.entries.map(legacyEntryFromJson)) };
}

function legacyEntryFromJson(e: unknown): Parsed<LokiEntry> {
  if (!isPlainObject(e)) return fail(`expected an entry object, got ${jsonKind(e)}`);
  const ts = typeof e.ts === "string" ? parseRfc3339(e.ts) : undefined;
  if (ts === undefined) return fail(`invalid timestamp ${JSON.stringify(e.ts)}: expected RFC 3339`);
  if (typeof e.line !== "string") return fail(`log line must be a string, got ${jsonKind(e.line)}`);
  return ok({ ts, line: e.line, metadata: {} });
}

function labelsFromString(s: string): Parsed<Labels> {
  try {
    return ok(parseLabelString(s));
  } catch (err) {
    if (err instanceof LabelParseError) return fail(`invalid labels ${JSON.stringify(s)}: ${err.message}`);
    throw err;
  }
}

// ---- protobuf ----

function streamsFromProtobuf(raw: Buffer, maxBytes: number): LokiStream[] {
  const decoded = decodePushRequest(uncompressSnappyBlock(raw, maxBytes));
  return (decoded.streams ?? []).map((stream) => ({
    labels: labelsFromString(stream.labels ?? ""),
    entries: ok(
      (stream.entries ?? []).map((entry) =>
        ok<LokiEntry>({
          ts: timestampToMillis(entry.timestamp),
          line: entry.line ?? "",
          metadata: metadataFromPairs(entry.structuredMetadata ?? []),
        }),
      ),
    ),
  }));
}

function decodePushRequest(buf: Buffer): PushRequestObject {
  try {
    return PushRequestType.toObject(PushRequestType.decode(buf), { longs: String }) as PushRequestObject;
  } catch (err) {
    throw invalid(`Request body is not a valid Loki PushRequest (protobuf): ${(err as Error).message}`, err);
  }
}

function metadataFromPairs(pairs: { name?: string; value?: string }[]): Labels {
  const out: Labels = {};
  for (const p of pairs) if (p.name) setField(out, p.name, p.value ?? "");
  return out;
}

/** google.protobuf.Timestamp to epoch ms; absent → undefined (the pipeline then uses the observed time). */
function timestampToMillis(ts: { seconds?: string; nanos?: number } | undefined): number | undefined {
  if (!ts) return undefined;
  const ns = BigInt(ts.seconds ?? "0") * 1_000_000_000n + BigInt(ts.nanos ?? 0);
  return nanosToMillis(ns);
}

function invalid(userMessage: string, cause?: unknown): AppError {
  return new AppError("INVALID_INPUT", { userMessage, cause });
}
