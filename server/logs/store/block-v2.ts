import { deflateRawSync, inflateRawSync } from "node:zlib";
import { LOG_LEVELS, type LogEvent } from "@/server/logs/event";
import { decodeAttributeColumns, encodeAttributeColumns, NO_ATTRIBUTES, selectAttributes, type AttributeSelection } from "./attr-columns";
import { ByteReader, ByteWriter, CorruptBlockError, unzigzag, zigzag } from "./bytes";
import { addValueTypes, type FieldTypes } from "./field-types";
import { decodeStrings, encodeStrings, parseJson } from "./string-column";

export { NO_ATTRIBUTES, type AttributeSelection } from "./attr-columns";

/**
 * Block payloads v2 and v3: separately compressed sections, so a reader inflates only what it
 * needs. v3 differs from v2 only in its attributes section, which is columnar (attr-columns.ts).
 *
 *   header  0x76 ('v'), version (2 or 3), varint count, varint byte length of each section (meta,
 *           ids, msg, attrs)
 *   meta    varint length + JSON [source, ...dictionary]; ts and observedTs (kind byte: 0 = zigzag
 *           varint deltas, 1 = float64 values); service and host codes (varint, 0 = null, else
 *           dictionary index + 1); level (one byte, 0 = null, else LOG_LEVELS index + 1)
 *   ids     traceId and spanId (two string columns)
 *   msg     message (one string column)
 *   attrs   v2: JSON array of the attributes objects (null for {}), deflated.
 *           v3: a column per attribute path in separately deflated groups (attr-columns.ts).
 *
 * Every section but v3's attrs is deflate-raw on its own; a section of length 0 holds only
 * defaults (no ids, no attributes, all messages empty). String columns: string-column.ts.
 *
 * A v1 payload is a bare deflate stream; 0x76 would be its first block header with block type 3,
 * which deflate reserves, so no v1 payload starts with V2_MAGIC.
 */
export const V2_MAGIC = 0x76;
const VERSION_JSON_ATTRIBUTES = 2;
const VERSION = 3;

/**
 * Deflate level per section, measured with bench/logs-block.ts: level 6 would make nginx blocks
 * ~15% smaller but encoding ~50% slower, so the large sections (messages, attributes, ids) use
 * level 1 like v1 did; the small meta section (a few KB) uses 6, at no measurable cost.
 * LOOKOUT_BLOCK_DEFLATE_LEVEL sets one level for every section.
 */
const LEVEL_OVERRIDE = process.env.LOOKOUT_BLOCK_DEFLATE_LEVEL;
const LEVELS = LEVEL_OVERRIDE === undefined ? { meta: 6, ids: 1, msg: 1, attrs: 1 } : { meta: +LEVEL_OVERRIDE, ids: +LEVEL_OVERRIDE, msg: +LEVEL_OVERRIDE, attrs: +LEVEL_OVERRIDE };
/** A header claiming more events than this is corrupt (blocks hold about 1,000). */
const MAX_EVENTS = 1_000_000;

/** Values this far from 0 (about 35,000 years in ms) or fractional are stored as float64. */
const MAX_VARINT_TIME = 2 ** 50;

/**
 * What to decode besides the meta columns. attributes: true for all; `{ paths }` for only the
 * values of those dotted paths, each under its path as one flat key (`{"http.status": 500}`, found
 * by getField; a leading `attributes.` is dropped as getField drops it), NO_ATTRIBUTES for events
 * holding none; `{ ifText }` (folded literals) for all, unless no key or string value of the block
 * contains any of them (compared case-folded as the token index folds), then NO_ATTRIBUTES for all.
 */
export type BlockSections = { message?: boolean; attributes?: AttributeSelection; ids?: boolean };

/** The always-decoded columns of a block, without building events. */
export type BlockMeta = {
  count: number;
  source: string;
  ts: Float64Array;
  observedTs: Float64Array;
  /** Index into LOG_LEVELS; -1 = no level. */
  levels: Int8Array;
  /** Index into `dict`; -1 = null. */
  services: Int32Array;
  hosts: Int32Array;
  dict: string[];
};

const LEVEL_CODE: Record<string, number> = Object.fromEntries(LOG_LEVELS.map((l, i) => [l, i + 1]));

// ---------------------------------------------------------------------------------------------
// Encoding

/**
 * The payload of events already sorted by time, and its size before compression: v3, or v2 with
 * `attributes: "json"` (for compatibility tests and bench/logs-block.ts).
 */
export function encodePayloadV2(sorted: LogEvent[], attributes: "columns" | "json" = "columns"): { payload: Buffer; rawBytes: number; fields: FieldTypes } {
  const n = sorted.length;
  const raw = [encodeMeta(sorted), encodeIds(sorted), encodeMessages(sorted)];
  const levels = [LEVELS.meta, LEVELS.ids, LEVELS.msg];
  const sections: (Buffer | null)[] = raw.map((r, i) => (r ? deflateRawSync(r, { level: levels[i] }) : null));
  let rawBytes = 0;
  let fields: FieldTypes = new Map();
  if (attributes === "json") {
    for (const e of sorted) addValueTypes(fields, "", e.attributes, 0);
    const json = encodeAttributesJson(sorted);
    raw.push(json);
    sections.push(json ? deflateRawSync(json, { level: LEVELS.attrs }) : null);
  } else {
    const columns = encodeAttributeColumns(
      sorted.map((e) => e.attributes),
      LEVELS.attrs,
    );
    sections.push(columns?.region ?? null);
    rawBytes += columns?.rawBytes ?? 0;
    if (columns) fields = columns.fields;
  }
  const header = new ByteWriter(48);
  header.byte(V2_MAGIC);
  header.byte(attributes === "json" ? VERSION_JSON_ATTRIBUTES : VERSION);
  header.varint(n);
  let total = 0;
  for (let i = 0; i < sections.length; i++) {
    header.varint(sections[i]?.length ?? 0);
    rawBytes += raw[i]?.length ?? 0;
    total += sections[i]?.length ?? 0;
  }
  const head = header.bytes();
  const payload = Buffer.allocUnsafe(head.length + total);
  head.copy(payload, 0);
  let at = head.length;
  for (const s of sections) if (s) at += s.copy(payload, at);
  return { payload, rawBytes: rawBytes + head.length, fields };
}

function encodeMeta(sorted: LogEvent[]): Buffer {
  const n = sorted.length;
  const dict: string[] = [];
  const dictIndex = new Map<string, number>();
  const code = (s: string | null): number => {
    if (s === null) return 0;
    let i = dictIndex.get(s);
    if (i === undefined) {
      i = dict.length;
      dict.push(s);
      dictIndex.set(s, i);
    }
    return i + 1;
  };
  const services = new Array<number>(n);
  const hosts = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    services[i] = code(sorted[i]!.service);
    hosts[i] = code(sorted[i]!.host);
  }
  // JSON keeps any string exact (lone surrogates included) and is tiny here.
  const head = Buffer.from(JSON.stringify([sorted[0]!.source, ...dict]));
  const w = new ByteWriter(head.length + 16 + n * 22);
  w.varint(head.length);
  head.copy(w.buf, w.pos);
  w.pos += head.length;
  writeTimes(w, sorted, "ts");
  writeTimes(w, sorted, "observedTs");
  w.ensure(n * 16);
  for (let i = 0; i < n; i++) w.varintUnchecked(services[i]!);
  for (let i = 0; i < n; i++) w.varintUnchecked(hosts[i]!);
  for (let i = 0; i < n; i++) {
    const l = sorted[i]!.level;
    w.buf[w.pos++] = l === null ? 0 : LEVEL_CODE[l]!;
  }
  return w.bytes();
}

function writeTimes(w: ByteWriter, sorted: LogEvent[], key: "ts" | "observedTs"): void {
  let integral = true;
  for (const e of sorted) {
    const v = e[key];
    if (!Number.isInteger(v) || v >= MAX_VARINT_TIME || v <= -MAX_VARINT_TIME) {
      integral = false;
      break;
    }
  }
  w.ensure(1 + sorted.length * 8);
  w.buf[w.pos++] = integral ? 0 : 1;
  if (integral) {
    let prev = 0;
    for (const e of sorted) {
      w.varintUnchecked(zigzag(e[key] - prev));
      prev = e[key];
    }
  } else {
    for (const e of sorted) w.float64(e[key]);
  }
}

function encodeIds(sorted: LogEvent[]): Buffer | null {
  const tid = sorted.map((e) => e.traceId);
  const sid = sorted.map((e) => e.spanId);
  if (tid.every((s) => s === null) && sid.every((s) => s === null)) return null;
  return encodeStrings([tid, sid]);
}

function encodeMessages(sorted: LogEvent[]): Buffer | null {
  const msg = sorted.map((e) => e.message);
  if (msg.every((s) => s === "")) return null;
  return encodeStrings([msg]);
}

function encodeAttributesJson(sorted: LogEvent[]): Buffer | null {
  const attrs = new Array<Record<string, unknown> | null>(sorted.length);
  let any = false;
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!.attributes;
    let has = false;
    for (const _k in a) {
      has = true;
      break;
    }
    attrs[i] = has ? a : null;
    any ||= has;
  }
  return any ? Buffer.from(JSON.stringify(attrs)) : null;
}

// ---------------------------------------------------------------------------------------------
// Decoding

type Layout = { version: number; count: number; meta: [number, number]; ids: [number, number]; msg: [number, number]; attrs: [number, number] };

/** The section layout; with `prefix`, `payload` may end after the sections a reader needs (checked by the caller). */
function readLayout(payload: Buffer, prefix = false): Layout {
  const r = new ByteReader(payload, 0);
  if (r.byte() !== V2_MAGIC) throw new CorruptBlockError("not a v2 payload");
  const version = r.byte();
  if (version !== VERSION && version !== VERSION_JSON_ATTRIBUTES) throw new CorruptBlockError(`unknown block version ${version}`);
  const count = r.varint();
  const lengths = [r.varint(), r.varint(), r.varint(), r.varint()];
  let at = r.pos;
  const spans = lengths.map((len) => {
    const span: [number, number] = [at, at + len];
    at += len;
    return span;
  });
  if (prefix ? at < payload.length : at !== payload.length) throw new CorruptBlockError(`sections span ${at} bytes, payload has ${payload.length}`);
  if (count === 0 || count > MAX_EVENTS || lengths[0] === 0) throw new CorruptBlockError(`bad event count ${count}`);
  return { version, count, meta: spans[0]!, ids: spans[1]!, msg: spans[2]!, attrs: spans[3]! };
}

function inflateSection(payload: Buffer, [start, end]: [number, number], name: string): Buffer {
  try {
    return inflateRawSync(payload.subarray(start, end));
  } catch (e) {
    throw new CorruptBlockError(`${name} section: ${(e as Error).message}`, { cause: e });
  }
}

/** The meta columns; `payload` may be a prefix that holds at least the meta section. */
export function decodeMetaV2(payload: Buffer, prefix = false): BlockMeta {
  const layout = readLayout(payload, prefix);
  if (payload.length < layout.meta[1]) throw new CorruptBlockError("payload prefix ends inside the meta section");
  return decodeMeta(inflateSection(payload, layout.meta, "meta"), layout.count);
}

function decodeMeta(buf: Buffer, n: number): BlockMeta {
  const r = new ByteReader(buf);
  const head = parseJson(r.utf8(r.varint()), "meta");
  if (!Array.isArray(head) || head.length === 0 || !head.every((s) => typeof s === "string")) throw new CorruptBlockError("meta section: bad dictionary");
  const [source, ...dict] = head as string[];
  const ts = readTimes(r, n);
  const observedTs = readTimes(r, n);
  const services = readCodes(r, n, dict.length);
  const hosts = readCodes(r, n, dict.length);
  const levels = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const b = r.byte();
    if (b > LOG_LEVELS.length) throw new CorruptBlockError(`meta section: level code ${b}`);
    levels[i] = b - 1;
  }
  if (r.pos !== buf.length) throw new CorruptBlockError("meta section: trailing bytes");
  return { count: n, source: source!, ts, observedTs, levels, services, hosts, dict };
}

function readTimes(r: ByteReader, n: number): Float64Array {
  const out = new Float64Array(n);
  const kind = r.byte();
  if (kind === 0) {
    let v = 0;
    for (let i = 0; i < n; i++) out[i] = v += unzigzag(r.varint());
  } else if (kind === 1) {
    for (let i = 0; i < n; i++) out[i] = r.float64();
  } else throw new CorruptBlockError(`meta section: time column kind ${kind}`);
  return out;
}

function readCodes(r: ByteReader, n: number, dictSize: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = r.varint();
    if (c > dictSize) throw new CorruptBlockError(`meta section: dictionary code ${c}`);
    out[i] = c - 1;
  }
  return out;
}

function decodeAttributesJson(buf: Buffer, n: number): (Record<string, unknown> | null)[] {
  const attrs = parseJson(buf.toString("utf8"), "attributes");
  if (!Array.isArray(attrs) || attrs.length !== n) throw new CorruptBlockError("attributes section: bad array");
  for (const a of attrs) if (typeof a !== "object" || Array.isArray(a)) throw new CorruptBlockError("attributes section: bad entry");
  return attrs as (Record<string, unknown> | null)[];
}

function decodeAttributes(payload: Buffer, layout: Layout, selection: AttributeSelection): (Record<string, unknown> | null)[] | null {
  const [start, end] = layout.attrs;
  if (selection === false || end === start) return null;
  if (layout.version === VERSION) return decodeAttributeColumns(payload.subarray(start, end), layout.count, selection);
  return selectAttributes(decodeAttributesJson(inflateSection(payload, layout.attrs, "attrs"), layout.count), selection);
}

/** Events of a v2 or v3 payload in time order; sections not asked for come back empty. */
/** Byte length of the leading part of a payload holding `sections`' data (sections are stored meta, ids, msg, attrs). */
function endOf(layout: Layout, sections: BlockSections): number {
  if (sections.attributes) return layout.attrs[1];
  if (sections.message) return layout.msg[1];
  if (sections.ids) return layout.ids[1];
  return layout.meta[1];
}

/**
 * How many leading bytes of the payload whose first bytes are `head` a reader of `sections`
 * needs (so storage can send only those); null when `head` is too short to tell or the payload
 * is not v2/v3.
 */
export function prefixLengthV2(head: Buffer, sections: BlockSections): number | null {
  if (head.length < 2 || head[0] !== V2_MAGIC) return null;
  try {
    return endOf(readLayout(head, true), sections);
  } catch {
    return null;
  }
}

/** decodePayloadV2 on a leading part of a payload (prefixLengthV2 bytes or more). */
export function decodePrefixV2(prefix: Buffer, sections: BlockSections): LogEvent[] {
  const layout = readLayout(prefix, true);
  if (prefix.length < endOf(layout, sections)) throw new CorruptBlockError(`payload prefix of ${prefix.length} bytes is too short for the sections asked for`);
  return decodeWithLayout(prefix, layout, sections);
}

export function decodePayloadV2(payload: Buffer, sections: BlockSections): LogEvent[] {
  return decodeWithLayout(payload, readLayout(payload), sections);
}

function decodeWithLayout(payload: Buffer, layout: Layout, sections: BlockSections): LogEvent[] {
  const n = layout.count;
  const meta = decodeMeta(inflateSection(payload, layout.meta, "meta"), n);
  const has = (span: [number, number]) => span[1] > span[0];
  const messages = sections.message && has(layout.msg) ? decodeStrings(inflateSection(payload, layout.msg, "msg"), n, 1, "msg")[0]! : null;
  const ids = sections.ids && has(layout.ids) ? decodeStrings(inflateSection(payload, layout.ids, "ids"), n, 2, "ids") : null;
  const attrs = decodeAttributes(payload, layout, sections.attributes ?? false);
  const tids = ids?.[0];
  const sids = ids?.[1];
  const { dict, source } = meta;
  const out = new Array<LogEvent>(n);
  for (let i = 0; i < n; i++) {
    const svc = meta.services[i]!;
    const host = meta.hosts[i]!;
    const lvl = meta.levels[i]!;
    out[i] = {
      ts: meta.ts[i]!,
      observedTs: meta.observedTs[i]!,
      source,
      service: svc < 0 ? null : dict[svc]!,
      host: host < 0 ? null : dict[host]!,
      level: lvl < 0 ? null : LOG_LEVELS[lvl]!,
      message: messages ? messages[i]! : "",
      traceId: tids ? tids[i]! : null,
      spanId: sids ? sids[i]! : null,
      attributes: attrs ? (attrs[i] ?? {}) : sections.attributes === true ? {} : NO_ATTRIBUTES,
    };
  }
  return out;
}
