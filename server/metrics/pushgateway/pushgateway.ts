/**
 * Pushgateway semantics (`PUT|POST|DELETE /metrics/job/<job>{/<label>/<value>}`), the pure parts:
 * reading the grouping key from the path, turning a pushed body into the group's series, and
 * deciding what a push replaces. The storage layer keeps, per group key, the families and series
 * last pushed, and calls these functions. Behaviour follows the Pushgateway README:
 *
 * - Grouping key: `job` plus the label pairs of the path. A label name (or `job`) suffixed with
 *   `@base64` carries a base64url value (RFC 4648 §5; padding optional; a lone `=` is the empty
 *   value, the only way to push one). Segments are percent-decoded after splitting, so `%2F` is a
 *   `/` inside a value (the Pushgateway itself needs base64 for that). Errors → AppError
 *   INVALID_INPUT: no job / empty job, odd number of segments, a label name that is not
 *   `[a-zA-Z_][a-zA-Z0-9_]*` or starts with `__`, a repeated name, bad base64.
 * - Body: Prometheus text 0.0.4 (the default) or OpenMetrics 1.0 by Content-Type. The protobuf
 *   delimited format (`application/vnd.google.protobuf`) is refused (INVALID_INPUT "not
 *   supported"). Samples with a timestamp are refused, as the Pushgateway refuses them. Grouping
 *   labels are put on every sample and overwrite labels of the same name in the body ("will be
 *   overwritten to match the labels defined by the URL path", README). With
 *   `strictGroupingLabels`, a body label that disagrees with the grouping key is an error instead
 *   (what the official client libraries check before pushing). Families named
 *   `push_time_seconds` / `push_failure_time_seconds` in the body are dropped: the gateway's own
 *   metrics override them. OpenMetrics `_created` samples are dropped (Prometheus does not ingest
 *   them as series by default); exemplars are ignored.
 * - Every sample is stamped with the push time (`nowMs`): the Pushgateway has no timestamps, the
 *   scraping Prometheus assigns the scrape time.
 * - `push_time_seconds` (last successful push, unix seconds) and `push_failure_time_seconds` (last
 *   failed push, 0 = never) are gauges with the grouping labels, written on every PUT/POST: on
 *   success by `prepareGroup`, on failure by `pushFailureSeries` (storage passes the other time
 *   from the group's previous values).
 * - PUT replaces every family of the group; POST replaces only the families present in the body
 *   (an empty POST only updates push_time_seconds); DELETE removes the group (an unknown group is
 *   not an error; the answer is 202). `planPush` says which of the existing families to replace;
 *   `staleMarkers` gives the stale markers that end the replaced series that were not pushed again,
 *   so queries stop returning them after the push.
 */
import { AppError } from "@/server/lib/errors";
import { mediaType } from "@/server/logs/ingest/decode-body";
import { ExpositionParseError, parseExposition, type MetricFamily, type MetricType } from "@/server/metrics/exposition";
import type { Labels, SeriesSamplesInput } from "@/server/metrics/model";

export const PUSH_TIME_METRIC = "push_time_seconds";
export const PUSH_FAILURE_TIME_METRIC = "push_failure_time_seconds";
const PUSH_TIME_HELP = "Last Unix time when changing this group in the Pushgateway succeeded.";
const PUSH_FAILURE_TIME_HELP = "Last Unix time when changing this group in the Pushgateway failed.";
const GATEWAY_FAMILIES = new Set([PUSH_TIME_METRIC, PUSH_FAILURE_TIME_METRIC]);

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const BASE64_SUFFIX = "@base64";

export type PushMethod = "PUT" | "POST" | "DELETE";

export type PushMetadata = { name: string; type: MetricType; help: string; unit: string };

/** One pushed family with its series (the gateway's own two families included). */
export type PushedFamily = PushMetadata & { series: SeriesSamplesInput[] };

export type PreparedGroup = {
  /** All series to write, in family order; `push_*_seconds` last. */
  series: SeriesSamplesInput[];
  metadata: PushMetadata[];
  families: PushedFamily[];
};

export type PrepareGroupOptions = {
  /** Unix seconds of the group's last failed push (0 or absent: never), kept in push_failure_time_seconds. */
  lastFailureSeconds?: number;
  /** Refuse body labels that disagree with the grouping key instead of overwriting them. */
  strictGroupingLabels?: boolean;
};

// ---- grouping key ----

/**
 * The grouping key of a push path: what follows `/metrics` (`/job/batch/instance/db1`, leading
 * slash optional; still percent-encoded). Returns the labels with `job` first; values may be "".
 */
export function parseGroupingPath(pathAfterMetrics: string): Labels {
  const trimmed = pathAfterMetrics.replace(/^\/+/, "").replace(/\/+$/, "");
  const segments = trimmed === "" ? [] : trimmed.split("/").map(percentDecode);
  return parseGroupingSegments(segments);
}

/** As `parseGroupingPath`, from path segments already split and decoded (a catch-all route's params). */
export function parseGroupingSegments(segments: readonly string[]): Labels {
  if (segments.length === 0 || (segments[0] !== "job" && segments[0] !== `job${BASE64_SUFFIX}`)) {
    throw invalid("the path must start with /metrics/job/<job name>");
  }
  if (segments.length % 2 !== 0) {
    throw invalid(`odd number of components in the grouping key path "/${segments.join("/")}" (expected /job/<job>{/<label>/<value>})`);
  }
  const labels: Labels = Object.create(null);
  for (let i = 0; i < segments.length; i += 2) {
    const raw = segments[i];
    const isBase64 = raw.endsWith(BASE64_SUFFIX);
    const name = isBase64 ? raw.slice(0, -BASE64_SUFFIX.length) : raw;
    if (!LABEL_NAME.test(name) || name.startsWith("__")) throw invalid(`improper label name ${JSON.stringify(name)}`);
    if (Object.hasOwn(labels, name)) throw invalid(`label ${JSON.stringify(name)} appears more than once in the grouping key`);
    labels[name] = isBase64 ? decodeBase64Url(segments[i + 1], name) : segments[i + 1];
  }
  if (labels.job === "") throw invalid("job name is required");
  return labels;
}

/**
 * The canonical string of a grouping key, for storage: labels sorted by name, as
 * `name="value"` with JSON string escaping, comma-separated, in braces. Equal keys give equal strings.
 */
export function groupKey(labels: Labels): string {
  return `{${Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`)
    .join(",")}}`;
}

/** The push path of a grouping key (base64 for values with `/` or empty values), the inverse of parseGroupingPath. */
export function groupingPath(labels: Labels): string {
  const names = ["job", ...Object.keys(labels).filter((n) => n !== "job").sort()];
  return names
    .map((name) => {
      const value = labels[name] ?? "";
      if (value === "") return `/${name}${BASE64_SUFFIX}/=`;
      if (value.includes("/")) return `/${name}${BASE64_SUFFIX}/${Buffer.from(value).toString("base64url")}`;
      return `/${name}/${encodeURIComponent(value)}`;
    })
    .join("");
}

function percentDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalid(`malformed percent-encoding in path segment ${JSON.stringify(segment)}`);
  }
}

function decodeBase64Url(value: string, name: string): string {
  const bare = value.replace(/=+$/, "");
  if (!/^[A-Za-z0-9_-]*$/.test(bare) || bare.length % 4 === 1) {
    throw invalid(`invalid base64 encoding for label ${name}=${JSON.stringify(value)}`);
  }
  const bytes = Buffer.from(bare, "base64url");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalid(`label ${name}: base64 value ${JSON.stringify(value)} is not UTF-8 text`);
  }
}

// ---- body ----

/**
 * The series a PUT/POST body gives the group (rules in the module comment): parsed by Content-Type,
 * grouping labels applied, stamped `nowMs`, plus push_time_seconds (= now) and
 * push_failure_time_seconds (= `lastFailureSeconds`). Throws AppError INVALID_INPUT.
 */
export function prepareGroup(
  grouping: Labels,
  bodyText: string,
  contentType: string | null | undefined,
  nowMs: number,
  opts: PrepareGroupOptions = {},
): PreparedGroup {
  const type = mediaType(contentType);
  if (type === "application/vnd.google.protobuf" || type === "application/x-protobuf") {
    throw invalid("the protobuf delimited exposition format is not supported; push the text format (text/plain; version=0.0.4) or OpenMetrics");
  }
  let families: MetricFamily[];
  try {
    families = parseExposition(bodyText, contentType).families;
  } catch (err) {
    if (err instanceof ExpositionParseError) throw invalid(err.message, err);
    throw err;
  }
  const openMetrics = type === "application/openmetrics-text";
  const out: PushedFamily[] = [];
  for (const family of families) {
    if (GATEWAY_FAMILIES.has(family.name)) continue;
    const bySeries = new Map<string, SeriesSamplesInput>();
    for (const sample of family.samples) {
      if (sample.timestampMs !== undefined) {
        throw invalid(`pushed metrics must not have timestamps: ${sample.name}${groupKey(sample.labels)} has one`);
      }
      if (openMetrics && sample.name === `${family.name}_created` && family.type !== "gauge" && family.type !== "unknown") continue;
      const labels = groupedLabels(sample.name, sample.labels, grouping, opts.strictGroupingLabels === true);
      const key = groupKey(labels);
      if (bySeries.has(key)) throw invalid(`duplicate sample for series ${sample.name}${key}`);
      bySeries.set(key, { labels, samples: [{ timestampMs: nowMs, value: sample.value }] });
    }
    out.push({ name: family.name, type: family.type, help: family.help, unit: family.unit, series: [...bySeries.values()] });
  }
  out.push(gatewayFamily(PUSH_TIME_METRIC, PUSH_TIME_HELP, grouping, nowMs, nowMs / 1000));
  out.push(gatewayFamily(PUSH_FAILURE_TIME_METRIC, PUSH_FAILURE_TIME_HELP, grouping, nowMs, opts.lastFailureSeconds ?? 0));
  return {
    families: out,
    series: out.flatMap((f) => f.series),
    metadata: out.map(({ name, type: t, help, unit }) => ({ name, type: t, help, unit })),
  };
}

/**
 * The series to write when a PUT/POST to a group fails (bad body, inconsistent metrics):
 * push_failure_time_seconds = now, push_time_seconds = the last success (0 = never). The group's
 * pushed metrics stay as they were.
 */
export function pushFailureSeries(grouping: Labels, nowMs: number, lastSuccessSeconds = 0): SeriesSamplesInput[] {
  return [
    ...gatewayFamily(PUSH_TIME_METRIC, PUSH_TIME_HELP, grouping, nowMs, lastSuccessSeconds).series,
    ...gatewayFamily(PUSH_FAILURE_TIME_METRIC, PUSH_FAILURE_TIME_HELP, grouping, nowMs, nowMs / 1000).series,
  ];
}

function gatewayFamily(name: string, help: string, grouping: Labels, nowMs: number, value: number): PushedFamily {
  const labels = groupedLabels(name, Object.create(null) as Labels, grouping, false);
  return { name, type: "gauge", help, unit: "", series: [{ labels, samples: [{ timestampMs: nowMs, value }] }] };
}

/** A sample's labels with `__name__` and the grouping labels (empty values dropped), sorted. */
function groupedLabels(name: string, sampleLabels: Labels, grouping: Labels, strict: boolean): Labels {
  const merged: Labels = Object.create(null);
  for (const [k, v] of Object.entries(sampleLabels)) merged[k] = v;
  for (const [k, v] of Object.entries(grouping)) {
    if (strict && Object.hasOwn(merged, k) && merged[k] !== v) {
      throw invalid(`pushed metric ${name} has label ${k}=${JSON.stringify(merged[k])}, which conflicts with the grouping key (${k}=${JSON.stringify(v)})`);
    }
    merged[k] = v;
  }
  merged.__name__ = name;
  const out: Labels = Object.create(null);
  for (const k of Object.keys(merged).sort()) if (merged[k] !== "") out[k] = merged[k];
  return out;
}

// ---- what a push replaces ----

export type PushPlan =
  | {
      kind: "write";
      /** Existing families of the group to remove before writing: every one (PUT) or the ones pushed again (POST). */
      replaceFamilies: "all" | string[];
      series: SeriesSamplesInput[];
      metadata: PushMetadata[];
    }
  | { kind: "delete" };

/**
 * What storage does for a push to a group whose current families are `existingFamilyNames`:
 * PUT → replace all of them with `prepared`; POST → replace only the existing families that
 * `prepared` carries (push_*_seconds always among them), keep the rest; DELETE → drop the group.
 */
export function planPush(method: PushMethod, existingFamilyNames: readonly string[], prepared: PreparedGroup | null): PushPlan {
  if (method === "DELETE") return { kind: "delete" };
  if (!prepared) throw new Error(`planPush: ${method} needs the prepared group`);
  if (method === "PUT") return { kind: "write", replaceFamilies: "all", series: prepared.series, metadata: prepared.metadata };
  const pushed = new Set(prepared.families.map((f) => f.name));
  return {
    kind: "write",
    replaceFamilies: existingFamilyNames.filter((name) => pushed.has(name)),
    series: prepared.series,
    metadata: prepared.metadata,
  };
}

/**
 * Stale markers at `nowMs` for the series a push replaced but did not push again, so they stop
 * answering queries at once (as a target's vanished series do after a scrape). `existing` are the
 * group's current series with their family names.
 */
export function staleMarkers(
  existing: readonly { family: string; labels: Labels }[],
  plan: PushPlan,
  nowMs: number,
): SeriesSamplesInput[] {
  const written = plan.kind === "write" ? new Set(plan.series.map((s) => groupKey(s.labels))) : new Set<string>();
  const replaced = plan.kind === "delete" || plan.replaceFamilies === "all" ? null : new Set(plan.replaceFamilies);
  const out: SeriesSamplesInput[] = [];
  for (const s of existing) {
    if (replaced && !replaced.has(s.family)) continue;
    if (written.has(groupKey(s.labels))) continue;
    out.push({ labels: s.labels, samples: [{ timestampMs: nowMs, value: NaN, stale: true }] });
  }
  return out;
}

function invalid(userMessage: string, cause?: unknown): AppError {
  return new AppError("INVALID_INPUT", { userMessage, cause });
}
