"use client";

import { useId } from "react";
import { Checkbox } from "@/components/ui/Checkbox";
import { TextField } from "@/components/ui/Field";
import type { TableOptions, VisualPanel } from "@/server/dashboards/model";
import { ChoiceField, OptionsGroup } from "@/components/panels/common/PanelParts";
import type { PanelOptionsEditorProps } from "@/components/panels/types";

type TablePanel = Extract<VisualPanel, { type: "table" }>;

export function TableOptionsEditor({ panel, onChange }: PanelOptionsEditorProps<TablePanel>) {
  const idp = useId();
  const set = (patch: Partial<TableOptions>) => onChange({ ...panel, options: { ...panel.options, ...patch } });
  const o = panel.options;
  return (
    <OptionsGroup title="Table">
      <ChoiceField
        id={`${idp}-format`}
        label="Format"
        value={o.format}
        onChange={(format) => set({ format })}
        choices={[["series", "A row per series (labels and value)"], ["timeseries", "A row per time (a column per series)"]]}
      />
      <Checkbox label="Show header" checked={o.showHeader} onChange={(e) => set({ showHeader: e.target.checked })} />
      <div className="grid grid-cols-[1fr_auto] items-end gap-2">
        <TextField
          id={`${idp}-sort-by`}
          label="Sort by column"
          placeholder="Value"
          value={o.sortBy?.field ?? ""}
          onChange={(e) => set({ sortBy: e.target.value.trim() ? { field: e.target.value, desc: o.sortBy?.desc ?? false } : undefined })}
        />
        <Checkbox label="Descending" disabled={!o.sortBy} checked={o.sortBy?.desc ?? false} onChange={(e) => o.sortBy && set({ sortBy: { ...o.sortBy, desc: e.target.checked } })} className="pb-2" />
      </div>
    </OptionsGroup>
  );
}
