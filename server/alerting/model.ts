/**
 * The alerting model (zod): alert rules in groups, what an evaluation yields, alert instances and
 * their states, and the notification configuration.
 *
 * Rules are ours (a PromQL rule may carry a threshold condition or, as Prometheus writes them, be
 * the condition itself; a log rule counts events of a log query over a window), but they import
 * from and export to Prometheus rule files. The notification configuration *is* Alertmanager's
 * configuration format (`route`, `receivers`, `inhibit_rules`, `time_intervals`, snake_case as in
 * alertmanager.yml), so an existing Alertmanager config pastes in unchanged; the console's
 * "contact points" are its receivers and "notification policies" its route tree.
 *
 * Pure module: safe in the browser and in workers.
 */
import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

/**
 * A Prometheus duration: one or more unit parts, largest first (`30s`, `5m`, `1h30m`, `2d`, `0s`).
 * server/lib/duration.ts parses it.
 */
export const DurationSchema = z.string().regex(/^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/, "a duration such as 30s, 5m, 1h30m").refine((s) => s.length > 0, "a duration such as 30s, 5m, 1h30m");

/** Label names as Prometheus allows them. */
export const LabelNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "letters, digits and _; not starting with a digit");
export const LabelsSchema = z.record(LabelNameSchema, z.string().max(10_000));
export type LabelSet = Record<string, string>;

/** Annotation values are templates (`{{ $labels.instance }}`, `{{ $value | humanize }}`). */
export const AnnotationsSchema = z.record(LabelNameSchema, z.string().max(20_000));

export const ComparisonSchema = z.enum([">", ">=", "<", "<=", "==", "!="]);
export type Comparison = z.infer<typeof ComparisonSchema>;

/** `value <op> threshold` decides whether a series is active. */
export const ConditionSchema = z.object({ op: ComparisonSchema, threshold: z.number() });
export type Condition = z.infer<typeof ConditionSchema>;

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/**
 * A PromQL rule. Without `condition` every series the expression returns is active (Prometheus:
 * `expr: rate(errors[5m]) > 0.01`); with it, a series is active when `value <op> threshold`
 * (the form's "is above 0.01" over `expr: rate(errors[5m])`).
 */
export const PromRuleQuerySchema = z.object({
  kind: z.literal("promql"),
  expr: z.string().trim().min(1, "an expression is required").max(20_000),
  condition: ConditionSchema.optional(),
});

/**
 * A log rule: the events matching `query` (the log query language) in the last `window`, counted
 * (one series) or counted per value of `groupBy` (a field: service, host, level, source or an
 * attribute path; one series per value, labelled with the field's name), compared with
 * `condition`.
 */
export const LogRuleQuerySchema = z.object({
  kind: z.literal("logs"),
  query: z.string().max(20_000).default(""),
  window: DurationSchema.default("5m"),
  groupBy: z.string().trim().min(1).max(200).optional(),
  condition: ConditionSchema,
});

export const RuleQuerySchema = z.discriminatedUnion("kind", [PromRuleQuerySchema, LogRuleQuerySchema]);
export type RuleQuery = z.infer<typeof RuleQuerySchema>;
export type PromRuleQuery = z.infer<typeof PromRuleQuerySchema>;
export type LogRuleQuery = z.infer<typeof LogRuleQuerySchema>;

/** What a rule's instances become when the query returns nothing (Grafana's "no data" handling). */
export const NoDataStateSchema = z.enum(["NoData", "Alerting", "OK", "KeepLast"]);
/** What they become when the evaluation fails (query error, timeout). */
export const ExecErrStateSchema = z.enum(["Error", "Alerting", "OK", "KeepLast"]);

export const AlertRuleSchema = z.object({
  /** Stable id (kept across edits and re-imports). */
  uid: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).optional(),
  /** The `alertname` label of its alerts. */
  title: z.string().trim().min(1, "a name is required").max(200),
  query: RuleQuerySchema,
  /** How long a series must stay active before it fires (pending meanwhile). */
  for: DurationSchema.default("0s"),
  /** How long a firing alert keeps firing after its condition cleared (Prometheus keep_firing_for). */
  keepFiringFor: DurationSchema.optional(),
  labels: LabelsSchema.default({}),
  /** `summary`, `description`, `runbook_url` and any other; templates. */
  annotations: AnnotationsSchema.default({}),
  noDataState: NoDataStateSchema.default("NoData"),
  execErrState: ExecErrStateSchema.default("Error"),
  paused: z.boolean().default(false),
});
export type AlertRule = z.infer<typeof AlertRuleSchema>;
export type AlertRuleInput = z.input<typeof AlertRuleSchema>;

export const RuleGroupSchema = z
  .object({
    name: z.string().trim().min(1, "a group name is required").max(200),
    /** The folder (server/dashboards folders) the group lives in; null is General. */
    folderUid: z.string().nullable().default(null),
    /** Evaluation interval. */
    interval: DurationSchema.default("1m"),
    rules: z.array(AlertRuleSchema).max(500).default([]),
  })
  .superRefine((g, ctx) => {
    const seen = new Set<string>();
    g.rules.forEach((r, i) => {
      if (r.uid && seen.has(r.uid)) ctx.addIssue({ code: "custom", path: ["rules", i, "uid"], message: `rule uid ${r.uid} is used twice` });
      if (r.uid) seen.add(r.uid);
    });
  });
export type RuleGroup = z.infer<typeof RuleGroupSchema>;

// ---------------------------------------------------------------------------------------------
// Evaluation and alert instances
// ---------------------------------------------------------------------------------------------

/** One series of a rule evaluation: its labels (query labels; rule labels not yet added) and value. */
export interface EvalSeries {
  labels: LabelSet;
  value: number;
  /** Whether the condition holds (for a condition-less PromQL rule: always true). */
  active: boolean;
}

/** A rule's evaluation at `at` (epoch ms): series, or an error. */
export type EvalResult = { at: number; ok: true; series: EvalSeries[] } | { at: number; ok: false; error: string };

/** Instance states (Grafana's names; Prometheus says inactive for normal). */
export const AlertStateSchema = z.enum(["normal", "pending", "firing", "nodata", "error"]);
export type AlertState = z.infer<typeof AlertStateSchema>;

/** One (rule, label set) instance as stored between evaluations. */
export interface AlertInstance {
  ruleUid: string;
  /** The full label set: query labels + rule labels + `alertname` (+ `grafana_folder`-style extras none). */
  labels: LabelSet;
  /** Fingerprint of `labels` (stable hash, hex). */
  fingerprint: string;
  state: AlertState;
  /** When the current state began (epoch ms). */
  stateSince: number;
  /** When the condition first held in the current active streak (pending/firing), epoch ms. */
  activeSince: number | null;
  /** Until when a firing alert keeps firing after its condition cleared (keepFiringFor). */
  keepFiringUntil: number | null;
  /** The last value (null for no data/error). */
  value: number | null;
  /** The last evaluation of this instance. */
  lastEvalAt: number;
  /** Annotations rendered at the last evaluation. */
  annotations: Record<string, string>;
  /** Firing ended at (epoch ms): set while a resolved alert is still reported (`endsAt`). */
  resolvedAt: number | null;
  /** The error text in state `error`. */
  error: string | null;
}

/** A state change, as recorded in the history. */
export interface StateTransition {
  ruleUid: string;
  fingerprint: string;
  labels: LabelSet;
  from: AlertState;
  to: AlertState;
  at: number;
  value: number | null;
  error?: string | null;
}

// ---------------------------------------------------------------------------------------------
// Alerts as notified (Alertmanager's model)
// ---------------------------------------------------------------------------------------------

/** An alert as the notification pipeline sees it (Alertmanager API v2 `postableAlert`). */
export const AlertSchema = z.object({
  labels: LabelsSchema,
  annotations: z.record(z.string(), z.string()).default({}),
  startsAt: z.string().datetime({ offset: true }).optional(),
  endsAt: z.string().datetime({ offset: true }).optional(),
  generatorURL: z.string().max(2_000).optional(),
});
export type Alert = z.infer<typeof AlertSchema>;

// ---------------------------------------------------------------------------------------------
// Notification configuration: Alertmanager's format
// ---------------------------------------------------------------------------------------------

/** `group_by: ['...']` groups by all labels (Alertmanager). */
export const GROUP_BY_ALL = "...";

export interface RouteConfig {
  receiver?: string;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  /** Alertmanager matcher strings (`severity="critical"`, `team=~"a|b"`). */
  matchers?: string[];
  /** Deprecated equality / regex maps, still accepted. */
  match?: Record<string, string>;
  match_re?: Record<string, string>;
  continue?: boolean;
  mute_time_intervals?: string[];
  active_time_intervals?: string[];
  routes?: RouteConfig[];
}

export const RouteSchema: z.ZodType<RouteConfig> = z.lazy(() =>
  z
    .object({
      receiver: z.string().min(1).optional(),
      group_by: z.array(z.string()).optional(),
      group_wait: DurationSchema.optional(),
      group_interval: DurationSchema.optional(),
      repeat_interval: DurationSchema.optional(),
      matchers: z.array(z.string().max(2_000)).optional(),
      match: z.record(z.string(), z.string()).optional(),
      match_re: z.record(z.string(), z.string()).optional(),
      continue: z.boolean().optional(),
      mute_time_intervals: z.array(z.string()).optional(),
      active_time_intervals: z.array(z.string()).optional(),
      routes: z.array(RouteSchema).optional(),
    })
    .strict(),
);

const httpUrl = z.string().url().max(2_000);
/** Fields every integration has. */
const integrationBase = { send_resolved: z.boolean().optional() };

export const WebhookConfigSchema = z
  .object({
    ...integrationBase,
    url: httpUrl,
    /** Most alerts per message (0 = all). */
    max_alerts: z.number().int().min(0).default(0),
    /** Extra request headers (e.g. Authorization). */
    http_headers: z.record(z.string(), z.string()).optional(),
    timeout: DurationSchema.optional(),
  })
  .strict();

export const SlackConfigSchema = z
  .object({
    ...integrationBase,
    /** The incoming-webhook URL (or global.slack_api_url). */
    api_url: httpUrl.optional(),
    channel: z.string().max(200).optional(),
    username: z.string().max(200).optional(),
    icon_emoji: z.string().max(100).optional(),
    /** Templates over the notification data. */
    title: z.string().max(5_000).optional(),
    title_link: z.string().max(2_000).optional(),
    text: z.string().max(20_000).optional(),
    color: z.string().max(200).optional(),
  })
  .strict();

export const EmailConfigSchema = z
  .object({
    ...integrationBase,
    to: z.string().min(1).max(2_000),
    from: z.string().max(500).optional(),
    /** `host:port` (or global.smtp_smarthost). */
    smarthost: z.string().max(500).optional(),
    hello: z.string().max(200).optional(),
    auth_username: z.string().max(500).optional(),
    auth_password: z.string().max(500).optional(),
    /** STARTTLS required (default true, as Alertmanager); `tls_config.insecure_skip_verify` for self-signed. */
    require_tls: z.boolean().optional(),
    tls_config: z.object({ insecure_skip_verify: z.boolean().optional() }).strict().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    /** Templates of the HTML and text parts. */
    html: z.string().max(100_000).optional(),
    text: z.string().max(100_000).optional(),
  })
  .strict();

export const PagerDutyConfigSchema = z
  .object({
    ...integrationBase,
    /** Events API v2 integration key. */
    routing_key: z.string().min(1).max(200),
    /** Events API endpoint (default https://events.pagerduty.com/v2/enqueue). */
    url: httpUrl.optional(),
    client: z.string().max(500).optional(),
    client_url: z.string().max(2_000).optional(),
    description: z.string().max(5_000).optional(),
    severity: z.string().max(200).optional(),
    class: z.string().max(200).optional(),
    component: z.string().max(200).optional(),
    group: z.string().max(200).optional(),
    details: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/** A receiver ("contact point"): a name and its integrations. */
export const ReceiverSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    webhook_configs: z.array(WebhookConfigSchema).optional(),
    slack_configs: z.array(SlackConfigSchema).optional(),
    email_configs: z.array(EmailConfigSchema).optional(),
    pagerduty_configs: z.array(PagerDutyConfigSchema).optional(),
  })
  .strict();
export type Receiver = z.infer<typeof ReceiverSchema>;
export type IntegrationType = "webhook" | "slack" | "email" | "pagerduty";

export const InhibitRuleSchema = z
  .object({
    source_matchers: z.array(z.string()).optional(),
    target_matchers: z.array(z.string()).optional(),
    source_match: z.record(z.string(), z.string()).optional(),
    source_match_re: z.record(z.string(), z.string()).optional(),
    target_match: z.record(z.string(), z.string()).optional(),
    target_match_re: z.record(z.string(), z.string()).optional(),
    equal: z.array(z.string()).optional(),
  })
  .strict();
export type InhibitRule = z.infer<typeof InhibitRuleSchema>;

/** Alertmanager's time_intervals entries (mute timings). */
export const TimeRangeSchema = z.object({ start_time: z.string().regex(/^\d\d:\d\d$/), end_time: z.string().regex(/^\d\d:\d\d$/) }).strict();
export const TimeIntervalSpecSchema = z
  .object({
    times: z.array(TimeRangeSchema).optional(),
    /** `monday`, `monday:friday`. */
    weekdays: z.array(z.string()).optional(),
    /** `1`, `1:5`, `-1` (last day). */
    days_of_month: z.array(z.string()).optional(),
    /** `january`, `1:3`. */
    months: z.array(z.string()).optional(),
    /** `2026`, `2026:2027`. */
    years: z.array(z.string()).optional(),
    /** IANA time zone (default UTC). */
    location: z.string().optional(),
  })
  .strict();
export const TimeIntervalSchema = z.object({ name: z.string().trim().min(1).max(200), time_intervals: z.array(TimeIntervalSpecSchema) }).strict();
export type TimeInterval = z.infer<typeof TimeIntervalSchema>;

export const AlertmanagerGlobalSchema = z
  .object({
    resolve_timeout: DurationSchema.optional(),
    smtp_from: z.string().optional(),
    smtp_smarthost: z.string().optional(),
    smtp_hello: z.string().optional(),
    smtp_auth_username: z.string().optional(),
    smtp_auth_password: z.string().optional(),
    smtp_require_tls: z.boolean().optional(),
    slack_api_url: httpUrl.optional(),
    pagerduty_url: httpUrl.optional(),
  })
  .strict();

/** The whole notification configuration: an alertmanager.yml. */
export const AlertmanagerConfigSchema = z
  .object({
    global: AlertmanagerGlobalSchema.optional(),
    route: RouteSchema,
    receivers: z.array(ReceiverSchema).default([]),
    inhibit_rules: z.array(InhibitRuleSchema).default([]),
    time_intervals: z.array(TimeIntervalSchema).default([]),
    /** The older name of time_intervals. */
    mute_time_intervals: z.array(TimeIntervalSchema).optional(),
    /** Template files are not read; inline templates live in each integration. */
    templates: z.array(z.string()).optional(),
  })
  .strict();
export type AlertmanagerConfig = z.infer<typeof AlertmanagerConfigSchema>;

// ---------------------------------------------------------------------------------------------
// Silences (Alertmanager API v2 shapes)
// ---------------------------------------------------------------------------------------------

export const SilenceMatcherSchema = z.object({
  name: z.string().min(1).max(200),
  value: z.string().max(2_000),
  isRegex: z.boolean(),
  isEqual: z.boolean().default(true),
});
export type SilenceMatcher = z.infer<typeof SilenceMatcherSchema>;

export const SilenceSchema = z.object({
  id: z.string().optional(),
  matchers: z.array(SilenceMatcherSchema).min(1, "a silence needs at least one matcher"),
  startsAt: z.string().datetime({ offset: true }),
  endsAt: z.string().datetime({ offset: true }),
  createdBy: z.string().min(1).max(200),
  comment: z.string().max(5_000).default(""),
});
export type Silence = z.infer<typeof SilenceSchema>;

/** Defaults Alertmanager applies where a route says nothing. */
export const ROUTE_DEFAULTS = { group_wait: "30s", group_interval: "5m", repeat_interval: "4h" } as const;
