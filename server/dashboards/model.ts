/**
 * The dashboard model: a versioned JSON document (zod), close to Grafana's so people who know
 * Grafana recognise it, but ours: one query language per target kind (PromQL or the log query
 * language), options per panel type validated here, and no datasource indirection.
 *
 * Layout follows Grafana: a 24-column grid, `gridPos` in grid units, a flat `panels` list in which
 * `row` panels start a section; a collapsed row carries its section's panels inside `panels`.
 *
 * `schemaVersion` is bumped whenever a stored document would need rewriting; `migrateDashboard`
 * (server/dashboards/migrate.ts) brings any stored version to the current one on read.
 *
 * Pure module: safe in the browser and in workers.
 */
import { z } from "zod";

export const DASHBOARD_SCHEMA_VERSION = 1;

/** Grid width in columns (as Grafana's). */
export const GRID_COLUMNS = 24;

/** Variable names: what `$name` / `${name}` can refer to. */
const VariableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "letters, digits and _; not starting with a digit");

/** A duration such as `30s`, `5m`, `1h`, `7d` (Grafana's relative time and interval strings). */
const DurationString = z.string().regex(/^\d+(ms|s|m|h|d|w|y)$/, "a duration such as 30s, 5m, 1h, 7d");

/** Refresh choices offered in the picker; `""` is off. Any duration string is accepted. */
export const REFRESH_CHOICES = ["", "5s", "10s", "30s", "1m", "5m", "15m", "30m", "1h", "2h", "1d"] as const;

// ---------------------------------------------------------------------------------------------
// Field config: units, decimals, min/max, thresholds, value mappings, per-series overrides
// ---------------------------------------------------------------------------------------------

export const ThresholdStepSchema = z.object({
  /** `null` is the base step (from minus infinity). */
  value: z.number().nullable(),
  color: z.string().min(1).max(64),
});
export type ThresholdStep = z.infer<typeof ThresholdStepSchema>;

export const ThresholdsSchema = z.object({
  mode: z.enum(["absolute", "percentage"]).default("absolute"),
  steps: z.array(ThresholdStepSchema).max(50).default([{ value: null, color: "green" }]),
});
export type Thresholds = z.infer<typeof ThresholdsSchema>;

export const ValueMappingSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("value"), value: z.string(), text: z.string(), color: z.string().optional() }),
  z.object({ type: z.literal("range"), from: z.number().nullable(), to: z.number().nullable(), text: z.string(), color: z.string().optional() }),
]);
export type ValueMapping = z.infer<typeof ValueMappingSchema>;

export const FieldDefaultsSchema = z.object({
  /** A unit id of components/charts/value-format.ts (`bytes`, `s`, `percent`, `reqps`, …). */
  unit: z.string().max(64).optional(),
  decimals: z.number().int().min(0).max(10).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  /** Series display name; `{{label}}` templates allowed. */
  displayName: z.string().max(200).optional(),
  /** A fixed series colour; unset means the palette. */
  color: z.string().max(64).optional(),
  thresholds: ThresholdsSchema.optional(),
  mappings: z.array(ValueMappingSchema).max(100).optional(),
  noValue: z.string().max(100).optional(),
});
export type FieldDefaults = z.infer<typeof FieldDefaultsSchema>;

export const FieldOverrideSchema = z.object({
  matcher: z.object({ id: z.enum(["byName", "byRegexp", "byQuery"]), options: z.string().max(500) }),
  properties: FieldDefaultsSchema,
});
export type FieldOverride = z.infer<typeof FieldOverrideSchema>;

export const FieldConfigSchema = z.object({
  defaults: FieldDefaultsSchema.default({}),
  overrides: z.array(FieldOverrideSchema).max(100).default([]),
});
export type FieldConfig = z.infer<typeof FieldConfigSchema>;

// ---------------------------------------------------------------------------------------------
// Targets (queries)
// ---------------------------------------------------------------------------------------------

const RefId = z.string().min(1).max(20);

export const PromTargetSchema = z.object({
  kind: z.literal("promql"),
  refId: RefId,
  expr: z.string().max(20_000),
  /** `{{label}}` templates; empty means the series' label set. */
  legendFormat: z.string().max(500).optional(),
  /** Evaluate once at the range end (tables, stats that want one value). */
  instant: z.boolean().default(false),
  /** Lower bound of the step for this query (`$__interval` never goes below it). */
  interval: DurationString.optional(),
  hide: z.boolean().default(false),
});
export type PromTarget = z.infer<typeof PromTargetSchema>;

export const LogTargetSchema = z.object({
  kind: z.literal("logs"),
  refId: RefId,
  /** The log query language (Discover's). Empty matches everything. */
  query: z.string().max(20_000).default(""),
  /**
   * `lines`: newest matching events (logs panel); `volume`: counts per interval stacked by level
   * (log volume panel, time series); `count`: counts per interval as one series.
   */
  mode: z.enum(["lines", "volume", "count"]).default("lines"),
  limit: z.number().int().min(1).max(1000).default(100),
  hide: z.boolean().default(false),
});
export type LogTarget = z.infer<typeof LogTargetSchema>;

export const TargetSchema = z.discriminatedUnion("kind", [PromTargetSchema, LogTargetSchema]);
export type Target = z.infer<typeof TargetSchema>;

// ---------------------------------------------------------------------------------------------
// Panel options per type
// ---------------------------------------------------------------------------------------------

/** How a series is reduced to one value (stat, gauge, bar gauge, legend calcs). */
export const ReducerSchema = z.enum(["last", "lastNotNull", "first", "firstNotNull", "mean", "min", "max", "sum", "count", "range", "delta", "diff"]);
export type Reducer = z.infer<typeof ReducerSchema>;

export const LegendSchema = z.object({
  displayMode: z.enum(["list", "table", "hidden"]).default("list"),
  placement: z.enum(["bottom", "right"]).default("bottom"),
  calcs: z.array(ReducerSchema).max(12).default([]),
});

export const TimeSeriesOptionsSchema = z.object({
  drawStyle: z.enum(["line", "bars", "points"]).default("line"),
  lineWidth: z.number().min(0).max(10).default(1),
  fillOpacity: z.number().min(0).max(100).default(0),
  pointSize: z.number().min(0).max(40).default(4),
  showPoints: z.enum(["auto", "always", "never"]).default("auto"),
  lineInterpolation: z.enum(["linear", "smooth", "stepBefore", "stepAfter"]).default("linear"),
  stacking: z.enum(["none", "normal", "percent"]).default("none"),
  legend: LegendSchema.default({ displayMode: "list", placement: "bottom", calcs: [] }),
  tooltip: z.object({ mode: z.enum(["single", "multi", "none"]).default("multi") }).default({ mode: "multi" }),
  axis: z
    .object({
      scale: z.enum(["linear", "log"]).default("linear"),
      logBase: z.union([z.literal(2), z.literal(10)]).default(10),
      label: z.string().max(200).optional(),
      /** Soft min/max come from fieldConfig.defaults.min/max. */
      placement: z.enum(["auto", "left", "right", "hidden"]).default("auto"),
    })
    .default({ scale: "linear", logBase: 10, placement: "auto" }),
  thresholdsStyle: z.enum(["off", "line", "area", "line+area"]).default("off"),
});
export type TimeSeriesOptions = z.infer<typeof TimeSeriesOptionsSchema>;

export const StatOptionsSchema = z.object({
  reduce: ReducerSchema.default("lastNotNull"),
  colorMode: z.enum(["value", "background", "none"]).default("value"),
  graphMode: z.enum(["area", "none"]).default("area"),
  textMode: z.enum(["auto", "value", "value_and_name", "name", "none"]).default("auto"),
  orientation: z.enum(["auto", "horizontal", "vertical"]).default("auto"),
});
export type StatOptions = z.infer<typeof StatOptionsSchema>;

export const GaugeOptionsSchema = z.object({
  reduce: ReducerSchema.default("lastNotNull"),
  showThresholdMarkers: z.boolean().default(true),
  showThresholdLabels: z.boolean().default(false),
});
export type GaugeOptions = z.infer<typeof GaugeOptionsSchema>;

export const BarGaugeOptionsSchema = z.object({
  reduce: ReducerSchema.default("lastNotNull"),
  orientation: z.enum(["auto", "horizontal", "vertical"]).default("horizontal"),
  displayMode: z.enum(["gradient", "lcd", "basic"]).default("gradient"),
  showUnfilled: z.boolean().default(true),
});
export type BarGaugeOptions = z.infer<typeof BarGaugeOptionsSchema>;

export const TableOptionsSchema = z.object({
  showHeader: z.boolean().default(true),
  sortBy: z.object({ field: z.string(), desc: z.boolean().default(false) }).optional(),
  /**
   * `series`: one row per series with its labels as columns and the value (instant queries, as
   * Grafana's "Labels to fields" + "Merge"); `timeseries`: time, value per series.
   */
  format: z.enum(["series", "timeseries"]).default("series"),
});
export type TableOptions = z.infer<typeof TableOptionsSchema>;

export const HeatmapOptionsSchema = z.object({
  /** `buckets`: series are classic histogram buckets (`le` label); `timeseries`: each series a row. */
  calculate: z.boolean().default(false),
  yAxisUnit: z.string().max(64).optional(),
  colorScheme: z.enum(["oranges", "blues", "greens", "reds", "purples", "spectral"]).default("oranges"),
  /** Bucket counts are cumulative (`le`) and are de-accumulated before colouring. */
  deaccumulate: z.boolean().default(true),
});
export type HeatmapOptions = z.infer<typeof HeatmapOptionsSchema>;

export const LogsOptionsSchema = z.object({
  showTime: z.boolean().default(true),
  showLevel: z.boolean().default(true),
  wrapLines: z.boolean().default(false),
  order: z.enum(["newest", "oldest"]).default("newest"),
  /** Fields (attribute paths or service/host/source) shown before the message. */
  fields: z.array(z.string().max(200)).max(20).default([]),
});
export type LogsOptions = z.infer<typeof LogsOptionsSchema>;

export const LogVolumeOptionsSchema = z.object({
  stackByLevel: z.boolean().default(true),
});
export type LogVolumeOptions = z.infer<typeof LogVolumeOptionsSchema>;

export const TextOptionsSchema = z.object({
  mode: z.enum(["markdown", "plain"]).default("markdown"),
  content: z.string().max(100_000).default(""),
});
export type TextOptions = z.infer<typeof TextOptionsSchema>;

// ---------------------------------------------------------------------------------------------
// Panels
// ---------------------------------------------------------------------------------------------

export const GridPosSchema = z.object({
  x: z.number().int().min(0).max(GRID_COLUMNS - 1),
  y: z.number().int().min(0),
  w: z.number().int().min(1).max(GRID_COLUMNS),
  h: z.number().int().min(1).max(200),
});
export type GridPos = z.infer<typeof GridPosSchema>;

const panelBase = {
  id: z.number().int().min(1),
  title: z.string().max(500).default(""),
  description: z.string().max(5_000).optional(),
  gridPos: GridPosSchema,
  /** Repeat this panel for each selected value of the named variable. */
  repeat: VariableName.optional(),
  repeatDirection: z.enum(["h", "v"]).default("h"),
  maxPerRow: z.number().int().min(1).max(24).optional(),
  /** Relative time override: the panel shows the last `timeFrom` (e.g. `1h`) instead. */
  timeFrom: DurationString.optional(),
  /** Shift the panel's range back by this much. */
  timeShift: DurationString.optional(),
  /** Minimum step (`$__interval` lower bound) for the panel's queries. */
  interval: DurationString.optional(),
  maxDataPoints: z.number().int().min(10).max(11_000).optional(),
  targets: z.array(TargetSchema).max(26).default([]),
  fieldConfig: FieldConfigSchema.default({ defaults: {}, overrides: [] }),
};

export const TimeSeriesPanelSchema = z.object({ ...panelBase, type: z.literal("timeseries"), options: TimeSeriesOptionsSchema.default(TimeSeriesOptionsSchema.parse({})) });
export const StatPanelSchema = z.object({ ...panelBase, type: z.literal("stat"), options: StatOptionsSchema.default(StatOptionsSchema.parse({})) });
export const GaugePanelSchema = z.object({ ...panelBase, type: z.literal("gauge"), options: GaugeOptionsSchema.default(GaugeOptionsSchema.parse({})) });
export const BarGaugePanelSchema = z.object({ ...panelBase, type: z.literal("bargauge"), options: BarGaugeOptionsSchema.default(BarGaugeOptionsSchema.parse({})) });
export const TablePanelSchema = z.object({ ...panelBase, type: z.literal("table"), options: TableOptionsSchema.default(TableOptionsSchema.parse({})) });
export const HeatmapPanelSchema = z.object({ ...panelBase, type: z.literal("heatmap"), options: HeatmapOptionsSchema.default(HeatmapOptionsSchema.parse({})) });
export const LogsPanelSchema = z.object({ ...panelBase, type: z.literal("logs"), options: LogsOptionsSchema.default(LogsOptionsSchema.parse({})) });
export const LogVolumePanelSchema = z.object({ ...panelBase, type: z.literal("logvolume"), options: LogVolumeOptionsSchema.default(LogVolumeOptionsSchema.parse({})) });
export const TextPanelSchema = z.object({ ...panelBase, type: z.literal("text"), options: TextOptionsSchema.default(TextOptionsSchema.parse({})) });

export const VisualPanelSchema = z.discriminatedUnion("type", [
  TimeSeriesPanelSchema,
  StatPanelSchema,
  GaugePanelSchema,
  BarGaugePanelSchema,
  TablePanelSchema,
  HeatmapPanelSchema,
  LogsPanelSchema,
  LogVolumePanelSchema,
  TextPanelSchema,
]);
export type VisualPanel = z.infer<typeof VisualPanelSchema>;
export type PanelType = VisualPanel["type"];
export const PANEL_TYPES = ["timeseries", "stat", "gauge", "bargauge", "table", "heatmap", "logs", "logvolume", "text"] as const satisfies readonly PanelType[];

/** A row: starts a section of the grid; when collapsed it holds its section's panels. */
export const RowPanelSchema = z.object({
  type: z.literal("row"),
  id: z.number().int().min(1),
  title: z.string().max(500).default(""),
  gridPos: GridPosSchema,
  collapsed: z.boolean().default(false),
  /** The section's panels while the row is collapsed; empty while expanded. */
  panels: z.array(VisualPanelSchema).max(500).default([]),
  /** Repeat the row (and its section) for each selected value of the named variable. */
  repeat: VariableName.optional(),
});
export type RowPanel = z.infer<typeof RowPanelSchema>;

export const PanelSchema = z.union([RowPanelSchema, VisualPanelSchema]);
export type Panel = z.infer<typeof PanelSchema>;

// ---------------------------------------------------------------------------------------------
// Template variables
// ---------------------------------------------------------------------------------------------

/** The current selection: one value, or several when `multi`. `$__all` stands for "All". */
export const VariableCurrentSchema = z.object({
  value: z.union([z.string(), z.array(z.string())]),
  text: z.union([z.string(), z.array(z.string())]).optional(),
});
export type VariableCurrent = z.infer<typeof VariableCurrentSchema>;

export const ALL_VALUE = "$__all";
/** The current value of an interval variable set to "auto" (in the URL too). */
export const AUTO_INTERVAL_VALUE = "$__auto";

const variableBase = {
  name: VariableName,
  label: z.string().max(200).optional(),
  description: z.string().max(2_000).optional(),
  hide: z.enum(["none", "label", "variable"]).default("none"),
  current: VariableCurrentSchema.optional(),
};

const selectable = {
  multi: z.boolean().default(false),
  includeAll: z.boolean().default(false),
  /** What "All" interpolates to; unset means every option (as a regex alternation in PromQL). */
  allValue: z.string().max(1_000).optional(),
};

export const QueryVariableSchema = z.object({
  ...variableBase,
  ...selectable,
  type: z.literal("query"),
  /**
   * `promql`: `label_values(label)`, `label_values(metric_or_selector, label)`, `label_names()`,
   * `metrics(regex)`, `query_result(expr)`; `logs`: a log field whose top values are the options
   * (`logQuery` narrows the events).
   */
  datasource: z.enum(["promql", "logs"]).default("promql"),
  query: z.string().max(5_000),
  logQuery: z.string().max(5_000).optional(),
  /** Keep only options matching this regex (`/re/`); a capture group picks the text. */
  regex: z.string().max(1_000).optional(),
  sort: z.enum(["none", "alpha-asc", "alpha-desc", "num-asc", "num-desc"]).default("alpha-asc"),
  refresh: z.enum(["load", "time"]).default("load"),
});
export const CustomVariableSchema = z.object({
  ...variableBase,
  ...selectable,
  type: z.literal("custom"),
  /** Comma-separated options; `text : value` pairs allowed. */
  query: z.string().max(20_000),
});
export const IntervalVariableSchema = z.object({
  ...variableBase,
  type: z.literal("interval"),
  /** Comma-separated durations, e.g. `1m,5m,10m,1h`. */
  query: z.string().max(1_000),
  auto: z.boolean().default(false),
  autoCount: z.number().int().min(1).max(1_000).default(30),
  autoMin: DurationString.default("10s"),
});
export const TextboxVariableSchema = z.object({ ...variableBase, type: z.literal("textbox"), query: z.string().max(5_000).default("") });
export const ConstantVariableSchema = z.object({ ...variableBase, type: z.literal("constant"), query: z.string().max(5_000) });

export const VariableSchema = z.discriminatedUnion("type", [
  QueryVariableSchema,
  CustomVariableSchema,
  IntervalVariableSchema,
  TextboxVariableSchema,
  ConstantVariableSchema,
]);
export type Variable = z.infer<typeof VariableSchema>;
export type QueryVariable = z.infer<typeof QueryVariableSchema>;
export type CustomVariable = z.infer<typeof CustomVariableSchema>;
export type IntervalVariable = z.infer<typeof IntervalVariableSchema>;

// ---------------------------------------------------------------------------------------------
// The dashboard
// ---------------------------------------------------------------------------------------------

export const DashboardLinkSchema = z.object({
  title: z.string().max(200),
  url: z.string().max(2_000),
  targetBlank: z.boolean().default(false),
});

/**
 * What the dashboard's time-axis panels annotate (Grafana keeps this in `annotations.list`, whose
 * built-in "Annotations & Alerts" entry is our `alerts`): alert state periods (firing, pending,
 * no data, error) of the rules the viewer can see, optionally narrowed by Alertmanager matcher
 * lists (`severity="critical"`, `{team="ops",env=~"prod.*"}`; all must match).
 */
export const DashboardAnnotationsSchema = z.object({
  alerts: z
    .object({
      enabled: z.boolean().default(true),
      matchers: z.array(z.string().trim().min(1).max(2_000)).max(20).optional(),
    })
    .default({ enabled: true }),
});
export type DashboardAnnotations = z.infer<typeof DashboardAnnotationsSchema>;

export const DashboardSchema = z
  .object({
    schemaVersion: z.literal(DASHBOARD_SCHEMA_VERSION),
    title: z.string().trim().min(1, "a title is required").max(200),
    description: z.string().max(5_000).default(""),
    tags: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
    time: z.object({ from: z.string().min(1).max(100), to: z.string().min(1).max(100) }).default({ from: "now-6h", to: "now" }),
    /** Auto-refresh interval; `""` is off. */
    refresh: z.union([z.literal(""), DurationString]).default(""),
    timezone: z.enum(["browser", "utc"]).default("browser"),
    /** `crosshair`: a shared crosshair across panels; `tooltip`: shared crosshair and tooltip. */
    graphTooltip: z.enum(["default", "crosshair", "tooltip"]).default("crosshair"),
    variables: z.array(VariableSchema).max(50).default([]),
    panels: z.array(PanelSchema).max(500).default([]),
    links: z.array(DashboardLinkSchema).max(50).default([]),
    annotations: DashboardAnnotationsSchema.default({ alerts: { enabled: true } }),
  })
  .superRefine((d, ctx) => {
    const names = new Set<string>();
    d.variables.forEach((v, i) => {
      if (names.has(v.name)) ctx.addIssue({ code: "custom", path: ["variables", i, "name"], message: `variable "${v.name}" is defined twice` });
      names.add(v.name);
    });
    const ids = new Set<number>();
    const checkId = (id: number, path: (string | number)[]) => {
      if (ids.has(id)) ctx.addIssue({ code: "custom", path, message: `panel id ${id} is used twice` });
      ids.add(id);
    };
    d.panels.forEach((p, i) => {
      checkId(p.id, ["panels", i, "id"]);
      if (p.type === "row") p.panels.forEach((c, j) => checkId(c.id, ["panels", i, "panels", j, "id"]));
    });
  });
export type Dashboard = z.infer<typeof DashboardSchema>;
/** What callers may hand in: defaults filled by parsing. */
export type DashboardInput = z.input<typeof DashboardSchema>;

/** A new, empty dashboard. */
export function emptyDashboard(title = "New dashboard"): Dashboard {
  return DashboardSchema.parse({ schemaVersion: DASHBOARD_SCHEMA_VERSION, title });
}

/** Every visual panel, including those inside collapsed rows, in document order. */
export function allVisualPanels(d: Pick<Dashboard, "panels">): VisualPanel[] {
  const out: VisualPanel[] = [];
  for (const p of d.panels) {
    if (p.type === "row") out.push(...p.panels);
    else out.push(p);
  }
  return out;
}

/** The next free panel id. */
export function nextPanelId(d: Pick<Dashboard, "panels">): number {
  let max = 0;
  for (const p of d.panels) {
    max = Math.max(max, p.id);
    if (p.type === "row") for (const c of p.panels) max = Math.max(max, c.id);
  }
  return max + 1;
}
