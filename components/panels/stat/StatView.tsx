"use client";

import { useId } from "react";
import type { StatOptions, VisualPanel } from "@/server/dashboards/model";
import { displayText, panelValues, type PanelValue } from "@/components/panels/common/field-display";
import { NoData } from "@/components/panels/common/PanelParts";
import type { PanelViewProps } from "@/components/panels/types";
import { sparklinePaths, statTextSizes, valueGrid } from "./layout";

type StatPanel = Extract<VisualPanel, { type: "stat" }>;

const GAP = 4;

function Sparkline({ points, width, height, color, onColor }: { points: PanelValue["points"]; width: number; height: number; color: string; onColor: boolean }) {
  // useId may contain characters that url(#…) does not take.
  const gradientId = `spark-${useId().replace(/[^A-Za-z0-9_-]/g, "")}`;
  const paths = sparklinePaths(points, width, height);
  if (!paths) return null;
  const stroke = onColor ? "rgba(255,255,255,0.75)" : color;
  return (
    <svg width={width} height={height} className="absolute inset-x-0 bottom-0" aria-hidden>
      <defs>
        <linearGradient id={gradientId} x1="0" x2="0" y1="0" y2="1">
          <stop offset="0%" stopColor={onColor ? "#ffffff" : color} stopOpacity={onColor ? 0.35 : 0.3} />
          <stop offset="100%" stopColor={onColor ? "#ffffff" : color} stopOpacity={0.03} />
        </linearGradient>
      </defs>
      <path d={paths.area} fill={`url(#${gradientId})`} stroke="none" />
      <path d={paths.line} fill="none" stroke={stroke} strokeWidth={1.5} strokeLinejoin="round" />
    </svg>
  );
}

function StatCell({ item, options, width, height, showName }: { item: PanelValue; options: StatOptions; width: number; height: number; showName: boolean }) {
  const { display } = item;
  const showValue = options.textMode !== "name" && options.textMode !== "none";
  const sparkline = options.graphMode === "area" && item.points.length > 1 && height >= 40;
  const valueChars = displayText(display).length;
  const sizes = statTextSizes({ width, height }, { valueChars, nameChars: item.name.length, showName, sparkline });
  const background = options.colorMode === "background";
  const valueColor = options.colorMode === "value" ? display.color : undefined;
  return (
    <div
      className="relative flex flex-col items-center justify-center overflow-hidden rounded-sm"
      style={{
        width,
        height,
        ...(background ? { background: `linear-gradient(120deg, ${display.color}, color-mix(in srgb, ${display.color} 75%, black))`, color: "#fff" } : {}),
        ...(sparkline ? { justifyContent: "flex-start", paddingTop: Math.max(2, height * 0.08) } : {}),
      }}
      data-testid="stat-value"
      title={`${item.name}: ${displayText(display)}`}
    >
      {sparkline && <Sparkline points={item.points} width={width} height={Math.round(height * 0.42)} color={display.color} onColor={background} />}
      {showName && (
        <div className="relative max-w-full truncate px-1 leading-tight opacity-80" style={{ fontSize: sizes.namePx }}>
          {item.name}
        </div>
      )}
      {showValue && (
        <div className="relative max-w-full truncate px-1 leading-none font-semibold tabular-nums" style={{ fontSize: sizes.valuePx, color: valueColor }}>
          {display.prefix && <span style={{ fontSize: "0.7em" }}>{display.prefix}</span>}
          {display.text}
          {display.suffix && <span style={{ fontSize: "0.6em" }}>{display.suffix}</span>}
        </div>
      )}
    </div>
  );
}

/** Stat: one big value per series (reduced), coloured by thresholds, with an optional sparkline. */
export function StatView({ panel, data, width, height }: PanelViewProps<StatPanel>) {
  if (!data) return null;
  const values = panelValues(panel, data, panel.options.reduce);
  if (values.length === 0) return <NoData />;
  const grid = valueGrid(values.length, width, height, panel.options.orientation, GAP);
  const showName = panel.options.textMode === "name" || panel.options.textMode === "value_and_name" || (panel.options.textMode === "auto" && values.length > 1);
  return (
    <div
      className="grid h-full w-full text-slate-800 dark:text-slate-100"
      style={{ gridTemplateColumns: `repeat(${grid.columns}, ${grid.cellWidth}px)`, gridAutoRows: `${grid.cellHeight}px`, gap: GAP }}
    >
      {values.map((v) => (
        <StatCell key={v.key} item={v} options={panel.options} width={grid.cellWidth} height={grid.cellHeight} showName={showName} />
      ))}
    </div>
  );
}
