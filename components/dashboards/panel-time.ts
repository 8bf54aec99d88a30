/**
 * A panel's own time: the relative time override (`timeFrom`: the last N instead of the
 * dashboard's range) and the time shift (`timeShift`: N earlier), as Grafana applies them. Pure.
 */
import { parseDurationMs } from "@/server/metrics/duration";

export interface PanelTime {
  start: number;
  end: number;
  /** What the panel header shows (`Last 1h`, `timeshift -1d`), or undefined without overrides. */
  info?: string;
}

export function panelTimeRange(range: { start: number; end: number }, p: { timeFrom?: string; timeShift?: string }): PanelTime {
  let { start, end } = range;
  const notes: string[] = [];
  const from = p.timeFrom ? parseDurationMs(p.timeFrom) : undefined;
  if (from !== undefined && from > 0) {
    start = end - from;
    notes.push(`Last ${p.timeFrom}`);
  }
  const shift = p.timeShift ? parseDurationMs(p.timeShift) : undefined;
  if (shift !== undefined && shift > 0) {
    start -= shift;
    end -= shift;
    notes.push(`timeshift -${p.timeShift}`);
  }
  return { start, end, info: notes.length ? notes.join(" ") : undefined };
}
