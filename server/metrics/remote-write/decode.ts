/**
 * Prometheus remote_write 1.0 (`POST /api/v1/write`): a snappy block-compressed protobuf
 * `prometheus.WriteRequest`. Pure (no I/O): bytes in, validated series out.
 *
 * Decisions (remote_write_spec.md, "Labels" and "Stale Markers"):
 * - Whole-request failures throw AppError: PAYLOAD_TOO_LARGE (compressed or decompressed body over
 *   `maxBytes`), INVALID_INPUT (corrupt snappy, undecodable protobuf).
 * - Bad data inside a well-formed request is reported per series in `invalid` instead: the spec
 *   lets a receiver ingest the valid series of a request ("MAY ingest valid samples") but requires
 *   HTTP 400 whenever any sample was invalid. The route stores `series`, then, if `invalid` is not
 *   empty, answers with `invalidSeriesError(invalid)` (INVALID_INPUT → 400), whose message is
 *   human-readable as the spec asks. Senders do not retry 4xx, so nothing is stored twice.
 * - A series is invalid when: a label name is empty or not `[a-zA-Z_][a-zA-Z0-9_]*`; names are
 *   not strictly sorted (that also catches repeated names); `__name__` is missing or not a valid
 *   metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`); or a sample timestamp is outside ±2^53-1 ms.
 *   Labels with an empty value are dropped, not rejected: in Prometheus an empty value means the
 *   label is absent (the spec's "MUST NOT" is on senders).
 * - Timestamps: int64 milliseconds → number, exact within Number.MAX_SAFE_INTEGER (year ±285 616).
 * - Values: float64 as JS numbers, so ±Inf and NaN pass through. NaN *payload bits* are not
 *   reliable in JS (V8 quiets signalling NaNs, e.g. when a number is stored in an array), so the
 *   stale marker 0x7ff0000000000002 is detected while decoding and flagged `stale: true` (value
 *   NaN); other NaNs are plain NaN. Store `stale`, not the bits.
 * - Histograms (native) and exemplars are not stored: counted in `histogramsIgnored` /
 *   `exemplarsIgnored`. A series with histograms only is validated but not returned.
 */
import { AppError } from "@/server/lib/errors";
import { decodeBody } from "@/server/logs/ingest/decode-body";
import { SEP_KV, SEP_PAIR } from "@/server/metrics/store/series-key";
import { METRIC_TYPES } from "./schema";
import { readWriteRequest, type WireRequest } from "./wire";

export type RemoteWriteSample = {
  timestampMs: number;
  value: number;
  /** Present (true) only on Prometheus stale markers; `value` is then NaN. */
  stale?: true;
};

export type RemoteWriteSeries = { labels: Record<string, string>; samples: RemoteWriteSample[] };

export type MetricType = (typeof METRIC_TYPES)[number];

export type RemoteWriteMetadata = { metricFamilyName: string; type: MetricType; help: string; unit: string };

/** A series rejected for bad labels or samples; `index` is its position in `WriteRequest.timeseries`. */
export type RemoteWriteSeriesError = { index: number; labels: Record<string, string>; reason: string; samples: number };

export type RemoteWriteResult = {
  series: RemoteWriteSeries[];
  metadata: RemoteWriteMetadata[];
  invalid: RemoteWriteSeriesError[];
  histogramsIgnored: number;
  exemplarsIgnored: number;
};

export type RemoteWriteLimits = { maxBytes: number };

/** Bits of the Prometheus stale marker NaN (`value.StaleNaN`). */
export const STALE_NAN_BITS = 0x7ff0000000000002n;
const QUIET_BIT = 0x0008000000000000n;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** A valid series of a request: its labels (empty values dropped), canonical key, sample range. */
export type ColumnarSeries = { labels: Readonly<Record<string, string>>; key: string; start: number; end: number };

/**
 * A request decoded into columns: `timestamps[i]` / `values[i]` for i in each series' [start, end);
 * `stale[i]` is 1 on Prometheus stale markers. Only valid series are listed (see `invalid`).
 */
export type ColumnarRemoteWrite = {
  series: ColumnarSeries[];
  timestamps: Float64Array;
  values: Float64Array;
  /** Indexes of stale markers (ascending). */
  stale: number[];
  metadata: RemoteWriteMetadata[];
  invalid: RemoteWriteSeriesError[];
  histogramsIgnored: number;
  exemplarsIgnored: number;
};

/** A decoded, validated label set, cached by its wire bytes (most requests repeat known series). */
type LabelSet = { labels: Readonly<Record<string, string>>; key: string; reason: string | null };

/**
 * An entry costs ~1 KB of heap for a 4-label series (measured), so ≤ ~100 MB per process; past
 * the bound the cache is emptied and series decode as new until seen again (slower, same result).
 */
const MAX_CACHED_LABEL_SETS = 100_000;
const labelCache = new Map<string, LabelSet>();
const isKnown = (raw: string) => labelCache.has(raw);

function labelSetOf(names: string[], values: string[]): LabelSet {
  const labels: Record<string, string> = Object.create(null);
  // Valid names are strictly sorted, so the canonical key is built in wire order.
  let key = "";
  for (let k = 0; k < names.length; k++) {
    const v = values[k]!;
    if (v === "") continue;
    labels[names[k]!] = v;
    key += names[k]! + SEP_KV + v + SEP_PAIR;
  }
  return { labels: Object.freeze(labels), key, reason: labelProblem(names, values) };
}

/**
 * Decodes a remote_write 1.0 body into columns (no object per sample): the form the ingest path
 * uses. Throws AppError PAYLOAD_TOO_LARGE or INVALID_INPUT for a body that cannot be read at all;
 * bad series are returned in `invalid`.
 */
export function decodeRemoteWriteColumns(body: Buffer, opts: RemoteWriteLimits): ColumnarRemoteWrite {
  const raw = decodeBody(body, "snappy", opts.maxBytes);
  if (labelCache.size > MAX_CACHED_LABEL_SETS) labelCache.clear(); // only between requests: `known` must stay true while reading
  let msg: WireRequest;
  try {
    msg = readWriteRequest(raw, isKnown);
  } catch (err) {
    throw new AppError("INVALID_INPUT", {
      userMessage: "Request body is not a valid remote_write protobuf (prometheus.WriteRequest)",
      cause: err,
    });
  }
  const result: ColumnarRemoteWrite = {
    series: [],
    timestamps: msg.timestamps,
    values: msg.values,
    stale: msg.stale,
    metadata: [],
    invalid: [],
    histogramsIgnored: 0,
    exemplarsIgnored: 0,
  };
  for (let index = 0; index < msg.series.length; index++) {
    const ts = msg.series[index]!;
    result.histogramsIgnored += ts.histograms;
    result.exemplarsIgnored += ts.exemplars;
    let set = ts.raw !== null ? labelCache.get(ts.raw) : undefined;
    if (!set) {
      set = labelSetOf(ts.names, ts.values);
      if (ts.raw !== null) labelCache.set(ts.raw, set);
    }
    const samples = ts.end - ts.start;
    if (set.reason) {
      result.invalid.push({ index, labels: set.labels, reason: set.reason, samples });
      continue;
    }
    if (ts.badTimestamp !== null) {
      result.invalid.push({ index, labels: set.labels, reason: `sample timestamp ${ts.badTimestamp} is out of range`, samples });
      continue;
    }
    if (samples > 0) result.series.push({ labels: set.labels, key: set.key, start: ts.start, end: ts.end });
  }
  for (const m of msg.metadata) {
    result.metadata.push({
      metricFamilyName: m.metricFamilyName,
      type: METRIC_TYPES[m.type] ?? "unknown",
      help: m.help,
      unit: m.unit,
    });
  }
  return result;
}

/**
 * Decodes a remote_write 1.0 body into one object per sample (tests and small callers; the ingest
 * path uses decodeRemoteWriteColumns). Same errors.
 */
export function decodeRemoteWrite(body: Buffer, opts: RemoteWriteLimits): RemoteWriteResult {
  const c = decodeRemoteWriteColumns(body, opts);
  const stale = new Set(c.stale);
  const series = c.series.map((s) => {
    const samples: RemoteWriteSample[] = [];
    for (let i = s.start; i < s.end; i++) {
      samples.push(stale.has(i) ? { timestampMs: c.timestamps[i]!, value: NaN, stale: true } : { timestampMs: c.timestamps[i]!, value: c.values[i]! });
    }
    return { labels: s.labels, samples };
  });
  return { series, metadata: c.metadata, invalid: c.invalid, histogramsIgnored: c.histogramsIgnored, exemplarsIgnored: c.exemplarsIgnored };
}

/**
 * True when `value` is the stale marker NaN. The quiet bit is ignored, since V8 may set it on a
 * signalling NaN (0x7ff0… → 0x7ff8…) while keeping the payload; a NaN canonicalised by arithmetic
 * has lost its payload and is not recognised.
 */
export function isStaleMarker(value: number): boolean {
  if (!Number.isNaN(value)) return false;
  const buf = Buffer.allocUnsafe(8);
  buf.writeDoubleBE(value);
  return (buf.readBigUInt64BE() & ~QUIET_BIT) === STALE_NAN_BITS;
}

/** The AppError (INVALID_INPUT → HTTP 400) to answer with when some series were rejected. */
export function invalidSeriesError(invalid: RemoteWriteSeriesError[], shown = 5): AppError {
  const samples = invalid.reduce((n, e) => n + e.samples, 0);
  const details = invalid.slice(0, shown).map((e) => `series ${e.index} ${formatLabels(e.labels)}: ${e.reason}`);
  if (invalid.length > shown) details.push(`and ${invalid.length - shown} more`);
  return new AppError("INVALID_INPUT", {
    userMessage: `${invalid.length} series (${samples} samples) rejected: ${details.join("; ")}`,
  });
}

/** Label names seen valid (bounded): most requests repeat a handful of names. */
const validNames = new Set<string>();

function labelProblem(names: string[], values: string[]): string | null {
  let prev: string | null = null;
  let name: string | null = null;
  for (let k = 0; k < names.length; k++) {
    const n = names[k]!;
    if (n === "") return "empty label name";
    if (!validNames.has(n)) {
      if (!LABEL_NAME.test(n)) return `invalid label name ${JSON.stringify(n)}`;
      if (validNames.size < 10_000) validNames.add(n);
    }
    if (prev !== null && n <= prev) {
      return n === prev ? `duplicate label name ${JSON.stringify(n)}` : `label names not sorted (${JSON.stringify(n)} after ${JSON.stringify(prev)})`;
    }
    prev = n;
    if (n === "__name__") name = values[k]!;
  }
  if (name === null || name === "") return "missing metric name (__name__ label)";
  if (!METRIC_NAME.test(name)) return `invalid metric name ${JSON.stringify(name)}`;
  return null;
}

function formatLabels(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ")}}`;
}
