"use client";

import "react-grid-layout/css/styles.css";
import { GridLayout, useContainerWidth, verticalCompactor, type Layout } from "react-grid-layout";
import { useMemo, type ReactNode } from "react";
import { GRID_COLUMNS } from "@/server/dashboards/model";
import type { GridItem, RenderItem } from "./layout";

/** Pixel height of one grid unit and the gap between panels (Grafana's 30 px / 8 px). */
export const ROW_HEIGHT = 30;
export const GRID_MARGIN = 8;

/** Pixel size of a panel of `w`×`h` grid units in a grid `width` pixels wide. */
export function panelPixels(width: number, w: number, h: number): { width: number; height: number } {
  const col = (width - GRID_MARGIN * (GRID_COLUMNS - 1)) / GRID_COLUMNS;
  return { width: Math.max(0, Math.round(col * w + GRID_MARGIN * (w - 1))), height: h * ROW_HEIGHT + GRID_MARGIN * (h - 1) };
}

/**
 * The dashboard's 24-column grid (react-grid-layout): panels and rows as items; in edit mode the
 * panel title bar is the drag handle and the corner resizes; clones of repeats stay put.
 */
export function DashboardGrid({
  items,
  editing,
  onLayout,
  render,
}: {
  items: RenderItem[];
  editing: boolean;
  onLayout: (items: GridItem[]) => void;
  render: (item: RenderItem, size: { width: number; height: number }) => ReactNode;
}) {
  const { width, containerRef, mounted } = useContainerWidth({ measureBeforeMount: true });
  const layout: Layout = useMemo(
    () =>
      items.map((it) => ({
        i: it.key,
        ...it.gridPos,
        static: !editing || it.clone,
        isResizable: it.item.kind === "panel",
        minW: it.item.kind === "row" ? GRID_COLUMNS : 1,
        maxH: it.item.kind === "row" ? 1 : undefined,
      })),
    [items, editing],
  );

  return (
    <div ref={containerRef} data-testid="dashboard-grid">
      {mounted && (
        <GridLayout
          width={width}
          layout={layout}
          gridConfig={{ cols: GRID_COLUMNS, rowHeight: ROW_HEIGHT, margin: [GRID_MARGIN, GRID_MARGIN], containerPadding: [0, 0] }}
          dragConfig={{ enabled: editing, handle: ".panel-drag-handle", cancel: ".panel-no-drag" }}
          resizeConfig={{ enabled: editing, handles: ["se"] }}
          compactor={verticalCompactor}
          onDragStop={(l) => onLayout(l as GridItem[])}
          onResizeStop={(l) => onLayout(l as GridItem[])}
        >
          {items.map((it) => (
            <div key={it.key} className="min-w-0">
              {render(it, panelPixels(width, it.gridPos.w, it.gridPos.h))}
            </div>
          ))}
        </GridLayout>
      )}
    </div>
  );
}
