/**
 * Panels that reduce a series to one value: stat, gauge, bar gauge (Grafana 7+, and Grafana 6's
 * `options.fieldOptions` / `valueOptions` forms) and the old singlestat (→ stat, or → gauge when
 * its gauge was shown).
 */
import {
  BarGaugeOptionsSchema,
  GaugeOptionsSchema,
  StatOptionsSchema,
  type BarGaugeOptions,
  type FieldConfig,
  type FieldDefaults,
  type GaugeOptions,
  type Reducer,
  type StatOptions,
} from "../model";
import { convertFieldConfig, convertMappings, convertThresholds, fieldOptionsDefaults, legacyMappings, legacyThresholds } from "./field-config";
import { arr, bool, cut, int, num, obj, scalarString, str, text, type Json, type Notes } from "./json";
import { reducerOf, singlestatReducer } from "./reducers";
import { affixUnit, grafanaUnit } from "./units";

function pick<T extends string>(v: unknown, allowed: readonly T[]): T | undefined {
  return typeof v === "string" && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** The reducer of a Grafana 6/7+ single-value panel, reported when we lack it. */
function reduceOf(options: Json, notes: Notes, where: string): Reducer {
  const reduceOptions = obj(options.reduceOptions);
  const fieldOptions = obj(options.fieldOptions);
  const calc = arr(reduceOptions?.calcs)[0] ?? arr(fieldOptions?.calcs)[0] ?? obj(options.valueOptions)?.stat;
  if (bool(reduceOptions?.values) === true || bool(fieldOptions?.values) === true) notes.add("Showing every value (instead of a reduction) not supported; shows the last value", where);
  if (calc === undefined) return "lastNotNull";
  const r = reducerOf(calc);
  if (r) return r;
  notes.add(`Reduction "${String(calc)}" not supported; uses the last non-null value`, where);
  return "lastNotNull";
}

/**
 * Field config of a single-value panel: Grafana 7+ `fieldConfig`, else Grafana 6's
 * `options.fieldOptions`, else the 6.0 gauge's `valueOptions` + `thresholds` + `valueMappings`.
 */
function singleValueFieldConfig(p: Json, notes: Notes, where: string): FieldConfig {
  const options = obj(p.options) ?? {};
  const fc = convertFieldConfig(p.fieldConfig, notes, where);
  const fieldOptions = obj(options.fieldOptions);
  if (fieldOptions) {
    fc.defaults = { ...fieldOptionsDefaults(fieldOptions, notes, where), ...fc.defaults };
  }
  const valueOptions = obj(options.valueOptions);
  if (valueOptions) {
    const d: FieldDefaults = {};
    const unit = grafanaUnit(valueOptions.unit);
    if (unit) d.unit = unit;
    const decimals = int(valueOptions.decimals, 0, 10);
    if (decimals !== undefined) d.decimals = decimals;
    const t = convertThresholds(options.thresholds);
    if (t) d.thresholds = t;
    const m = convertMappings(options.valueMappings, notes, where);
    if (m.length > 0) d.mappings = m;
    const min = num(options.minValue);
    if (min !== undefined) d.min = min;
    const max = num(options.maxValue);
    if (max !== undefined) d.max = max;
    fc.defaults = { ...d, ...fc.defaults };
  }
  return fc;
}

export function statPanel(p: Json, notes: Notes, where: string): { options: StatOptions; fieldConfig: FieldConfig } {
  const options = obj(p.options) ?? {};
  const o = StatOptionsSchema.parse({});
  o.reduce = reduceOf(options, notes, where);
  const colorMode = str(options.colorMode);
  if (colorMode === "background" || colorMode === "background_solid") o.colorMode = "background";
  else if (colorMode === "value" || colorMode === "none") o.colorMode = colorMode;
  o.graphMode = pick(options.graphMode, ["area", "none"] as const) ?? o.graphMode;
  o.textMode = pick(options.textMode, ["auto", "value", "value_and_name", "name", "none"] as const) ?? o.textMode;
  o.orientation = pick(options.orientation, ["auto", "horizontal", "vertical"] as const) ?? o.orientation;
  return { options: o, fieldConfig: singleValueFieldConfig(p, notes, where) };
}

export function gaugePanel(p: Json, notes: Notes, where: string): { options: GaugeOptions; fieldConfig: FieldConfig } {
  const options = obj(p.options) ?? {};
  const o = GaugeOptionsSchema.parse({});
  o.reduce = reduceOf(options, notes, where);
  const markers = bool(options.showThresholdMarkers);
  if (markers !== undefined) o.showThresholdMarkers = markers;
  const labels = bool(options.showThresholdLabels);
  if (labels !== undefined) o.showThresholdLabels = labels;
  return { options: o, fieldConfig: singleValueFieldConfig(p, notes, where) };
}

export function barGaugePanel(p: Json, notes: Notes, where: string): { options: BarGaugeOptions; fieldConfig: FieldConfig } {
  const options = obj(p.options) ?? {};
  const o = BarGaugeOptionsSchema.parse({});
  o.reduce = reduceOf(options, notes, where);
  o.orientation = pick(options.orientation, ["auto", "horizontal", "vertical"] as const) ?? o.orientation;
  o.displayMode = pick(options.displayMode, ["gradient", "lcd", "basic"] as const) ?? o.displayMode;
  const unfilled = bool(options.showUnfilled);
  if (unfilled !== undefined) o.showUnfilled = unfilled;
  return { options: o, fieldConfig: singleValueFieldConfig(p, notes, where) };
}

// ---------------------------------------------------------------------------------------------
// singlestat (Grafana ≤ 7; the `grafana-singlestat-panel` plugin after)
// ---------------------------------------------------------------------------------------------

export type SinglestatResult = { type: "stat"; options: StatOptions; fieldConfig: FieldConfig } | { type: "gauge"; options: GaugeOptions; fieldConfig: FieldConfig };

export function singlestatPanel(p: Json, notes: Notes, where: string): SinglestatResult {
  const defaults: FieldDefaults = {};
  const format = grafanaUnit(p.format);
  const prefix = str(p.prefix);
  const postfix = str(p.postfix);
  const affix = affixUnit(format, prefix, postfix);
  if (affix) defaults.unit = affix;
  else if (format) defaults.unit = format;
  if ((text(prefix) && !affix?.startsWith("prefix:")) || (text(postfix) && !affix?.startsWith("suffix:"))) notes.add("Singlestat prefix/postfix next to a unit not supported; dropped", where);
  const decimals = int(p.decimals, 0, 10);
  if (decimals !== undefined) defaults.decimals = decimals;
  const thresholds = legacyThresholds(p.thresholds, p.colors);
  if (thresholds) defaults.thresholds = thresholds;
  const mappings = legacyMappings(p);
  if (mappings.length > 0) defaults.mappings = mappings;
  const nullText = scalarString(p.nullText);
  if (nullText) defaults.noValue = cut(nullText, 100);

  let reduce = singlestatReducer(p.valueName);
  if (!reduce) {
    notes.add(`Singlestat value "${String(p.valueName)}" not supported; uses the last non-null value`, where);
    reduce = "lastNotNull";
  }
  // A Grafana 7 singlestat may carry a fieldConfig too; its overrides still apply.
  const fieldConfig = convertFieldConfig(p.fieldConfig, notes, where);
  fieldConfig.defaults = { ...fieldConfig.defaults, ...defaults };

  const gauge = obj(p.gauge);
  if (bool(gauge?.show) === true) {
    const min = num(gauge?.minValue);
    const max = num(gauge?.maxValue);
    if (min !== undefined) fieldConfig.defaults.min = min;
    if (max !== undefined) fieldConfig.defaults.max = max;
    const options = GaugeOptionsSchema.parse({
      reduce,
      showThresholdMarkers: bool(gauge?.thresholdMarkers) ?? true,
      showThresholdLabels: bool(gauge?.thresholdLabels) ?? false,
    });
    return { type: "gauge", options, fieldConfig };
  }
  const options = StatOptionsSchema.parse({
    reduce,
    colorMode: bool(p.colorBackground) === true ? "background" : bool(p.colorValue) === true ? "value" : "none",
    graphMode: bool(obj(p.sparkline)?.show) === true ? "area" : "none",
    textMode: p.valueName === "name" ? "name" : "auto",
  });
  return { type: "stat", options, fieldConfig };
}
