/**
 * The scrape job form (pure): a stored Prometheus scrape_config ↔ the editor's fields ↔ the config
 * sent to `scrapeJobs.create/update`, and server field errors back to the fields.
 * Fields the form does not show (params, basic_auth, limits other than sample_limit…) are carried
 * through unchanged.
 */

export type ScrapeForm = {
  jobName: string;
  /** One `host:port` per line. */
  targets: string;
  /** One `key=value` per line. */
  labels: string;
  interval: string;
  timeout: string;
  metricsPath: string;
  scheme: string;
  honorLabels: boolean;
  sampleLimit: string;
  /** JSON arrays (a YAML parser is not part of the app yet). */
  relabelConfigs: string;
  metricRelabelConfigs: string;
  /** The config's other fields, kept as they are. */
  rest: Record<string, unknown>;
};

export const FORM_FIELDS = ["jobName", "targets", "labels", "interval", "timeout", "metricsPath", "scheme", "honorLabels", "sampleLimit", "relabelConfigs", "metricRelabelConfigs"] as const;
export type FormField = (typeof FORM_FIELDS)[number];

const SHOWN = new Set(["job_name", "static_configs", "scrape_interval", "scrape_timeout", "metrics_path", "scheme", "honor_labels", "sample_limit", "relabel_configs", "metric_relabel_configs"]);

type StaticConfig = { targets?: unknown; labels?: unknown };

const json = (v: unknown) => (Array.isArray(v) && v.length > 0 ? JSON.stringify(v, null, 2) : "");

/** The form for a stored config (null: a new job with the defaults shown as placeholders). */
export function scrapeFormFrom(config: Record<string, unknown> | null): ScrapeForm {
  const c = config ?? {};
  const groups = (Array.isArray(c.static_configs) ? c.static_configs : []) as StaticConfig[];
  const targets = groups.flatMap((g) => (Array.isArray(g.targets) ? g.targets.map(String) : []));
  // The form has one label set; labels of the first group stand for all (the UI writes one group).
  const first = groups[0]?.labels && typeof groups[0].labels === "object" ? (groups[0].labels as Record<string, unknown>) : {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (!SHOWN.has(k)) rest[k] = v;
  return {
    jobName: typeof c.job_name === "string" ? c.job_name : "",
    targets: targets.join("\n"),
    labels: Object.entries(first)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join("\n"),
    interval: typeof c.scrape_interval === "string" ? c.scrape_interval : "",
    timeout: typeof c.scrape_timeout === "string" ? c.scrape_timeout : "",
    metricsPath: typeof c.metrics_path === "string" ? c.metrics_path : "",
    scheme: typeof c.scheme === "string" ? c.scheme : "http",
    honorLabels: c.honor_labels === true,
    sampleLimit: typeof c.sample_limit === "number" && c.sample_limit > 0 ? String(c.sample_limit) : "",
    relabelConfigs: json(c.relabel_configs),
    metricRelabelConfigs: json(c.metric_relabel_configs),
    rest,
  };
}

export type ConfigOrErrors = { config: Record<string, unknown>; errors: null } | { config: null; errors: Partial<Record<FormField, string>> };

const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));

function parseJsonArray(text: string, field: string): { value: unknown[] | undefined; error?: string } {
  if (text.trim() === "") return { value: undefined };
  try {
    const v: unknown = JSON.parse(text);
    if (!Array.isArray(v)) return { value: undefined, error: `${field} must be a JSON array of rules, e.g. [{"action": "drop", …}]` };
    return { value: v };
  } catch (e) {
    return { value: undefined, error: `Not valid JSON: ${(e as Error).message}` };
  }
}

/**
 * The scrape_config to send. Errors only for what the server cannot name itself (a label line
 * without `=`, JSON that does not parse); the rest (durations, addresses, rules) is checked there.
 */
export function configFromForm(form: ScrapeForm): ConfigOrErrors {
  const errors: Partial<Record<FormField, string>> = {};
  const labels: Record<string, string> = {};
  for (const line of lines(form.labels)) {
    const eq = line.indexOf("=");
    if (eq <= 0) {
      errors.labels = `"${line}": write one key=value per line`;
      break;
    }
    labels[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  const relabel = parseJsonArray(form.relabelConfigs, "relabel_configs");
  if (relabel.error) errors.relabelConfigs = relabel.error;
  const metricRelabel = parseJsonArray(form.metricRelabelConfigs, "metric_relabel_configs");
  if (metricRelabel.error) errors.metricRelabelConfigs = metricRelabel.error;
  const limit = form.sampleLimit.trim();
  const sampleLimit = limit === "" ? undefined : Number(limit);
  if (sampleLimit !== undefined && !(Number.isInteger(sampleLimit) && sampleLimit >= 0)) errors.sampleLimit = "A whole number (0 or empty: no limit)";
  if (Object.keys(errors).length) return { config: null, errors };

  const config: Record<string, unknown> = { ...form.rest, job_name: form.jobName.trim() };
  const targets = lines(form.targets);
  config.static_configs = targets.length || Object.keys(labels).length ? [{ targets, ...(Object.keys(labels).length ? { labels } : {}) }] : [];
  if (form.interval.trim()) config.scrape_interval = form.interval.trim();
  if (form.timeout.trim()) config.scrape_timeout = form.timeout.trim();
  if (form.metricsPath.trim()) config.metrics_path = form.metricsPath.trim();
  if (form.scheme && form.scheme !== "http") config.scheme = form.scheme;
  if (form.honorLabels) config.honor_labels = true;
  if (sampleLimit) config.sample_limit = sampleLimit;
  if (relabel.value?.length) config.relabel_configs = relabel.value;
  if (metricRelabel.value?.length) config.metric_relabel_configs = metricRelabel.value;
  return { config, errors: null };
}

const FIELD_OF: Record<string, FormField> = {
  job_name: "jobName",
  scrape_interval: "interval",
  scrape_timeout: "timeout",
  metrics_path: "metricsPath",
  scheme: "scheme",
  honor_labels: "honorLabels",
  sample_limit: "sampleLimit",
  relabel_configs: "relabelConfigs",
  metric_relabel_configs: "metricRelabelConfigs",
};

/**
 * Server issues (`config.static_configs.0.targets.2`, `config.relabel_configs.1.action`) → the
 * form field showing them, with the rule or line named. Issues of fields the form does not show
 * are returned under `other`.
 */
export function formErrorsFrom(issues: readonly { path: readonly (string | number)[]; message: string }[] | null | undefined, targets: string): { fields: Partial<Record<FormField, string>>; other: string[] } {
  const fields: Partial<Record<FormField, string>> = {};
  const other: string[] = [];
  const targetLines = lines(targets);
  for (const issue of issues ?? []) {
    // tRPC sends the path as strings: indexes come back as numbers here.
    const raw = issue.path.map((p) => (typeof p === "string" && /^\d+$/.test(p) ? Number(p) : p));
    const path = raw[0] === "config" ? raw.slice(1) : raw;
    const [top, i, sub, j] = path;
    let field: FormField | undefined;
    let message = issue.message;
    if (top === "static_configs") {
      field = sub === "labels" ? "labels" : "targets";
      if (sub === "targets" && typeof j === "number" && targetLines[j]) message = `${targetLines[j]}: ${issue.message}`;
    } else if (typeof top === "string") {
      field = FIELD_OF[top];
      if ((top === "relabel_configs" || top === "metric_relabel_configs") && typeof i === "number") message = `Rule ${i + 1}${sub ? ` (${String(sub)})` : ""}: ${issue.message}`;
    }
    if (!field) {
      other.push(path.length ? `${path.join(".")}: ${issue.message}` : issue.message);
      continue;
    }
    fields[field] ??= message;
  }
  return { fields, other };
}
