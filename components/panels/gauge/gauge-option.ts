/**
 * Reduced values → an ECharts option of one gauge per value, laid out in a grid over the panel
 * (Grafana's gauge): a thick arc filled to the value in its threshold colour over a faint track,
 * an outer ring of threshold bands, optional threshold labels around it, the value in the middle
 * and the series name below. Pure.
 */
import type { GaugeSeriesOption } from "echarts/charts";
import type { GraphicComponentOption } from "echarts/components";
import type { ComposeOption } from "echarts/core";
import { formatValue } from "@/components/charts/value-format";
import { displayText, fillRatio, sortedSteps, stepAbsolute, thresholdBands, type PanelValue } from "@/components/panels/common/field-display";
import { fitFont, valueGrid } from "@/components/panels/stat/layout";

export type GaugeOption = ComposeOption<GaugeSeriesOption | GraphicComponentOption>;

export const START_ANGLE = 210;
export const END_ANGLE = -30;

export interface GaugeGeometry {
  cx: number;
  cy: number;
  /** Outer radius of the threshold ring. */
  radius: number;
}

/** Where each gauge sits: a grid cell each, the arc (240°) centred in its cell. */
export function gaugeGeometry(count: number, width: number, height: number, withLabels: boolean, withName: boolean): GaugeGeometry[] {
  const grid = valueGrid(count, width, height, "auto", 8, 4);
  const out: GaugeGeometry[] = [];
  for (let i = 0; i < count; i++) {
    const col = i % grid.columns;
    const row = Math.floor(i / grid.columns);
    const x = col * (grid.cellWidth + 8);
    const y = row * (grid.cellHeight + 8);
    // Room for threshold labels around the arc and the name under it.
    const padX = withLabels ? 34 : 0;
    const padY = withLabels ? 12 : 0;
    const nameRoom = withName ? 16 : 0;
    // The arc spans from r above the centre to r·sin(30°) below it: 1.5 r tall, 2 r wide.
    const radius = Math.max(4, Math.min(((grid.cellWidth - 2 * padX) / 2) * 0.9, (grid.cellHeight - nameRoom - 2 * padY) / 1.5));
    const used = radius * 1.5 + 2 * padY + nameRoom;
    const top = y + Math.max(0, (grid.cellHeight - used) / 2) + padY + radius;
    out.push({ cx: x + grid.cellWidth / 2, cy: top, radius });
  }
  return out;
}

/** The angle (degrees, ECharts' convention) of `value` on the arc. */
export function valueAngle(value: number, min: number, max: number): number {
  return START_ANGLE - fillRatio(value, min, max) * (START_ANGLE - END_ANGLE);
}

/** A text element of the graphic component (threshold labels). */
interface GaugeLabel {
  type: "text";
  x: number;
  y: number;
  silent: boolean;
  style: { text: string; fill: string; fontSize: number; align: "left" | "right" | "center"; verticalAlign: "middle" };
}

export function gaugeOption(
  values: readonly PanelValue[],
  opts: { width: number; height: number; showThresholdMarkers: boolean; showThresholdLabels: boolean; showName: boolean; dark: boolean },
): GaugeOption {
  const text = opts.dark ? "#cbd5e1" : "#334155";
  const track = opts.dark ? "rgba(148,163,184,0.16)" : "rgba(148,163,184,0.24)";
  const geometry = gaugeGeometry(values.length, opts.width, opts.height, opts.showThresholdLabels, opts.showName);
  const series: GaugeSeriesOption[] = [];
  const graphic: GaugeLabel[] = [];

  values.forEach((v, i) => {
    const { cx, cy, radius } = geometry[i]!;
    const ringWidth = opts.showThresholdMarkers ? Math.max(2, radius * 0.05) : 0;
    const arcRadius = opts.showThresholdMarkers ? radius - ringWidth * 1.8 : radius;
    const arcWidth = Math.max(3, arcRadius * 0.2);
    const shown = displayText(v.display);
    const valueFont = Math.max(10, Math.min(fitFont(arcRadius * 1.25, arcRadius * 0.42, shown.length), 72));
    const common: GaugeSeriesOption = {
      type: "gauge",
      center: [cx, cy],
      startAngle: START_ANGLE,
      endAngle: END_ANGLE,
      min: v.min,
      max: v.max,
      pointer: { show: false },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: { show: false },
      anchor: { show: false },
      animation: false,
      silent: true,
    };
    const clamped = v.value === null || !Number.isFinite(v.value) ? v.min : Math.min(v.max, Math.max(v.min, v.value));
    series.push({
      ...common,
      name: v.name,
      radius: arcRadius,
      axisLine: { roundCap: false, lineStyle: { width: arcWidth, color: [[1, track]] } },
      progress: { show: v.value !== null, width: arcWidth, itemStyle: { color: v.display.color } },
      title: { show: opts.showName, offsetCenter: [0, "56%"], color: text, fontSize: Math.max(10, Math.min(16, radius * 0.14)), overflow: "truncate", width: radius * 1.8 },
      detail: { show: true, offsetCenter: [0, "0%"], formatter: () => shown, color: v.display.color, fontSize: valueFont, fontWeight: 600, valueAnimation: false },
      data: [{ value: clamped, name: v.name }],
    });
    if (opts.showThresholdMarkers) {
      const bands = thresholdBands(v.fieldConfig.thresholds, v.min, v.max);
      series.push({
        ...common,
        radius,
        axisLine: { lineStyle: { width: ringWidth, color: bands.map((b) => [fillRatio(b.to, v.min, v.max), b.color] as [number, string]) } },
        progress: { show: false },
        title: { show: false },
        detail: { show: false },
        data: [{ value: v.min }],
      });
    }
    if (opts.showThresholdLabels) {
      const th = v.fieldConfig.thresholds;
      const at = new Set<number>([v.min, v.max]);
      for (const s of sortedSteps(th?.steps ?? [])) if (s.value !== null && th) at.add(stepAbsolute(s.value, th, v.min, v.max));
      for (const value of [...at].filter((x) => x >= v.min && x <= v.max).sort((a, b) => a - b)) {
        const rad = (valueAngle(value, v.min, v.max) * Math.PI) / 180;
        const r = radius + 6;
        const cos = Math.cos(rad);
        graphic.push({
          type: "text",
          x: cx + r * cos,
          y: cy - r * Math.sin(rad),
          silent: true,
          style: {
            text: formatValue(value, v.fieldConfig.unit ?? "short", v.fieldConfig.decimals),
            fill: text,
            fontSize: Math.max(9, Math.min(12, radius * 0.1)),
            align: cos > 0.2 ? "left" : cos < -0.2 ? "right" : "center",
            verticalAlign: "middle",
          },
        });
      }
    }
  });
  return { series, graphic: { elements: graphic } as GraphicComponentOption };
}
