"use client";

import { dateText } from "@/components/ui/format";
import { LabelChips } from "./bits";
import { ALERT_STATES, stateBarClass, stateLabel } from "./state";
import { segmentBox, type InstanceTimeline } from "./timeline";

/** One coloured band per instance: its states over the range, with a legend and time axis. */
export function StateTimeline({ lines, range, hideLabels = [] }: { lines: InstanceTimeline[]; range: { from: number; to: number }; hideLabels?: readonly string[] }) {
  if (lines.length === 0) return <p className="text-sm text-slate-500 dark:text-slate-400">No instances in this period.</p>;
  return (
    <figure aria-label="State history timeline" className="space-y-2" data-testid="state-timeline">
      <ul className="flex flex-wrap gap-3 text-xs" aria-label="Legend">
        {ALERT_STATES.map((s) => (
          <li key={s} className="flex items-center gap-1">
            <span className={`inline-block size-2.5 rounded-sm ${stateBarClass(s)}`} aria-hidden />
            {stateLabel(s)}
          </li>
        ))}
      </ul>
      <div className="space-y-1.5">
        {lines.map((line) => (
          <div key={line.fingerprint} className="grid grid-cols-[minmax(8rem,16rem)_1fr] items-center gap-3">
            <LabelChips labels={line.labels} hide={hideLabels} />
            <div className="relative h-4 overflow-hidden rounded bg-slate-100 dark:bg-slate-800" role="list" aria-label="States">
              {line.segments.map((s, i) => {
                const box = segmentBox(s, range);
                const text = `${stateLabel(s.state)} from ${dateText(new Date(s.from))} to ${dateText(new Date(s.to))}`;
                return <span key={i} role="listitem" aria-label={text} title={text} className={`absolute inset-y-0 ${stateBarClass(s.state)}`} style={{ left: `${box.left}%`, width: `${box.width}%` }} />;
              })}
            </div>
          </div>
        ))}
      </div>
      <div className="grid grid-cols-[minmax(8rem,16rem)_1fr] gap-3 text-[11px] text-slate-500 dark:text-slate-400">
        <span />
        <div className="flex justify-between">
          <span>{dateText(new Date(range.from))}</span>
          <span>{dateText(new Date(range.to))}</span>
        </div>
      </div>
    </figure>
  );
}
