"use client";

import type { CSSProperties } from "react";
import { displayText, fillRatio, panelValues, type PanelValue } from "@/components/panels/common/field-display";
import { NoData } from "@/components/panels/common/PanelParts";
import type { PanelViewProps } from "@/components/panels/types";
import type { BarGaugeOptions, VisualPanel } from "@/server/dashboards/model";
import { barDirection, barGradient, barLayout, lcdCellCount, lcdCells, type BarLayout } from "./bars";

type BarGaugePanel = Extract<VisualPanel, { type: "bargauge" }>;

const TRACK = "bg-slate-200/70 dark:bg-slate-800/80";

function Bar({ item, options, layout }: { item: PanelValue; options: BarGaugeOptions; layout: BarLayout }) {
  const horizontal = layout.direction === "horizontal";
  const box: CSSProperties = horizontal ? { width: layout.length, height: layout.thickness } : { width: layout.thickness, height: layout.length };
  const ratio = fillRatio(item.value, item.min, item.max);
  const thresholds = item.fieldConfig.thresholds;
  if (options.displayMode === "lcd") {
    const cells = lcdCells(lcdCellCount(layout.length), item.value, item.min, item.max, thresholds);
    return (
      <div className={horizontal ? "flex gap-0.5" : "flex flex-col-reverse gap-0.5"} style={box}>
        {cells.map((c, i) => (
          <div key={i} className="flex-1 rounded-[1px]" style={{ background: c.color, opacity: c.lit ? 1 : options.showUnfilled ? 0.14 : 0 }} />
        ))}
      </div>
    );
  }
  const fill = options.displayMode === "gradient" ? barGradient(item.value, item.min, item.max, thresholds, layout.direction) : item.display.color;
  const filled: CSSProperties = horizontal ? { width: `${ratio * 100}%`, height: "100%" } : { height: `${ratio * 100}%`, width: "100%" };
  return (
    <div className={`relative flex overflow-hidden rounded-sm ${horizontal ? "" : "flex-col-reverse"} ${options.showUnfilled ? TRACK : ""}`} style={box}>
      <div className="rounded-sm" style={{ ...filled, background: fill }} />
    </div>
  );
}

function Item({ item, options, layout }: { item: PanelValue; options: BarGaugeOptions; layout: BarLayout }) {
  const value = (
    <span className="truncate font-semibold tabular-nums" style={{ fontSize: layout.valuePx, color: item.display.color }}>
      {displayText(item.display)}
    </span>
  );
  const name = (style: CSSProperties, className = "") => (
    <span className={`truncate text-slate-700 dark:text-slate-300 ${className}`} style={{ fontSize: layout.namePx, ...style }} title={item.name}>
      {item.name}
    </span>
  );
  if (layout.direction === "horizontal") {
    return (
      <div className="flex flex-col justify-center" style={{ height: layout.itemSize }} data-testid="bargauge-bar">
        {layout.namePx > 0 && layout.namePlacement === "top" && name({ lineHeight: 1.4 })}
        <div className="flex items-center" style={{ height: layout.thickness }}>
          {layout.namePx > 0 && layout.namePlacement === "left" && name({ width: layout.nameWidth }, "shrink-0 pr-2")}
          <Bar item={item} options={options} layout={layout} />
          <div className="flex shrink-0 justify-end pl-2" style={{ width: layout.valueWidth }}>
            {value}
          </div>
        </div>
      </div>
    );
  }
  return (
    <div className="flex flex-col items-center justify-end" style={{ width: layout.itemSize }} data-testid="bargauge-bar">
      <div className="flex max-w-full justify-center" style={{ lineHeight: 1.5 }}>
        {value}
      </div>
      <Bar item={item} options={options} layout={layout} />
      {layout.namePx > 0 && name({ lineHeight: 1.7, maxWidth: "100%" })}
    </div>
  );
}

/** Bar gauge: a bar per series (reduced) between min and max, basic, gradient or LCD. */
export function BarGaugeView({ panel, data, width, height }: PanelViewProps<BarGaugePanel>) {
  if (!data) return null;
  const values = panelValues(panel, data, panel.options.reduce);
  if (values.length === 0) return <NoData />;
  const direction = barDirection(panel.options.orientation, values.length, width, height);
  const showNames = values.length > 1 || values.some((v) => v.name !== "");
  const layout = barLayout(values.length, width, height, direction, {
    nameChars: Math.max(...values.map((v) => v.name.length)),
    valueChars: Math.max(...values.map((v) => displayText(v.display).length)),
    showNames,
  });
  return (
    <div className={`flex h-full w-full overflow-hidden ${direction === "horizontal" ? "flex-col" : "flex-row items-end"}`} style={{ gap: layout.gap }}>
      {values.map((v) => (
        <Item key={v.key} item={v} options={panel.options} layout={layout} />
      ))}
    </div>
  );
}
