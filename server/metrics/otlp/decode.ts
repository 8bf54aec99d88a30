/**
 * OTLP/HTTP metrics (`POST /v1/metrics`) to Prometheus series, as the OpenTelemetry → Prometheus
 * compatibility spec and Prometheus's own OTLP receiver (`otlptranslator`, translation strategy
 * "UnderscoreEscapingWithSuffixes", the default) map them. Pure (no I/O): bytes in, series out.
 *
 * Request: `application/x-protobuf` (ExportMetricsServiceRequest) or `application/json` (OTLP/JSON:
 * lowerCamelCase or snake_case keys, int64 as strings or numbers, enums as numbers or names);
 * format detection, AnyValue and attribute reading are shared with OTLP logs (otlp-common.ts).
 * A body that cannot be read at all throws AppError INVALID_INPUT / PAYLOAD_TOO_LARGE.
 *
 * Metric names (`promMetricName`):
 * 1. The OTLP name is split into tokens on every character outside `[a-zA-Z0-9:]` (so `.`, `-`,
 *    `/`, spaces and runs of `_` all become a single `_`; leading/trailing ones vanish).
 * 2. Unit suffix: `{…}` annotations are removed from the unit (`{request}` → none,
 *    `{packet}/s` → `/s`); the rest is split at the first `/`. The main unit is spelled out
 *    (`s` seconds, `ms` milliseconds, `us` microseconds, `ns` nanoseconds, `min` minutes, `h` hours,
 *    `d` days, `By` bytes, `KiBy` kibibytes, `MiBy` mebibytes, `GiBy` gibibytes, `TiBy` tibibytes,
 *    `KBy` kilobytes, `MBy` megabytes, `GBy` gigabytes, `TBy` terabytes, `m` meters, `V` volts,
 *    `A` amperes, `J` joules, `W` watts, `g` grams, `Cel` celsius, `Hz` hertz, `%` percent, `1`
 *    nothing; any other unit is used as written, sanitised) and appended unless the name already
 *    has that token. A per unit (`s` second, `m` minute, `h` hour, `d` day, `w` week, `mo` month,
 *    `y` year, others as written) appends `per_<unit>` unless the name already ends with it.
 *    So `http.server.request.duration` [s] → `http_server_request_duration_seconds`,
 *    `net.io` [By/s] → `net_io_bytes_per_second`.
 * 3. `_total` for monotonic cumulative sums (counters): every `total` token is removed, then
 *    `total` appended (`requests.total.count` → `requests_count_total`).
 * 4. `_ratio` for gauges (only) with unit `1`, the same way (`system.cpu.utilization` →
 *    `system_cpu_utilization_ratio`). Non-monotonic sums, histograms and summaries get no `_ratio`.
 * 5. A name starting with a digit gets a `_` prefix; a name with no tokens left is rejected.
 *
 * Labels: data point attributes, names sanitised (every character outside `[a-zA-Z0-9_]` → `_`,
 * a leading digit gets a `key_` prefix); attributes whose names collide after sanitising are joined
 * with `;` in order of their original names. Values: strings as is, ints in decimal, doubles as
 * Go formats them, booleans `true`/`false`, arrays and maps as JSON; empty values are dropped.
 * From the resource: `service.namespace` + `service.name` → `job` (`namespace/name`, or the name
 * alone), `service.instance.id` → `instance` (both override attributes of the same name);
 * `opts.promoteResourceAttributes` copies the named resource attributes onto every series unless a
 * point attribute already set that label. The other resource attributes go to `target_info`: one
 * gauge series per resource (value 1, labels job, instance and those attributes) with a sample at
 * the newest data point timestamp of that resource; no `target_info` when there is nothing besides
 * job/instance. Scope name/version are not turned into labels.
 *
 * Points (timestamps: `timeUnixNano` → epoch ms, truncated; a point without one is rejected):
 * - Gauge → gauge `name`.
 * - Sum, monotonic and cumulative → counter `name_total`; non-monotonic and cumulative → gauge.
 *   Delta (or unspecified) temporality is rejected: converting it needs the running total of each
 *   series, which a stateless receiver does not have (Prometheus rejects it the same way).
 * - Histogram (explicit buckets), cumulative → `name_bucket{le=…}` with cumulative counts and
 *   `le="+Inf"` = `count`, `name_count`, and `name_sum` when the point has a sum. `le` is formatted
 *   like Prometheus (`0.5`, `1`, `+Inf`). Delta → rejected, as for sums.
 * - Summary → `name{quantile=…}`, `name_sum`, `name_count`.
 * - ExponentialHistogram → rejected (native histograms are not stored).
 * - A point flagged NO_RECORDED_VALUE becomes a stale marker (`stale: true`, value NaN) on each of
 *   its series. A number point with neither `asDouble` nor `asInt` (and no such flag) is rejected.
 * - A metric with no data field is skipped. Exemplars are ignored.
 * Samples of the same label set are merged into one series. Rejections are grouped by reason
 * (the reason names the metric) and counted in data points, as OTLP's partial success counts them.
 */
import { decodeBody } from "@/server/logs/ingest/decode-body";
import { isPlainObject, type JsonObject } from "@/server/logs/ingest/fields";
import {
  attempt,
  keyValuesToObject,
  listOf,
  otlpFormat,
  OtlpValueError,
  parseOtlpJson,
  parseOtlpProtobuf,
  resourceAttributes,
  type OtlpFormat,
} from "@/server/logs/ingest/otlp-common";
import { nanosToMillis } from "@/server/logs/ingest/timestamp";
import { formatGoFloat } from "@/server/metrics/format-float";
import type { Labels, SeriesSamplesInput } from "@/server/metrics/model";
import {
  ExportMetricsServiceRequestType,
  ExportMetricsServiceResponseType,
  FLAG_NO_RECORDED_VALUE,
  TEMPORALITY,
  type OtlpHistogramDataPoint,
  type OtlpMetric,
  type OtlpMetricsRequest,
  type OtlpNumberDataPoint,
  type OtlpResourceMetrics,
  type OtlpScopeMetrics,
  type OtlpSummaryDataPoint,
} from "./schema";

export type OtlpMetricType = "counter" | "gauge" | "histogram" | "summary";

export type OtlpMetricMetadata = { name: string; type: OtlpMetricType; help: string; unit: string };

export type OtlpRejection = { reason: string; count: number };

export type OtlpMetricsResult = {
  series: SeriesSamplesInput[];
  /** One entry per Prometheus metric family (counters by their `_total` name), first seen wins. */
  metadata: OtlpMetricMetadata[];
  /** Data points not stored, grouped by reason. */
  rejected: OtlpRejection[];
};

export type OtlpMetricsOptions = {
  /** Largest body accepted once decompressed. */
  maxBytes: number;
  /** The HTTP Content-Encoding (gzip is what the Collector sends by default). */
  contentEncoding?: string | null;
  /** Resource attributes to copy onto every series as labels (Prometheus `promote_resource_attributes`). */
  promoteResourceAttributes?: readonly string[];
};

/** Kind of OTLP metric, for the naming rules. */
export type OtlpNameKind = "gauge" | "counter" | "non-monotonic-sum" | "histogram" | "summary";

const TARGET_INFO = "target_info";
const IDENTIFYING_RESOURCE_ATTRIBUTES = new Set(["service.name", "service.namespace", "service.instance.id"]);

/** Decodes an OTLP/HTTP metrics body (after its Content-Encoding) into Prometheus series. */
export function decodeOtlpMetrics(body: Buffer, contentType: string | null | undefined, opts: OtlpMetricsOptions): OtlpMetricsResult {
  const raw = decodeBody(body, opts.contentEncoding, opts.maxBytes);
  const request =
    otlpFormat(contentType, raw) === "json"
      ? parseOtlpJson(raw, "ExportMetricsServiceRequest", "resourceMetrics")
      : parseOtlpProtobuf(ExportMetricsServiceRequestType, raw, "ExportMetricsServiceRequest");
  const out = new Collector();
  for (const rm of listOf<OtlpResourceMetrics>((request as OtlpMetricsRequest).resourceMetrics, "resourceMetrics")) {
    readResourceMetrics(out, rm, opts.promoteResourceAttributes ?? []);
  }
  return out.result();
}

// ---- names and labels ----

const UNIT_WORDS: Record<string, string> = {
  d: "days", h: "hours", min: "minutes", s: "seconds", ms: "milliseconds", us: "microseconds", ns: "nanoseconds",
  By: "bytes", KiBy: "kibibytes", MiBy: "mebibytes", GiBy: "gibibytes", TiBy: "tibibytes",
  KBy: "kilobytes", MBy: "megabytes", GBy: "gigabytes", TBy: "terabytes",
  m: "meters", V: "volts", A: "amperes", J: "joules", W: "watts", g: "grams",
  Cel: "celsius", Hz: "hertz", "%": "percent", "1": "",
};
const PER_UNIT_WORDS: Record<string, string> = { s: "second", m: "minute", h: "hour", d: "day", w: "week", mo: "month", y: "year" };

/** The Prometheus unit words of an OTLP (UCUM) unit: `s` → `seconds`, `By/s` → `bytes` + `second`. */
export function promUnit(unit: string): { main: string; per: string } {
  const bare = unit.replace(/\{[^}]*\}/g, "").trim();
  const slash = bare.indexOf("/");
  const main = (slash < 0 ? bare : bare.slice(0, slash)).trim();
  const per = slash < 0 ? "" : bare.slice(slash + 1).trim();
  return {
    main: main === "" ? "" : cleanUnit(Object.hasOwn(UNIT_WORDS, main) ? UNIT_WORDS[main] : main),
    per: per === "" ? "" : cleanUnit(Object.hasOwn(PER_UNIT_WORDS, per) ? PER_UNIT_WORDS[per] : per),
  };
}

function cleanUnit(word: string): string {
  return word.replace(/[^a-zA-Z0-9:]+/g, "_").replace(/^_+|_+$/g, "");
}

/** The Prometheus metric name of an OTLP metric (rules in the module comment); "" when nothing is left. */
export function promMetricName(name: string, unit: string, kind: OtlpNameKind): string {
  let tokens = name.split(/[^a-zA-Z0-9:]+/).filter((t) => t !== "");
  const { main, per } = promUnit(unit);
  if (main !== "" && !tokens.includes(main)) tokens.push(...main.split("_"));
  if (per !== "") {
    const perTokens = ["per", ...per.split("_")];
    const tail = tokens.slice(-perTokens.length);
    if (tail.join("_") !== perTokens.join("_")) tokens.push(...perTokens);
  }
  if (kind === "counter") tokens = [...tokens.filter((t) => t !== "total"), "total"];
  if (kind === "gauge" && unit.trim() === "1") tokens = [...tokens.filter((t) => t !== "ratio"), "ratio"];
  const joined = tokens.join("_");
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/** The Prometheus unit (metadata) for an OTLP metric: `seconds`, `bytes_per_second`, `ratio`, or "". */
function metadataUnit(unit: string, kind: OtlpNameKind): string {
  if (kind === "gauge" && unit.trim() === "1") return "ratio";
  const { main, per } = promUnit(unit);
  return [main, per === "" ? "" : `per_${per}`].filter((s) => s !== "").join("_");
}

/** An attribute name as a Prometheus label name: invalid characters → `_`, leading digit → `key_` prefix. */
export function promLabelName(key: string): string {
  const name = key.replace(/[^a-zA-Z0-9_]/g, "_");
  return /^[0-9]/.test(name) ? `key_${name}` : name;
}

/** An attribute value (as `anyValueToJs` gives it) as a label value. */
function labelValue(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return formatGoFloat(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return JSON.stringify(v);
}

/**
 * Attributes to labels: sanitised names; colliding names joined with `;` in order of the original
 * keys; empty values dropped.
 */
export function attributesToLabels(attrs: JsonObject): Labels {
  const labels: Labels = Object.create(null);
  for (const key of Object.keys(attrs).sort()) {
    const value = labelValue(attrs[key]);
    if (value === "" || key === "") continue;
    const name = promLabelName(key);
    labels[name] = Object.hasOwn(labels, name) ? `${labels[name]};${value}` : value;
  }
  return labels;
}

// ---- reading ----

/** What every series of one resource carries. */
type ResourceContext = {
  /** job / instance from the resource, set last (they win over attributes). */
  identity: Labels;
  /** Promoted resource attributes, set first (attributes win over them). */
  promoted: Labels;
  /** target_info labels, or null when the resource has no other attributes. */
  targetInfo: Labels | null;
  newestMs: number | null;
};

function readResourceMetrics(out: Collector, rm: OtlpResourceMetrics, promote: readonly string[]): void {
  const scopes = listOf<OtlpScopeMetrics>(rm.scopeMetrics, "scopeMetrics");
  const resource = attempt(() => resourceContext(resourceAttributes(rm.resource), promote));
  if (!resource.ok) {
    for (const sm of scopes) for (const m of listOf<OtlpMetric>(sm.metrics, "metrics")) out.reject(`resource: ${resource.error}`, pointCount(m));
    return;
  }
  const ctx = resource.value;
  for (const sm of scopes) {
    for (const metric of listOf<OtlpMetric>(sm.metrics, "metrics")) readMetric(out, ctx, metric);
  }
  if (ctx.targetInfo && ctx.newestMs !== null) {
    out.add(ctx.targetInfo, ctx.newestMs, 1);
    out.meta({ name: TARGET_INFO, type: "gauge", help: "Target metadata", unit: "" });
  }
}

function resourceContext(attrs: JsonObject, promote: readonly string[]): ResourceContext {
  const str = (k: string) => (Object.hasOwn(attrs, k) ? labelValue(attrs[k]) : "");
  const identity: Labels = Object.create(null);
  const service = str("service.name");
  const namespace = str("service.namespace");
  if (service !== "") identity.job = namespace !== "" ? `${namespace}/${service}` : service;
  const instance = str("service.instance.id");
  if (instance !== "") identity.instance = instance;

  const promotedAttrs: JsonObject = {};
  for (const key of promote) if (Object.hasOwn(attrs, key)) promotedAttrs[key] = attrs[key];
  const rest: JsonObject = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (!IDENTIFYING_RESOURCE_ATTRIBUTES.has(key) && !promote.includes(key)) rest[key] = value;
  }
  const infoLabels = attributesToLabels(rest);
  const targetInfo = Object.keys(infoLabels).length > 0 ? { ...infoLabels, ...identity, __name__: TARGET_INFO } : null;
  return { identity, promoted: attributesToLabels(promotedAttrs), targetInfo, newestMs: null };
}

function pointCount(m: OtlpMetric): number {
  const data = m.gauge ?? m.sum ?? m.histogram ?? m.exponentialHistogram ?? m.summary;
  return isPlainObject(data) && Array.isArray(data.dataPoints) ? data.dataPoints.length : 0;
}

function readMetric(out: Collector, ctx: ResourceContext, m: OtlpMetric): void {
  const otelName = typeof m.name === "string" ? m.name : "";
  const unit = typeof m.unit === "string" ? m.unit : "";
  const help = typeof m.description === "string" ? m.description : "";
  const shown = JSON.stringify(otelName);
  const count = pointCount(m);

  let kind: OtlpNameKind;
  if (m.gauge) kind = "gauge";
  else if (m.sum) {
    const temporality = temporalityOf(m.sum.aggregationTemporality);
    if (temporality !== TEMPORALITY.CUMULATIVE) return out.reject(temporalityReason(shown, "sum", temporality), count);
    kind = m.sum.isMonotonic === true ? "counter" : "non-monotonic-sum";
  } else if (m.histogram) {
    const temporality = temporalityOf(m.histogram.aggregationTemporality);
    if (temporality !== TEMPORALITY.CUMULATIVE) return out.reject(temporalityReason(shown, "histogram", temporality), count);
    kind = "histogram";
  } else if (m.summary) kind = "summary";
  else if (m.exponentialHistogram) {
    return out.reject(`metric ${shown}: exponential histograms are not supported (native histograms are not stored); use explicit bucket histograms`, count);
  } else return; // no data: nothing to store, nothing to count

  const name = promMetricName(otelName, unit, kind);
  if (name === "") return out.reject(`metric ${shown}: name has no characters usable in a Prometheus metric name`, count);
  const type: OtlpMetricType = kind === "counter" ? "counter" : kind === "histogram" || kind === "summary" ? kind : "gauge";

  const data = (m.gauge ?? m.sum ?? m.histogram ?? m.summary) as { dataPoints?: unknown };
  let stored = 0;
  for (const point of listOf<unknown>(data.dataPoints, `${otelName}.dataPoints`, false)) {
    const r = attempt(() => {
      if (!isPlainObject(point)) throw new OtlpValueError("data point must be an object");
      if (kind === "histogram") return histogramSamples(name, point as OtlpHistogramDataPoint);
      if (kind === "summary") return summarySamples(name, point as OtlpSummaryDataPoint);
      return numberSamples(name, point as OtlpNumberDataPoint);
    });
    if (!r.ok) {
      out.reject(`metric ${shown}: ${r.error}`, 1);
      continue;
    }
    const base: Labels = { ...ctx.promoted };
    const attrs = attributesToLabels(r.value.attributes);
    Object.assign(base, attrs, ctx.identity);
    for (const s of r.value.samples) {
      out.add({ ...base, ...s.extra, __name__: s.name }, r.value.timestampMs, r.value.stale ? NaN : s.value, r.value.stale);
    }
    ctx.newestMs = ctx.newestMs === null ? r.value.timestampMs : Math.max(ctx.newestMs, r.value.timestampMs);
    stored++;
  }
  if (stored > 0) out.meta({ name, type, help, unit: metadataUnit(unit, kind) });
}

function temporalityReason(shown: string, what: string, temporality: number): string {
  const name = temporality === TEMPORALITY.DELTA ? "delta" : "unspecified";
  return `metric ${shown}: ${name} aggregation temporality is not supported (only cumulative ${what}s can be stored; set the exporter's temporality preference to cumulative)`;
}

function temporalityOf(v: unknown): number {
  if (typeof v === "number") return v;
  if (v === "AGGREGATION_TEMPORALITY_DELTA") return TEMPORALITY.DELTA;
  if (v === "AGGREGATION_TEMPORALITY_CUMULATIVE") return TEMPORALITY.CUMULATIVE;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  return TEMPORALITY.UNSPECIFIED;
}

/** The series of one data point, before the resource labels are added. */
type PointSamples = {
  attributes: JsonObject;
  timestampMs: number;
  stale: boolean;
  samples: { name: string; extra?: Labels; value: number }[];
};

function pointBase(p: { attributes?: unknown; timeUnixNano?: unknown; flags?: unknown }): Omit<PointSamples, "samples"> {
  const attributes = keyValuesToObject(p.attributes);
  const stale = typeof p.flags === "number" && (p.flags & FLAG_NO_RECORDED_VALUE) !== 0;
  return { attributes, timestampMs: pointTime(p.timeUnixNano), stale };
}

function pointTime(v: unknown): number {
  if (v === undefined || v === null || v === "" || v === 0 || v === "0") throw new OtlpValueError("data point has no timeUnixNano");
  const ms = typeof v === "string" || typeof v === "number" ? nanosToMillis(String(v)) : undefined;
  if (ms === undefined) throw new OtlpValueError(`timeUnixNano must be unix epoch nanoseconds, got ${JSON.stringify(v)}`);
  return ms;
}

function numberSamples(name: string, p: OtlpNumberDataPoint): PointSamples {
  const base = pointBase(p);
  let value: number;
  if (p.asDouble !== undefined && p.asDouble !== null) value = double(p.asDouble, "asDouble");
  else if (p.asInt !== undefined && p.asInt !== null) value = int64(p.asInt, "asInt");
  else if (base.stale) value = NaN;
  else throw new OtlpValueError("data point has no value (asDouble or asInt)");
  return { ...base, samples: [{ name, value }] };
}

function histogramSamples(name: string, p: OtlpHistogramDataPoint): PointSamples {
  const base = pointBase(p);
  const count = p.count === undefined || p.count === null ? 0 : int64(p.count, "count");
  const bounds = listOfNumbers(p.explicitBounds, "explicitBounds", (v) => double(v, "explicitBounds"));
  const counts = listOfNumbers(p.bucketCounts, "bucketCounts", (v) => int64(v, "bucketCounts"));
  if (counts.length !== 0 && counts.length !== bounds.length + 1) {
    throw new OtlpValueError(`histogram has ${counts.length} bucketCounts for ${bounds.length} explicitBounds (expected ${bounds.length + 1})`);
  }
  const samples: PointSamples["samples"] = [];
  let cumulative = 0;
  for (let i = 0; i < bounds.length && i < counts.length; i++) {
    cumulative += counts[i];
    samples.push({ name: `${name}_bucket`, extra: { le: formatGoFloat(bounds[i]) }, value: cumulative });
  }
  samples.push({ name: `${name}_bucket`, extra: { le: "+Inf" }, value: count });
  if (p.sum !== undefined && p.sum !== null) samples.push({ name: `${name}_sum`, value: double(p.sum, "sum") });
  samples.push({ name: `${name}_count`, value: count });
  return { ...base, samples };
}

function summarySamples(name: string, p: OtlpSummaryDataPoint): PointSamples {
  const base = pointBase(p);
  const samples: PointSamples["samples"] = [];
  for (const q of listOfNumbers(p.quantileValues, "quantileValues", (v) => v)) {
    if (!isPlainObject(q)) throw new OtlpValueError("quantileValues entries must be objects");
    const quantile = q.quantile === undefined ? 0 : double(q.quantile, "quantile");
    const value = q.value === undefined ? 0 : double(q.value, "value");
    samples.push({ name, extra: { quantile: formatGoFloat(quantile) }, value });
  }
  samples.push({ name: `${name}_sum`, value: p.sum === undefined || p.sum === null ? 0 : double(p.sum, "sum") });
  samples.push({ name: `${name}_count`, value: p.count === undefined || p.count === null ? 0 : int64(p.count, "count") });
  return { ...base, samples };
}

function listOfNumbers<T>(v: unknown, name: string, read: (x: unknown) => T): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpValueError(`${name} must be an array`);
  return v.map(read);
}

/** A double as OTLP/JSON writes it: a number, or "NaN" / "Infinity" / "-Infinity" / a numeric string. */
function double(v: unknown, name: string): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return NaN;
  if (v === "Infinity" || v === "+Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
  throw new OtlpValueError(`${name} must be a number, got ${JSON.stringify(v)}`);
}

/** A 64-bit integer (decimal string or number) as a float64 (exact up to 2^53). */
function int64(v: unknown, name: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^-?\d{1,20}$/.test(v.trim())) return Number(v);
  throw new OtlpValueError(`${name} must be an integer, got ${JSON.stringify(v)}`);
}

// ---- collecting ----

class Collector {
  private readonly series = new Map<string, SeriesSamplesInput>();
  private readonly metadata = new Map<string, OtlpMetricMetadata>();
  private readonly rejected = new Map<string, number>();

  add(labels: Labels, timestampMs: number, value: number, stale = false): void {
    const clean: Labels = Object.create(null);
    for (const name of Object.keys(labels).sort()) if (labels[name] !== "") clean[name] = labels[name];
    const key = JSON.stringify(Object.entries(clean));
    let s = this.series.get(key);
    if (!s) {
      s = { labels: clean, samples: [] };
      this.series.set(key, s);
    }
    s.samples.push(stale ? { timestampMs, value: NaN, stale: true } : { timestampMs, value });
  }

  meta(m: OtlpMetricMetadata): void {
    if (!this.metadata.has(m.name)) this.metadata.set(m.name, m);
  }

  reject(reason: string, count: number): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + count);
  }

  result(): OtlpMetricsResult {
    return {
      series: [...this.series.values()],
      metadata: [...this.metadata.values()],
      rejected: [...this.rejected].map(([reason, count]) => ({ reason, count })),
    };
  }
}

// ---- responses ----

/** ExportMetricsServiceResponse as an object (`{}` when everything was accepted). */
export type OtlpMetricsResponse = { partialSuccess?: { rejectedDataPoints: number; errorMessage: string } };

/**
 * The response for a decoded request: `{}` when nothing was rejected (OTLP: partial_success unset),
 * else the number of rejected data points and the first few reasons.
 */
export function otlpMetricsResponse(rejected: readonly OtlpRejection[], maxReasons = 5): OtlpMetricsResponse {
  const total = rejected.reduce((n, r) => n + r.count, 0);
  if (rejected.length === 0) return {};
  const shown = rejected.slice(0, maxReasons).map((r) => `${r.reason} (${r.count} data point${r.count === 1 ? "" : "s"})`);
  const more = rejected.length > maxReasons ? ` (and ${rejected.length - maxReasons} more reasons)` : "";
  return { partialSuccess: { rejectedDataPoints: total, errorMessage: shown.join("; ") + more } };
}

/** Encodes a response in the request's format: OTLP/JSON or protobuf ExportMetricsServiceResponse. */
export function encodeOtlpMetricsResponse(response: OtlpMetricsResponse, format: OtlpFormat): { contentType: string; body: Buffer } {
  if (format === "json") return { contentType: "application/json", body: Buffer.from(JSON.stringify(response)) };
  const message = ExportMetricsServiceResponseType.fromObject(response);
  return { contentType: "application/x-protobuf", body: Buffer.from(ExportMetricsServiceResponseType.encode(message).finish()) };
}
