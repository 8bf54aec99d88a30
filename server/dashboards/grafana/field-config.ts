/**
 * Grafana field config (units, decimals, min/max, colours, thresholds, value mappings, per-series
 * overrides) → ours, plus the legacy panel fields that held the same things before Grafana 7
 * (graph's `aliasColors`/`seriesOverrides`, singlestat's `thresholds: "80,90"` + `colors`,
 * `valueMaps`/`rangeMaps`).
 */
import type { FieldConfig, FieldDefaults, FieldOverride, Thresholds, ThresholdStep, ValueMapping } from "../model";
import { arr, cut, int, num, obj, objects, scalarString, str, text, type Json, type Notes } from "./json";
import { grafanaUnit } from "./units";

const MAX_STEPS = 50;
const MAX_MAPPINGS = 100;
const MAX_OVERRIDES = 100;

/** A colour string our schema accepts. */
export function colorString(v: unknown): string | undefined {
  const s = text(v)?.trim();
  return s && s.length <= 64 ? s : undefined;
}

/** `{mode: "fixed", fixedColor}` (or `shades`, a fixed base colour too) → the colour. */
export function fixedColor(v: unknown): string | undefined {
  const c = obj(v);
  if (!c) return undefined;
  if (c.mode === "fixed" || c.mode === "shades") return colorString(c.fixedColor);
  return undefined;
}

/**
 * Grafana's display name templates (`${__field.labels.instance}`, `${__field.labels["a.b"]}`) →
 * ours (`{{instance}}`). Other `${__…}` macros are kept as written.
 */
export function displayNameTemplate(s: string): string {
  return s.replace(/\$\{__field\.labels\.([A-Za-z_][A-Za-z0-9_]*)\}/g, "{{$1}}").replace(/\$\{__field\.labels\["([^"\]]+)"\]\}/g, "{{$1}}");
}

// ---------------------------------------------------------------------------------------------
// Thresholds
// ---------------------------------------------------------------------------------------------

/** Steps sorted by value, the first one the base (value null) whatever Grafana stored there. */
function normaliseSteps(steps: ThresholdStep[]): ThresholdStep[] {
  if (steps.length === 0) return [];
  const [first, ...rest] = steps;
  const sorted = rest.filter((s) => s.value !== null).sort((a, b) => (a.value as number) - (b.value as number));
  return [{ value: null, color: first.color }, ...sorted].slice(0, MAX_STEPS);
}

/**
 * `{mode, steps: [{value, color}]}` (Grafana 7+), or the bare step array of Grafana 6's gauge and
 * `fieldOptions` (`[{index, value, color}]`).
 */
export function convertThresholds(v: unknown): Thresholds | undefined {
  const o = obj(v);
  const rawSteps = o ? o.steps : Array.isArray(v) ? v : undefined;
  if (rawSteps === undefined) return undefined;
  const items = objects(rawSteps)
    .map((s, i) => ({ s, order: int(s.index) ?? i }))
    .sort((a, b) => {
      // The base step (null / -Infinity) leads; the others follow by value.
      const av = num(a.s.value);
      const bv = num(b.s.value);
      if (av === undefined) return -1;
      if (bv === undefined) return 1;
      return av - bv || a.order - b.order;
    });
  const steps: ThresholdStep[] = [];
  for (const { s } of items) {
    const color = colorString(s.color);
    if (!color) continue;
    steps.push({ value: num(s.value) ?? null, color });
  }
  if (steps.length === 0) return undefined;
  return { mode: o?.mode === "percentage" ? "percentage" : "absolute", steps: normaliseSteps(steps) };
}

const LEGACY_COLORS = ["green", "orange", "red"];

/**
 * Singlestat / table-old thresholds: `"80,90"` (or `["80","90"]`) with `colors` for the three
 * bands below, between and above.
 */
export function legacyThresholds(values: unknown, colors: unknown): Thresholds | undefined {
  const list = typeof values === "string" ? values.split(",") : arr(values);
  const nums = list.map(num).filter((n): n is number => n !== undefined);
  if (nums.length === 0) return undefined;
  const palette = arr(colors).map(colorString);
  const color = (i: number) => palette[i] ?? LEGACY_COLORS[Math.min(i, LEGACY_COLORS.length - 1)];
  const steps: ThresholdStep[] = [{ value: null, color: color(0) }];
  nums.forEach((n, i) => steps.push({ value: n, color: color(i + 1) }));
  return { mode: "absolute", steps: normaliseSteps(steps) };
}

// ---------------------------------------------------------------------------------------------
// Value mappings
// ---------------------------------------------------------------------------------------------

function mappingResult(r: unknown): { text: string; color?: string } {
  const o = obj(r) ?? {};
  const color = colorString(o.color);
  return { text: scalarString(o.text) ?? "", ...(color ? { color } : {}) };
}

/**
 * Grafana 8+ mappings (`value` with an options map, `range`, `special`; `regex` has no
 * counterpart) and Grafana 7's (`type: 1` value, `type: 2` range). Missing text becomes `""`
 * (colour only).
 */
export function convertMappings(v: unknown, notes: Notes, where: string): ValueMapping[] {
  const out: ValueMapping[] = [];
  for (const m of objects(v)) {
    const type = m.type;
    if (type === "value") {
      const options = obj(m.options) ?? {};
      const entries = Object.entries(options).sort(([, a], [, b]) => (int(obj(a)?.index) ?? 0) - (int(obj(b)?.index) ?? 0));
      for (const [value, result] of entries) out.push({ type: "value", value, ...mappingResult(result) });
    } else if (type === "range") {
      const o = obj(m.options) ?? {};
      out.push({ type: "range", from: num(o.from) ?? null, to: num(o.to) ?? null, ...mappingResult(o.result) });
    } else if (type === "special") {
      const o = obj(m.options) ?? {};
      const result = mappingResult(o.result);
      const match = str(o.match);
      if (match === "null" || match === "null+nan") out.push({ type: "value", value: "null", ...result });
      if (match === "nan" || match === "null+nan") out.push({ type: "value", value: "NaN", ...result });
      if (match !== "null" && match !== "nan" && match !== "null+nan") notes.add(`Value mapping for special value "${match ?? "?"}" not supported; dropped`, where);
    } else if (type === 1 || type === "1") {
      const value = scalarString(m.value);
      if (value !== undefined) out.push({ type: "value", value, text: scalarString(m.text) ?? "" });
    } else if (type === 2 || type === "2") {
      out.push({ type: "range", from: num(m.from) ?? null, to: num(m.to) ?? null, text: scalarString(m.text) ?? "" });
    } else {
      notes.add(`Value mapping of type "${String(type)}" not supported; dropped`, where);
    }
  }
  return out.slice(0, MAX_MAPPINGS);
}

/** Singlestat / table-old `valueMaps` (`mappingType` 1) or `rangeMaps` (`mappingType` 2). */
export function legacyMappings(panel: Json): ValueMapping[] {
  const out: ValueMapping[] = [];
  if (panel.mappingType === 2) {
    for (const r of objects(panel.rangeMaps)) {
      const t = scalarString(r.text) ?? "";
      if (r.from === "null" && r.to === "null") out.push({ type: "value", value: "null", text: t });
      else out.push({ type: "range", from: num(r.from) ?? null, to: num(r.to) ?? null, text: t });
    }
  } else {
    for (const m of objects(panel.valueMaps)) {
      const value = scalarString(m.value);
      if (value !== undefined) out.push({ type: "value", value, text: scalarString(m.text) ?? "" });
    }
  }
  return out.slice(0, MAX_MAPPINGS);
}

// ---------------------------------------------------------------------------------------------
// Defaults and overrides
// ---------------------------------------------------------------------------------------------

/** Keys of Grafana's field defaults we carry; `custom` is the panel type's (panels.ts reads it). */
export function convertDefaults(d: Json, notes: Notes, where: string): FieldDefaults {
  const out: FieldDefaults = {};
  const unit = grafanaUnit(d.unit);
  if (unit) out.unit = unit;
  const decimals = int(d.decimals, 0, 10);
  if (decimals !== undefined) out.decimals = decimals;
  const min = num(d.min);
  if (min !== undefined) out.min = min;
  const max = num(d.max);
  if (max !== undefined) out.max = max;
  const displayName = text(d.displayName);
  if (displayName) out.displayName = cut(displayNameTemplate(displayName), 200);
  const color = fixedColor(d.color);
  if (color) out.color = color;
  const thresholds = convertThresholds(d.thresholds);
  if (thresholds) out.thresholds = thresholds;
  const mappings = convertMappings(d.mappings, notes, where);
  if (mappings.length > 0) out.mappings = mappings;
  const noValue = scalarString(d.noValue);
  if (noValue !== undefined && noValue !== "") out.noValue = cut(noValue, 100);
  if (arr(d.links).length > 0) notes.add("Data links not supported; dropped", where);
  return out;
}

/** One override property onto `props`; false when we have no counterpart. */
function applyProperty(props: FieldDefaults, id: string, value: unknown, notes: Notes, where: string): boolean {
  switch (id) {
    case "unit": {
      const unit = grafanaUnit(value);
      if (unit) props.unit = unit;
      return true;
    }
    case "decimals": {
      const d = int(value, 0, 10);
      if (d !== undefined) props.decimals = d;
      return true;
    }
    case "min":
    case "max": {
      const n = num(value);
      if (n !== undefined) props[id] = n;
      return true;
    }
    case "displayName":
    case "displayNameFromDS": {
      const s = text(value);
      if (s) props.displayName = cut(displayNameTemplate(s), 200);
      return true;
    }
    case "color": {
      const c = fixedColor(value);
      if (c) props.color = c;
      // Palette modes mean "the default colours": nothing to carry.
      return true;
    }
    case "thresholds": {
      const t = convertThresholds(value);
      if (t) props.thresholds = t;
      return true;
    }
    case "mappings": {
      const m = convertMappings(value, notes, where);
      if (m.length > 0) props.mappings = m;
      return true;
    }
    case "noValue": {
      const s = scalarString(value);
      if (s !== undefined && s !== "") props.noValue = cut(s, 100);
      return true;
    }
    default:
      return false;
  }
}

/** Grafana matcher → ours; `byNames` becomes one matcher per name. */
function matchers(m: Json, notes: Notes, where: string): FieldOverride["matcher"][] {
  const id = str(m.id);
  const options = m.options;
  if (id === "byName" || id === "byFrameRefID") {
    const s = scalarString(options);
    if (s === undefined || s === "") return [];
    return [{ id: id === "byName" ? "byName" : "byQuery", options: cut(s, 500) }];
  }
  if (id === "byRegexp") {
    const s = scalarString(options);
    if (s === undefined || s === "") return [];
    return [{ id: "byRegexp", options: cut(regexBody(s), 500) }];
  }
  if (id === "byNames") {
    const o = obj(options);
    if (o && o.mode === "exclude") {
      notes.add('Override matcher "fields not named" not supported; dropped', where);
      return [];
    }
    const names = arr(o?.names).map(scalarString).filter((s): s is string => !!s);
    return names.map((n) => ({ id: "byName" as const, options: cut(n, 500) }));
  }
  notes.add(`Override matcher "${id ?? "?"}" not supported; dropped`, where);
  return [];
}

/** `/re/flags` → `re`; a bare pattern stays as it is. */
export function regexBody(s: string): string {
  const m = /^\/(.*)\/[gimsuy]*$/s.exec(s);
  return m ? m[1] : s;
}

export function convertOverrides(v: unknown, notes: Notes, where: string): FieldOverride[] {
  const out: FieldOverride[] = [];
  for (const o of objects(v)) {
    const ms = matchers(obj(o.matcher) ?? {}, notes, where);
    if (ms.length === 0) continue;
    const properties: FieldDefaults = {};
    for (const p of objects(o.properties)) {
      const id = str(p.id) ?? "?";
      if (!applyProperty(properties, id, p.value, notes, where)) notes.add(`Override property "${id}" not supported; dropped`, where);
    }
    if (Object.keys(properties).length === 0) continue;
    for (const matcher of ms) out.push({ matcher, properties: { ...properties } });
  }
  return out.slice(0, MAX_OVERRIDES);
}

/** Grafana 7+ `fieldConfig` → ours (defaults without `custom`, overrides we can express). */
export function convertFieldConfig(fc: unknown, notes: Notes, where: string): FieldConfig {
  const o = obj(fc) ?? {};
  return {
    defaults: convertDefaults(obj(o.defaults) ?? {}, notes, where),
    overrides: convertOverrides(o.overrides, notes, where),
  };
}

/** Grafana 6's `options.fieldOptions.defaults` (stat, gauge, bar gauge before 7.0). */
export function fieldOptionsDefaults(fieldOptions: Json, notes: Notes, where: string): FieldDefaults {
  const d = obj(fieldOptions.defaults) ?? {};
  const out = convertDefaults(d, notes, where);
  if (!out.thresholds) {
    const t = convertThresholds(fieldOptions.thresholds ?? d.thresholds);
    if (t) out.thresholds = t;
  }
  if (!out.mappings) {
    const m = convertMappings(fieldOptions.mappings ?? d.mappings, notes, where);
    if (m.length > 0) out.mappings = m;
  }
  return out;
}

