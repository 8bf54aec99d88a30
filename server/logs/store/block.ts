import { LOG_LEVELS, type LogEvent, type LogLevel } from "@/server/logs/event";
import { decodePayloadV1 } from "./block-v1";
import { decodeMetaV2, decodePayloadV2, decodePrefixV2, encodePayloadV2, prefixLengthV2, V2_MAGIC, type BlockMeta, type BlockSections } from "./block-v2";
import { CorruptBlockError } from "./bytes";
import type { FieldTypes } from "./field-types";
import { IntSet } from "./int-set";
import { addTextTokens, fieldValueKey, fieldValueKeyFromPath, fnvPath, FNV_START, isTokenChar } from "./tokens";

export { CorruptBlockError } from "./bytes";
export { NO_ATTRIBUTES, type AttributeSelection, type BlockMeta, type BlockSections } from "./block-v2";

/**
 * A block: up to ~1,000 events of one source stored as one compressed row (the Loki/ClickHouse
 * approach). Columns are kept apart inside the payload (timestamps delta-encoded, service/host/
 * level dictionary-coded) so they compress well, in separately compressed sections so a search
 * inflates only the columns it needs (block-v2.ts); the block row carries what block selection
 * needs: time bounds, token hashes, services/hosts and per-level counts.
 */

export type EncodedBlock = {
  minTs: number;
  maxTs: number;
  count: number;
  /** Sorted, distinct token hashes (int4) of messages and field=value pairs. */
  tokens: number[];
  services: string[];
  hosts: string[];
  levelCounts: Record<LogLevel | "none", number>;
  /** The compressed columns (block-v2.ts describes the layout). */
  payload: Buffer;
  /** Size of the payload's sections before compression (bytes-in accounting). */
  rawBytes: number;
  /** Attribute paths and value types of the events (the field catalog), as the encoder saw them. */
  fields: FieldTypes;
};

const MAX_VALUE_TOKEN_LENGTH = 256;

/**
 * Adds `field=value` keys for every scalar attribute (nested paths joined with dots, hashed piece
 * by piece without building the path strings), and the word tokens of string values — unless the
 * message already contains the value (parsed fields), whose tokens were just added.
 */
/**
 * True when `value` occurs in `message` with word boundaries at both ends, so every token of the
 * value is already a token of the message (parsed fields: grok captures, JSON copies). Only the
 * first occurrence is checked; a miss just tokenises the value again.
 */
function holdsAsWords(message: string, value: string): boolean {
  const at = message.indexOf(value);
  if (at < 0) return false;
  if (value.length === 0) return true;
  const end = at + value.length;
  if (at > 0 && isTokenChar(value.charCodeAt(0)) && isTokenChar(message.charCodeAt(at - 1))) return false;
  if (end < message.length && isTokenChar(value.charCodeAt(value.length - 1)) && isTokenChar(message.charCodeAt(end))) return false;
  return true;
}

function addFieldTokens(into: IntSet, pathState: number, value: unknown, depth: number, message: string): void {
  if (value === null || value === undefined || depth > 6) return;
  if (typeof value === "string") {
    if (value.length <= MAX_VALUE_TOKEN_LENGTH) into.add(fieldValueKeyFromPath(pathState, value));
    if (!holdsAsWords(message, value)) addTextTokens(into, value);
  } else if (typeof value === "number" || typeof value === "boolean") {
    into.add(fieldValueKeyFromPath(pathState, value));
  } else if (Array.isArray(value)) {
    for (const v of value) addFieldTokens(into, pathState, v, depth + 1, message);
  } else if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    for (const k in obj) addFieldTokens(into, fnvPath(pathState, depth === 0, k), obj[k], depth + 1, message);
  }
}

export function encodeBlock(events: LogEvent[]): EncodedBlock {
  if (events.length === 0) throw new Error("empty block");
  const sorted = [...events].sort((a, b) => a.ts - b.ts);
  const tokens = new IntSet(4096);
  const services = new Set<string>();
  const hosts = new Set<string>();
  const levelCounts = Object.fromEntries([...LOG_LEVELS, "none"].map((l) => [l, 0])) as EncodedBlock["levelCounts"];
  for (const e of sorted) {
    addTextTokens(tokens, e.message);
    let hasAttrs = false;
    for (const _k in e.attributes) {
      hasAttrs = true;
      break;
    }
    if (hasAttrs) addFieldTokens(tokens, FNV_START, e.attributes, 0, e.message);
    if (e.service) {
      services.add(e.service);
      tokens.add(fieldValueKey("service", e.service));
    }
    if (e.host) {
      hosts.add(e.host);
      tokens.add(fieldValueKey("host", e.host));
    }
    if (e.level) tokens.add(fieldValueKey("level", e.level));
    if (e.traceId) tokens.add(fieldValueKey("trace_id", e.traceId));
    levelCounts[e.level ?? "none"]++;
  }
  const { payload, rawBytes, fields } = encodePayloadV2(sorted);
  return {
    minTs: sorted[0]!.ts,
    maxTs: sorted[sorted.length - 1]!.ts,
    count: sorted.length,
    tokens: tokens.sorted(),
    services: [...services],
    hosts: [...hosts],
    levelCounts,
    payload,
    rawBytes,
    fields,
  };
}

const ALL_SECTIONS: BlockSections = { message: true, attributes: true, ids: true };

/**
 * Events of a block in time order. ts, observedTs, source, service, host and level are always
 * decoded; of the other fields only the `sections` asked for (default: all). The others come
 * back empty: message "", attributes a shared frozen {} (NO_ATTRIBUTES), traceId/spanId null.
 * `attributes` may also ask for some paths only, or for all only if the block's attributes hold
 * some words (BlockSections). v1 payloads ignore `sections` and are decoded whole. Throws CorruptBlockError for a payload
 * that cannot be decoded.
 */
export function decodeBlock(payload: Buffer, sections: BlockSections = ALL_SECTIONS): LogEvent[] {
  if (payload.length === 0) throw new CorruptBlockError("empty payload");
  return payload[0] === V2_MAGIC ? decodePayloadV2(payload, sections) : decodePayloadV1(payload);
}

/**
 * How many leading bytes of a payload starting with `head` (64 bytes are enough) hold what a
 * reader of `sections` needs; null for v1 payloads or a too-short head. Storage then sends only
 * that part (substring of an uncompressed TOAST value reads only its chunks).
 */
export function blockPrefixLength(head: Buffer, sections: BlockSections): number | null {
  return prefixLengthV2(head, sections);
}

/** decodeBlockMeta on a leading part of a v2/v3 payload holding at least its meta section. */
export function decodeBlockMetaPrefix(prefix: Buffer): BlockMeta {
  if (prefix.length === 0 || prefix[0] !== V2_MAGIC) throw new CorruptBlockError("not a v2 payload prefix");
  return decodeMetaV2(prefix, true);
}

/** decodeBlock on the leading `blockPrefixLength` bytes of a v2/v3 payload. */
export function decodeBlockPrefix(prefix: Buffer, sections: BlockSections): LogEvent[] {
  if (prefix.length === 0 || prefix[0] !== V2_MAGIC) throw new CorruptBlockError("not a v2 payload prefix");
  return decodePrefixV2(prefix, sections);
}

/**
 * The always-decoded columns of a block as typed arrays (no event objects): for counting
 * events per time bucket and level, or selecting by service/host, before decoding events.
 */
export function decodeBlockMeta(payload: Buffer): BlockMeta {
  if (payload.length === 0) throw new CorruptBlockError("empty payload");
  if (payload[0] === V2_MAGIC) return decodeMetaV2(payload);
  const events = decodePayloadV1(payload);
  const n = events.length;
  const dict: string[] = [];
  const index = new Map<string, number>();
  const code = (s: string | null) => {
    if (s === null) return -1;
    let i = index.get(s);
    if (i === undefined) index.set(s, (i = dict.push(s) - 1));
    return i;
  };
  const meta: BlockMeta = {
    count: n,
    source: events[0]!.source,
    ts: new Float64Array(n),
    observedTs: new Float64Array(n),
    levels: new Int8Array(n),
    services: new Int32Array(n),
    hosts: new Int32Array(n),
    dict,
  };
  events.forEach((e, i) => {
    meta.ts[i] = e.ts;
    meta.observedTs[i] = e.observedTs;
    meta.levels[i] = e.level === null ? -1 : LOG_LEVELS.indexOf(e.level);
    meta.services[i] = code(e.service);
    meta.hosts[i] = code(e.host);
  });
  return meta;
}
