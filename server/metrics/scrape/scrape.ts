/**
 * One scrape of one target, as Prometheus's scrape loop does it: fetch (timeout, `Accept`
 * negotiating OpenMetrics then the text format), parse by `Content-Type`, attach target labels
 * (honor_labels / `exported_` rules), metric_relabel_configs, limits (a breach fails the whole
 * scrape), timestamps (honor_timestamps), stale markers for series that disappeared, and the
 * synthetic `up`, `scrape_duration_seconds`, `scrape_samples_scraped`,
 * `scrape_samples_post_metric_relabeling` and `scrape_series_added` series.
 *
 * Pure apart from the injected `fetch`: the caller keeps the previous scrape's series (see
 * ./service.ts, which keeps them as series ids in `scrape_target_health`).
 */
import { ExpositionParseError, decodeExpositionBody, expositionFormatOf, parseExposition, type MetricType } from "@/server/metrics/exposition";
import type { Labels, SeriesSamplesInput } from "@/server/metrics/model";
import { relabel } from "@/server/metrics/relabel/relabel";
import { seriesKey } from "@/server/metrics/store/series-key";
import type { ScrapeTarget } from "./config";

/**
 * What Prometheus 3 sends by default (scrape_protocols OpenMetricsText1.0.0, OpenMetricsText0.0.1,
 * PrometheusText1.0.0, PrometheusText0.0.4), with `escaping=underscores`: we store classic names.
 */
export const SCRAPE_ACCEPT_HEADER =
  "application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=underscores;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

export const SCRAPE_USER_AGENT = "Lookout-Scraper/1.0";

/** Bodies above this are refused (Prometheus's body_size_limit; ours is fixed). */
export const MAX_SCRAPE_BODY_BYTES = 64 * 1024 * 1024;

export type FetchLike = (url: string, init: { method: "GET"; headers: Record<string, string>; signal: AbortSignal }) => Promise<Response>;

export const REPORT_METRICS = ["up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added"] as const;

export interface ScrapeOptions {
  /** Label sets of the previous scrape (its `tracked`), for stale markers and scrape_series_added. */
  previous?: readonly Labels[];
  /** Extra request headers (e.g. the self-scrape token). */
  headers?: Record<string, string>;
  /** Monotonic clock in ms for the duration (tests pin it). */
  clock?: () => number;
}

export interface ScrapeResult {
  up: boolean;
  /** Why the scrape failed (Prometheus's wording where it has one); null when up. */
  error: string | null;
  /** The scrape's timestamp (ms). */
  timestampMs: number;
  durationMs: number;
  samplesScraped: number;
  samplesPostMetricRelabeling: number;
  seriesAdded: number;
  staleMarkers: number;
  /** Everything to append: scraped samples, stale markers and the report series. */
  series: SeriesSamplesInput[];
  /** Label sets to pass as `previous` next time (scraped series without explicit timestamps, plus the report series). */
  tracked: Labels[];
  /** TYPE/HELP/UNIT of the scraped families (successful scrapes only). */
  metadata: { name: string; type: MetricType; help: string; unit: string }[];
}

class ScrapeFailure extends Error {}

/** Fetches and processes one scrape of `target` at `nowMs`. Never throws for a target's fault. */
export async function scrapeOnce(target: ScrapeTarget, fetchImpl: FetchLike, nowMs: number, opts: ScrapeOptions = {}): Promise<ScrapeResult> {
  const clock = opts.clock ?? (() => performance.now());
  const started = clock();
  let error: string | null = null;
  let body: { text: string; contentType: string | null } | null = null;
  try {
    body = await fetchBody(target, fetchImpl, opts.headers ?? {});
  } catch (e) {
    error = e instanceof ScrapeFailure || e instanceof ExpositionParseError ? e.message : `Get "${target.url}": ${(e as Error).message}`;
  }
  let processed: Processed = { series: [], keys: [], tracked: [], trackedKeys: [], total: 0, added: 0, metadata: [] };
  if (body) {
    try {
      processed = processBody(target, body.text, body.contentType, nowMs);
    } catch (e) {
      if (!(e instanceof ScrapeFailure || e instanceof ExpositionParseError)) throw e;
      error = e.message;
      // As Prometheus: nothing of a failed scrape is kept, but its counts are reported.
      processed = { series: [], keys: [], tracked: [], trackedKeys: [], total: (e as { total?: number }).total ?? 0, added: (e as { added?: number }).added ?? 0, metadata: [] };
    }
  }
  const durationMs = Math.max(0, clock() - started);
  const up = error === null;

  const previous = opts.previous ?? [];
  // Each label set's key is computed once per scrape (processBody keeps the ones it made).
  const previousKeyList = previous.map(seriesKey);
  const previousKeys = new Set(previousKeyList);
  const currentKeys = new Set(processed.keys);
  let seriesAdded = 0;
  if (up) for (const key of processed.trackedKeys) if (!previousKeys.has(key)) seriesAdded++;

  const report = reportSeries(target, nowMs, {
    up: up ? 1 : 0,
    scrape_duration_seconds: durationMs / 1000,
    scrape_samples_scraped: processed.total,
    scrape_samples_post_metric_relabeling: processed.added,
    scrape_series_added: seriesAdded,
  });
  for (const r of report) currentKeys.add(seriesKey(r.labels));
  const stale = staleMarkers(previous, currentKeys, nowMs, previousKeyList);
  return {
    up,
    error,
    timestampMs: nowMs,
    durationMs,
    samplesScraped: processed.total,
    samplesPostMetricRelabeling: processed.added,
    seriesAdded,
    staleMarkers: stale.length,
    series: [...processed.series, ...stale, ...report],
    tracked: [...processed.tracked, ...report.map((r) => r.labels)],
    metadata: processed.metadata,
  };
}

/** Stale markers at `nowMs` for each previous series whose key is not in `current` (`previousKeys`: their keys, when known). */
export function staleMarkers(previous: readonly Labels[], current: ReadonlySet<string>, nowMs: number, previousKeys?: readonly string[]): SeriesSamplesInput[] {
  const out: SeriesSamplesInput[] = [];
  const done = new Set<string>();
  for (let i = 0; i < previous.length; i++) {
    const labels = previous[i]!;
    const key = previousKeys?.[i] ?? seriesKey(labels);
    if (current.has(key) || done.has(key)) continue;
    done.add(key);
    out.push({ labels, samples: [{ timestampMs: nowMs, value: Number.NaN, stale: true }] });
  }
  return out;
}

async function fetchBody(target: ScrapeTarget, fetchImpl: FetchLike, extra: Record<string, string>): Promise<{ text: string; contentType: string | null }> {
  const headers: Record<string, string> = {
    accept: SCRAPE_ACCEPT_HEADER,
    "user-agent": SCRAPE_USER_AGENT,
    "x-prometheus-scrape-timeout-seconds": String(target.timeoutMs / 1000),
    ...extra,
  };
  const auth = target.auth;
  if (auth?.type === "basic") headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
  else if (auth?.type === "authorization") headers.authorization = `${auth.scheme} ${auth.credentials}`;

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), target.timeoutMs);
  try {
    const res = await fetchImpl(target.url, { method: "GET", headers, signal: controller.signal });
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => {});
      throw new ScrapeFailure(`server returned HTTP status ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`);
    }
    const declared = Number(res.headers.get("content-length"));
    if (declared > MAX_SCRAPE_BODY_BYTES) {
      await res.body?.cancel().catch(() => {});
      throw new ScrapeFailure(`body size limit exceeded (${MAX_SCRAPE_BODY_BYTES} bytes)`);
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length > MAX_SCRAPE_BODY_BYTES) throw new ScrapeFailure(`body size limit exceeded (${MAX_SCRAPE_BODY_BYTES} bytes)`);
    const contentType = res.headers.get("content-type");
    return { text: decodeExpositionBody(bytes, expositionFormatOf(contentType)), contentType };
  } catch (e) {
    if (e instanceof ScrapeFailure || e instanceof ExpositionParseError) throw e;
    if (controller.signal.aborted) throw new ScrapeFailure(`Get "${target.url}": context deadline exceeded (timeout ${target.timeoutMs / 1000}s)`);
    const cause = (e as { cause?: { message?: string } }).cause;
    throw new ScrapeFailure(`Get "${target.url}": ${cause?.message ?? (e as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

interface Processed {
  series: SeriesSamplesInput[];
  /** seriesKey of each of `series` (same order). */
  keys: string[];
  tracked: Labels[];
  /** seriesKey of each of `tracked`. */
  trackedKeys: string[];
  total: number;
  added: number;
  metadata: ScrapeResult["metadata"];
}

/** A scrape that fails part-way keeps its counts for the report. */
class ScrapeLimitFailure extends ScrapeFailure {
  constructor(message: string, readonly total: number, readonly added: number) {
    super(message);
  }
}

function processBody(target: ScrapeTarget, text: string, contentType: string | null, nowMs: number): Processed {
  const parsed = parseExposition(text, contentType);
  const out: Processed = { series: [], keys: [], tracked: [], trackedKeys: [], total: 0, added: 0, metadata: [] };
  const seen = new Set<string>();
  let limitError: string | null = null;
  for (const family of parsed.families) {
    out.metadata.push({ name: family.name, type: family.type, help: family.help, unit: family.unit });
    for (const sample of family.samples) {
      out.total++;
      const exposed: Labels = Object.create(null);
      exposed.__name__ = sample.name;
      for (const [k, v] of Object.entries(sample.labels)) if (v !== "") exposed[k] = v;
      const labels = mutateSampleLabels(exposed, target);
      if (!labels) continue;
      const labelError = checkLabelLimits(labels, target);
      if (labelError) throw new ScrapeLimitFailure(labelError, out.total, out.added);
      // Counted even beyond the limit, so the report says how many samples the target exposed.
      out.added++;
      if (target.sampleLimit > 0 && out.added > target.sampleLimit) {
        limitError = "sample limit exceeded";
        continue;
      }
      const key = seriesKey(labels);
      if (seen.has(key)) continue; // a duplicate series in one scrape: the first sample wins
      seen.add(key);
      const explicit = target.honorTimestamps && sample.timestampMs !== undefined;
      out.series.push({ labels, samples: [{ timestampMs: explicit ? Math.trunc(sample.timestampMs!) : nowMs, value: sample.value }] });
      out.keys.push(key);
      if (!explicit || target.trackTimestampsStaleness) {
        out.tracked.push(labels);
        out.trackedKeys.push(key);
      }
    }
  }
  if (limitError) throw new ScrapeLimitFailure(limitError, out.total, out.added);
  return out;
}

/**
 * Prometheus's mutateSampleLabels: with honor_labels the exposed labels win; otherwise target
 * labels win and a clashing exposed label is kept as `exported_<name>` (shortest names first,
 * prefixing again while the name is taken). Then metric_relabel_configs; null when dropped.
 */
export function mutateSampleLabels(exposed: Labels, target: Pick<ScrapeTarget, "labels" | "honorLabels" | "metricRelabelConfigs">): Labels | null {
  const lb: Labels = Object.create(null);
  Object.assign(lb, exposed);
  const targetNames = Object.keys(target.labels).sort();
  if (target.honorLabels) {
    for (const name of targetNames) if (!exposed[name]) lb[name] = target.labels[name]!;
  } else {
    const conflicts: [string, string][] = [];
    for (const name of targetNames) {
      const existing = exposed[name];
      if (existing) conflicts.push([name, existing]);
      lb[name] = target.labels[name]!;
    }
    conflicts.sort((a, b) => a[0].length - b[0].length);
    for (const [name, value] of conflicts) {
      let renamed = name;
      do renamed = `exported_${renamed}`;
      while (lb[renamed]);
      lb[renamed] = value;
    }
  }
  if (target.metricRelabelConfigs.length === 0) return lb;
  const relabelled = relabel(lb, target.metricRelabelConfigs);
  if (!relabelled || Object.keys(relabelled).length === 0) return null;
  return relabelled;
}

function checkLabelLimits(labels: Labels, t: ScrapeTarget): string | null {
  if (t.labelLimit === 0 && t.labelNameLengthLimit === 0 && t.labelValueLengthLimit === 0) return null; // the usual case: no limits
  const name = (labels.__name__ ?? "").slice(0, 50);
  const entries = Object.entries(labels);
  if (t.labelLimit > 0 && entries.length > t.labelLimit) {
    return `label_limit exceeded (metric: ${name}, number of labels: ${entries.length}, limit: ${t.labelLimit})`;
  }
  if (t.labelNameLengthLimit === 0 && t.labelValueLengthLimit === 0) return null;
  for (const [k, v] of entries) {
    if (t.labelNameLengthLimit > 0 && k.length > t.labelNameLengthLimit) {
      return `label_name_length_limit exceeded (metric: ${name}, label name: ${k.slice(0, 50)}, length: ${k.length}, limit: ${t.labelNameLengthLimit})`;
    }
    const runes = [...v].length;
    if (t.labelValueLengthLimit > 0 && runes > t.labelValueLengthLimit) {
      return `label_value_length_limit exceeded (metric: ${name}, label name: ${k.slice(0, 50)}, value: ${JSON.stringify(v.slice(0, 50))}, length: ${runes}, limit: ${t.labelValueLengthLimit})`;
    }
  }
  return null;
}

/** The synthetic series of a scrape: the target's labels (no relabelling) and the metric name. */
function reportSeries(target: ScrapeTarget, nowMs: number, values: Record<(typeof REPORT_METRICS)[number], number>): SeriesSamplesInput[] {
  return REPORT_METRICS.map((name) => {
    const labels: Labels = Object.create(null);
    Object.assign(labels, target.labels);
    labels.__name__ = name;
    return { labels, samples: [{ timestampMs: nowMs, value: values[name] }] };
  });
}
