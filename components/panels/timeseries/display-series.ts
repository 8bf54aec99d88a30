/**
 * A panel's series results as the time-axis panels draw them: every series frame of every
 * `series` result, with its display name, colour and unit from the field config (defaults, then
 * overrides matched by name, regex or query), and the Grafana named colours resolved. Pure.
 */
import { seriesColor } from "@/components/charts/time-series-option";
import { formatValue, type UnitId } from "@/components/charts/value-format";
import { uniqueNames } from "@/components/metrics/legend";
import type { FieldConfig, FieldOverride } from "@/server/dashboards/model";
import type { PanelData } from "@/server/dashboards/panel-data";

export interface DisplaySeries {
  /** Unique among the panel's series (legend toggling goes by name). */
  name: string;
  refId: string;
  labels: Record<string, string>;
  points: [number, number | null][];
  /** CSS colour. */
  color: string;
  unit: string;
  decimals?: number;
}

/** Grafana's named colours (and their shades) as CSS; anything else is used as written. */
const FAMILIES: Record<string, readonly [string, string, string, string, string]> = {
  green: ["#86efac", "#4ade80", "#22c55e", "#16a34a", "#15803d"],
  red: ["#fca5a5", "#f87171", "#ef4444", "#dc2626", "#b91c1c"],
  orange: ["#fdba74", "#fb923c", "#f97316", "#ea580c", "#c2410c"],
  yellow: ["#fde047", "#facc15", "#eab308", "#ca8a04", "#a16207"],
  blue: ["#93c5fd", "#60a5fa", "#3b82f6", "#2563eb", "#1d4ed8"],
  purple: ["#d8b4fe", "#c084fc", "#a855f7", "#9333ea", "#7e22ce"],
};
const SHADES = ["super-light-", "light-", "", "semi-dark-", "dark-"];
const SINGLE: Record<string, string> = { text: "#64748b", gray: "#94a3b8", grey: "#94a3b8", white: "#ffffff", black: "#000000", transparent: "transparent" };

export function cssColor(name: string): string {
  const lower = name.trim().toLowerCase();
  if (SINGLE[lower]) return SINGLE[lower];
  const m = /^(super-light-|light-|semi-dark-|dark-)?([a-z]+)$/.exec(lower);
  const family = m ? FAMILIES[m[2]!] : undefined;
  return family ? family[SHADES.indexOf(m![1] ?? "")]! : name.trim();
}

/** `/re/flags` or a bare pattern matched against the whole name; null when it does not compile. */
function nameRegex(pattern: string): RegExp | null {
  try {
    const m = /^\/([\s\S]*)\/([a-z]*)$/.exec(pattern);
    return m ? new RegExp(m[1]!, m[2]!.replace(/[gy]/g, "")) : new RegExp(`^(?:${pattern})$`);
  } catch {
    return null;
  }
}

export function overrideMatches(o: FieldOverride, name: string, refId: string): boolean {
  switch (o.matcher.id) {
    case "byName":
      return o.matcher.options === name;
    case "byRegexp":
      return nameRegex(o.matcher.options)?.test(name) ?? false;
    case "byQuery":
      return o.matcher.options === refId;
  }
}

const TEMPLATE_RE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Series of the panel's `series` results in result order. `displayName` (defaults, then
 * overrides) replaces the name, with `{{label}}` templates; overrides match the name the server
 * gave. Colours: override, else a fixed default colour, else the palette by position.
 */
export function displaySeries(data: PanelData | undefined, fieldConfig: Partial<FieldConfig> | undefined): DisplaySeries[] {
  const defaults = fieldConfig?.defaults ?? {};
  const overrides = fieldConfig?.overrides ?? [];
  const out: Omit<DisplaySeries, "name">[] = [];
  const names: string[] = [];
  for (const r of data?.results ?? []) {
    if (r.kind !== "series") continue;
    for (const s of r.series) {
      const matched = overrides.filter((o) => overrideMatches(o, s.name, r.refId));
      const pick = <K extends keyof typeof defaults>(k: K) => {
        let v = defaults[k];
        for (const o of matched) if (o.properties[k] !== undefined) v = o.properties[k];
        return v;
      };
      const displayName = pick("displayName");
      names.push(displayName ? displayName.replace(TEMPLATE_RE, (_, l: string) => s.labels[l] ?? "") : s.name);
      const color = pick("color");
      const decimals = pick("decimals");
      out.push({
        refId: r.refId,
        labels: s.labels,
        points: s.points,
        color: color ? cssColor(color) : seriesColor(out.length),
        unit: pick("unit") ?? "short",
        ...(decimals !== undefined ? { decimals } : {}),
      });
    }
  }
  const unique = uniqueNames(names);
  return out.map((s, i) => ({ ...s, name: unique[i]! }));
}

type Formatter = (v: number | null | undefined, unit: string, decimals?: number) => string;

/**
 * A value in a unit (components/charts/value-format.ts; units it does not know format as
 * `short`), with `decimals` where the formatter supports them.
 */
export function formatInUnit(v: number | null | undefined, unit: string, decimals?: number): string {
  return (formatValue as unknown as Formatter)(v, unit as UnitId, decimals);
}
