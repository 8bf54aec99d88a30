"use client";

import type { EChartsCoreOption, EChartsType } from "echarts/core";
import { useEffect, useRef, useState, type CSSProperties } from "react";
import { cn } from "@/components/ui/cn";

export type EChartHandlers = Record<string, (params: unknown, chart: EChartsType) => void>;

/**
 * The one ECharts wrapper: loads ECharts on first use (client only), draws `option` (replacing
 * the previous one), follows the container's size, and forwards `handlers` (event name →
 * callback). `afterSetOption` runs after each draw, for actions an option cannot express.
 */
export function EChart({
  option,
  handlers,
  afterSetOption,
  className,
  style,
  label,
  testId,
}: {
  option: EChartsCoreOption;
  handlers?: EChartHandlers;
  afterSetOption?: (chart: EChartsType) => void;
  className?: string;
  style?: CSSProperties;
  /** Accessible name of the chart (role="img"). */
  label: string;
  testId?: string;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<EChartsType | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const handlersRef = useRef(handlers);
  const afterRef = useRef(afterSetOption);
  useEffect(() => {
    handlersRef.current = handlers;
    afterRef.current = afterSetOption;
  });

  useEffect(() => {
    let disposed = false;
    let instance: EChartsType | null = null;
    let observer: ResizeObserver | null = null;
    import("./echarts-core")
      .then(({ echarts }) => {
        const el = containerRef.current;
        if (disposed || !el) return;
        instance = echarts.init(el, undefined, { renderer: "canvas" });
        observer = new ResizeObserver(() => instance?.resize());
        observer.observe(el);
        setChart(instance);
      })
      .catch((err: unknown) => setLoadError((err as Error)?.message ?? "could not load the chart library"));
    return () => {
      disposed = true;
      observer?.disconnect();
      instance?.dispose();
    };
  }, []);

  const eventNames = Object.keys(handlers ?? {}).sort().join(",");
  useEffect(() => {
    if (!chart || !eventNames) return;
    const names = eventNames.split(",");
    for (const name of names) chart.on(name, (params: unknown) => handlersRef.current?.[name]?.(params, chart));
    return () => {
      for (const name of names) chart.off(name);
    };
  }, [chart, eventNames]);

  useEffect(() => {
    if (!chart) return;
    chart.setOption(option, { notMerge: true });
    afterRef.current?.(chart);
  }, [chart, option]);

  return (
    <div className={cn("relative", className)} style={style} data-testid={testId}>
      <div ref={containerRef} role="img" aria-label={label} className="absolute inset-0" />
      {!chart && !loadError && <div className="absolute inset-0 animate-pulse rounded bg-slate-100 dark:bg-slate-800/60" aria-hidden />}
      {loadError && <p className="absolute inset-0 p-3 text-sm text-red-600 dark:text-red-400">Chart unavailable: {loadError}</p>}
    </div>
  );
}
