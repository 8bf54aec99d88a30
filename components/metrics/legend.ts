/** Series names for legends, tooltips and tables (pure). */
import type { PromLabels } from "./prom-api-client";

/** A label value as PromQL writes it inside `"…"`: backslash, quote and newline escaped. */
export function quoteLabelValue(v: string): string {
  return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** Label pairs without `__name__`, sorted by name: `{a="1", b="2"}`; `{}` when none. */
export function formatLabelSet(metric: PromLabels): string {
  const pairs = Object.keys(metric)
    .filter((k) => k !== "__name__")
    .sort()
    .map((k) => `${k}=${quoteLabelValue(metric[k]!)}`);
  return `{${pairs.join(", ")}}`;
}

/** Prometheus's series name: `up{instance="a:9100", job="node"}`; `{job="x"}` without a name. */
export function formatSeriesName(metric: PromLabels): string {
  const name = metric.__name__ ?? "";
  const labels = formatLabelSet(metric);
  return labels === "{}" && name ? name : `${name}${labels}`;
}

const TEMPLATE_RE = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/**
 * Grafana's legend format: `{{instance}} – {{ job }}` replaces each `{{label}}` with the series'
 * value (empty when absent). An empty format, or `__auto`, gives the full series name; so does a
 * format that renders to nothing but spaces.
 */
export function formatLegend(format: string, metric: PromLabels): string {
  const f = format.trim();
  if (!f || f === "__auto") return formatSeriesName(metric);
  const out = f.replace(TEMPLATE_RE, (_, name: string) => metric[name] ?? "");
  return out.trim() ? out : formatSeriesName(metric);
}

/** Makes names unique for the legend: a repeated name gets ` (2)`, ` (3)`… in order. */
export function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  const taken = new Set(names);
  return names.map((n) => {
    const count = (seen.get(n) ?? 0) + 1;
    seen.set(n, count);
    if (count === 1) return n;
    let k = count;
    let candidate = `${n} (${k})`;
    while (taken.has(candidate)) candidate = `${n} (${++k})`;
    taken.add(candidate);
    return candidate;
  });
}

const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * A selector for `metric` (optionally with one `label="value"` matcher), as the metric browser
 * inserts it. Names outside the classic character set use Prometheus 3's quoted form.
 */
export function metricSelector(metric: string, matcher?: { label: string; value: string }): string {
  const m = matcher ? `${LABEL_NAME_RE.test(matcher.label) ? matcher.label : quoteLabelValue(matcher.label)}=${quoteLabelValue(matcher.value)}` : "";
  if (METRIC_NAME_RE.test(metric)) return m ? `${metric}{${m}}` : metric;
  return `{${quoteLabelValue(metric)}${m ? `, ${m}` : ""}}`;
}
