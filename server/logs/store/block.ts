import { deflateRawSync, inflateRawSync } from "node:zlib";
import { LOG_LEVELS, type LogEvent, type LogLevel } from "@/server/logs/event";
import { IntSet } from "./int-set";
import { addTextTokens, fieldValueKey, fieldValueKeyFromPath, fnvPath, FNV_START } from "./tokens";

/**
 * A block: up to ~1,000 events of one source stored as one compressed row (the Loki/ClickHouse
 * approach). Columns are kept apart inside the payload (timestamps delta-encoded, service/host/
 * level dictionary-coded) so they compress well; the block row carries what block selection
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
  /** deflate-raw of the columnar JSON. */
  payload: Buffer;
  /** Size of the block's JSON before compression (bytes-in accounting). */
  rawBytes: number;
};

type Columns = {
  v: 1;
  ts: number[];
  obs: number[];
  svc: number[];
  host: number[];
  lvl: number[];
  msg: string[];
  tid: (string | null)[];
  sid: (string | null)[];
  attrs: (Record<string, unknown> | null)[];
  dict: string[];
  source: string;
};

const MAX_VALUE_TOKEN_LENGTH = 256;
/** Measured (bench:logs, 1 M events): level 1 is the fastest end to end and no larger on disk than 4 or 6 (the GIN index dominates). */
const DEFLATE_LEVEL = Number(process.env.LOOKOUT_BLOCK_DEFLATE_LEVEL ?? 1);

/**
 * Adds `field=value` keys for every scalar attribute (nested paths joined with dots, hashed piece
 * by piece without building the path strings), and the word tokens of string values — unless the
 * message already contains the value (parsed fields), whose tokens were just added.
 */
function addFieldTokens(into: IntSet, pathState: number, value: unknown, depth: number, message: string): void {
  if (value === null || value === undefined || depth > 6) return;
  if (typeof value === "string") {
    if (value.length <= MAX_VALUE_TOKEN_LENGTH) into.add(fieldValueKeyFromPath(pathState, value));
    if (!message.includes(value)) addTextTokens(into, value);
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
  const dict: string[] = [];
  const dictIndex = new Map<string, number>();
  const code = (s: string | null) => {
    if (s === null) return -1;
    let i = dictIndex.get(s);
    if (i === undefined) {
      i = dict.length;
      dict.push(s);
      dictIndex.set(s, i);
    }
    return i;
  };
  const tokens = new IntSet(4096);
  const services = new Set<string>();
  const hosts = new Set<string>();
  const levelCounts = Object.fromEntries([...LOG_LEVELS, "none"].map((l) => [l, 0])) as EncodedBlock["levelCounts"];
  const cols: Columns = { v: 1, ts: [], obs: [], svc: [], host: [], lvl: [], msg: [], tid: [], sid: [], attrs: [], dict, source: sorted[0]!.source };
  let prevTs = 0;
  let prevObs = 0;
  for (const e of sorted) {
    cols.ts.push(e.ts - prevTs);
    cols.obs.push(e.observedTs - prevObs);
    prevTs = e.ts;
    prevObs = e.observedTs;
    cols.svc.push(code(e.service));
    cols.host.push(code(e.host));
    cols.lvl.push(e.level ? LOG_LEVELS.indexOf(e.level) : -1);
    cols.msg.push(e.message);
    cols.tid.push(e.traceId);
    cols.sid.push(e.spanId);
    let hasAttrs = false;
    for (const _k in e.attributes) {
      hasAttrs = true;
      break;
    }
    // Attributes stay objects: the block is JSON-encoded once (no string-in-string escaping).
    cols.attrs.push(hasAttrs ? e.attributes : null);

    addTextTokens(tokens, e.message);
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
  const json = Buffer.from(JSON.stringify(cols));
  const rawBytes = json.length;
  const payload = deflateRawSync(json, { level: DEFLATE_LEVEL });
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
  };
}

/** Events of a block in time order. */
export function decodeBlock(payload: Buffer): LogEvent[] {
  const cols = JSON.parse(inflateRawSync(payload).toString("utf8")) as Columns;
  if (cols.v !== 1) throw new Error(`unknown block version ${String(cols.v)}`);
  const out: LogEvent[] = new Array(cols.ts.length);
  let ts = 0;
  let obs = 0;
  for (let i = 0; i < cols.ts.length; i++) {
    ts += cols.ts[i]!;
    obs += cols.obs[i]!;
    const svc = cols.svc[i]!;
    const host = cols.host[i]!;
    const lvl = cols.lvl[i]!;
    const attrs = cols.attrs[i];
    out[i] = {
      ts,
      observedTs: obs,
      source: cols.source,
      service: svc < 0 ? null : cols.dict[svc]!,
      host: host < 0 ? null : cols.dict[host]!,
      level: lvl < 0 ? null : LOG_LEVELS[lvl]!,
      message: cols.msg[i]!,
      traceId: cols.tid[i] ?? null,
      spanId: cols.sid[i] ?? null,
      attributes: attrs ?? {},
    };
  }
  return out;
}
