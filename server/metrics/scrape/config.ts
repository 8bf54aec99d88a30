/**
 * Prometheus `scrape_config`: the zod schema (Prometheus YAML field names, defaults) and target
 * generation from `static_configs` + `relabel_configs`, as Prometheus's scrape/target.go does.
 * Pure.
 *
 * Defaults follow Prometheus with one difference: our global `scrape_interval` is 15s (Prometheus's
 * is 1m; 15s is what its example configuration and most installations use). The global
 * `scrape_timeout` is 10s, capped at the job's interval. A job's explicit timeout above its
 * interval is an error, as in Prometheus.
 *
 * A job is stored as the config the user wrote (`scrape_jobs.config`, JSON): `parseScrapeConfig`
 * validates it on write and again on read.
 */
import { z } from "zod";
import { RelabelConfigSchema, relabel, type RelabelConfig } from "@/server/metrics/relabel/relabel";
import type { Labels } from "@/server/metrics/model";
import { formatDuration, parseDuration } from "@/server/metrics/duration";

export const DEFAULT_GLOBAL = { scrapeIntervalMs: 15_000, scrapeTimeoutMs: 10_000 } as const;
export type GlobalScrapeDefaults = { scrapeIntervalMs: number; scrapeTimeoutMs: number };

/** The shortest interval we schedule (Prometheus has no floor; a job scheduler per target does). */
export const MIN_INTERVAL_MS = 1_000;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export { formatDuration, parseDuration };

export const DurationSchema = z.string().transform((text, ctx) => {
  const ms = parseDuration(text.trim());
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: `not a valid duration string: "${text}" (use e.g. 15s, 1m30s)` });
    return z.NEVER;
  }
  return ms;
});

const LabelNameSchema = z.string().regex(LABEL_NAME, { error: (iss) => `${JSON.stringify(iss.input)} is not a valid label name` });

/** `host:port` (or a bare host): Prometheus refuses anything with a slash, e.g. a URL. */
export function checkTargetAddress(address: string): string | null {
  if (address.includes("/")) return `"${address}" is not a valid hostname (write host:port; scheme and path are separate fields)`;
  if (address.trim() === "" || /\s/.test(address)) return `"${address}" is not a valid hostname`;
  return null;
}

const TargetSchema = z.string().superRefine((t, ctx) => {
  const problem = checkTargetAddress(t);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const StaticConfigSchema = z
  .object({
    targets: z.array(TargetSchema).default([]),
    labels: z.record(LabelNameSchema, z.string()).default({}),
  })
  .strict();

const LimitSchema = z.number().int().nonnegative().default(0);

/** The `scrape_config` fields we support. Unknown fields are refused (better than silently ignored). */
export const ScrapeConfigSchema = z
  .object({
    job_name: z.string().trim().min(1, "job_name is required").max(200),
    scrape_interval: DurationSchema.optional(),
    scrape_timeout: DurationSchema.optional(),
    metrics_path: z.string().startsWith("/", "metrics_path must start with /").default("/metrics"),
    scheme: z.enum(["http", "https"]).default("http"),
    params: z.record(z.string(), z.array(z.string())).default({}),
    honor_labels: z.boolean().default(false),
    honor_timestamps: z.boolean().default(true),
    track_timestamps_staleness: z.boolean().default(false),
    static_configs: z.array(StaticConfigSchema).default([]),
    relabel_configs: z.array(RelabelConfigSchema).default([]),
    metric_relabel_configs: z.array(RelabelConfigSchema).default([]),
    sample_limit: LimitSchema,
    label_limit: LimitSchema,
    label_name_length_limit: LimitSchema,
    label_value_length_limit: LimitSchema,
    basic_auth: z.object({ username: z.string().default(""), password: z.string().default("") }).strict().optional(),
    authorization: z.object({ type: z.string().default("Bearer"), credentials: z.string() }).strict().optional(),
    /** Prometheus 2's spelling of `authorization: {credentials}`. */
    bearer_token: z.string().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const authKinds = [c.basic_auth, c.authorization, c.bearer_token].filter((a) => a !== undefined).length;
    if (authKinds > 1) ctx.addIssue({ code: "custom", message: "at most one of basic_auth, authorization and bearer_token may be configured", path: ["basic_auth"] });
    if (c.scrape_interval !== undefined && c.scrape_interval < MIN_INTERVAL_MS) {
      ctx.addIssue({ code: "custom", message: "scrape_interval must be at least 1s", path: ["scrape_interval"] });
    }
    if (c.scrape_timeout !== undefined && c.scrape_timeout <= 0) ctx.addIssue({ code: "custom", message: "scrape_timeout must be positive", path: ["scrape_timeout"] });
  });

/** A scrape config as written (YAML/JSON; durations as text, defaults optional). */
export type ScrapeConfigInput = z.input<typeof ScrapeConfigSchema>;

/** Credentials sent with each scrape. */
export type ScrapeAuth = { type: "basic"; username: string; password: string } | { type: "authorization"; scheme: string; credentials: string } | null;

/** A validated job: durations in ms with the global defaults applied, relabel regexes compiled. */
export interface ScrapeJobConfig {
  jobName: string;
  intervalMs: number;
  timeoutMs: number;
  metricsPath: string;
  scheme: "http" | "https";
  params: Record<string, string[]>;
  honorLabels: boolean;
  honorTimestamps: boolean;
  trackTimestampsStaleness: boolean;
  staticConfigs: { targets: string[]; labels: Labels }[];
  relabelConfigs: RelabelConfig[];
  metricRelabelConfigs: RelabelConfig[];
  sampleLimit: number;
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
  auth: ScrapeAuth;
}

export class ScrapeConfigError extends Error {
  constructor(message: string, readonly issues: { path: (string | number)[]; message: string }[] = []) {
    super(message);
    this.name = "ScrapeConfigError";
  }
}

/**
 * Validates a scrape config and resolves it against the global defaults (interval, then timeout
 * = min(global timeout, interval) when unset). Throws `ScrapeConfigError` with zod-like issues.
 */
export function parseScrapeConfig(raw: unknown, global: GlobalScrapeDefaults = DEFAULT_GLOBAL): ScrapeJobConfig {
  const parsed = ScrapeConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message }));
    throw new ScrapeConfigError(`invalid scrape config: ${z.prettifyError(parsed.error)}`, issues);
  }
  const c = parsed.data;
  const intervalMs = c.scrape_interval ?? global.scrapeIntervalMs;
  let timeoutMs = c.scrape_timeout ?? Math.min(global.scrapeTimeoutMs, intervalMs);
  if (c.scrape_timeout !== undefined && c.scrape_timeout > intervalMs) {
    throw new ScrapeConfigError(`scrape timeout greater than scrape interval for scrape config with job name "${c.job_name}"`, [
      { path: ["scrape_timeout"], message: "scrape timeout greater than scrape interval" },
    ]);
  }
  timeoutMs = Math.min(timeoutMs, intervalMs);
  let auth: ScrapeAuth = null;
  if (c.basic_auth) auth = { type: "basic", username: c.basic_auth.username, password: c.basic_auth.password };
  else if (c.authorization) auth = { type: "authorization", scheme: c.authorization.type, credentials: c.authorization.credentials };
  else if (c.bearer_token !== undefined) auth = { type: "authorization", scheme: "Bearer", credentials: c.bearer_token };
  return {
    jobName: c.job_name,
    intervalMs,
    timeoutMs,
    metricsPath: c.metrics_path,
    scheme: c.scheme,
    params: c.params,
    honorLabels: c.honor_labels,
    honorTimestamps: c.honor_timestamps,
    trackTimestampsStaleness: c.track_timestamps_staleness,
    staticConfigs: c.static_configs,
    relabelConfigs: c.relabel_configs,
    metricRelabelConfigs: c.metric_relabel_configs,
    sampleLimit: c.sample_limit,
    labelLimit: c.label_limit,
    labelNameLengthLimit: c.label_name_length_limit,
    labelValueLengthLimit: c.label_value_length_limit,
    auth,
  };
}

/** One target to scrape: where, with which labels and options (everything `scrapeOnce` needs). */
export interface ScrapeTarget {
  job: string;
  /** The scrape URL: scheme://address/path?params. Also the target's identity within its job. */
  url: string;
  /** Labels attached to every sample (job, instance, static labels…; no `__` labels). */
  labels: Labels;
  /** The labels before target relabelling (for the UI, as Prometheus's "discovered labels"). */
  discoveredLabels: Labels;
  intervalMs: number;
  timeoutMs: number;
  honorLabels: boolean;
  honorTimestamps: boolean;
  trackTimestampsStaleness: boolean;
  metricRelabelConfigs: RelabelConfig[];
  sampleLimit: number;
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
  auth: ScrapeAuth;
}

export interface TargetSet {
  targets: ScrapeTarget[];
  /** Targets a relabel rule dropped (their discovered labels). */
  dropped: Labels[];
  /** Targets refused after relabelling (no address, bad interval…), with the reason. */
  invalid: { labels: Labels; error: string }[];
}

const ADDRESS = "__address__";
const SCHEME = "__scheme__";
const METRICS_PATH = "__metrics_path__";
const INTERVAL = "__scrape_interval__";
const TIMEOUT = "__scrape_timeout__";
const PARAM_PREFIX = "__param_";

/**
 * The job's targets: each static target's labels (group labels, `__address__`, then `job`,
 * `__scrape_interval__`, `__scrape_timeout__`, `__metrics_path__`, `__scheme__` and
 * `__param_<name>` where not already set), through `relabel_configs`; `__meta_` labels removed,
 * `instance` defaulting to `__address__`, and the remaining `__` labels kept only to build the URL.
 * Targets with the same URL are kept once (the first).
 */
export function targetsOf(cfg: ScrapeJobConfig): TargetSet {
  const out: TargetSet = { targets: [], dropped: [], invalid: [] };
  const seen = new Set<string>();
  for (const group of cfg.staticConfigs) {
    for (const address of group.targets) {
      const lb: Labels = Object.create(null);
      for (const [k, v] of Object.entries(group.labels)) if (v !== "") lb[k] = v;
      lb[ADDRESS] = address;
      const defaults: [string, string][] = [
        ["job", cfg.jobName],
        [INTERVAL, formatDuration(cfg.intervalMs)],
        [TIMEOUT, formatDuration(cfg.timeoutMs)],
        [METRICS_PATH, cfg.metricsPath],
        [SCHEME, cfg.scheme],
      ];
      for (const [k, v] of defaults) if (!lb[k]) lb[k] = v;
      for (const [k, values] of Object.entries(cfg.params)) {
        const name = PARAM_PREFIX + k;
        if (values.length > 0 && !lb[name] && values[0] !== "") lb[name] = values[0]!;
      }
      const discovered = { ...lb };
      const relabelled = relabel(lb, cfg.relabelConfigs);
      if (!relabelled) {
        out.dropped.push(discovered);
        continue;
      }
      const result = finishTarget(cfg, relabelled);
      if ("error" in result) {
        out.invalid.push({ labels: discovered, error: result.error });
        continue;
      }
      if (seen.has(result.url)) continue;
      seen.add(result.url);
      out.targets.push({ ...result, discoveredLabels: discovered });
    }
  }
  return out;
}

function finishTarget(cfg: ScrapeJobConfig, lb: Labels): Omit<ScrapeTarget, "discoveredLabels"> | { error: string } {
  const address = lb[ADDRESS];
  if (!address) return { error: "no address" };
  const badAddress = checkTargetAddress(address);
  if (badAddress) return { error: badAddress };
  const intervalMs = parseDuration(lb[INTERVAL] ?? "");
  if (intervalMs === undefined) return { error: `error parsing scrape interval: not a valid duration string: "${lb[INTERVAL] ?? ""}"` };
  if (intervalMs < MIN_INTERVAL_MS) return { error: "scrape interval must be at least 1s" };
  const timeoutMs = parseDuration(lb[TIMEOUT] ?? "");
  if (timeoutMs === undefined) return { error: `error parsing scrape timeout: not a valid duration string: "${lb[TIMEOUT] ?? ""}"` };
  if (timeoutMs === 0) return { error: "scrape timeout cannot be 0" };
  if (timeoutMs > intervalMs) return { error: `scrape timeout cannot be greater than scrape interval ("${lb[TIMEOUT]}" > "${lb[INTERVAL]}")` };
  const scheme = lb[SCHEME] ?? "";
  if (scheme !== "http" && scheme !== "https") return { error: `invalid scheme "${scheme}"` };

  // Meta labels go after relabelling; `instance` defaults to the address.
  for (const k of Object.keys(lb)) if (k.startsWith("__meta_")) delete lb[k];
  if (!lb.instance) lb.instance = address;

  const url = targetUrl(scheme, address, lb[METRICS_PATH] ?? "", cfg.params, lb);
  if (!url) return { error: `"${address}" is not a valid hostname` };
  const labels: Labels = Object.create(null);
  for (const k of Object.keys(lb).sort()) if (!k.startsWith("__")) labels[k] = lb[k]!;
  return {
    job: cfg.jobName,
    url,
    labels,
    intervalMs,
    timeoutMs,
    honorLabels: cfg.honorLabels,
    honorTimestamps: cfg.honorTimestamps,
    trackTimestampsStaleness: cfg.trackTimestampsStaleness,
    metricRelabelConfigs: cfg.metricRelabelConfigs,
    sampleLimit: cfg.sampleLimit,
    labelLimit: cfg.labelLimit,
    labelNameLengthLimit: cfg.labelNameLengthLimit,
    labelValueLengthLimit: cfg.labelValueLengthLimit,
    auth: cfg.auth,
  };
}

/** scheme://address/path with `params` overridden by `__param_*` labels (keys sorted, as Go encodes). */
function targetUrl(scheme: string, address: string, path: string, params: Record<string, string[]>, lb: Labels): string | null {
  const values = new Map<string, string[]>();
  for (const [k, v] of Object.entries(params)) values.set(k, [...v]);
  for (const [name, value] of Object.entries(lb)) {
    if (!name.startsWith(PARAM_PREFIX)) continue;
    const key = name.slice(PARAM_PREFIX.length);
    const list = values.get(key);
    if (list && list.length > 0) list[0] = value;
    else values.set(key, [value]);
  }
  let url: URL;
  try {
    url = new URL(`${scheme}://${address}`);
  } catch {
    return null;
  }
  if (url.pathname !== "/" || url.search || url.hash || url.username) return null;
  const query = new URLSearchParams([...values.keys()].sort().flatMap((k) => values.get(k)!.map((v): [string, string] => [k, v]))).toString();
  const p = path.startsWith("/") ? path : `/${path}`;
  return `${scheme}://${address}${encodeURI(p)}${query ? `?${query}` : ""}`;
}
