/**
 * Bar gauge maths (Grafana's bar gauge): layout of the bars, the gradient of a filled bar and the
 * cells of the LCD mode. Pure.
 */
import type { Thresholds } from "@/server/dashboards/model";
import { fillRatio, thresholdBands, thresholdColor } from "@/components/panels/common/field-display";

export type BarDirection = "horizontal" | "vertical";

/** `auto` is horizontal unless the panel is clearly taller than wide per bar. */
export function barDirection(orientation: "auto" | "horizontal" | "vertical", count: number, width: number, height: number): BarDirection {
  if (orientation !== "auto") return orientation;
  return width / Math.max(1, count) > height * 1.5 ? "vertical" : "horizontal";
}

export interface BarLayout {
  direction: BarDirection;
  /** Size of each item along the stacking axis (row height / column width) and the gap. */
  itemSize: number;
  gap: number;
  /** Bar thickness and length in px. */
  thickness: number;
  length: number;
  namePx: number;
  valuePx: number;
  /** Horizontal: name above the bar (`top`) or in a column on its left (`left`). */
  namePlacement: "top" | "left" | "bottom";
  /** Width of the name column (left placement) and of the value column (horizontal). */
  nameWidth: number;
  valueWidth: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Sizes of `count` bars in width × height; `nameChars` / `valueChars` are the longest texts. */
export function barLayout(count: number, width: number, height: number, direction: BarDirection, text: { nameChars: number; valueChars: number; showNames: boolean }): BarLayout {
  const n = Math.max(1, count);
  const gap = n > 1 ? Math.min(8, Math.max(2, (direction === "horizontal" ? height : width) / n / 8)) : 0;
  if (direction === "horizontal") {
    const itemSize = Math.max(0, (height - gap * (n - 1)) / n);
    const top = text.showNames && itemSize >= 34;
    const namePx = text.showNames ? clamp(top ? itemSize * 0.22 : itemSize * 0.45, 10, 14) : 0;
    const thickness = Math.max(2, top ? itemSize - namePx * 1.5 : itemSize);
    const valuePx = clamp(thickness * 0.55, 10, 26);
    const valueWidth = Math.ceil(Math.max(3, text.valueChars) * valuePx * 0.62) + 8;
    const nameWidth = text.showNames && !top ? Math.min(width * 0.3, Math.ceil(text.nameChars * namePx * 0.6) + 8) : 0;
    return { direction, itemSize, gap, thickness, length: Math.max(0, width - valueWidth - nameWidth), namePx, valuePx, namePlacement: top ? "top" : "left", nameWidth, valueWidth };
  }
  const itemSize = Math.max(0, (width - gap * (n - 1)) / n);
  const valuePx = clamp(Math.min(itemSize / (Math.max(3, text.valueChars) * 0.62), 24), 10, 24);
  const namePx = text.showNames ? clamp(itemSize * 0.18, 10, 13) : 0;
  const length = Math.max(0, height - valuePx * 1.5 - namePx * 1.7);
  return { direction, itemSize, gap, thickness: itemSize, length, namePx, valuePx, namePlacement: "bottom", nameWidth: 0, valueWidth: itemSize };
}

/**
 * The CSS gradient of a filled bar ("gradient" mode): the threshold colours met from min up to
 * the value, each at its place along the filled part, from a faded start to the value's colour.
 */
export function barGradient(value: number | null, min: number, max: number, thresholds: Thresholds | undefined, direction: BarDirection): string {
  const to = direction === "horizontal" ? "to right" : "to top";
  const top = value === null || !Number.isFinite(value) ? min : Math.min(max, Math.max(min, value));
  const end = thresholdColor(top, thresholds, min, max);
  const span = top - min;
  const stops: string[] = [];
  if (span > 0) {
    for (const b of thresholdBands(thresholds, min, max)) {
      if (b.from >= top) break;
      const at = Math.round(((b.from - min) / span) * 1000) / 10;
      stops.push(`${b.color} ${at}%`);
    }
  }
  if (stops.length <= 1) return `linear-gradient(${to}, color-mix(in srgb, ${end} 35%, transparent), ${end})`;
  return `linear-gradient(${to}, ${stops.join(", ")}, ${end} 100%)`;
}

/** How many LCD cells fit `length` px (cells ≈ 10 px, 2 px apart). */
export function lcdCellCount(length: number, cellPx = 10, gapPx = 2): number {
  return Math.max(1, Math.floor((length + gapPx) / (cellPx + gapPx)));
}

/** LCD mode: each cell coloured by the threshold at its own value, lit up to the value. */
export function lcdCells(count: number, value: number | null, min: number, max: number, thresholds: Thresholds | undefined): { color: string; lit: boolean }[] {
  const filled = Math.round(fillRatio(value, min, max) * count);
  return Array.from({ length: count }, (_, i) => ({
    color: thresholdColor(min + ((i + 0.5) / count) * (max - min), thresholds, min, max),
    lit: i < filled,
  }));
}
