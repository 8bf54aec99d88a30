"use client";

import type { EChartsType } from "echarts/core";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { EChartHandlers } from "@/components/charts/EChart";
import { brushRange } from "@/components/charts/time-series-option";

/** Mark components registered once, on the first time-axis panel drawn. */
let registered: Promise<typeof import("./echarts-marks")> | null = null;
const registerMarks = () => (registered ??= import("./echarts-marks"));

/** True once the chart extras (threshold marks) are registered. */
export function useMarksReady(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    void registerMarks().then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, []);
  return ready;
}

/**
 * What a time-axis panel wires onto its chart after each draw: drag-to-zoom (a horizontal brush
 * armed as the cursor; `onZoom` gets the range), the shared crosshair (`group` + echarts.connect),
 * and the y value under the pointer (for single-series tooltips).
 */
export function useTimeAxisChart(onZoom: ((start: number, end: number) => void) | undefined, chartGroup: string | undefined) {
  const pointer = useRef<number | null>(null);
  const tracked = useRef(new WeakSet<EChartsType>());

  const handlers = useMemo<EChartHandlers | undefined>(
    () =>
      onZoom
        ? {
            brushEnd: (params, chart) => {
              const range = brushRange(params);
              chart.dispatchAction({ type: "brush", areas: [] });
              if (range) onZoom(range[0], range[1]);
            },
          }
        : undefined,
    [onZoom],
  );

  const afterSetOption = useCallback(
    (chart: EChartsType) => {
      if (onZoom) chart.dispatchAction({ type: "takeGlobalCursor", key: "brush", brushOption: { brushType: "lineX", brushMode: "single" } });
      if (chartGroup && chart.group !== chartGroup) {
        chart.group = chartGroup;
        void registerMarks().then(({ echarts }) => echarts.connect(chartGroup));
      }
      if (!tracked.current.has(chart)) {
        tracked.current.add(chart);
        chart.getZr().on("mousemove", (e) => {
          const y = chart.convertFromPixel({ gridIndex: 0 }, [e.offsetX, e.offsetY]) as number[] | undefined;
          pointer.current = Array.isArray(y) && Number.isFinite(y[1]) ? y[1]! : null;
        });
      }
    },
    [onZoom, chartGroup],
  );

  const pointerValue = useCallback(() => pointer.current, []);
  return { handlers, afterSetOption, pointerValue };
}
