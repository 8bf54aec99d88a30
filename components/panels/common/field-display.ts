/**
 * How a series' values are shown, for every panel type (Grafana's "field config"): the series'
 * effective field config (defaults + matching overrides), colours by thresholds, value mappings,
 * unit formatting and the "no value" text. Pure.
 */
import { formatValueParts } from "@/components/charts/value-format";
import type { FieldConfig, FieldDefaults, Reducer, ThresholdStep, Thresholds, ValueMapping, VisualPanel } from "@/server/dashboards/model";
import type { PanelData, SeriesFrame } from "@/server/dashboards/panel-data";
import { reduceSeries } from "./reduce";

// ---------------------------------------------------------------------------------------------
// Colours
// ---------------------------------------------------------------------------------------------

/** Shades of a named colour, lightest first: super-light, light, (base), semi-dark, dark. */
const FAMILIES: Record<string, readonly [string, string, string, string, string]> = {
  green: ["#86efac", "#4ade80", "#22c55e", "#16a34a", "#15803d"],
  red: ["#fca5a5", "#f87171", "#ef4444", "#dc2626", "#b91c1c"],
  orange: ["#fdba74", "#fb923c", "#f97316", "#ea580c", "#c2410c"],
  yellow: ["#fde047", "#facc15", "#eab308", "#ca8a04", "#a16207"],
  blue: ["#93c5fd", "#60a5fa", "#3b82f6", "#2563eb", "#1d4ed8"],
  purple: ["#d8b4fe", "#c084fc", "#a855f7", "#9333ea", "#7e22ce"],
};
const SHADE_INDEX: Record<string, number> = { "super-light-": 0, "light-": 1, "": 2, "semi-dark-": 3, "dark-": 4 };
const SINGLE: Record<string, string> = {
  text: "#64748b",
  white: "#ffffff",
  black: "#000000",
  gray: "#94a3b8",
  grey: "#94a3b8",
  transparent: "transparent",
};

/** Neutral colour of a missing value. */
export const NO_VALUE_COLOR = "#94a3b8";

/**
 * A colour as CSS: Grafana's named colours (`green`, `semi-dark-red`, `light-blue`, `text`, …)
 * become hex; hex, rgb()/hsl() and other CSS colour names pass through unchanged.
 */
export function resolveColor(color: string | undefined | null, fallback = SINGLE.text!): string {
  if (!color) return fallback;
  const c = color.trim();
  const lower = c.toLowerCase();
  if (SINGLE[lower]) return SINGLE[lower];
  const m = /^(super-light-|light-|semi-dark-|dark-)?([a-z]+)$/.exec(lower);
  if (m) {
    const family = FAMILIES[m[2]!];
    if (family) return family[SHADE_INDEX[m[1] ?? ""]!]!;
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Field config per series
// ---------------------------------------------------------------------------------------------

/** `/re/flags` or a bare pattern; null when it does not compile. */
function compileRegexp(pattern: string): RegExp | null {
  try {
    const m = /^\/(.*)\/([gimsuy]*)$/s.exec(pattern);
    return m ? new RegExp(m[1]!, m[2]!.replace("g", "")) : new RegExp(`^(?:${pattern})$`);
  } catch {
    return null;
  }
}

/** What overrides match on. */
export interface SeriesIdentity {
  /** The series' display name (as the server named it). */
  name: string;
  refId?: string;
}

export function overrideMatches(matcher: FieldConfig["overrides"][number]["matcher"], series: SeriesIdentity): boolean {
  switch (matcher.id) {
    case "byName":
      return matcher.options === series.name;
    case "byRegexp":
      return compileRegexp(matcher.options)?.test(series.name) ?? false;
    case "byQuery":
      return series.refId !== undefined && matcher.options === series.refId;
  }
}

/**
 * The series' effective field config: the defaults, then every matching override in order (a
 * later override wins; properties an override leaves unset keep the earlier value).
 */
export function resolveFieldConfig(fieldConfig: Partial<FieldConfig> | undefined, series: SeriesIdentity): FieldDefaults {
  let out: FieldDefaults = { ...(fieldConfig?.defaults ?? {}) };
  for (const o of fieldConfig?.overrides ?? []) {
    if (!overrideMatches(o.matcher, series)) continue;
    const set = Object.fromEntries(Object.entries(o.properties).filter(([, v]) => v !== undefined)) as FieldDefaults;
    out = { ...out, ...set };
  }
  return out;
}

/** `{{label}}` replaced by the series' label values (unknown labels become empty). */
export function applyLabelTemplate(template: string, labels: Record<string, string>): string {
  return template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g, (_, k: string) => labels[k] ?? "");
}

/** The name to show for a series: its effective `displayName` (templated), else its own name. */
export function seriesDisplayName(series: Pick<SeriesFrame, "name" | "labels">, fc: FieldDefaults): string {
  return fc.displayName ? applyLabelTemplate(fc.displayName, series.labels) : series.name;
}

// ---------------------------------------------------------------------------------------------
// Thresholds and mappings
// ---------------------------------------------------------------------------------------------

const DEFAULT_THRESHOLDS: Thresholds = { mode: "absolute", steps: [{ value: null, color: "green" }] };

/** Steps in order: the base (null) first, then ascending. */
export function sortedSteps(steps: readonly ThresholdStep[]): ThresholdStep[] {
  return [...steps].sort((a, b) => (a.value ?? -Infinity) - (b.value ?? -Infinity));
}

/** A threshold step's value as an absolute value (percentage mode: a share of min…max). */
export function stepAbsolute(stepValue: number, thresholds: Pick<Thresholds, "mode">, min: number, max: number): number {
  return thresholds.mode === "percentage" ? min + ((max - min) * stepValue) / 100 : stepValue;
}

/** The step `value` falls in (the highest whose value it reaches; the base below all). */
export function thresholdStep(value: number, thresholds: Thresholds | undefined, min = 0, max = 100): ThresholdStep {
  const th = thresholds && thresholds.steps.length > 0 ? thresholds : DEFAULT_THRESHOLDS;
  const steps = sortedSteps(th.steps);
  let hit = steps[0]!;
  for (const s of steps) {
    if (s.value === null || value >= stepAbsolute(s.value, th, min, max)) hit = s;
    else break;
  }
  return hit;
}

/**
 * The CSS colour of `value` by thresholds: absolute steps, or percentage steps of min…max
 * (defaults 0…100). A missing value gets the neutral colour.
 */
export function thresholdColor(value: number | null | undefined, thresholds: Thresholds | undefined, min = 0, max = 100): string {
  if (value === null || value === undefined || Number.isNaN(value)) return NO_VALUE_COLOR;
  return resolveColor(thresholdStep(value, thresholds, min, max).color);
}

/** Coloured bands between the steps, clipped to min…max (gauge arcs, bar gauge LCD cells). */
export function thresholdBands(thresholds: Thresholds | undefined, min: number, max: number): { from: number; to: number; color: string }[] {
  const th = thresholds && thresholds.steps.length > 0 ? thresholds : DEFAULT_THRESHOLDS;
  const steps = sortedSteps(th.steps);
  const out: { from: number; to: number; color: string }[] = [];
  steps.forEach((s, i) => {
    const from = s.value === null ? min : Math.max(min, stepAbsolute(s.value, th, min, max));
    const next = steps[i + 1];
    const to = next && next.value !== null ? Math.min(max, stepAbsolute(next.value, th, min, max)) : max;
    if (to > from) out.push({ from, to, color: resolveColor(s.color) });
  });
  return out;
}

/**
 * The first mapping that matches: `value` compares as text (`"1"` matches 1; `"null"` matches a
 * missing value), `range` is inclusive with open ends where null. Colours come back as CSS.
 */
export function applyMappings(value: number | string | null | undefined, mappings: readonly ValueMapping[] | undefined): { text?: string; color?: string } | undefined {
  if (!mappings?.length) return undefined;
  const missing = value === null || value === undefined || (typeof value === "number" && Number.isNaN(value));
  for (const m of mappings) {
    let hit = false;
    if (m.type === "value") {
      hit = missing ? m.value === "null" : String(value) === m.value;
    } else if (!missing) {
      const n = typeof value === "number" ? value : Number(value);
      hit = !Number.isNaN(n) && (m.from === null || n >= m.from) && (m.to === null || n <= m.to);
    }
    if (hit) return { ...(m.text !== "" ? { text: m.text } : {}), ...(m.color ? { color: resolveColor(m.color) } : {}) };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Display values
// ---------------------------------------------------------------------------------------------

export interface DisplayValue {
  /** The number (or the mapping's text), without unit. */
  text: string;
  prefix?: string;
  /** The unit, leading space included (`" KiB"`, `"%"`). */
  suffix?: string;
  /** CSS colour: the mapping's, else by thresholds (or the fixed colour). */
  color: string;
  /** The value itself; null when missing. */
  numeric: number | null;
}

/** The whole display text. */
export const displayText = (d: Pick<DisplayValue, "prefix" | "text" | "suffix">): string => `${d.prefix ?? ""}${d.text}${d.suffix ?? ""}`;

/**
 * A value as a panel shows it: a mapping's text and colour first; else the value in the unit
 * (with `decimals`), coloured by thresholds (percentage steps use `range`, default the field's
 * min/max or 0…100); a missing value shows `noValue` ("No data").
 */
export function displayValue(value: number | null | undefined, fc: FieldDefaults, range?: { min: number; max: number }): DisplayValue {
  const numeric = value === undefined || (value !== null && Number.isNaN(value)) ? null : value;
  const mapped = applyMappings(value, fc.mappings);
  const min = range?.min ?? fc.min ?? 0;
  const max = range?.max ?? fc.max ?? 100;
  const byThresholds = fc.color && !fc.thresholds ? (numeric === null ? NO_VALUE_COLOR : resolveColor(fc.color)) : thresholdColor(numeric, fc.thresholds, min, max);
  const color = mapped?.color ?? byThresholds;
  if (mapped?.text !== undefined) return { text: mapped.text, color, numeric };
  if (numeric === null) return { text: fc.noValue ?? "No data", color, numeric };
  return { ...formatValueParts(numeric, fc.unit ?? "short", fc.decimals), color, numeric };
}

/** One reduced series of a panel: what stat, gauge and bar gauge draw. */
export interface PanelValue {
  /** Stable key (refId + index). */
  key: string;
  refId: string;
  name: string;
  labels: Record<string, string>;
  points: [number, number | null][];
  fieldConfig: FieldDefaults;
  value: number | null;
  display: DisplayValue;
  /** The range bars and percentage thresholds are drawn against. */
  min: number;
  max: number;
}

/**
 * Every series of the panel's series results reduced to one value (`reducer`), with its field
 * config and display. `min`/`max` come from the field config, else `defaults` (gauge: 0…100),
 * else the data: min(0, smallest value) … largest value.
 */
export function panelValues(
  panel: Pick<VisualPanel, "fieldConfig">,
  data: PanelData | undefined,
  reducer: Reducer,
  defaults: { min?: number; max?: number } = {},
): PanelValue[] {
  const rows: Omit<PanelValue, "display" | "min" | "max">[] = [];
  for (const r of data?.results ?? []) {
    if (r.kind !== "series") continue;
    r.series.forEach((s, i) => {
      const fc = resolveFieldConfig(panel.fieldConfig, { name: s.name, refId: r.refId });
      rows.push({ key: `${r.refId}-${i}`, refId: r.refId, name: seriesDisplayName(s, fc), labels: s.labels, points: s.points, fieldConfig: fc, value: reduceSeries(s.points, reducer) });
    });
  }
  const finite = rows.map((r) => r.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const dataMin = finite.length ? Math.min(0, ...finite) : 0;
  const dataMax = finite.length ? Math.max(...finite) : 100;
  return rows.map((r) => {
    const min = r.fieldConfig.min ?? defaults.min ?? dataMin;
    let max = r.fieldConfig.max ?? defaults.max ?? dataMax;
    if (max <= min) max = min + 1;
    return { ...r, min, max, display: displayValue(r.value, r.fieldConfig, { min, max }) };
  });
}

/** The share (0…1) of min…max that `value` fills; 0 for a missing value. */
export function fillRatio(value: number | null, min: number, max: number): number {
  if (value === null || !Number.isFinite(value) || max <= min) return value === Infinity ? 1 : 0;
  return Math.min(1, Math.max(0, (value - min) / (max - min)));
}
