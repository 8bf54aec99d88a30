/**
 * One Grafana visual panel → one of ours, or a reason it has no counterpart. Per-type options
 * live in timeseries.ts and single-value.ts; tables, text and heatmaps here.
 */
import { HeatmapOptionsSchema, TableOptionsSchema, TextOptionsSchema, VisualPanelSchema, type FieldConfig, type FieldOverride, type GridPos, type HeatmapOptions, type PromTarget, type TableOptions, type TextOptions, type VisualPanel } from "../model";
import type { Datasources } from "./datasources";
import { convertFieldConfig, legacyMappings, legacyThresholds, regexBody } from "./field-config";
import { arr, bool, cut, DURATION_RE, int, obj, objects, panelLabel, str, text, type Json, type Notes } from "./json";
import { barGaugePanel, gaugePanel, singlestatPanel, statPanel } from "./single-value";
import { convertTargets, hasVariable, toDuration } from "./targets";
import { graphPanel, timeseriesPanel } from "./timeseries";
import { grafanaUnit } from "./units";

export interface PanelContext {
  ds: Datasources;
  notes: Notes;
}

/** Why a panel was not converted (the caller adds id, title and type). */
export interface Refusal {
  reason: string;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Panel types converted, by Grafana type. */
export const CONVERTED_TYPES = ["graph", "timeseries", "singlestat", "grafana-singlestat-panel", "stat", "gauge", "bargauge", "table", "table-old", "text", "heatmap"] as const;

// ---------------------------------------------------------------------------------------------
// Common panel fields
// ---------------------------------------------------------------------------------------------

/** `1h` or `now-1h` → `1h`; other forms (`now/d`, `$var`) cannot be expressed. */
function relativeTime(v: unknown, what: string, notes: Notes, where: string): string | undefined {
  const s = text(v)?.trim();
  if (!s) return undefined;
  const m = /^(?:now-)?(\d+[smhdwy])$/.exec(s);
  if (m && DURATION_RE.test(m[1])) return m[1];
  notes.add(`Panel ${what} "${s}" not supported; dropped`, where);
  return undefined;
}

function panelInterval(v: unknown, notes: Notes, where: string): string | undefined {
  const s = text(v)?.trim();
  if (!s) return undefined;
  const d = toDuration(s);
  if (d) return d;
  notes.add(hasVariable(s) ? `Panel min interval from a variable (${s}) not supported; dropped` : `Panel min interval "${s}" not understood; dropped`, where);
  return undefined;
}

function repeatOf(p: Json, notes: Notes, where: string): string | undefined {
  const r = text(p.repeat)?.trim().replace(/^\$\{?|\}$/g, "");
  if (!r) return undefined;
  if (NAME_RE.test(r)) return r;
  notes.add(`Repeat by "${r}" is not a variable name; dropped`, where);
  return undefined;
}

/** Fields every visual panel has. */
function base(p: Json, id: number, gridPos: GridPos, ctx: PanelContext, where: string) {
  const out: Record<string, unknown> = { id, title: cut(str(p.title) ?? "", 500), gridPos };
  const description = text(p.description);
  if (description) out.description = cut(description, 5_000);
  const repeat = repeatOf(p, ctx.notes, where);
  if (repeat) {
    out.repeat = repeat;
    out.repeatDirection = p.repeatDirection === "v" ? "v" : "h";
    const maxPerRow = int(p.maxPerRow, 1, 24);
    if (maxPerRow !== undefined) out.maxPerRow = maxPerRow;
  }
  const timeFrom = relativeTime(p.timeFrom, "relative time", ctx.notes, where);
  if (timeFrom) out.timeFrom = timeFrom;
  const timeShift = relativeTime(p.timeShift, "time shift", ctx.notes, where);
  if (timeShift) out.timeShift = timeShift;
  const interval = panelInterval(p.interval, ctx.notes, where);
  if (interval) out.interval = interval;
  const mdp = int(p.maxDataPoints);
  if (mdp !== undefined && mdp > 0) out.maxDataPoints = Math.min(11_000, Math.max(10, mdp));
  if (arr(p.links).length > 0) ctx.notes.add("Panel links not supported; dropped", where);
  if (obj(p.alert)) ctx.notes.add("Legacy panel alert not imported (recreate it as an alert rule)", where);
  const transformations = objects(p.transformations).filter((t) => t.disabled !== true);
  if (transformations.length > 0) {
    ctx.notes.add(`Transformations not supported; dropped (${[...new Set(transformations.map((t) => str(t.id) ?? "?"))].join(", ")})`, where);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// table, table-old
// ---------------------------------------------------------------------------------------------

/** Grafana < 7 tables (`styles`, `transform`, `columns`) are "table-old" whatever their type says. */
function isOldTable(p: Json): boolean {
  return p.type === "table-old" || Array.isArray(p.styles) || typeof p.transform === "string";
}

/** table-old `styles` → defaults (the `/.*\/` style) and per-column overrides. */
function oldTableFieldConfig(p: Json, notes: Notes, where: string): FieldConfig {
  const fc: FieldConfig = { defaults: {}, overrides: [] };
  for (const s of objects(p.styles)) {
    const pattern = str(s.pattern) ?? "";
    const type = str(s.type);
    if (type === "date") continue;
    if (type === "hidden") {
      notes.add("Hidden table columns not supported; shown", where);
      continue;
    }
    const props: FieldOverride["properties"] = {};
    if (type === "number" || type === undefined) {
      const unit = grafanaUnit(s.unit);
      if (unit) props.unit = unit;
      const decimals = int(s.decimals, 0, 10);
      if (decimals !== undefined) props.decimals = decimals;
      const thresholds = legacyThresholds(s.thresholds, s.colors);
      if (thresholds) props.thresholds = thresholds;
    }
    const mappings = legacyMappings(s);
    if (mappings.length > 0) props.mappings = mappings;
    const alias = text(s.alias);
    if (alias && pattern !== "/.*/") props.displayName = cut(alias, 200);
    if (Object.keys(props).length === 0) continue;
    if (pattern === "/.*/" || pattern === "") fc.defaults = { ...fc.defaults, ...props };
    else {
      const isRegex = /^\/.*\/[gimsuy]*$/s.test(pattern);
      fc.overrides.push({ matcher: isRegex ? { id: "byRegexp", options: cut(regexBody(pattern), 500) } : { id: "byName", options: cut(pattern, 500) }, properties: props });
    }
  }
  fc.overrides = fc.overrides.slice(0, 100);
  return fc;
}

function tablePanel(p: Json, targets: PromTarget[], notes: Notes, where: string): { options: TableOptions; fieldConfig: FieldConfig } {
  const o = TableOptionsSchema.parse({});
  const visible = targets.filter((t) => !t.hide);
  const allInstant = visible.length > 0 && visible.every((t) => t.instant);
  o.format = allInstant ? "series" : "timeseries";
  if (isOldTable(p)) {
    const transform = str(p.transform);
    if (transform === "timeseries_aggregations") o.format = "series";
    else if (transform === "timeseries_to_rows" || transform === "timeseries_to_columns") o.format = "timeseries";
    else if (transform === "json") notes.add('Table transform "json" not supported; shown as series', where);
    const sort = obj(p.sort);
    if (sort && int(sort.col) !== undefined) notes.add("Table sort by column number not supported; dropped", where);
    return { options: o, fieldConfig: oldTableFieldConfig(p, notes, where) };
  }
  const options = obj(p.options) ?? {};
  const header = bool(options.showHeader);
  if (header !== undefined) o.showHeader = header;
  const sortBy = objects(options.sortBy)[0];
  const field = sortBy ? text(sortBy.displayName) : undefined;
  if (field) o.sortBy = { field: cut(field, 500), desc: bool(sortBy?.desc) === true };
  return { options: o, fieldConfig: convertFieldConfig(p.fieldConfig, notes, where) };
}

// ---------------------------------------------------------------------------------------------
// text
// ---------------------------------------------------------------------------------------------

function textPanel(p: Json): TextOptions {
  const options = obj(p.options);
  const mode = str(options?.mode) ?? str(p.mode) ?? "markdown";
  const content = str(options?.content) ?? str(p.content) ?? "";
  if (mode === "text") return TextOptionsSchema.parse({ mode: "plain", content: cut(content, 100_000) });
  if (mode === "code") {
    const language = str(obj(options?.code)?.language) ?? "";
    return TextOptionsSchema.parse({ mode: "markdown", content: cut("```" + language + "\n" + content + "\n```", 100_000) });
  }
  // markdown and html: our markdown renderer shows the text (HTML tags as written).
  return TextOptionsSchema.parse({ mode: "markdown", content: cut(content, 100_000) });
}

// ---------------------------------------------------------------------------------------------
// heatmap
// ---------------------------------------------------------------------------------------------

const SCHEMES: Record<string, HeatmapOptions["colorScheme"]> = {
  oranges: "oranges",
  blues: "blues",
  greens: "greens",
  reds: "reds",
  purples: "purples",
  spectral: "spectral",
  rdylbu: "spectral",
  rdylgn: "spectral",
  rdbu: "spectral",
  turbo: "spectral",
  rainbow: "spectral",
  sinebow: "spectral",
};

function colorScheme(v: unknown): HeatmapOptions["colorScheme"] {
  const name = (str(v) ?? "").replace(/^interpolate/, "").toLowerCase();
  return SCHEMES[name] ?? "oranges";
}

/**
 * Grafana 9+ heatmap (`options.calculate`, `options.yAxis.unit`, `options.color.scheme`) or the
 * old one (`dataFormat: "tsbuckets" | "timeseries"`, `yAxis.format`, `color.colorScheme`).
 * Targets with `format: "heatmap"` are cumulative `le` buckets and get de-accumulated.
 */
function heatmapPanel(p: Json, formats: Set<string>, notes: Notes, where: string): { options: HeatmapOptions; fieldConfig: FieldConfig } {
  const options = obj(p.options) ?? {};
  const isNew = "calculate" in options || "yAxis" in options || "color" in options;
  const o = HeatmapOptionsSchema.parse({});
  if (isNew) {
    o.calculate = bool(options.calculate) === true;
    const unit = grafanaUnit(obj(options.yAxis)?.unit);
    if (unit) o.yAxisUnit = unit;
    o.colorScheme = colorScheme(obj(options.color)?.scheme);
  } else {
    o.calculate = p.dataFormat !== "tsbuckets";
    const unit = grafanaUnit(obj(p.yAxis)?.format);
    if (unit) o.yAxisUnit = unit;
    o.colorScheme = colorScheme(obj(p.color)?.colorScheme);
  }
  o.deaccumulate = !o.calculate && formats.has("heatmap");
  if (o.calculate) notes.add("Heatmap calculated from raw series (not buckets): shown from the series as they are", where);
  return { options: o, fieldConfig: convertFieldConfig(p.fieldConfig, notes, where) };
}

// ---------------------------------------------------------------------------------------------
// Dispatch
// ---------------------------------------------------------------------------------------------

/** Prometheus targets for panel types that query; `preferInstant` for single-value and tables. */
function targetsOf(p: Json, ctx: PanelContext, where: string, preferInstant: boolean) {
  return convertTargets(p, ctx.ds, ctx.notes, where, { preferInstant });
}

/** Converts a visual panel (not a row), or says why not. */
export function convertVisualPanel(p: Json, id: number, gridPos: GridPos, ctx: PanelContext): VisualPanel | Refusal {
  const type = str(p.type) ?? "";
  const where = panelLabel(p);
  const common = () => base(p, id, gridPos, ctx, where);
  let candidate: Record<string, unknown>;

  switch (type) {
    case "graph":
    case "timeseries": {
      const { targets } = targetsOf(p, ctx, where, false);
      const { options, fieldConfig } = type === "graph" ? graphPanel(p, ctx.notes, where) : timeseriesPanel(p, ctx.notes, where);
      candidate = { ...common(), type: "timeseries", targets, options, fieldConfig };
      break;
    }
    case "singlestat":
    case "grafana-singlestat-panel": {
      const { targets } = targetsOf(p, ctx, where, true);
      const r = singlestatPanel(p, ctx.notes, where);
      candidate = { ...common(), type: r.type, targets, options: r.options, fieldConfig: r.fieldConfig };
      break;
    }
    case "stat":
    case "gauge":
    case "bargauge": {
      const { targets } = targetsOf(p, ctx, where, true);
      const r = type === "stat" ? statPanel(p, ctx.notes, where) : type === "gauge" ? gaugePanel(p, ctx.notes, where) : barGaugePanel(p, ctx.notes, where);
      candidate = { ...common(), type, targets, options: r.options, fieldConfig: r.fieldConfig };
      break;
    }
    case "table":
    case "table-old": {
      const { targets } = targetsOf(p, ctx, where, true);
      const r = tablePanel(p, targets, ctx.notes, where);
      candidate = { ...common(), type: "table", targets, options: r.options, fieldConfig: r.fieldConfig };
      break;
    }
    case "text":
      candidate = { ...common(), type: "text", options: textPanel(p) };
      break;
    case "heatmap": {
      const { targets, formats } = targetsOf(p, ctx, where, false);
      const r = heatmapPanel(p, formats, ctx.notes, where);
      candidate = { ...common(), type: "heatmap", targets, options: r.options, fieldConfig: r.fieldConfig };
      break;
    }
    case "logs": {
      const kind = ctx.ds.kindOf(p.datasource);
      const lang = kind === "loki" ? "LogQL (Loki)" : `${kind} log queries`;
      return { reason: `${lang} cannot be converted to Lookout's log query language; rebuild it as a logs panel` };
    }
    case "":
      return { reason: "the panel has no type" };
    default:
      return { reason: `panel type "${type}" has no counterpart in Lookout` };
  }

  const parsed = VisualPanelSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { reason: `could not be converted (${issue?.path.join(".") || "?"}: ${issue?.message ?? "invalid"})` };
  }
  return parsed.data;
}

export function isRefusal(r: VisualPanel | Refusal): r is Refusal {
  return "reason" in r && !("type" in r);
}

