"use client";

import { useEffect, useMemo, useState } from "react";
import { EChart } from "@/components/charts/EChart";
import { useDarkMode } from "@/components/charts/useDarkMode";
import { panelValues } from "@/components/panels/common/field-display";
import { NoData } from "@/components/panels/common/PanelParts";
import type { PanelViewProps } from "@/components/panels/types";
import type { VisualPanel } from "@/server/dashboards/model";
import { gaugeOption } from "./gauge-option";

type GaugePanel = Extract<VisualPanel, { type: "gauge" }>;

/** The gauge series is registered on ECharts once, on the first gauge drawn. */
let registered: Promise<unknown> | null = null;
const registerGauge = () => (registered ??= import("./echarts-gauge"));

/** Gauge: one arc per series (reduced), min…max (default 0…100), threshold colours. */
export function GaugeView({ panel, data, width, height }: PanelViewProps<GaugePanel>) {
  const dark = useDarkMode();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    void registerGauge().then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, []);
  const values = useMemo(() => panelValues(panel, data, panel.options.reduce, { min: 0, max: 100 }), [panel, data]);
  const option = useMemo(
    () =>
      gaugeOption(values, {
        width,
        height,
        showThresholdMarkers: panel.options.showThresholdMarkers,
        showThresholdLabels: panel.options.showThresholdLabels,
        showName: values.length > 1,
        dark,
      }),
    [values, width, height, panel.options.showThresholdMarkers, panel.options.showThresholdLabels, dark],
  );
  if (!data) return null;
  if (values.length === 0) return <NoData />;
  if (!ready) return <div className="h-full w-full" aria-hidden />;
  const label = values.map((v) => `${v.name}: ${v.display.prefix ?? ""}${v.display.text}${v.display.suffix ?? ""}`).join(", ");
  return <EChart option={option} label={`Gauge ${label}`} className="h-full w-full" testId="gauge-chart" />;
}
