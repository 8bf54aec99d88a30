import { deflateRawSync, inflateRawSync } from "node:zlib";
import { LOG_LEVELS, type LogEvent } from "@/server/logs/event";
import { CorruptBlockError } from "./bytes";

/**
 * Block payload v1 (blocks written before v2): one deflate-raw stream of this columnar JSON.
 * New blocks are written as v2 (block-v2.ts); the v1 encoder stays for compatibility tests and
 * for comparison in bench/logs-block.ts.
 */
export type ColumnsV1 = {
  v: 1;
  /** Time deltas (the first one from 0). */
  ts: number[];
  obs: number[];
  /** Dictionary codes, -1 = null. */
  svc: number[];
  host: number[];
  /** LOG_LEVELS index, -1 = null. */
  lvl: number[];
  msg: string[];
  tid: (string | null)[];
  sid: (string | null)[];
  attrs: (Record<string, unknown> | null)[];
  dict: string[];
  source: string;
};

/** Events of a v1 payload in time order (always every field). */
export function decodePayloadV1(payload: Buffer): LogEvent[] {
  let cols: ColumnsV1;
  try {
    cols = JSON.parse(inflateRawSync(payload).toString("utf8")) as ColumnsV1;
  } catch (e) {
    throw new CorruptBlockError((e as Error).message, { cause: e });
  }
  if (cols === null || typeof cols !== "object" || cols.v !== 1) throw new CorruptBlockError(`unknown block version ${String((cols as { v?: unknown } | null)?.v)}`);
  const n = Array.isArray(cols.ts) ? cols.ts.length : -1;
  const columns = [cols.obs, cols.svc, cols.host, cols.lvl, cols.msg, cols.tid, cols.sid, cols.attrs];
  if (n < 1 || !columns.every((c) => Array.isArray(c) && c.length === n) || !Array.isArray(cols.dict)) throw new CorruptBlockError("v1 columns of different lengths");
  const out: LogEvent[] = new Array(n);
  let ts = 0;
  let obs = 0;
  for (let i = 0; i < n; i++) {
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

/** The v1 payload of events sorted by time (deflate level 1, as v1 blocks were written). */
export function encodePayloadV1(sorted: LogEvent[]): { payload: Buffer; rawBytes: number } {
  const dict: string[] = [];
  const dictIndex = new Map<string, number>();
  const code = (s: string | null) => {
    if (s === null) return -1;
    let i = dictIndex.get(s);
    if (i === undefined) dictIndex.set(s, (i = dict.push(s) - 1));
    return i;
  };
  const cols: ColumnsV1 = { v: 1, ts: [], obs: [], svc: [], host: [], lvl: [], msg: [], tid: [], sid: [], attrs: [], dict, source: sorted[0]!.source };
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
    cols.attrs.push(Object.keys(e.attributes).length ? e.attributes : null);
  }
  const json = Buffer.from(JSON.stringify(cols));
  return { payload: deflateRawSync(json, { level: 1 }), rawBytes: json.length };
}
