"use client";

import { useId } from "react";
import { REDUCER_LABELS } from "@/components/panels/common/reduce";
import type { PanelOptionsEditorProps } from "@/components/panels/types";
import { Checkbox } from "@/components/ui/Checkbox";
import { TextField } from "@/components/ui/Field";
import { ReducerSchema, type TimeSeriesOptions, type VisualPanel } from "@/server/dashboards/model";
import { ChoiceField, OptionsGroup } from "@/components/panels/common/PanelParts";

type TimeseriesPanel = Extract<VisualPanel, { type: "timeseries" }>;

/** A number input; an empty or unreadable entry keeps the previous value. */
function NumberField({ id, label, value, min, max, step, onChange }: { id: string; label: string; value: number; min: number; max: number; step?: number; onChange: (v: number) => void }) {
  return (
    <TextField
      id={id}
      label={label}
      type="number"
      min={min}
      max={max}
      step={step ?? 1}
      value={value}
      onChange={(e) => {
        const n = Number(e.target.value);
        if (e.target.value !== "" && Number.isFinite(n)) onChange(Math.min(max, Math.max(min, n)));
      }}
    />
  );
}

/** The time series panel's options: graph style, legend, tooltip, axis, thresholds display, overrides. */
export function TimeseriesOptionsEditor({ panel, onChange }: PanelOptionsEditorProps<TimeseriesPanel>) {
  const id = useId();
  const o = panel.options;
  const set = (patch: Partial<TimeSeriesOptions>) => onChange({ ...panel, options: { ...o, ...patch } });
  const calcs = new Set(o.legend.calcs);
  return (
    <div className="space-y-4">
      <OptionsGroup title="Graph styles">
        <ChoiceField id={`${id}-style`} label="Style" value={o.drawStyle} choices={[["line", "Lines"], ["bars", "Bars"], ["points", "Points"]]} onChange={(drawStyle) => set({ drawStyle })} />
        {o.drawStyle === "line" && (
          <ChoiceField
            id={`${id}-interp`}
            label="Line interpolation"
            value={o.lineInterpolation}
            choices={[["linear", "Linear"], ["smooth", "Smooth"], ["stepBefore", "Step before"], ["stepAfter", "Step after"]]}
            onChange={(lineInterpolation) => set({ lineInterpolation })}
          />
        )}
        <div className="grid grid-cols-3 gap-2">
          <NumberField id={`${id}-lw`} label="Line width" value={o.lineWidth} min={0} max={10} onChange={(lineWidth) => set({ lineWidth })} />
          <NumberField id={`${id}-fill`} label="Fill opacity" value={o.fillOpacity} min={0} max={100} step={5} onChange={(fillOpacity) => set({ fillOpacity })} />
          <NumberField id={`${id}-ps`} label="Point size" value={o.pointSize} min={0} max={40} onChange={(pointSize) => set({ pointSize })} />
        </div>
        <ChoiceField id={`${id}-points`} label="Show points" value={o.showPoints} choices={[["auto", "Auto"], ["always", "Always"], ["never", "Never"]]} onChange={(showPoints) => set({ showPoints })} />
        <ChoiceField id={`${id}-stack`} label="Stack series" value={o.stacking} choices={[["none", "Off"], ["normal", "Normal"], ["percent", "100%"]]} onChange={(stacking) => set({ stacking })} />
      </OptionsGroup>

      <OptionsGroup title="Legend">
        <div className="grid grid-cols-2 gap-2">
          <ChoiceField id={`${id}-lmode`} label="Mode" value={o.legend.displayMode} choices={[["list", "List"], ["table", "Table"], ["hidden", "Hidden"]]} onChange={(displayMode) => set({ legend: { ...o.legend, displayMode } })} />
          <ChoiceField id={`${id}-lplace`} label="Placement" value={o.legend.placement} choices={[["bottom", "Bottom"], ["right", "Right"]]} onChange={(placement) => set({ legend: { ...o.legend, placement } })} />
        </div>
        <div role="group" aria-label="Legend values" className="grid grid-cols-3 gap-1">
          {ReducerSchema.options.map((r) => (
            <Checkbox
              key={r}
              label={REDUCER_LABELS[r]}
              checked={calcs.has(r)}
              onChange={(e) => set({ legend: { ...o.legend, calcs: ReducerSchema.options.filter((x) => (x === r ? e.target.checked : calcs.has(x))) } })}
            />
          ))}
        </div>
      </OptionsGroup>

      <OptionsGroup title="Tooltip and axis">
        <ChoiceField id={`${id}-tip`} label="Tooltip mode" value={o.tooltip.mode} choices={[["single", "Single"], ["multi", "All"], ["none", "Hidden"]]} onChange={(mode) => set({ tooltip: { mode } })} />
        <div className="grid grid-cols-2 gap-2">
          <ChoiceField id={`${id}-scale`} label="Scale" value={o.axis.scale} choices={[["linear", "Linear"], ["log", "Logarithmic"]]} onChange={(scale) => set({ axis: { ...o.axis, scale } })} />
          {o.axis.scale === "log" ? (
            <ChoiceField id={`${id}-logbase`} label="Log base" value={String(o.axis.logBase) as "2" | "10"} choices={[["2", "2"], ["10", "10"]]} onChange={(b) => set({ axis: { ...o.axis, logBase: b === "2" ? 2 : 10 } })} />
          ) : (
            <ChoiceField id={`${id}-place`} label="Placement" value={o.axis.placement} choices={[["auto", "Auto"], ["left", "Left"], ["right", "Right"], ["hidden", "Hidden"]]} onChange={(placement) => set({ axis: { ...o.axis, placement } })} />
          )}
        </div>
        <TextField id={`${id}-alabel`} label="Axis label" value={o.axis.label ?? ""} onChange={(e) => set({ axis: { ...o.axis, label: e.target.value || undefined } })} />
        <ChoiceField
          id={`${id}-thstyle`}
          label="Show thresholds"
          value={o.thresholdsStyle}
          choices={[["off", "Off"], ["line", "As lines"], ["area", "As filled regions"], ["line+area", "As lines and filled regions"]]}
          onChange={(thresholdsStyle) => set({ thresholdsStyle })}
        />
      </OptionsGroup>

    </div>
  );
}

