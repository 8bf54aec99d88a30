"use client";

import { useId } from "react";
import { ChoiceField, OptionsGroup } from "@/components/panels/common/PanelParts";
import type { PanelOptionsEditorProps } from "@/components/panels/types";
import { Checkbox } from "@/components/ui/Checkbox";
import { TextField } from "@/components/ui/Field";
import type { HeatmapOptions, VisualPanel } from "@/server/dashboards/model";

type HeatmapPanel = Extract<VisualPanel, { type: "heatmap" }>;

/** Heatmap options: data layout, de-accumulation, bucket unit, colours. */
export function HeatmapOptionsEditor({ panel, onChange }: PanelOptionsEditorProps<HeatmapPanel>) {
  const id = useId();
  const o = panel.options;
  const set = (patch: Partial<HeatmapOptions>) => onChange({ ...panel, options: { ...o, ...patch } });
  return (
    <OptionsGroup title="Heatmap">
      <ChoiceField
        id={`${id}-mode`}
        label="Data"
        value={o.calculate ? "series" : "buckets"}
        choices={[["buckets", "Histogram buckets (le label)"], ["series", "Each series a row"]]}
        onChange={(v) => set({ calculate: v === "series" })}
      />
      {!o.calculate && (
        <Checkbox label="Cumulative buckets" description="Prometheus buckets count everything up to their bound; subtract the bucket below." checked={o.deaccumulate} onChange={(e) => set({ deaccumulate: e.target.checked })} />
      )}
      <TextField id={`${id}-unit`} label="Bucket unit" placeholder="s" value={o.yAxisUnit ?? ""} onChange={(e) => set({ yAxisUnit: e.target.value.trim() || undefined })} />
      <ChoiceField
        id={`${id}-scheme`}
        label="Colour scheme"
        value={o.colorScheme}
        choices={[["oranges", "Oranges"], ["blues", "Blues"], ["greens", "Greens"], ["reds", "Reds"], ["purples", "Purples"], ["spectral", "Spectral"]]}
        onChange={(colorScheme) => set({ colorScheme })}
      />
    </OptionsGroup>
  );
}
