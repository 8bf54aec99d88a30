/**
 * A panel's series results as the time-axis panels draw them: every series frame of every
 * `series` result, with its display name, colour and unit from the field config (defaults, then
 * overrides matched by name, regex or query), and the Grafana named colours resolved. Pure.
 */
import { seriesColor } from "@/components/charts/time-series-option";
import { uniqueNames } from "@/components/metrics/legend";
import { resolveColor, resolveFieldConfig, seriesDisplayName } from "@/components/panels/common/field-display";
import type { FieldConfig } from "@/server/dashboards/model";
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

/**
 * Series of the panel's `series` results in result order. `displayName` (defaults, then
 * overrides) replaces the name, with `{{label}}` templates; overrides match the name the server
 * gave. Colours: override, else a fixed default colour, else the palette by position.
 */
export function displaySeries(data: PanelData | undefined, fieldConfig: Partial<FieldConfig> | undefined): DisplaySeries[] {
  const out: Omit<DisplaySeries, "name">[] = [];
  const names: string[] = [];
  for (const r of data?.results ?? []) {
    if (r.kind !== "series") continue;
    for (const s of r.series) {
      const fc = resolveFieldConfig(fieldConfig, { name: s.name, refId: r.refId });
      names.push(seriesDisplayName(s, fc));
      out.push({
        refId: r.refId,
        labels: s.labels,
        points: s.points,
        color: fc.color ? resolveColor(fc.color) : seriesColor(out.length),
        unit: fc.unit ?? "short",
        ...(fc.decimals !== undefined ? { decimals: fc.decimals } : {}),
      });
    }
  }
  const unique = uniqueNames(names);
  return out.map((s, i) => ({ ...s, name: unique[i]! }));
}
