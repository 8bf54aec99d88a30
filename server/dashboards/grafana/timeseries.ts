/**
 * Time series options from Grafana's `timeseries` panel (fieldConfig `custom` + options) and from
 * the old `graph` panel (lines/bars/points, fill, linewidth, stack + percentage, legend flags,
 * `yaxes`, `thresholds`, `seriesOverrides`, `aliasColors`).
 */
import { TimeSeriesOptionsSchema, type FieldConfig, type FieldDefaults, type FieldOverride, type Reducer, type Thresholds, type ThresholdStep, type TimeSeriesOptions } from "../model";
import { colorString, convertFieldConfig, regexBody } from "./field-config";
import { arr, bool, clamp, cut, int, num, obj, objects, str, text, type Json, type Notes } from "./json";
import { graphLegendCalcs, reducerOf } from "./reducers";
import { grafanaUnit } from "./units";

function pick<T extends string>(v: unknown, allowed: readonly T[]): T | undefined {
  return typeof v === "string" && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** Legend calcs we have; the others are reported. */
function legendCalcs(calcs: unknown, notes: Notes, where: string): Reducer[] {
  const out: Reducer[] = [];
  for (const c of arr(calcs)) {
    const r = reducerOf(c);
    if (r) {
      if (!out.includes(r)) out.push(r);
    } else notes.add(`Legend value "${String(c)}" not supported; dropped`, where);
  }
  return out.slice(0, 12);
}

function logBase(v: unknown, notes: Notes, where: string): 2 | 10 {
  const n = num(v);
  if (n === 2) return 2;
  if (n !== 10 && n !== undefined) notes.add(`Log scale base ${n} shown as base 10`, where);
  return 10;
}

// ---------------------------------------------------------------------------------------------
// timeseries (Grafana 7.4+)
// ---------------------------------------------------------------------------------------------

export function timeseriesPanel(p: Json, notes: Notes, where: string): { options: TimeSeriesOptions; fieldConfig: FieldConfig } {
  const fc = obj(p.fieldConfig) ?? {};
  const custom = obj(obj(fc.defaults)?.custom) ?? {};
  const options = obj(p.options) ?? {};
  const o = TimeSeriesOptionsSchema.parse({});

  o.drawStyle = pick(custom.drawStyle, ["line", "bars", "points"] as const) ?? o.drawStyle;
  const lineWidth = num(custom.lineWidth);
  if (lineWidth !== undefined) o.lineWidth = clamp(lineWidth, 0, 10);
  const fill = num(custom.fillOpacity);
  if (fill !== undefined) o.fillOpacity = clamp(fill, 0, 100);
  const pointSize = num(custom.pointSize);
  if (pointSize !== undefined) o.pointSize = clamp(pointSize, 0, 40);
  o.showPoints = pick(custom.showPoints, ["auto", "always", "never"] as const) ?? o.showPoints;
  o.lineInterpolation = pick(custom.lineInterpolation, ["linear", "smooth", "stepBefore", "stepAfter"] as const) ?? o.lineInterpolation;
  o.stacking = pick(obj(custom.stacking)?.mode, ["none", "normal", "percent"] as const) ?? o.stacking;

  const legend = obj(options.legend);
  if (legend) {
    const hidden = bool(legend.showLegend) === false || legend.displayMode === "hidden";
    o.legend = {
      displayMode: hidden ? "hidden" : (pick(legend.displayMode, ["list", "table"] as const) ?? "list"),
      placement: legend.placement === "right" ? "right" : "bottom",
      calcs: legendCalcs(legend.calcs, notes, where),
    };
  }
  const tooltip = pick(obj(options.tooltip)?.mode, ["single", "multi", "none"] as const);
  if (tooltip) o.tooltip = { mode: tooltip };

  const scale = obj(custom.scaleDistribution);
  if (scale?.type === "log") o.axis = { ...o.axis, scale: "log", logBase: logBase(scale.log, notes, where) };
  else if (scale?.type === "symlog") notes.add("Symmetric log scale shown as linear", where);
  const label = text(custom.axisLabel);
  if (label) o.axis.label = cut(label, 200);
  o.axis.placement = pick(custom.axisPlacement, ["auto", "left", "right", "hidden"] as const) ?? o.axis.placement;

  const tsMode = str(obj(custom.thresholdsStyle)?.mode);
  if (tsMode === "line" || tsMode === "area" || tsMode === "line+area") o.thresholdsStyle = tsMode;
  else if (tsMode === "dashed") o.thresholdsStyle = "line";
  else if (tsMode === "dashed+area") o.thresholdsStyle = "line+area";
  else if (tsMode === "series") notes.add("Thresholds drawn as series colours not supported; not drawn", where);

  const fieldConfig = convertFieldConfig(fc, notes, where);
  // Soft axis limits (used only when the data stays inside them) are our min/max.
  const softMin = num(custom.axisSoftMin);
  if (softMin !== undefined && fieldConfig.defaults.min === undefined) fieldConfig.defaults.min = softMin;
  const softMax = num(custom.axisSoftMax);
  if (softMax !== undefined && fieldConfig.defaults.max === undefined) fieldConfig.defaults.max = softMax;
  return { options: o, fieldConfig };
}

// ---------------------------------------------------------------------------------------------
// graph (Grafana ≤ 7, "Graph (old)" after)
// ---------------------------------------------------------------------------------------------

const GRAPH_THRESHOLD_COLORS: Record<string, string> = { critical: "red", warning: "orange", ok: "green" };

/**
 * Graph thresholds (`[{value, op: "gt"|"lt", colorMode, fill, line}]`) as steps: the value axis
 * is cut at every threshold value; each band takes the colour of the nearest threshold covering
 * it (`gt` covers above its value, `lt` below), `transparent` where none does.
 */
export function graphThresholds(list: unknown): { thresholds?: Thresholds; style: TimeSeriesOptions["thresholdsStyle"] } {
  const items = objects(list)
    .map((t) => ({
      value: num(t.value),
      op: t.op === "lt" ? "lt" : "gt",
      color: t.colorMode === "custom" ? (colorString(t.lineColor) ?? colorString(t.fillColor) ?? "red") : (GRAPH_THRESHOLD_COLORS[str(t.colorMode) ?? ""] ?? "red"),
      fill: t.fill !== false,
      line: t.line !== false,
    }))
    .filter((t): t is typeof t & { value: number } => t.value !== undefined);
  if (items.length === 0) return { style: "off" };
  const cuts = [...new Set(items.map((t) => t.value))].sort((a, b) => a - b);
  // Band i lies between cuts[i-1] and cuts[i]; band 0 below the first cut. Of the thresholds
  // covering a band, the nearest one colours it (above 90 is "critical", not "warning" from 70).
  const bandColor = (i: number): string => {
    const lower = i === 0 ? -Infinity : cuts[i - 1];
    const upper = i === cuts.length ? Infinity : cuts[i];
    let color = "transparent";
    let best = Infinity;
    for (const t of items) {
      const distance = t.op === "gt" ? (t.value <= lower ? lower - t.value : Infinity) : t.value >= upper ? t.value - upper : Infinity;
      if (distance <= best && distance !== Infinity) {
        best = distance;
        color = t.color;
      }
    }
    return color;
  };
  const steps: ThresholdStep[] = [{ value: null, color: bandColor(0) }];
  cuts.forEach((c, i) => steps.push({ value: c, color: bandColor(i + 1) }));
  const line = items.some((t) => t.line);
  const fill = items.some((t) => t.fill);
  return { thresholds: { mode: "absolute", steps }, style: line && fill ? "line+area" : fill ? "area" : "line" };
}

const SERIES_OVERRIDE_IGNORED = new Set(["alias", "$$hashKey"]);

/** `seriesOverrides` and `aliasColors` → overrides (colours); the rest reported. */
function graphOverrides(p: Json, notes: Notes, where: string): FieldOverride[] {
  const out: FieldOverride[] = [];
  for (const [name, c] of Object.entries(obj(p.aliasColors) ?? {})) {
    const color = colorString(c);
    if (color && name !== "") out.push({ matcher: { id: "byName", options: cut(name, 500) }, properties: { color } });
  }
  for (const so of objects(p.seriesOverrides)) {
    const alias = str(so.alias);
    if (!alias) continue;
    const isRegex = /^\/.*\/[gimsuy]*$/s.test(alias);
    const matcher: FieldOverride["matcher"] = isRegex ? { id: "byRegexp", options: cut(regexBody(alias), 500) } : { id: "byName", options: cut(alias, 500) };
    const properties: FieldDefaults = {};
    for (const [key, value] of Object.entries(so)) {
      if (SERIES_OVERRIDE_IGNORED.has(key)) continue;
      if (key === "color") {
        const color = colorString(value);
        if (color) properties.color = color;
      } else if (key === "yaxis") {
        if (num(value) === 2) notes.add("Series on the right y-axis shown on the left one", where);
      } else {
        notes.add(`Series override "${key}" not supported; dropped`, where);
      }
    }
    if (Object.keys(properties).length > 0) out.push({ matcher, properties });
  }
  return out.slice(0, 100);
}

export function graphPanel(p: Json, notes: Notes, where: string): { options: TimeSeriesOptions; fieldConfig: FieldConfig } {
  const o = TimeSeriesOptionsSchema.parse({});
  const lines = bool(p.lines) !== false;
  const bars = bool(p.bars) === true;
  const points = bool(p.points) === true;
  if (bars && !lines) o.drawStyle = "bars";
  else if (points && !lines && !bars) o.drawStyle = "points";
  else o.drawStyle = "line";
  if (bars && lines) notes.add("Bars combined with lines shown as lines", where);
  o.lineWidth = clamp(num(p.linewidth) ?? 1, 0, 10);
  o.fillOpacity = clamp((num(p.fill) ?? 1) * 10, 0, 100);
  const radius = num(p.pointradius);
  if (radius !== undefined) o.pointSize = clamp(Math.round(radius * 2), 0, 40);
  o.showPoints = points ? "always" : "never";
  if (bool(p.steppedLine) === true) o.lineInterpolation = "stepAfter";
  if (bool(p.stack) === true) o.stacking = bool(p.percentage) === true ? "percent" : "normal";
  else if (bool(p.percentage) === true) notes.add("Percentage without stacking not supported; shown as values", where);

  const legend = obj(p.legend) ?? {};
  o.legend = {
    displayMode: bool(legend.show) === false ? "hidden" : bool(legend.alignAsTable) === true ? "table" : "list",
    placement: bool(legend.rightSide) === true ? "right" : "bottom",
    calcs: bool(legend.values) === true ? graphLegendCalcs(legend) : [],
  };
  o.tooltip = { mode: bool(obj(p.tooltip)?.shared) === false ? "single" : "multi" };

  const xaxis = obj(p.xaxis);
  const xmode = str(xaxis?.mode);
  if (xmode && xmode !== "time") notes.add(`Graph x-axis mode "${xmode}" not supported; shown over time`, where);

  // Start from the panel's Grafana 7 fieldConfig (units there were ignored by graph, but
  // overrides and mappings were not), then lay the legacy fields over it.
  const fieldConfig = convertFieldConfig(p.fieldConfig, notes, where);
  const y = objects(p.yaxes)[0];
  if (y) {
    const unit = grafanaUnit(y.format);
    if (unit) fieldConfig.defaults.unit = unit;
    const decimals = int(y.decimals, 0, 10);
    if (decimals !== undefined) fieldConfig.defaults.decimals = decimals;
    const min = num(y.min);
    if (min !== undefined) fieldConfig.defaults.min = min;
    const max = num(y.max);
    if (max !== undefined) fieldConfig.defaults.max = max;
    const base = num(y.logBase);
    if (base !== undefined && base !== 1) o.axis = { ...o.axis, scale: "log", logBase: logBase(base, notes, where) };
    const label = text(y.label);
    if (label) o.axis.label = cut(label, 200);
    if (bool(y.show) === false) o.axis.placement = "hidden";
  }
  const decimals = int(p.decimals, 0, 10);
  if (decimals !== undefined) fieldConfig.defaults.decimals = decimals;

  const th = graphThresholds(p.thresholds);
  if (th.thresholds) {
    fieldConfig.defaults.thresholds = th.thresholds;
    o.thresholdsStyle = th.style;
  }
  fieldConfig.overrides = [...fieldConfig.overrides, ...graphOverrides(p, notes, where)].slice(0, 100);
  return { options: o, fieldConfig };
}
